"""An edition's outputs from its executed chapters: the site (a page per chapter), the
single-page HTML and the PDF, written side by side from one numbered document (pandoc for the
HTML, Typst for the PDF)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sendreport.render import pandoc, site
from sendreport.render.execution import Executed


def pandoc_typst_route(executed: list[Executed], build: Path, dest: Path, *, meta: dict,
                       front: str, changed: str, cover: dict | None = None,
                       links: dict | None = None) -> tuple[Path, Path]:
    num = pandoc.number_document(executed, build, front=front, changed=changed)
    pandoc.copy_charts(build, dest)
    with ThreadPoolExecutor(max_workers=2) as pool:
        pdf_job = pool.submit(pandoc.write_pdf, num, build, dest / "report.pdf",
                              cover=cover or {"title": meta.get("title", "")})
        html = site.write_site(num, build, dest, meta=meta, links=links or {})
        site.write_single(num, build, dest, meta=meta)
        pdf = pdf_job.result()
    return html, pdf
