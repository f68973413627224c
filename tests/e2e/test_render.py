"""Render a small edition end to end through pandoc and Typst, and check what a reader opens."""

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from sendreport import render as R
from sendreport.config import Paths
from sendreport.errors import SendReportError
from sendreport.render import outputs
from tests.e2e.checks import html_and_pdf_numbers, is_pdf_ua1, numbers, pdf_figures

PROJECT = Path(__file__).resolve().parents[2]
SMALL = ["00-overview", "02-ehcp-growth-and-high-needs", "19-reproduction-scorecard"]


def make_root(tmp: Path, mirror: Path) -> Paths:
    """A throwaway project: its own report/, the project's notebooks, registry and caches."""
    for name in ("_quarto.yml", "index.qmd"):
        shutil.copy(PROJECT / name, tmp / name)
    shutil.copytree(PROJECT / "notebooks", tmp / "notebooks")
    (tmp / "data").mkdir()
    shutil.copy(PROJECT / "data" / "sources.yml", tmp / "data" / "sources.yml")
    shutil.copytree(PROJECT / "data" / "reference", tmp / "data" / "reference")
    for d in ("raw", "cache"):  # share parsed tables and executions with the project
        (PROJECT / "data" / d).mkdir(parents=True, exist_ok=True)
        (tmp / "data" / d).symlink_to(PROJECT / "data" / d)
    return Paths.discover(root=tmp, mirror=mirror)


def edition(tmp: Path, name="small", **params) -> Path:
    p = tmp / f"{name}.yml"
    p.write_text(yaml.safe_dump({"edition": name, "label": "England (test)",
                                 "chapters": SMALL, "parameters": {"area": "England", **params}}))
    return p


@pytest.fixture(scope="module")
def published(tmp_path_factory, mirror):
    tmp = tmp_path_factory.mktemp("proj")
    paths = make_root(tmp, mirror)
    out = R.render(paths, params_file=edition(tmp), version="v1", echo=lambda *_: None)
    return paths, out


def test_version_directory_has_everything(published):
    paths, out = published
    assert out == paths.root / "report" / "v1"
    for f in ("index.html", "report.pdf", "manifest.json", "data/claims.csv"):
        assert (out / f).exists(), f
    assert list((out / "data").rglob("*.csv"))
    m = json.loads((out / "manifest.json").read_text())
    assert m["version"] == "v1" and m["git_commit"] and m["rendered_at"]
    assert all(len(i["sha256"]) == 64 and i["release"] for i in m["inputs"])
    assert {"ehcp", "dsg-allocations"} <= {i["dataset"] for i in m["inputs"]}
    assert not list((paths.root / "report").glob(".build-*"))
    index = (paths.root / "report" / "index.html").read_text()
    assert "v1/index.html" in index and "ehcp 2022, 2025" in index


def _pages(out: Path) -> list[Path]:
    """The site's pages in reading order: the front page, then a page per chapter."""
    return [out / "index.html", *[out / f"{c}.html" for c in SMALL]]


def _text(f: Path) -> str:
    return re.sub(r"\s+", " ", f.read_text())


def test_html_is_a_site_with_a_page_per_chapter(published):
    _, out = published
    pages = _pages(out)
    assert all(p.exists() for p in pages)
    for title, page in zip(("Overview: the NAO", "Finding 2: EHC plan growth",
                            "Reproduction scorecard"), pages[1:], strict=True):
        html = _text(page)
        assert title in html
        # one click from any chapter to the PDF, the data, the manifest and every version
        for href in ("report.pdf", "data/index.html", "manifest.json", "../index.html",
                     "index.html#contents"):
            assert f'href="{href}"' in html, (page.name, href)
        assert html.count("<main") == 1 and 'aria-label="Chapters"' in html
        assert 'rel="next"' in html or page == pages[-1]
        assert 'rel="prev"' in html
        imgs = re.findall(r"<img[^>]*>", html)
        assert all(re.search(r'alt="[^"]+"', i) for i in imgs)
        assert all(re.search(r'src="media/[^"]+\.svg"', i) for i in imgs)
        # every table is a labelled, focusable scroll region
        assert html.count("<table") == html.count('class="table-scroll" role="region" '
                                                   'tabindex="0"')
    assert (out / "site.css").exists() and (out / "data" / "index.html").exists()
    for img in re.findall(r'(?:src|srcset)="(media/[^"]+)"', _text(pages[2])):
        assert (out / img).exists(), img


def test_figures_and_tables_numbered_alike_in_html_and_pdf(published):
    _, out = published
    html = " ".join(_text(p) for p in _pages(out)[1:])
    pdf = " ".join(p.extract_text() for p in PdfReader(out / "report.pdf").pages)
    pdf = re.sub(r"\s+", " ", pdf)
    for kind, (in_html, in_pdf) in html_and_pdf_numbers(_pages(out)[1:],
                                                        out / "report.pdf").items():
        assert in_html == list(range(1, len(in_html) + 1)) and len(in_html) >= 3, kind
        assert in_pdf == in_html, kind
    # the captions themselves agree, not just the numbers
    caps = re.findall(r"(Figure \d+: [A-Za-z ,]{12})", html)
    assert caps and all(c in pdf for c in caps)
    assert "@fig-" not in html and "@tbl-" not in html
    assert html.count("Source: ") >= len(numbers(html, "Table"))


def test_single_file_edition_is_self_contained(published):
    _, out = published
    html = _text(out / "report.html")
    assert not re.search(r"<script", html)
    assert not re.search(r'<link[^>]+href="', html)
    assert not re.search(r'src="(?!data:)', html)
    assert html.count("<main") == 1
    for title in ("Overview: the NAO", "Finding 2: EHC plan growth", "Reproduction scorecard"):
        assert title in html
    assert "Version v1" in html


def test_pdf_is_tagged_with_alt_text_on_every_figure_and_pdf_ua(published):
    _, out = published
    reader = PdfReader(out / "report.pdf")
    figures = pdf_figures(reader)
    charts = len(re.findall(r"Figure \d+: ", _text(out / "report.html")))
    assert len(figures) >= charts >= 3
    assert all(str(f.get("/Alt", "")).strip() for f in figures)
    assert is_pdf_ua1(reader)
    assert reader.metadata.title.startswith("Special educational needs in England")


def test_pdf_has_a_cover_running_heads_and_numbered_chapters(published):
    _, out = published
    pages = [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(out / "report.pdf").pages]
    cover = pages[0]
    assert "re-derived and updated" in cover and "Version v1" in cover
    for word in ("Edition", "Version", "Commit", "Data releases", "not a publication of the "
                 "National Audit Office"):
        assert word in cover, word
    total = len(pages) - 1
    assert f"Page 1 of {total}" in pages[1] and f"Page {total} of {total}" in pages[-1]
    # chapter numbers in the headings and in the running heads
    assert any(re.search(r"\b1 Overview: the NAO", p) for p in pages)
    assert any(re.search(r"\b3 Reproduction scorecard", p) for p in pages)
    assert sum("SEND in England, re-derived · version v1" in p for p in pages[1:]) == total


def test_pdf_has_pages_and_the_computed_headlines(published):
    _, out = published
    m = json.loads((out / "manifest.json").read_text())
    pdf = PdfReader(out / "report.pdf")
    assert len(pdf.pages) >= 6
    text = " ".join(p.extract_text() for p in pdf.pages)
    plans = m["headlines"]["EHC plans, latest January"]["value"]
    assert f"{plans:,.0f}" in text
    assert "576,474" in text and "Version v1" in text


def test_second_render_to_same_version_fails_and_leaves_it(published):
    paths, out = published
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    with pytest.raises(SendReportError, match="never overwritten"):
        R.render(paths, params_file=edition(paths.root), version="v1", echo=lambda *_: None)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_interrupted_render_leaves_no_version(published, monkeypatch):
    paths, _ = published

    def boom(*a, **k):
        raise RuntimeError("interrupted while writing the PDF")

    monkeypatch.setattr(outputs, "pandoc_typst_route", boom)
    with pytest.raises(RuntimeError):
        R.render(paths, params_file=edition(paths.root), version="v-broken",
                 echo=lambda *_: None)
    assert not (paths.root / "report" / "v-broken").exists()
    assert not list((paths.root / "report").glob(".build-*"))


def test_next_version_says_what_changed(published):
    paths, _ = published
    # an edition built without the newest DSG workbook changes the high needs headline
    older = edition(paths.root, "older", releases="dsg-allocations=2021-22")
    out = R.render(paths, params_file=older, version="v2", echo=lambda *_: None)
    html = re.sub(r"\s+", " ", (out / "index.html").read_text())
    assert "What changed since version v1" in html
    assert "High needs block before deductions" in html and "dsg-allocations" in html
    assert "2021-22" in html and "data releases changed (dsg-allocations 2020-21, 2021-22)" in html
    index = (paths.root / "report" / "index.html").read_text()
    assert index.count('class="latest"') == 1
    assert "latest" in index[index.index("v2/index.html"):index.index("v1/index.html")]


def test_draft_goes_to_ignored_folder_and_may_be_redone(published):
    paths, _ = published
    index = paths.root / "report" / "index.html"
    before = index.read_bytes()
    a = R.render(paths, params_file=edition(paths.root), draft=True, echo=lambda *_: None)
    b = R.render(paths, params_file=edition(paths.root), draft=True, echo=lambda *_: None)
    assert a == b == paths.root / "report" / "_draft"
    assert index.read_bytes() == before  # a draft publishes nothing
    from sendreport.render.compare import compare

    result = compare(a, paths.root / "report", "v1")
    assert result.identical, result.report()


def test_unchanged_rebuild_executes_nothing(published):
    paths, _ = published
    lines = []
    R.render(paths, params_file=edition(paths.root), draft=True, echo=lines.append)
    assert not any(line.strip().startswith("executed") for line in lines)
    assert sum(line.strip().startswith("cached") for line in lines) == len(SMALL)


def test_an_unchanged_draft_is_kept_and_a_changed_one_is_not(published):
    paths, _ = published
    draft = paths.root / "report" / "_draft"
    R.render(paths, params_file=edition(paths.root), draft=True, echo=lambda *_: None)
    stamp = (draft / "index.html").stat().st_mtime_ns
    lines = []
    R.render(paths, params_file=edition(paths.root), draft=True, echo=lines.append)
    assert any("nothing changed since the last draft" in ln for ln in lines)
    assert (draft / "index.html").stat().st_mtime_ns == stamp  # not written again
    lines.clear()
    R.render(paths, params_file=edition(paths.root), draft=True, note="a new note",
             echo=lines.append)
    assert not any("nothing changed" in ln for ln in lines)
    assert (draft / "index.html").stat().st_mtime_ns != stamp


def test_browser_opens_every_page_without_console_errors(published, tmp_path):
    from tests.e2e.browser import chromium

    _, out = published
    errors = []
    with chromium() as browser:
        page = browser.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        for f in [*_pages(out), out / "report.html"]:
            page.goto(f.as_uri())
            assert page.locator("main h1").count() >= 1, f.name
            broken = page.evaluate("() => [...document.images].filter(i => !i.complete || "
                                   "i.naturalWidth === 0).map(i => i.src.slice(0, 80))")
            assert broken == [], (f.name, broken)
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    assert errors == []


@pytest.mark.parametrize("width", [1280, 390])
def test_no_accessibility_violations_at_desktop_and_phone_width(published, width):
    from tests.e2e.browser import axe_violations, chromium

    paths, out = published
    pages = [*_pages(out), out / "report.html", out / "data" / "index.html",
             paths.root / "report" / "index.html"]
    with chromium() as browser:
        assert axe_violations(browser, pages, width) == []


def test_chart_text_is_at_least_12px_on_a_phone(published):
    from tests.e2e.browser import chromium, smallest_text_px

    _, out = published
    with chromium() as browser:
        sizes = [s for f in _pages(out)[1:] for s in smallest_text_px(browser, f, 390)]
    assert sizes and all(name.endswith("-narrow.svg") for name, _ in sizes)
    assert min(px for _, px in sizes) >= 11.9, sizes


def test_published_versions_are_readable_by_all_and_stale_builds_go(published):
    import os
    import stat
    import time

    paths, out = published
    assert stat.S_IMODE(out.stat().st_mode) == 0o755
    assert stat.S_IMODE((out / "index.html").stat().st_mode) == 0o644
    import tempfile

    stale = paths.root / "report" / ".build-killed-abc"
    stale_exec = Path(tempfile.mkdtemp(prefix="sendreport-exec-"))
    old = time.time() - 7 * 3600
    stale.mkdir()
    for d in (stale, stale_exec):
        os.utime(d, (old, old))
    lines = []
    R.render(paths, params_file=edition(paths.root), draft=True, echo=lines.append)
    assert not stale.exists() and not stale_exec.exists()
    assert any("did not finish" in line for line in lines)


def test_unwritable_report_folder_fails_before_executing(published, monkeypatch):
    import os

    paths, _ = published
    monkeypatch.setattr(os, "access", lambda p, mode: False)
    with pytest.raises(SendReportError, match="not writable"):
        R.render(paths, params_file=edition(paths.root), version="v-ro", echo=lambda *_: None)
