"""The newest version published in report/ is checked as a reader gets it: no accessibility
violations at desktop and phone widths, every chart's text legible on a phone, alt text on every
PDF figure, and the same figure and table numbers in its HTML and its PDF."""

import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.e2e.checks import flat, html_and_pdf_numbers, is_pdf_ua1, pdf_figures

REPORT = Path(__file__).resolve().parents[2] / "report"


def _latest() -> Path:
    manifests = [json.loads(m.read_text()) for m in REPORT.glob("*/manifest.json")
                 if not m.parent.name.startswith(("_", "."))]
    england = [m for m in manifests if m["edition"] == "England"]
    assert england, f"no published England version in {REPORT}"
    return REPORT / max(england, key=lambda m: m["rendered_at"])["version"]


@pytest.fixture(scope="module")
def latest() -> Path:
    return _latest()


def _chapter_pages(out: Path) -> list[Path]:
    m = json.loads((out / "manifest.json").read_text())
    return [out / f"{c}.html" for c in m["chapters"]]


def test_latest_is_a_site_with_one_click_to_pdf_data_and_versions(latest):
    pages = _chapter_pages(latest)
    assert len(pages) >= 20 and all(p.exists() for p in pages)
    for p in pages:
        html = flat(p.read_text())
        for href in ("report.pdf", "data/index.html", "manifest.json", "../index.html"):
            assert f'href="{href}"' in html, (p.name, href)
    index = flat((REPORT / "index.html").read_text())
    assert re.search(rf"{re.escape(latest.name)}/index.html'>[^<]*</a> <strong "
                     r"class=\"latest\">latest", index)


@pytest.mark.parametrize("width", [1280, 390])
def test_latest_has_no_accessibility_violations(latest, width):
    from tests.e2e.browser import axe_violations, chromium

    pages = [latest / "index.html", *_chapter_pages(latest), latest / "report.html",
             latest / "data" / "index.html", REPORT / "index.html"]
    with chromium() as browser:
        assert axe_violations(browser, pages, width) == []


def test_latest_chart_text_is_legible_on_a_phone(latest):
    from tests.e2e.browser import chromium, smallest_text_px

    with chromium() as browser:
        sizes = [s for p in _chapter_pages(latest) for s in smallest_text_px(browser, p, 390)]
    assert len(sizes) >= 20
    small = [(n, round(px, 1)) for n, px in sizes if px < 11.9]
    assert small == []


def test_latest_pdf_has_alt_text_on_every_figure_and_matching_numbers(latest):
    reader = PdfReader(latest / "report.pdf")
    figures = pdf_figures(reader)
    assert len(figures) >= 20 and all(str(f.get("/Alt", "")).strip() for f in figures)
    assert is_pdf_ua1(reader)
    for kind, (in_html, in_pdf) in html_and_pdf_numbers(_chapter_pages(latest),
                                                        latest / "report.pdf").items():
        assert in_html == list(range(1, len(in_html) + 1)), kind
        assert in_pdf == in_html, kind


def test_published_council_editions_are_complete_small_and_stamped():
    councils = REPORT / "councils"
    listed = json.loads((councils / "councils.json").read_text())
    assert len(listed) >= 150
    size = sum(f.stat().st_size for f in councils.rglob("*") if f.is_file())
    assert size <= 40 * 2**20, f"{size / 2**20:.1f} MB"
    index = flat((councils / "index.html").read_text())
    version = re.search(r"Version ([\w.-]+) · council editions", index).group(1)
    assert (REPORT / version / "manifest.json").exists()
    for c in listed:
        page = councils / c["path"]
        assert page.exists() and (page.parent / "report.pdf").exists(), c["name"]
    for c in listed[:: max(1, len(listed) // 10)]:
        html = flat((councils / c["path"]).read_text())
        assert f"Version {version}" in html
        assert f'href="../../{version}/manifest.json"' in html
        assert not re.search(r"(?<![A-Za-z])(nan|NaN|inf)(?![A-Za-z])", html), c["name"]


@pytest.mark.parametrize("width", [1280, 390])
def test_published_council_pages_have_no_accessibility_violations(width):
    from tests.e2e.browser import axe_violations, chromium

    councils = REPORT / "councils"
    pages = [councils / "index.html"] + [councils / s / "index.html" for s in (
        "kent", "isles-of-scilly", "north-northamptonshire", "bournemouth-christchurch-and-poole")]
    with chromium() as browser:
        assert axe_violations(browser, pages, width) == []
