"""Debian's Chromium through Playwright, with axe-core (from the npm registry, fetched by
`make test-tools`) injected into each page."""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
AXE = PROJECT / ".venv" / "axe-core" / "axe.min.js"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@contextmanager
def chromium():
    playwright = pytest.importorskip("playwright.sync_api")
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.fail("Debian's chromium is not installed: run make test-tools", pytrace=False)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def axe_violations(browser, pages: list[Path], width: int) -> list[str]:
    """Every axe-core violation (all rules but the experimental) on each page at one width."""
    if not AXE.exists():
        pytest.fail(f"axe-core is not at {AXE}: run make test-tools", pytrace=False)
    script = AXE.read_text()
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    page = ctx.new_page()
    found = []
    for f in pages:
        page.goto(f.as_uri())
        page.add_script_tag(content=script)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        for v in result["violations"]:
            targets = [" ".join(map(str, n["target"])) for n in v["nodes"][:3]]
            found.append(f"{f.name} @{width}px: {v['id']} ({v['impact']}) on {len(v['nodes'])} "
                         f"node(s), e.g. {targets}: {v['help']}")
    ctx.close()
    return found


def smallest_text_px(browser, page_file: Path, width: int) -> list[tuple[str, float]]:
    """For each chart on a page: the image the browser chose at this width, and the smallest
    text in it in CSS pixels (an SVG's font sizes scaled by the width it is shown at)."""
    import re
    from urllib.parse import unquote, urlparse

    ctx = browser.new_context(viewport={"width": width, "height": 900})
    page = ctx.new_page()
    page.goto(page_file.as_uri())
    shown = page.evaluate("() => [...document.querySelectorAll('figure img')].map(i => "
                          "[i.currentSrc, i.getBoundingClientRect().width])")
    ctx.close()
    out = []
    for src, px in shown:
        svg = Path(unquote(urlparse(src).path)).read_text()
        view_width = float(re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+)', svg).group(1))
        sizes = [float(x) for x in re.findall(r"font-size: ?([\d.]+)px", svg)]
        out.append((Path(src).name, min(sizes) * px / view_width))
    return out
