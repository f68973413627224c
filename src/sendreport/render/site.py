"""The HTML edition as a small site, the way a Quarto book reads: a front page with the contents
and what changed, a page per chapter with a sidebar of chapters, previous and next links, and a
header bar linking the PDF, the data, the manifest and every version; plus one self-contained
file for offline sharing.

Pages are plain HTML and one shared stylesheet, with no scripts: a ``<main>`` landmark, a skip
link, tables in focusable scroll regions with a visible cue, and charts as SVG in two shapes
(wide for desktops, narrow for phones, where no chart text is smaller than 12 px).
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sendreport.render.pandoc import (
    Chapter,
    Numbered,
    api_version,
    asset,
    attr_of,
    attrs,
    run_pandoc,
    stringify,
    walk,
)

#: below this width the narrow version of each chart is shown
NARROW_MEDIA = "(max-width: 40rem)"


def _e(s) -> str:
    return html.escape(str(s), quote=True)


# ------------------------------------------------------------------ blocks to HTML
def pictures(blocks: list, inline: Path | None = None, narrow_only: bool = False) -> list:
    """Charts as <picture>: the narrow SVG on phones, the wide one elsewhere. With ``inline``
    (the build folder), the wide SVG is embedded as a data URI instead (the single file); with
    ``narrow_only``, the narrow SVG alone, scaled to the column (council editions, where one
    file per chart keeps 153 editions small)."""
    blocks = json.loads(json.dumps(blocks))

    def fn(n):
        if n.get("t") != "Image":
            return
        a = attrs(n)
        # the filter puts a chart's alt text in the image's description
        src, narrow = n["c"][2][0], a.get("narrow")
        alt = a.get("alt") or stringify(n["c"][1])
        if narrow_only and narrow:
            tag = f'<img class="narrow-chart" src="{_e(narrow)}" alt="{_e(alt)}">'
        elif inline is not None:
            data = base64.b64encode((inline / src).read_bytes()).decode()
            tag = f'<img src="data:image/svg+xml;base64,{data}" alt="{_e(alt)}">'
        else:
            source = (f'<source media="{NARROW_MEDIA}" srcset="{_e(narrow)}">' if narrow
                      else "")
            tag = (f'<picture>{source}<img src="{_e(src)}" alt="{_e(alt)}">'
                   "</picture>")
        n.clear()
        n.update({"t": "RawInline", "c": ["html", tag]})

    walk(blocks, fn)
    return blocks


_TABLE = re.compile(r"<table[^>]*>.*?</table>", re.S)
_CAPTION = re.compile(r"<caption[^>]*>(.*?)</caption>", re.S)


def _scroll_regions(fragment: str) -> str:
    """Every table in a focusable, labelled region that scrolls sideways with a visible cue
    (shadows at the edge that has more columns) when it is wider than the screen. The caption
    stands above the region, so that it wraps to the screen rather than scrolling away."""
    count = 0

    def wrap(m):
        nonlocal count
        count += 1
        table = m.group(0)
        cap = _CAPTION.search(table)
        if cap is None:
            # each region's name is unique on its page (a landmark must be)
            return (f'<div class="table-scroll" role="region" tabindex="0" aria-label="Table '
                    f'{count} (scrolls sideways)">{table}</div>')
        cid = f"table-caption-{count}"
        table = table[:cap.start()] + table[cap.end():]
        table = table.replace("<table", f'<table aria-labelledby="{cid}"', 1)
        return (f'<p class="table-caption" id="{cid}">{cap.group(1).strip()}</p>'
                f'<div class="table-scroll" role="region" tabindex="0" '
                f'aria-labelledby="{cid}">{table}</div>')

    return _TABLE.sub(wrap, fragment)


def fragment(blocks: list, build: Path, name: str) -> str:
    doc = {"pandoc-api-version": api_version(build), "meta": {}, "blocks": blocks}
    (build / f"page-{name}.json").write_text(json.dumps(doc))
    out = run_pandoc(["-f", "json", f"page-{name}.json", "-t", "html5", "--wrap=none",
                   "--section-divs=false"], cwd=build)
    return _scroll_regions(out)


def _retarget_links(blocks: list, here: str, page_of: dict[str, str]) -> None:
    """Cross-references to a figure or table on another page point at that page."""
    def fn(n):
        if n.get("t") == "Link":
            target = n["c"][2][0]
            if target.startswith("#") and page_of.get(target[1:], here) != here:
                n["c"][2][0] = page_of[target[1:]] + target

    walk(blocks, fn)


def _ids(blocks: list) -> set[str]:
    out = set()

    def fn(n):
        a = attr_of(n)
        if a and a[0]:
            out.add(a[0])

    walk(blocks, fn)
    return out


def _shift_headings(blocks: list, by: int) -> list:
    blocks = json.loads(json.dumps(blocks))

    def fn(n):
        if n.get("t") == "Header":
            n["c"][0] = min(6, n["c"][0] + by)

    walk(blocks, fn)
    return blocks


# ------------------------------------------------------------------ page shell
def page(*, title: str, brand: str, body: str, brand_href: str | None = None, stamp: str = "",
         files: list[tuple[str, str]] | None = None, files_label: str = "",
         sidebar: str = "", pager: str = "", footer: list[str] | None = None,
         css: str = "site.css", inline_css: bool = False, script: str = "") -> str:
    """One page of the report (chapter, front page, single file, data index, council edition,
    councils index): a skip link, a header bar with the brand, the stamp and the file links, a
    ``<main>`` landmark (beside the chapters' sidebar, when there is one) and a footer.

    ``files``: (address, text) links in the header; ``footer``: paragraphs, already HTML."""
    style = (f"<style>\n{asset('site.css').read_text(encoding='utf-8')}\n</style>"
             if inline_css else f'<link rel="stylesheet" href="{_e(css)}">')
    brand_html = f'<a href="{_e(brand_href)}">{_e(brand)}</a>' if brand_href else _e(brand)
    nav = ""
    if files:
        items = "".join(f'<li><a href="{_e(h)}">{_e(t)}</a></li>' for h, t in files)
        nav = f'\n<nav class="files" aria-label="{_e(files_label)}"><ul>{items}</ul></nav>'
    main = f'<main id="content" tabindex="-1">\n{body}\n{pager}\n</main>'
    # with a sidebar, the two sit side by side; without, the page is one centred column
    main = f'<div class="layout">\n{sidebar}\n{main}\n</div>' if sidebar else main
    foot = "".join(f"<p>{f}</p>" for f in (footer or []))
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
{style}
</head>
<body{'' if sidebar else ' class="single"'}>
<a class="skip-link" href="#content">Skip to content</a>
<header class="site-header">
<p class="brand">{brand_html}
<span class="stamp">{_e(stamp)}</span></p>{nav}
</header>
{main}
<footer class="site-footer">{foot}</footer>
{script}
</body>
</html>
"""


def _shell(*, title: str, meta: dict, links: dict, body: str, sidebar: str,
           pager: str = "") -> str:
    """A page of the site: the version's files and the other versions in the header."""
    files = [("index.html#contents", "Contents"), ("report.pdf", "PDF"),
             ("data/index.html", "Data"), ("manifest.json", "Manifest"),
             ("report.html", "Single page")]
    files += [(href, text) for text, href in links.items()]
    stamp = meta.get("stamp", "")
    return page(title=title, brand=meta.get("short_title", "Report"), brand_href="index.html",
                stamp=stamp, files=files,
                files_label="This version's files and other versions", body=body,
                sidebar=sidebar, pager=pager,
                footer=[_e(meta.get("disclaimer", "")),
                        f'{_e(stamp)} · <a href="#content">Back to top</a>'])


def _sidebar(chapters: list[Chapter], current: Chapter | None) -> str:
    items = []
    for ch in chapters:
        here = current is not None and ch.stem == current.stem
        cur = ' aria-current="page"' if here else ""
        sub = ""
        if here and ch.sections:
            sub = "<ul>" + "".join(f'<li><a href="#{_e(i)}">{_e(t)}</a></li>'
                                   for i, t in ch.sections if i) + "</ul>"
        items.append(f'<li><a href="{_e(ch.page)}"{cur}><span class="num">{ch.number}</span>'
                     f'{_e(ch.title)}</a>{sub}</li>')
    home = ' aria-current="page"' if current is None else ""
    return (f'<nav class="sidebar" aria-label="Chapters"><p class="sidebar-title">'
            f'<a href="index.html"{home}>Contents</a></p><ol>{"".join(items)}</ol></nav>')


def _pager(prev: Chapter | None, nxt: Chapter | None) -> str:
    parts = []
    if prev is not None:
        parts.append(f'<a class="prev" rel="prev" href="{_e(prev.page)}"><span>Previous</span>'
                     f"{prev.number} {_e(prev.title)}</a>")
    else:
        parts.append('<a class="prev" rel="prev" href="index.html"><span>Previous</span>'
                     "Contents and what changed</a>")
    if nxt is not None:
        parts.append(f'<a class="next" rel="next" href="{_e(nxt.page)}"><span>Next</span>'
                     f"{nxt.number} {_e(nxt.title)}</a>")
    return f'<nav class="pager" aria-label="Previous and next chapter">{"".join(parts)}</nav>'


def _contents(chapters: list[Chapter]) -> str:
    rows = "".join(f'<li><a href="{_e(c.page)}"><span class="num">{c.number}</span>'
                   f"{_e(c.title)}</a></li>" for c in chapters)
    return f'<h2 id="contents">Contents</h2><ol class="contents">{rows}</ol>'


# ------------------------------------------------------------------ writers
def write_site(num: Numbered, build: Path, dest: Path, *, meta: dict, links: dict) -> Path:
    """index.html and a page per chapter, sharing site.css and media/."""
    (dest / "site.css").write_text(asset("site.css").read_text(encoding="utf-8"),
                                   encoding="utf-8")
    page_of: dict[str, str] = {}
    for ch in num.chapters:
        for i in _ids(ch.blocks):
            page_of.setdefault(i, ch.page)
    title = meta.get("title", "Report")
    # the front page: title, edition, disclaimer, contents and what changed
    front = fragment(pictures(_shift_headings(num.front, 1)), build, "index")
    changed = ""
    if num.changed:
        blocks = _shift_headings(num.changed, 1)
        _retarget_links(blocks, "index.html", page_of)
        changed = fragment(blocks, build, "changed")
    body = (f'<h1 class="title">{_e(title)}</h1>'
            f'<p class="subtitle">{_e(meta.get("subtitle", ""))}</p>'
            f'<p class="disclaimer">{_e(meta.get("disclaimer", ""))}</p>'
            f"{front}{_contents(num.chapters)}{changed}")
    first = num.chapters[0] if num.chapters else None
    pager = _pager(None, first).replace(
        '<a class="prev" rel="prev" href="index.html"><span>Previous</span>Contents and what '
        "changed</a>", "")
    (dest / "index.html").write_text(
        _shell(title=title, meta=meta, links=links, body=body,
               sidebar=_sidebar(num.chapters, None), pager=pager), encoding="utf-8")
    def body_of(ch: Chapter) -> str:
        blocks = json.loads(json.dumps(ch.blocks))
        _retarget_links(blocks, ch.page, page_of)
        return fragment(pictures(blocks), build, ch.stem)

    # pandoc writes the pages in parallel (each is its own process)
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        bodies = list(pool.map(body_of, num.chapters))
    for i, (ch, body) in enumerate(zip(num.chapters, bodies, strict=True)):
        prev = num.chapters[i - 1] if i > 0 else None
        nxt = num.chapters[i + 1] if i + 1 < len(num.chapters) else None
        (dest / ch.page).write_text(
            _shell(title=f"{ch.number} {ch.title} · {title}", meta=meta, links=links,
                   body=body, sidebar=_sidebar(num.chapters, ch), pager=_pager(prev, nxt)),
            encoding="utf-8")
    return dest / "index.html"


def write_single(num: Numbered, build: Path, dest: Path, *, meta: dict) -> Path:
    """report.html: the whole report in one file, images and styles inside, for offline use."""
    blocks = [*_shift_headings(num.front, 1)]
    if num.changed:
        blocks += num.changed
    for ch in num.chapters:
        blocks += ch.blocks
    body = fragment(pictures(blocks, inline=build), build, "single")
    toc = "".join(f'<li><a href="#{_e(c.heading_id)}"><span class="num">{c.number}</span>'
                  f"{_e(c.title)}</a></li>" for c in num.chapters)
    title = meta.get("title", "Report")
    body = (f'<h1 class="title">{_e(title)}</h1>\n'
            f'<p class="subtitle">{_e(meta.get("subtitle", ""))}</p>\n'
            f'<p class="disclaimer">{_e(meta.get("disclaimer", ""))}</p>\n'
            f'<nav aria-label="Contents"><h2 id="contents">Contents</h2>'
            f'<ol class="contents">{toc}</ol></nav>\n{body}')
    html_page = page(title=title, brand=meta.get("short_title", title),
                     stamp=meta.get("stamp", ""), body=body, inline_css=True,
                     footer=[_e(meta.get("stamp", ""))])
    out = dest / "report.html"
    out.write_text(html_page, encoding="utf-8")
    return out


def write_data_index(dest: Path, meta: dict) -> Path:
    """data/index.html: every CSV behind a chart or table, by chapter, and the claims register."""
    data = dest / "data"
    rows = []
    for f in sorted(data.rglob("*.csv")):
        rel = f.relative_to(data).as_posix()
        rows.append(f'<li><a href="{_e(rel)}">{_e(rel)}</a> ({f.stat().st_size:,} bytes)</li>')
    body = f"""<h1>The data behind every chart and table</h1>
<p>Each file holds exactly what a chart plots or a table shows, as CSV; <code>claims.csv</code>
is the claims register as evaluated for this version. Every input file, with its release and
checksum, is listed in <a href="../manifest.json">manifest.json</a>.</p>
<ul>{''.join(rows)}</ul>"""
    html_page = page(title=f"Data · {meta.get('title', '')}",
                     brand=meta.get("short_title", "Report"), brand_href="../index.html",
                     stamp=meta.get("stamp", ""), body=body, css="../site.css")
    out = data / "index.html"
    out.write_text(html_page, encoding="utf-8")
    return out
