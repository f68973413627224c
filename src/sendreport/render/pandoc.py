"""The route without Quarto: pandoc 3 (pypandoc-binary) reads the executed notebooks, a Lua filter
maps Quarto's cell options and numbers every figure and table once, and the numbered document is
written three ways: a small HTML site (a page per chapter, ``site``), one self-contained HTML file
for offline sharing, and a PDF through Typst, produced to PDF/UA-1.

Figures and tables are numbered in one place (the filter, over the whole report), so the HTML and
the PDF carry the same numbers; chapters are numbered here, in reading order.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from sendreport.errors import SendReportError
from sendreport.render.execution import Executed


def pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def run_pandoc(args: list[str], cwd: Path, stdin: str | None = None) -> str:
    r = subprocess.run([pandoc_path(), *args], cwd=cwd, capture_output=True, text=True,
                       input=stdin)
    if r.returncode != 0:
        raise SendReportError(f"pandoc {' '.join(args[:3])} ... failed: {r.stderr.strip()}")
    return r.stdout


def asset(name: str) -> Path:
    return Path(str(resources.files("sendreport.render_assets").joinpath(name)))


def _chapter_json(nb: Path, build: Path, name: str) -> dict:
    out = build / f"{name}.json"
    # raw HTML in a notebook's text (a council name carrying markup) is read as text
    run_pandoc(["-f", "ipynb-raw_html", "--ipynb-output=all", "-t", "json", str(nb),
             f"--extract-media=media/{name}", "-o", str(out)], cwd=build)
    return json.loads(out.read_text())


def markdown_json(text: str, build: Path, name: str) -> dict:
    src = build / f"{name}.md"
    src.write_text(text, encoding="utf-8")
    out = build / f"{name}.json"
    run_pandoc(["-f", "markdown-raw_html", "-t", "json", str(src), "-o", str(out)], cwd=build)
    return json.loads(out.read_text())


# ------------------------------------------------------------------ pandoc JSON helpers
def walk(node, fn):
    """Call fn on every dict node (depth first); fn may change the node in place."""
    if isinstance(node, dict):
        fn(node)
        for v in node.values():
            walk(v, fn)
    elif isinstance(node, list):
        for v in node:
            walk(v, fn)


def attrs(node: dict) -> dict:
    """The key-value attributes of an Image, Header, Div, Figure or Table node."""
    a = attr_of(node)
    return dict(a[2]) if a else {}


def attr_of(node: dict):
    t, c = node.get("t"), node.get("c")
    if t in ("Image", "Link", "Span", "Div", "Header", "Figure", "Table", "CodeBlock"):
        if t == "Header":
            return c[1]
        return c[0]
    return None


def stringify(node) -> str:
    out: list[str] = []

    def fn(n):
        if n.get("t") == "Str":
            out.append(n["c"])
        elif n.get("t") in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")

    walk(node, fn)
    return "".join(out).strip()


def _div(ident: str, classes: list[str], blocks: list) -> dict:
    return {"t": "Div", "c": [[ident, classes, []], blocks]}


# ------------------------------------------------------------------ the numbered document
@dataclass
class Chapter:
    """One chapter of the numbered document: its number, page file, title and blocks."""
    number: int
    stem: str
    title: str
    blocks: list
    sections: list[tuple[str, str]] = field(default_factory=list)  # (id, text) of h2s
    heading_id: str = ""

    @property
    def page(self) -> str:
        return f"{self.stem}.html"


@dataclass
class Numbered:
    front: list
    changed: list
    chapters: list[Chapter]
    meta: dict


def _use_chart_files(doc: dict, ex: Executed, media: Path) -> None:
    """Put each chart's vector files (wide and narrow SVG) in place of the notebook's preview."""
    def fn(n):
        if n.get("t") != "Image":
            return
        a = attrs(n)
        slug = a.get("chart")
        if not slug:
            return
        found = sorted(ex.outputs.rglob(f"{slug}.svg"))
        if not found:
            raise SendReportError(f"chapter {ex.name}: chart {slug} has no SVG in {ex.outputs}")
        wide = found[0]
        narrow = wide.with_name(f"{slug}-narrow.svg")
        dest = media / ex.name
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copy(wide, dest / wide.name)
        pairs = [[k, v] for k, v in n["c"][0][2] if k not in ("chart", "narrow")]
        if narrow.exists():
            shutil.copy(narrow, dest / narrow.name)
            pairs.append(["narrow", f"media/{ex.name}/{narrow.name}"])
        n["c"][0][2] = pairs
        n["c"][2][0] = f"media/{ex.name}/{wide.name}"

    walk(doc, fn)


def number_document(executed: list[Executed], build: Path, *, front: str,
                    changed: str) -> Numbered:
    """Read every chapter, number figures and tables across the report (the Lua filter) and
    chapters in reading order; charts point at their SVG files under build/media."""
    blocks = [_div("front", ["front"], markdown_json(front, build, "_front")["blocks"])]
    if changed:
        blocks.append(_div("what-changed", ["changed"],
                           markdown_json(changed, build, "_changed")["blocks"]))
    first = None
    # pandoc reads the notebooks in parallel (each is its own process)
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        docs = list(pool.map(lambda ex: _chapter_json(ex.notebook, build, ex.name), executed))
    for ex, doc in zip(executed, docs, strict=True):
        _use_chart_files(doc, ex, build / "media")
        first = first or doc
        blocks.append(_div(f"chapter-{ex.name}", ["chapter"], doc["blocks"]))
    joined = {**(first or markdown_json("", build, "_empty")), "blocks": blocks}
    (build / "joined.json").write_text(json.dumps(joined))
    out = run_pandoc(["-f", "json", "joined.json", "-L", str(asset("quarto-cells.lua")),
                   "-t", "json"], cwd=build)
    doc = json.loads(out)
    front_b, changed_b, chapters = [], [], []
    for b in doc["blocks"]:
        ident, classes = b["c"][0][0], b["c"][0][1]
        if "front" in classes:
            front_b = b["c"][1]
        elif "changed" in classes:
            changed_b = b["c"][1]
        elif "chapter" in classes:
            stem = ident.removeprefix("chapter-")
            chapters.append(_number_chapter(len(chapters) + 1, stem, b["c"][1]))
    _chapter_references(front_b + changed_b + [b for c in chapters for b in c.blocks], chapters)
    return Numbered(front_b, changed_b, chapters, doc["meta"])


def _chapter_references(blocks: list, chapters: list[Chapter]) -> None:
    """A link to ``#chapter:<notebook stem>`` in the text becomes "chapter n" (by the
    chapter's number in this edition), pointing at that chapter's heading. A reference to a
    chapter left out of an edition keeps its own words, without the link."""
    by_stem = {c.stem: c for c in chapters}

    def fn(n):
        if n.get("t") != "Link":
            return
        target = n["c"][2][0]
        if not target.startswith("#chapter:"):
            return
        ch = by_stem.get(target.removeprefix("#chapter:"))
        if ch is None:
            words = n["c"][1]
            n.clear()
            n.update({"t": "Span", "c": [["", [], []], words]})
            return
        n["c"][1] = [{"t": "Str", "c": "chapter"}, {"t": "Space"},
                     {"t": "Str", "c": str(ch.number)}]
        n["c"][2][0] = "#" + ch.heading_id

    walk(blocks, fn)


def _number_chapter(k: int, stem: str, blocks: list) -> Chapter:
    title, sections = stem, []
    for b in blocks:
        if b.get("t") != "Header":
            continue
        level, attr, inl = b["c"]
        if level == 1 and title == stem:
            title = stringify(inl)
            # the chapter's number, in the heading the reader sees in both HTML and PDF
            b["c"][2] = [{"t": "Span", "c": [["", ["chapter-number"], []],
                                             [{"t": "Str", "c": str(k)}]]},
                         {"t": "Space"}, *inl]
            attr[0] = attr[0] or f"chapter-{k}"
            heading_id = attr[0]
        elif level == 2:
            sections.append((attr[0], stringify(inl)))
    return Chapter(k, stem, title, blocks, sections, heading_id if title != stem else "")


# ------------------------------------------------------------------ the PDF
def _typst_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


#: characters of table text (8.2 pt DejaVu Sans) across the PDF's text width
LINE_CHARS = 88
#: a table whose estimated height exceeds this many lines may break across pages (its heading
#: row repeats); shorter ones are kept whole on one page with their caption
LONG_TABLE_LINES = 34


def _cell_texts(row) -> list[str]:
    return [stringify(cell[4]) for cell in row[1]]


def _table_layout(t: dict) -> tuple[bool, float]:
    """Set a table's column widths for the PDF from its text: every column at least as wide as
    its longest word (so no word overruns into the next column), the rest shared by how much
    text each column holds. Returns (breakable, font size): a table whose longest words cannot
    fit across the page is set smaller, and a tall one may break across pages."""
    head_rows = t["c"][3][1]
    body_rows = [r for body in t["c"][4] for r in body[3]]
    rows = [_cell_texts(r) for r in head_rows + body_rows]
    ncol = len(t["c"][2])
    if not rows or any(len(r) != ncol for r in rows):
        return False, 8.2
    cols = list(zip(*rows, strict=True))
    shortest = [max([len(w) for c in col for w in c.split()] or [1]) + 1.5 for col in cols]
    wanted = [max(s, min(40, max(len(c) for c in col) + 1.5)) for s, col in zip(
        shortest, cols, strict=True)]
    size = 8.2
    capacity = LINE_CHARS
    if sum(shortest) > capacity:
        size = max(6.0, 8.2 * capacity / sum(shortest))
        capacity = LINE_CHARS * 8.2 / size
    spare = max(0.0, capacity - sum(shortest))
    extra = [w - s for w, s in zip(wanted, shortest, strict=True)]
    widths = [s + (spare * e / sum(extra) if sum(extra) else 0) for s, e in zip(
        shortest, extra, strict=True)]
    if sum(wanted) <= capacity:
        widths = wanted
    total = sum(widths)
    for spec, w in zip(t["c"][2], widths, strict=True):
        spec[1] = {"t": "ColWidth", "c": w / total}
    lines = sum(max(len(c) / max(1.0, w) for c, w in zip(r, widths, strict=True)) + 0.6
                for r in rows)
    return lines > LONG_TABLE_LINES, size


def _laid_out_tables(blocks: list) -> list:
    out = []
    for b in blocks:
        if b.get("t") == "Table":
            breakable, size = _table_layout(b)
            opts = []
            if breakable:
                opts.append("#show figure: set block(breakable: true)")
            if size < 8.2:
                opts.append(f"#show table: set text(size: {size:.1f}pt)")
            if opts:
                out += [{"t": "RawBlock", "c": ["typst", "#[" + "\n".join(opts)]}, b,
                        {"t": "RawBlock", "c": ["typst", "]"]}]
            else:
                out.append(b)
        elif b.get("t") == "Div":
            b["c"][1] = _laid_out_tables(b["c"][1])
            out.append(b)
        else:
            out.append(b)
    return out


def _typst_images(blocks: list) -> list:
    """Images as Typst's own image() with their alt text (pandoc's Typst writer drops it), so
    every figure in the PDF's structure tree carries /Alt; tables are laid out for the page."""
    blocks = _laid_out_tables(json.loads(json.dumps(blocks)))

    def fn(n):
        if n.get("t") == "Image":
            a = attrs(n)
            alt = a.get("alt") or stringify(n["c"][1]) or "chart"
            src = n["c"][2][0]
            n.clear()
            n.update({"t": "RawInline", "c": [
                "typst", f"#image({_typst_str(src)}, alt: {_typst_str(alt)}, width: 100%)"]})

    walk(blocks, fn)
    return blocks


def write_pdf(num: Numbered, build: Path, pdf: Path, *, cover: dict) -> Path:
    blocks = [*num.changed]
    for ch in num.chapters:
        blocks += ch.blocks
    doc = {"pandoc-api-version": api_version(build), "meta": num.meta,
           "blocks": _typst_images(blocks)}
    (build / "pdf.json").write_text(json.dumps(doc))
    metadata = []
    for k, v in cover.items():
        metadata += ["--metadata", f"{k}={v}"]
    run_pandoc(["-f", "json", "pdf.json", "-t", "typst", "-s", "--wrap=none",
             "--template", str(asset("report-template.typ")), *metadata,
             "-o", "report.typ"], cwd=build)
    import typst

    try:
        typst.compile(str(build / "report.typ"), output=str(pdf), root=str(build),
                      pdf_standards=["ua-1"])
    except Exception as e:  # typst raises its own error types with the source location
        raise SendReportError(f"typst could not compile the PDF: {e}") from e
    return pdf


def api_version(build: Path) -> list:
    return json.loads((build / "joined.json").read_text())["pandoc-api-version"]


# ------------------------------------------------------------------ the route
def copy_charts(build: Path, dest: Path) -> None:
    """The charts' SVGs into dest/media (not the notebooks' PNG previews, which no page uses)."""
    src = build / "media"
    for f in sorted(src.rglob("*.svg")) if src.exists() else []:
        target = dest / "media" / f.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(f, target)
