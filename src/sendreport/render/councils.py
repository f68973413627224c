"""Council editions: one HTML page and one PDF for every council in the latest EHC plans
release, executed in warm kernels and rendered as each finishes.

``render_councils`` executes ``notebooks/council-edition.ipynb`` once per council (reusing a
cached execution when nothing it reads has changed), renders each as it completes, reports
progress with an estimate of the time left, and collects failures: one council's failure is
reported at the end with its reason and never stops the others. The editions are built in a
temporary folder and moved into place whole (``report/councils/`` when publishing,
``report/_draft/councils/`` for a draft), with ``councils/index.html`` listing them by region
with a search box.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sendreport.atomic import readable_by_all
from sendreport.config import Paths
from sendreport.errors import SendReportError
from sendreport.registry import Registry
from sendreport.render import pandoc as pandoc_route
from sendreport.render import site
from sendreport.render.execution import Executed, ExecutionCache, job_for
from sendreport.render.kernels import KernelPool

NOTEBOOK = "notebooks/council-edition.ipynb"


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def council_list(paths: Paths, releases: dict[str, str] | None = None) -> pd.DataFrame:
    from sendreport.catalogue import Catalogue
    from sendreport.measures import council as M

    return M.councils(Catalogue(paths, releases=releases or {}))


def select(table: pd.DataFrame, only: str | None) -> pd.DataFrame:
    """Councils named in ``only`` (names, LA numbers or ONS codes, comma-separated)."""
    if not only:
        return table
    from sendreport.measures.council import match

    keep = [match(table, want)["la_code"] for want in (w.strip() for w in only.split(","))
            if want]
    return table[table["la_code"].isin(keep)]


@dataclass
class Outcome:
    la_code: str
    name: str
    slug: str
    ok: bool
    cached: bool
    seconds: float
    reason: str = ""


class Progress:
    """One line per finished council: a bar, the count, and an estimate of the time left."""

    def __init__(self, total: int, echo=print):
        self.total, self.done, self.t0, self.echo = total, 0, time.perf_counter(), echo

    def step(self, text: str) -> None:
        self.done += 1
        spent = time.perf_counter() - self.t0
        left = spent / self.done * (self.total - self.done)
        width = 24
        filled = round(width * self.done / max(self.total, 1))
        self.echo(f"  [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} "
                  f"{text} · {spent:.0f} s elapsed, about {_duration(left)} left")


def _duration(s: float) -> str:
    return f"{s:.0f} s" if s < 90 else f"{s / 60:.1f} min"


def render_councils(paths: Paths, registry: Registry, params: dict, dest: Path, *,
                    version: str, manifest_rel: str, england_rel: str, cfg: dict,
                    only: str | None = None, table: pd.DataFrame | None = None,
                    everyone: pd.DataFrame | None = None,
                    jobs: int | None = None, use_cache: bool = True,
                    echo=print) -> list[Outcome]:
    """Render every council's edition (or those in ``only``) into ``dest`` (replaced whole).

    ``manifest_rel`` and ``england_rel``: the version's manifest and England edition, as
    addresses relative to ``dest``."""
    manifest_href, england_href = f"../{manifest_rel}", f"../{england_rel}"
    if everyone is None:  # every council, unless the caller has read them already
        from sendreport.parameters import parse_releases

        everyone = council_list(paths, parse_releases(params.get("releases", "")))
    if table is None:  # the councils, unless the caller has chosen and checked them
        table = select(everyone, only)
    nb = paths.root / NOTEBOOK
    if not nb.exists():
        raise SendReportError(f"{nb}: the council edition's notebook is missing")
    cache = ExecutionCache(paths, registry)
    render_key = _render_key(version, manifest_href, england_href, cfg)
    tmp = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".build-{dest.name}-"))
    work = Path(tempfile.mkdtemp(prefix="sendreport-exec-"))
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    progress = Progress(len(table), echo)
    echo(f"council editions: {len(table)} councils, {jobs or os.cpu_count()} warm kernels")
    try:
        (tmp / "site.css").write_text(pandoc_route.asset("site.css").read_text(),
                                      encoding="utf-8")
        rows = {r.la_code: r for r in table.itertuples()}

        def finish(code: str, ex: Executed | None, secs: float, error: str | None) -> None:
            r = rows[code]
            s = slug(r.la_name)
            if error is None and ex is not None:
                try:
                    t0 = time.perf_counter()
                    # a cached execution rendered before with the same version and words is
                    # copied, not rendered again (a no-change rebuild)
                    kept = ex.notebook.parent / f"rendered-{render_key}"
                    if ex.cached and (kept / "index.html").exists():
                        shutil.copytree(kept, tmp / s)
                    else:
                        _render_one(ex, r, tmp / s, work / f"build-{s}", version=version,
                                    manifest_href=manifest_href, england_href=england_href,
                                    cfg=cfg)
                        part = kept.with_name(f".{kept.name}-{os.getpid()}-{code}")
                        shutil.rmtree(part, ignore_errors=True)
                        shutil.copytree(tmp / s, part)
                        shutil.rmtree(kept, ignore_errors=True)
                        os.rename(part, kept)
                    secs += time.perf_counter() - t0
                except Exception as e:  # noqa: BLE001 - reported with the others at the end
                    text = str(e).strip()
                    error = "render: " + (text.splitlines()[-1] if text else repr(e))
            out = Outcome(code, r.la_name, s, error is None, ex is not None and ex.cached, secs,
                          error or "")
            with lock:
                outcomes.append(out)
                progress.step(f"{r.la_name} ({'cached' if out.cached else f'{secs:.1f} s'})"
                              + ("" if out.ok else " FAILED"))

        todo = []
        for r in table.itertuples():
            p = {**params, "area": r.la_code}
            hit = cache.lookup(nb, p) if use_cache else None
            if hit is not None:
                finish(r.la_code, hit, 0.0, None)
            else:
                todo.append(job_for(nb, p, paths.root, work / r.la_code, tag=(r.la_code, p)))

        def done(res) -> None:
            code, p = res.job.tag
            ex = None
            if res.error is None:
                ex = cache.store(nb, p, res.job.output, res.job.output.parent / "outputs")
            finish(code, ex, res.seconds, res.error)

        if todo:
            KernelPool(jobs, log_dir=work).run(todo, on_done=done)
        ok = [o for o in outcomes if o.ok]
        if only and dest.exists():
            # --only renders a few: the other councils' editions already there are kept
            for r in everyone[~everyone["la_code"].isin(table["la_code"])].itertuples():
                s = slug(r.la_name)
                if (dest / s / "index.html").exists():
                    shutil.copytree(dest / s, tmp / s)
                    ok.append(Outcome(r.la_code, r.la_name, s, True, True, 0.0))
        ok = sorted(ok, key=lambda o: o.name)
        _write_index(tmp, everyone, ok, version=version, manifest_href=manifest_rel,
                     england_href=england_rel, cfg=cfg)
        readable_by_all(tmp)
        old = dest.with_name(f".old-{dest.name}-{os.getpid()}")
        if dest.exists():
            os.rename(dest, old)
        os.rename(tmp, dest)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return sorted(outcomes, key=lambda o: o.name)


def _render_key(*parts) -> str:
    """What a council's page and PDF depend on beyond its execution: the version, the links,
    the words of the cover, and the rendering code and assets."""
    import hashlib

    h = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode())
    for f in sorted(Path(__file__).parent.glob("*.py")):
        h.update(f.read_bytes())
    for f in sorted(pandoc_route.asset("site.css").parent.iterdir()):
        if f.is_file():
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _render_one(ex: Executed, r, out: Path, build: Path, *, version: str, manifest_href: str,
                england_href: str, cfg: dict) -> None:
    build.mkdir(parents=True, exist_ok=True)
    out.mkdir(parents=True)
    stamp = f"Version {version} · {r.la_name} council edition"
    title = f"{r.la_name}: special educational needs against its neighbours"
    num = pandoc_route.number_document([ex], build, front="", changed="")
    for f in sorted((build / "media").rglob("*-narrow.svg")):
        target = out / "media" / f.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(f, target)
    # the page: the chapter's own heading is the page's h1
    blocks = num.chapters[0].blocks if num.chapters else []
    body = site.fragment(site.pictures(blocks, narrow_only=True), build, "council")
    body = re.sub(r'src="media/[^"/]+/', 'src="media/', body)
    england_dir = england_href.rsplit("/", 1)[0] + "/" if "/" in england_href else ""
    body = body.replace('href="england-edition/', f'href="{england_dir}')
    e = site._e
    page = site.page(
        title=f"{r.la_name} · {cfg['short_title']}", brand=cfg["short_title"],
        brand_href="../index.html", stamp=stamp,
        files=[("../index.html", "All councils"), (england_href, "England edition"),
               ("report.pdf", "PDF"), (manifest_href, "Manifest")],
        files_label="This edition's files and the others", body=body, css="../site.css",
        footer=[e(cfg["disclaimer"]),
                f'{e(stamp)} · <a href="{e(manifest_href)}">manifest of version {e(version)}'
                '</a> · <a href="#content">Back to top</a>'])
    (out / "index.html").write_text(page, encoding="utf-8")
    for csv in sorted(ex.outputs.rglob("*.csv")):
        (out / "data").mkdir(exist_ok=True)
        shutil.copy(csv, out / "data" / csv.name)
    cover = {"title": title, "subtitle": "A council edition of " + cfg["title"],
             "short-title": cfg["short_title"], "publisher": cfg["publisher"],
             "disclaimer": cfg["disclaimer"], "edition": f"{r.la_name} (council edition)",
             "version": version, "date": time.strftime("%d %B %Y"),
             "commit": cfg.get("commit", "unknown"),
             "releases": cfg.get("releases", "as the England edition of this version"),
             "single": "true"}
    pandoc_route.write_pdf(num, build, out / "report.pdf", cover=cover)
    shutil.rmtree(build, ignore_errors=True)


def _write_index(dest: Path, table: pd.DataFrame, ok: list[Outcome], *, version: str,
                 manifest_href: str, england_href: str, cfg: dict) -> None:
    done = {o.la_code: o for o in ok}
    e = site._e
    parts = []
    for region, g in table.sort_values(["region", "la_name"]).groupby("region", sort=True):
        items = []
        for r in g.itertuples():
            o = done.get(r.la_code)
            if o is None:
                items.append(f"<li>{e(r.la_name)} (no edition rendered yet)</li>")
                continue
            items.append(f'<li data-name="{e(r.la_name.lower())}"><a href="{e(o.slug)}/index.html">'
                         f'{e(r.la_name)}</a> · <a href="{e(o.slug)}/report.pdf">PDF</a>'
                         f' <span class="code">LA {e(r.la_code)}, {e(r.gss_code)}</span></li>')
        rid = slug(region or "other")
        parts.append(f'<section aria-labelledby="r-{rid}"><h2 id="r-{rid}">'
                     f'{e(region or "Other")}</h2><ul class="councils">{"".join(items)}</ul>'
                     "</section>")
    body = f"""<h1>Council editions</h1>
<p>Each council set against its ten statistical neighbours, its region and England: {len(ok)}
councils, rendered with version {e(version)}. {e(cfg['disclaimer'])}</p>
<p><label for="find">Find a council</label><br>
<input id="find" type="search" autocomplete="off" placeholder="name"></p>
{''.join(parts)}"""
    page = site.page(
        title=f"Council editions · {cfg['short_title']}", brand=cfg["short_title"],
        brand_href=england_href, stamp=f"Version {version} · council editions",
        files=[(england_href, "England edition"), (manifest_href, "Manifest")],
        files_label="Other editions", body=body, script=SEARCH_SCRIPT)
    (dest / "index.html").write_text(page, encoding="utf-8")
    (dest / "councils.json").write_text(json.dumps(
        [{"la_code": o.la_code, "name": o.name, "path": f"{o.slug}/index.html"} for o in ok],
        indent=1))


#: the councils index's search box: hides the councils (and regions) whose name does not match
SEARCH_SCRIPT = """<script>
document.getElementById('find').addEventListener('input', function () {
  var q = this.value.trim().toLowerCase();
  document.querySelectorAll('li[data-name]').forEach(function (li) {
    li.hidden = q !== '' && li.getAttribute('data-name').indexOf(q) === -1;
  });
  document.querySelectorAll('main section').forEach(function (s) {
    s.hidden = s.querySelectorAll('li[data-name]:not([hidden])').length === 0 && q !== '';
  });
});
</script>"""


def report_failures(outcomes: list[Outcome], echo=print) -> bool:
    bad = [o for o in outcomes if not o.ok]
    good = len(outcomes) - len(bad)
    echo(f"council editions: {good} of {len(outcomes)} rendered"
         + (f", {len(bad)} failed:" if bad else ""))
    for o in bad:
        echo(f"  {o.name} (LA {o.la_code}): {o.reason}")
    if bad:
        print(f"{len(bad)} council edition(s) failed; see above", file=sys.stderr)
    return not bad
