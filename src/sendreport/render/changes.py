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


def _chart_words(executed: list[Executed]) -> dict[str, dict]:
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
        where = (titles.get(r.chapter, r.chapter) if r.chapter else "Every chapter") + (
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


def what_changed(prev: dict | None, prev_claims: pd.DataFrame | None, manifest: dict,
                 claims: pd.DataFrame, corrections: pd.DataFrame | None = None,
                 titles: dict[str, str] | None = None) -> str:
    """Markdown for the 'what changed' chapter (empty for the first version)."""
    if prev is None:
        return ""
    now = {d["dataset"]: d["release"] for d in manifest["datasets"]}
    before = {d["dataset"]: d["release"] for d in prev["datasets"]}
    changed_ds = {k: (before.get(k, "none"), v) for k, v in now.items() if before.get(k) != v}
    lines = [f"# What changed since version {prev['version']}", "",
             f"Version {prev['version']} was rendered on {prev['rendered_at'][:10]} from commit "
             f"{prev['git_commit']}."]
    if changed_ds:
        lines += ["", "Data releases that changed:", ""]
        lines += [f"* {k}: {a} to {b}" for k, (a, b) in sorted(changed_ds.items())]
    else:
        lines += ["", "No data release changed."]
    added = [c for c in manifest.get("chapters", []) if c not in prev.get("chapters", [])]
    removed = [c for c in prev.get("chapters", []) if c not in manifest.get("chapters", [])]
    # a chapter whose name is unchanged but for its number was renumbered, not added
    suffix = {c.split("-", 1)[-1]: c for c in removed}
    renumbered = [(suffix[c.split("-", 1)[-1]], c) for c in added if c.split("-", 1)[-1] in suffix]
    added = [c for c in added if c not in {b for _, b in renumbered}]
    removed = [c for c in removed if c not in {a for a, _ in renumbered}]
    if renumbered:
        lines += ["", f"{len(renumbered)} chapters were renumbered so that the numbers follow the "
                      "reading order (" + ", ".join(f"{a} is now {b}" for a, b in renumbered)
                  + ")."]
    if added:
        lines += ["", "Chapters added: " + ", ".join(f"`{c}`" for c in added) + "."]
    if removed:
        lines += ["", "Chapters removed: " + ", ".join(f"`{c}`" for c in removed) + "."]
    rows = []
    for name, h in manifest["headlines"].items():
        old = prev.get("headlines", {}).get(name)
        if old is None or old["value"] != h["value"] or old["period"] != h["period"]:
            cause = ", ".join(f"{d} {now.get(d, '')}" for d in h["datasets"]
                              if d in changed_ds) or "method or code change"
            rows.append((name, f"{_fmt(old['value'])} ({old['period']})" if old else "",
                         f"{_fmt(h['value'])} ({h['period']})", cause))
    if prev_claims is not None:
        old = prev_claims.set_index("id")
        for _, r in claims.iterrows():
            o = old.loc[r["id"]] if r["id"] in old.index else None
            ov = None if o is None else o["our_value"]
            changed = o is None or o["status"] != r["status"] or (
                _fmt(ov) != _fmt(r["our_value"]))
            if changed:
                cause = "; ".join(f"{d} {b}" for d, (a, b) in changed_ds.items()
                                  if d in str(r["source"]).lower().replace(" ", "-"))
                if o is None:
                    cause = "new in the claims register"
                rows.append((f"claim {r['id']}", "" if o is None else f"{_fmt(ov)} ({o['status']})",
                             f"{_fmt(r['our_value'])} ({r['status']})",
                             cause or ("see data releases above" if changed_ds
                                       else "method or claims register change")))
    lines += [""]
    if rows:
        t = pd.DataFrame(rows, columns=["figure", f"version {prev['version']}", "this version",
                                        "release that changed it"])
        lines += [t.to_markdown(index=False), "",
                  f"*Source: manifests and claims registers of version {prev['version']} and "
                  f"this version.*"]
    else:
        lines += ["No headline figure or claim changed value."]
    if corrections is not None:
        lines += _corrections_md(prev, manifest, corrections, titles)
    lines += _titles_md(prev, manifest)
    return "\n".join(lines) + "\n"
