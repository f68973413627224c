"""Render the report: execute the chapters, then write a versioned HTML and PDF.

Where the Quarto CLI is on PATH, ``quarto render`` of the project in ``_quarto.yml`` is used over
the executed notebooks. Where it is not (our build and CI machines), the same engines Quarto drives
are called directly: pandoc 3 (from ``pypandoc-binary``) with a Lua filter for Quarto's cell
options writes one self-contained HTML file, and Typst (the ``typst`` wheel) writes the PDF. Both
routes take the title, chapter order and metadata from ``_quarto.yml``.

A version is built in a temporary directory beside ``report/`` and moved into place only when
everything has succeeded; a version that exists is never overwritten (``--draft`` renders to the
git-ignored ``report/_draft/``).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from sendreport import __version__
from sendreport.config import Paths
from sendreport.errors import SendReportError
from sendreport.execute import Executed, execute_all
from sendreport.measures import headline
from sendreport.registry import Registry

DRAFT = "_draft"


@dataclass
class Edition:
    name: str
    label: str
    parameters: dict
    chapters: list[str] | None = None  # chapter stems to include (default: all in _quarto.yml)


def load_edition(path: str | Path | None) -> Edition:
    if path is None:
        return Edition("england", "England", {"area": "England"})
    p = Path(path)
    if not p.exists():
        raise SendReportError(f"{p}: parameter file not found")
    doc = yaml.safe_load(p.read_text()) or {}
    params = doc.get("parameters") or {}
    bad = {k: v for k, v in params.items() if not isinstance(v, str | int | float | bool)}
    if bad:
        raise SendReportError(f"{p}: parameters must be scalars; not {sorted(bad)}")
    chapters = doc.get("chapters")
    if chapters is not None and not all(isinstance(c, str) for c in chapters):
        raise SendReportError(f"{p}: 'chapters' must be a list of notebook names")
    return Edition(str(doc.get("edition", p.stem)), str(doc.get("label", p.stem)), params,
                   chapters)


def quarto_config(root: Path) -> dict:
    p = root / "_quarto.yml"
    if not p.exists():
        raise SendReportError(f"{p}: not found; the chapter order is read from it")
    doc = yaml.safe_load(p.read_text())
    book = doc.get("book") or {}
    chapters = [c for c in book.get("chapters", []) if isinstance(c, str)]
    if not any(c.endswith(".ipynb") for c in chapters):
        raise SendReportError(f"{p}: book.chapters lists no notebooks")
    return {"title": book.get("title", "Report"), "subtitle": book.get("subtitle", ""),
            "author": book.get("author", ""), "chapters": chapters}


def git_commit(root: Path) -> str:
    try:
        sha = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=root, check=True,
                             capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--",
                                ".", ":!report"], cwd=root, capture_output=True,
                               text=True).stdout.strip()
        return sha + ("+uncommitted" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def _pandoc(args: list[str], cwd: Path) -> None:
    r = subprocess.run([pandoc_path(), *args], cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        raise SendReportError(f"pandoc {' '.join(args[:3])} ... failed: {r.stderr.strip()}")


def _asset(name: str) -> Path:
    return Path(str(resources.files("sendreport.render_assets").joinpath(name)))


# ------------------------------------------------------------------ versions
def published_versions(report_dir: Path) -> list[dict]:
    out = []
    for d in sorted(report_dir.iterdir()) if report_dir.exists() else []:
        m = d / "manifest.json"
        if d.is_dir() and not d.name.startswith((".", "_")) and m.exists():
            out.append(json.loads(m.read_text()))
    return sorted(out, key=lambda m: m["rendered_at"])


def default_version(report_dir: Path, edition: Edition) -> str:
    base = dt.date.today().isoformat() + ("" if edition.name == "england" else f"-{edition.name}")
    v, k = base, 1
    while (report_dir / v).exists():
        k += 1
        v = f"{base}.{k}"
    return v


def write_index(report_dir: Path) -> Path:
    """report/index.html: every published version with its date, edition and data releases."""
    rows = []
    for m in reversed(published_versions(report_dir)):
        v = html.escape(m["version"])
        rel = "; ".join(html.escape(f"{d['dataset']} {d['release']}") for d in m["datasets"])
        rows.append(
            f"<tr><td><a href='{v}/index.html'>{v}</a></td><td>{html.escape(m['edition'])}</td>"
            f"<td>{html.escape(m['rendered_at'][:16].replace('T', ' '))} UTC</td>"
            f"<td>{html.escape(m['git_commit'])}</td><td>{rel}</td>"
            f"<td><a href='{v}/{html.escape(m['pdf'])}'>PDF</a> · <a href='{v}/data/'>data</a>"
            f"</td></tr>")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Report versions</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:Arial,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #ccc;padding:.4rem;
text-align:left;vertical-align:top}}</style></head><body>
<h1>Support for children and young people with SEN: published versions</h1>
<p>Each version is rendered from the data releases listed, and is never changed afterwards.</p>
<table><thead><tr><th>version</th><th>edition</th><th>rendered</th><th>commit</th>
<th>data releases</th><th>files</th></tr></thead><tbody>
{''.join(rows)}
</tbody></table></body></html>
"""
    out = report_dir / "index.html"
    out.write_text(page, encoding="utf-8")
    return out


# ------------------------------------------------------------------ content
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


def _corrections_md(prev: dict, manifest: dict, corrections: pd.DataFrame) -> list[str]:
    rows = corrections[corrections["corrects_version"] == prev["version"]]
    if rows.empty:
        return []
    charts = manifest.get("charts", {})
    out = ["", f"## Statements of version {prev['version']} corrected in this version", ""]
    for r in rows.itertuples():
        now = charts.get(f"{r.chapter}/{r.item}")
        now_txt = f" Now: \"{now['title']}\"." if now else ""
        where = f"chapter `{r.chapter}`" + (f", `{r.item}`" if r.item else "")
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
                 claims: pd.DataFrame, corrections: pd.DataFrame | None = None) -> str:
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
        lines += _corrections_md(prev, manifest, corrections)
    lines += _titles_md(prev, manifest)
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------ pandoc and typst
def _chapter_json(nb: Path, build: Path, name: str) -> dict:
    out = build / f"{name}.json"
    _pandoc(["-f", "ipynb", "--ipynb-output=all", "-t", "json", str(nb),
             f"--extract-media=media/{name}", "-o", str(out)], cwd=build)
    return json.loads(out.read_text())


def _markdown_json(text: str, build: Path, name: str) -> dict:
    src = build / f"{name}.md"
    src.write_text(text, encoding="utf-8")
    out = build / f"{name}.json"
    _pandoc(["-f", "markdown", "-t", "json", str(src), "-o", str(out)], cwd=build)
    return json.loads(out.read_text())


def _inline_images(doc, base: Path):
    """A copy of a pandoc JSON document with every local image as a data URI."""
    import base64
    import copy
    import mimetypes

    doc = copy.deepcopy(doc)

    def walk(node):
        if isinstance(node, dict):
            if node.get("t") == "Image":
                target = node["c"][2]
                src = target[0]
                if not src.startswith(("data:", "http:", "https:")):
                    f = (base / src) if not Path(src).is_absolute() else Path(src)
                    mime = mimetypes.guess_type(f.name)[0] or "image/png"
                    target[0] = f"data:{mime};base64," + base64.b64encode(
                        f.read_bytes()).decode()
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(doc)
    return doc


def pandoc_typst_route(executed: list[Executed], build: Path, dest: Path, *, meta: dict,
                       front: str, changed: str) -> tuple[Path, Path]:
    docs = [_markdown_json(front, build, "_front")]
    for i, ex in enumerate(executed):
        docs.append(_chapter_json(ex.notebook, build, ex.name))
        if i == 0 and changed:
            docs.append(_markdown_json(changed, build, "_changed"))
    joined = dict(docs[0])
    joined["blocks"] = [b for d in docs for b in d["blocks"]]
    (build / "report.json").write_text(json.dumps(joined))
    metadata = []
    for k in ("title", "subtitle", "date", "author"):
        if meta.get(k):
            metadata += ["--metadata", f"{k}={meta[k]}"]
    lua = str(_asset("quarto-cells.lua"))
    html_out = dest / "index.html"
    # Self-contained HTML without pandoc's --embed-resources, which turns alt text into
    # aria-label: images become data URIs here and the stylesheet is inlined in the header.
    (build / "report-html.json").write_text(json.dumps(_inline_images(joined, build)))
    style = build / "style.html"
    style.write_text(f"<style>\n{_asset('report.css').read_text()}\n</style>\n")
    _pandoc(["-f", "json", "report-html.json", "-L", lua, "-t", "html5", "-s",
             "--toc", "--toc-depth=2", "--include-in-header", str(style),
             "--metadata", "lang=en-GB", *metadata, "-o", str(html_out)], cwd=build)
    _pandoc(["-f", "json", "report.json", "-L", lua, "-t", "typst", "-s", "--toc",
             "--toc-depth=1", "-V", "papersize=a4", "-V", "fontsize=10pt",
             "--include-in-header", str(_asset("typst-header.typ")), *metadata,
             "-o", "report.typ"], cwd=build)
    import typst

    pdf = dest / "report.pdf"
    try:
        typst.compile(str(build / "report.typ"), output=str(pdf), root=str(build))
    except Exception as e:  # typst raises its own error types with the source location
        raise SendReportError(f"typst could not compile the PDF: {e}") from e
    return html_out, pdf


def quarto_route(executed: list[Executed], root: Path, dest: Path) -> tuple[Path, Path]:
    """Render with the Quarto CLI over the executed notebooks (used where quarto is on PATH)."""
    proj = Path(tempfile.mkdtemp(prefix="sendreport-quarto-"))
    try:
        shutil.copy(root / "_quarto.yml", proj / "_quarto.yml")
        for extra in ("index.qmd",):
            if (root / extra).exists():
                shutil.copy(root / extra, proj / extra)
        (proj / "notebooks").mkdir()
        for ex in executed:
            shutil.copy(ex.notebook, proj / "notebooks" / ex.notebook.name)
        r = subprocess.run(["quarto", "render", str(proj), "--no-execute"],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise SendReportError(f"quarto render failed: {r.stderr.strip()[-2000:]}")
        out = proj / "report" / "_quarto"
        shutil.copytree(out, dest, dirs_exist_ok=True)
        pdfs = sorted(dest.glob("*.pdf"))
        if pdfs:
            pdfs[0].rename(dest / "report.pdf")
        return dest / "index.html", dest / "report.pdf"
    finally:
        shutil.rmtree(proj, ignore_errors=True)


# ------------------------------------------------------------------ the command
def render(
    paths: Paths | None = None,
    *,
    params_file: str | Path | None = None,
    version: str | None = None,
    draft: bool = False,
    jobs: int | None = None,
    use_cache: bool = True,
    engine: str = "auto",
    echo=print,
) -> Path:
    t0 = time.perf_counter()
    paths = paths or Paths.discover()
    root = paths.root
    report_dir = root / "report"
    report_dir.mkdir(exist_ok=True)
    edition = load_edition(params_file)
    cfg = quarto_config(root)
    if draft:
        version = DRAFT
    elif version is None:
        version = default_version(report_dir, edition)
    elif version.startswith((".", "_")) or "/" in version or not version.strip():
        raise SendReportError(f"'{version}' is not a valid version name")
    target = report_dir / version
    if target.exists() and not draft:
        raise SendReportError(f"version {version} is already published at {target}; a published "
                              "version is never overwritten: choose another --version, or "
                              "use --draft")
    registry = Registry.load(paths.registry)
    notebooks = [root / c for c in cfg["chapters"] if c.endswith(".ipynb")]
    if edition.chapters is not None:
        unknown = set(edition.chapters) - {n.stem for n in notebooks}
        if unknown:
            raise SendReportError(f"edition lists chapters not in _quarto.yml: {sorted(unknown)}")
        notebooks = [n for n in notebooks if n.stem in edition.chapters]
    missing = [str(n) for n in notebooks if not n.exists()]
    if missing:
        raise SendReportError(f"_quarto.yml lists chapters that do not exist: {missing}")
    echo(f"rendering {edition.label} edition, version {version}: {len(notebooks)} chapters")
    executed = execute_all(notebooks, edition.parameters, paths, registry=registry, jobs=jobs,
                           use_cache=use_cache, echo=echo)
    tmp = Path(tempfile.mkdtemp(dir=report_dir, prefix=f".build-{version}-"))
    try:
        _assemble(tmp, executed, paths, registry, edition, cfg, version, engine, echo)
        if draft and target.exists():
            shutil.rmtree(target)
        try:
            os.rename(tmp, target)
        except OSError as e:
            raise SendReportError(f"version {version} appeared at {target} while rendering; "
                                  "left untouched") from e
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    index = write_index(report_dir)
    echo(f"wrote {target / 'index.html'}")
    echo(f"wrote {target / 'report.pdf'}")
    echo(f"wrote {target / 'data'}/ and {target / 'manifest.json'}")
    echo(f"updated {index}")
    echo(f"done in {time.perf_counter() - t0:.1f} s")
    return target


def _assemble(tmp: Path, executed: list[Executed], paths: Paths, registry: Registry,
              edition: Edition, cfg: dict, version: str, engine: str, echo) -> None:
    from sendreport.claims import OUTPUT_COLUMNS, evaluate
    from sendreport.execute import pins
    from sendreport.tables import Catalogue

    data = tmp / "data"
    data.mkdir()
    for ex in executed:
        for csv in sorted(ex.outputs.rglob("*.csv")):
            rel = csv.relative_to(ex.outputs)
            (data / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(csv, data / rel)
    cat = Catalogue(paths, registry, releases=pins(edition.parameters))
    claims = evaluate(cat)
    claims[OUTPUT_COLUMNS].to_csv(data / "claims.csv", index=False)
    inputs = {}
    for ex in executed:
        for i in ex.inputs:
            d = registry.dataset(i["dataset"])
            rel = d.release(i["release"])
            inputs[i["path"]] = {**i, "publisher": d.publisher, "title": d.title,
                                 "release_date": rel.release_date, "licence": d.licence}
    datasets = {}
    for i in inputs.values():
        datasets.setdefault(i["dataset"], set()).add(i["release"])
    now = dt.datetime.now(dt.UTC)
    manifest = {
        "version": version, "edition": edition.label, "parameters": edition.parameters,
        "git_commit": git_commit(paths.root), "rendered_at": now.isoformat(timespec="seconds"),
        "sendreport_version": __version__, "pdf": "report.pdf",
        "datasets": [{"dataset": k, "release": ", ".join(sorted(v))}
                     for k, v in sorted(datasets.items())],
        "inputs": sorted(inputs.values(), key=lambda i: i["path"]),
        "headlines": headline.headline_figures(cat),
        "claims": claims["status"].value_counts().to_dict(),
        "chapters": [ex.name for ex in executed],
        "charts": _chart_words(executed),
    }
    prev = [m for m in published_versions(tmp.parent) if m["version"] != version]
    prev_m = prev[-1] if prev else None
    prev_claims = None
    if prev_m is not None:
        pc = tmp.parent / prev_m["version"] / "data" / "claims.csv"
        prev_claims = pd.read_csv(pc) if pc.exists() else None
    changed = what_changed(prev_m, prev_claims, manifest, claims,
                           corrections=load_corrections(paths.root))
    releases = "; ".join(f"{d['dataset']} {d['release']}" for d in manifest["datasets"])
    v_md = version.replace("_", "\\_")
    front = (f"::: edition\n**Version {v_md}** · {edition.label} edition · rendered "
             f"{now:%d %B %Y %H:%M} UTC · commit {manifest['git_commit']}\n\n"
             f"Data releases: {releases}. Every input file with its checksum is listed in "
             f"`manifest.json` beside this report; the data behind each chart and table are in "
             f"`data/`.\n:::\n")
    meta = {"title": cfg["title"], "subtitle": f"{cfg['subtitle']} ({edition.label} edition)",
            "date": f"Version {version}, {now:%d %B %Y}", "author": cfg["author"]}
    build = tmp / ".build"
    build.mkdir()
    use_quarto = engine == "quarto" or (engine == "auto" and shutil.which("quarto"))
    if use_quarto:
        echo("rendering with quarto")
        quarto_route(executed, paths.root, tmp)
    else:
        echo("rendering with pandoc and typst")
        pandoc_typst_route(executed, build, tmp, meta=meta, front=front, changed=changed)
    shutil.rmtree(build, ignore_errors=True)
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1, default=str))
