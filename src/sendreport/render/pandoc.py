"""The route without Quarto: pandoc 3 (pypandoc-binary) with a Lua filter for Quarto's cell
options writes the HTML; Typst (the typst wheel) writes the PDF."""

from __future__ import annotations

import json
import subprocess
from importlib import resources
from pathlib import Path

from sendreport.errors import SendReportError
from sendreport.render.execution import Executed


def pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def _pandoc(args: list[str], cwd: Path) -> None:
    r = subprocess.run([pandoc_path(), *args], cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        raise SendReportError(f"pandoc {' '.join(args[:3])} ... failed: {r.stderr.strip()}")


def _asset(name: str) -> Path:
    return Path(str(resources.files("sendreport.render_assets").joinpath(name)))


def _chapter_json(nb: Path, build: Path, name: str) -> dict:
    out = build / f"{name}.json"
    # raw HTML in a notebook's text (a council name carrying markup) is read as text
    _pandoc(["-f", "ipynb-raw_html", "--ipynb-output=all", "-t", "json", str(nb),
             f"--extract-media=media/{name}", "-o", str(out)], cwd=build)
    return json.loads(out.read_text())


def _markdown_json(text: str, build: Path, name: str) -> dict:
    src = build / f"{name}.md"
    src.write_text(text, encoding="utf-8")
    out = build / f"{name}.json"
    _pandoc(["-f", "markdown-raw_html", "-t", "json", str(src), "-o", str(out)], cwd=build)
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
