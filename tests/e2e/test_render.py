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
from sendreport.render import pandoc as pandoc_route

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


def test_html_is_complete_accessible_and_self_contained(published):
    _, out = published
    html = re.sub(r"\s+", " ", (out / "index.html").read_text())
    for title in ("Overview: the NAO", "Finding 2: EHC plan growth", "Reproduction scorecard"):
        assert title in html
    imgs = re.findall(r"<img[^>]*>", html)
    assert imgs and all(re.search(r'alt="[^"]+"', i) for i in imgs)
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=\"https?:", html)
    assert not re.search(r"src=\"https?:", html)
    figs = [int(n) for n in re.findall(r"Figure (\d+):", html)]
    tbls = [int(n) for n in re.findall(r"Table (\d+):", html)]
    assert figs == list(range(1, len(figs) + 1)) and len(figs) >= 4
    assert tbls == list(range(1, len(tbls) + 1)) and len(tbls) >= 3
    assert "@fig-" not in html and "@tbl-" not in html
    assert html.count("Source: ") >= len(tbls)  # a source line under every table
    assert "Version v1" in html and "Data releases:" in html


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

    monkeypatch.setattr(pandoc_route, "pandoc_typst_route", boom)
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
    assert "2021-22" in html


def test_draft_goes_to_ignored_folder_and_may_be_redone(published):
    paths, _ = published
    a = R.render(paths, params_file=edition(paths.root), draft=True, echo=lambda *_: None)
    b = R.render(paths, params_file=edition(paths.root), draft=True, echo=lambda *_: None)
    assert a == b == paths.root / "report" / "_draft"
    assert "_draft" not in (paths.root / "report" / "index.html").read_text()


def test_unchanged_rebuild_executes_nothing(published):
    paths, _ = published
    lines = []
    R.render(paths, params_file=edition(paths.root), draft=True, echo=lines.append)
    assert not any(line.strip().startswith("executed") for line in lines)
    assert sum(line.strip().startswith("cached") for line in lines) == len(SMALL)


def test_browser_opens_report_without_console_errors(published, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.fail("Debian's chromium is not installed (.ci/run installs it)", pytrace=False)
    _, out = published
    errors = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = browser.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((out / "index.html").as_uri())
        assert page.locator("h1").count() >= len(SMALL)
        alts = page.eval_on_selector_all("img", "els => els.map(e => e.alt)")
        assert alts and all(a.strip() for a in alts)
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=False)
        browser.close()
    assert shot.stat().st_size > 10_000
    assert errors == []


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
