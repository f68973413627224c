"""What changed between two published versions: data releases, headline figures, claims,
corrected statements and chart titles."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from sendreport.errors import SendReportError
from sendreport.render.execution import Executed


def _fmt(v) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    v = float(v)
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.4g}"


def chart_words(executed: list[Executed]) -> dict[str, dict]:
    """'chapter/chart' -> title, subtitle and alt text of every chart of this version."""
    out = {}
    for ex in executed:
        for f in sorted(ex.outputs.rglob("_charts.json")):
            for slug, words in json.loads(f.read_text()).items():
                out[f"{ex.name}/{slug}"] = words
    return out


CORRECTION_COLUMNS = ["corrects_version", "chapter", "item", "previously", "reason"]


def load_corrections(root: Path) -> pd.DataFrame:
    """The corrections log: statements of a published version found wrong and corrected."""
    path = root / "data" / "reference" / "corrections.csv"
    if not path.exists():
        return pd.DataFrame(columns=CORRECTION_COLUMNS)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in CORRECTION_COLUMNS if c not in df.columns]
    if missing:
        raise SendReportError(f"{path}: corrections log lacks column(s) {', '.join(missing)}")
    return df


def chapter_titles(root: Path) -> dict[str, str]:
    """Notebook stem -> the chapter's title (its first heading), for readers' references."""
    import nbformat

    out = {}
    for nb in sorted((root / "notebooks").glob("*.ipynb")):
        doc = nbformat.read(nb, as_version=4)
        for c in doc.cells:
            if c.cell_type == "markdown" and c.source.lstrip().startswith("# "):
                out[nb.stem] = c.source.lstrip()[2:].splitlines()[0].strip()
                break
    return out


def _corrections_md(prev: dict, manifest: dict, corrections: pd.DataFrame,
                    titles: dict[str, str] | None = None) -> list[str]:
    rows = corrections[corrections["corrects_version"] == prev["version"]]
    if rows.empty:
        return []
    charts = manifest.get("charts", {})
    titles = titles or {}
    out = ["", f"## Statements of version {prev['version']} corrected in this version", ""]
    for r in rows.itertuples():
        now = charts.get(f"{r.chapter}/{r.item}")
        now_txt = f" Now: \"{now['title']}\"." if now else ""
        kind = ("figure" if now else "table" if r.item else "")
        where = (titles.get(r.chapter, r.chapter) if r.chapter not in ("", "council-edition")
                 else "Council editions" if r.chapter else "Every chapter") + (
            f" ({kind} *{r.item}*)" if r.item else "")
        out.append(f"* **{where}.** Previously: \"{r.previously}\". {r.reason}{now_txt}")
    return out


def _titles_md(prev: dict, manifest: dict) -> list[str]:
    old, new = prev.get("charts"), manifest.get("charts", {})
    if not old:
        return []
    changed = [(k, old[k]["title"], v["title"]) for k, v in new.items()
               if k in old and old[k]["title"] != v["title"]]
    if not changed:
        return ["", "No chart title changed."]
    t = pd.DataFrame(changed, columns=["chart", f"version {prev['version']}", "this version"])
    return ["", "## Chart titles that changed", "", t.to_markdown(index=False)]


def _changed_datasets(prev: dict, manifest: dict) -> dict[str, tuple[str, str]]:
    now = {d["dataset"]: d["release"] for d in manifest["datasets"]}
    before = {d["dataset"]: d["release"] for d in prev["datasets"]}
    return {k: (before.get(k, "none"), v) for k, v in now.items() if before.get(k) != v}


def _reason(datasets: list[str], changed_ds: dict, corrected: bool) -> str:
    hit = [d for d in datasets if d in changed_ds]
    if hit:
        new = any(set(changed_ds[d][1].split(", ")) - set(changed_ds[d][0].split(", "))
                  for d in hit)
        return (("new data release" if new else "data releases changed") + " ("
                + ", ".join(f"{d} {changed_ds[d][1]}" for d in hit) + ")")
    if corrected:
        return "method correction (see the corrections below)"
    return "method change (same data, changed code)"


def _claim_datasets(source: str, changed_ds: dict) -> list[str]:
    s = str(source).lower().replace(" ", "-")
    return [d for d in changed_ds if d in s or d.split("-")[0] in s]


def changed_figures(prev: dict, prev_claims: pd.DataFrame | None, manifest: dict,
                    claims: pd.DataFrame, corrections: pd.DataFrame | None = None
                    ) -> list[tuple[str, str, str, str]]:
    """Each figure whose value changed: (what, before, now, why)."""
    changed_ds = _changed_datasets(prev, manifest)
    corrected = corrections is not None and bool(
        (corrections["corrects_version"] == prev["version"]).any())
    rows = []
    for name, h in manifest["headlines"].items():
        old = prev.get("headlines", {}).get(name)
        if old is None:
            rows.append((name, "not in that version", f"{_fmt(h['value'])} ({h['period']})",
                         "headline added"))
        elif old["value"] != h["value"] or old["period"] != h["period"]:
            rows.append((name, f"{_fmt(old['value'])} ({old['period']})",
                         f"{_fmt(h['value'])} ({h['period']})",
                         _reason(h["datasets"], changed_ds, corrected)))
    if prev_claims is not None:
        old = prev_claims.set_index("id")
        for _, r in claims.iterrows():
            what = str(r.get("description") or r["id"])
            now = f"{_fmt(r['our_value']) or 'not reproduced'} ({r['status']})"
            if r["id"] not in old.index:
                rows.append((what, "not in the register", now,
                             "claims register change (claim added)"))
                continue
            o = old.loc[r["id"]]
            if _fmt(o["our_value"]) != _fmt(r["our_value"]):
                rows.append((what, f"{_fmt(o['our_value']) or 'not reproduced'} ({o['status']})",
                             now, _reason(_claim_datasets(r["source"], changed_ds), changed_ds,
                                          corrected)))
            elif o["status"] != r["status"]:
                rows.append((what, f"{o['status']}", f"{r['status']}",
                             "claims register change (basis or tolerance)"))
        for i in old.index.difference(claims["id"]):
            rows.append((str(i), "in the register", "removed", "claims register change"))
    return rows


def change_summary(prev: dict | None, manifest: dict, claims: pd.DataFrame | None = None,
                   prev_claims: pd.DataFrame | None = None,
                   corrections: pd.DataFrame | None = None) -> str:
    """One line for the versions index: what this version changed."""
    if prev is None:
        return "First published version."
    changed_ds = _changed_datasets(prev, manifest)
    parts = []
    for k, (a, b) in sorted(changed_ds.items()):
        added = [r for r in b.split(", ") if r not in a.split(", ")]
        dropped = [r for r in a.split(", ") if r not in b.split(", ") and a != "none"]
        # a newer release that replaces an older one is news; an older one dropped alone is not
        parts += [f"{k} {r}" for r in added] or [f"{k} {r} dropped" for r in dropped]
    data = ("New data: " + ", ".join(parts) + ". ") if parts else "Same data releases. "
    note = f"{manifest['note'].rstrip('.')}. " if manifest.get("note") else ""
    rows = changed_figures(prev, prev_claims, manifest,
                           claims if claims is not None else pd.DataFrame(
                               columns=["id", "our_value", "status", "source"]))
    fixed = 0 if corrections is None else int(
        (corrections["corrects_version"] == prev["version"]).sum())
    fixed_words = (f" {fixed} statement{'s' if fixed != 1 else ''} of version {prev['version']} "
                   "corrected (see What changed)." if fixed else "")
    if not rows:
        return (note + data + "No headline or claims-register figure changed value."
                + fixed_words)
    return note + data + (
        f"{len(rows)} figure{'s' if len(rows) != 1 else ''} changed: "
        + "; ".join(r[0] for r in rows[:3]) + ("; ..." if len(rows) > 3 else "") + "."
        + fixed_words)


def what_changed(prev: dict | None, prev_claims: pd.DataFrame | None, manifest: dict,
                 claims: pd.DataFrame, corrections: pd.DataFrame | None = None,
                 titles: dict[str, str] | None = None) -> str:
    """Markdown for the 'what changed' chapter (empty for the first version): each changed
    figure with its old and new values and why it changed, or a plain statement that none did."""
    if prev is None:
        return ""
    changed_ds = _changed_datasets(prev, manifest)
    lines = [f"# What changed since version {prev['version']}", "",
             f"Version {prev['version']} was rendered on {prev['rendered_at'][:10]} from commit "
             f"{prev['git_commit']}."]
    if changed_ds:
        lines += ["", "Data releases that changed:", ""]
        lines += [f"* {k}: {a} to {b}" for k, (a, b) in sorted(changed_ds.items())]
    else:
        lines += ["", "No data release changed: this version was rendered from the same data."]
    added = [c for c in manifest.get("chapters", []) if c not in prev.get("chapters", [])]
    removed = [c for c in prev.get("chapters", []) if c not in manifest.get("chapters", [])]
    # a chapter whose name is unchanged but for its number was renumbered, not added
    suffix = {c.split("-", 1)[-1]: c for c in removed}
    renumbered = [(suffix[c.split("-", 1)[-1]], c) for c in added if c.split("-", 1)[-1] in suffix]
    added = [c for c in added if c not in {b for _, b in renumbered}]
    removed = [c for c in removed if c not in {a for a, _ in renumbered}]
    titles = titles or {}
    if renumbered:
        lines += ["", f"{len(renumbered)} chapters were renumbered so that the numbers follow the "
                      "reading order."]
    if added:
        lines += ["", "Chapters added: " + ", ".join(titles.get(c, c) for c in added) + "."]
    if removed:
        lines += ["", "Chapters removed: " + ", ".join(titles.get(c, c) for c in removed) + "."]
    rows = changed_figures(prev, prev_claims, manifest, claims, corrections)
    lines += [""]
    if rows:
        t = pd.DataFrame(rows, columns=["Figure", f"Version {prev['version']}", "This version",
                                        "Why it changed"])
        lines += [f"{len(rows)} figure{'s' if len(rows) != 1 else ''} changed value:", "",
                  t.to_markdown(index=False), "",
                  f"*Source: manifests and claims registers of version {prev['version']} and "
                  f"this version.*"]
    else:
        fixed = corrections is not None and bool(
            (corrections["corrects_version"] == prev["version"]).any())
        lines += ["No headline figure and no figure in the claims register changed value: each "
                  "is the same as in version " + prev["version"] + "."
                  + (" Figures elsewhere that changed are listed with the corrections below."
                     if fixed else "")]
    if corrections is not None:
        lines += _corrections_md(prev, manifest, corrections, titles)
    lines += _titles_md(prev, manifest)
    return "\n".join(lines) + "\n"
