"""The render command: execute the chapters, assemble a version in a temporary folder, move it
into report/<version>/ only when everything succeeded."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from sendreport import __version__
from sendreport.atomic import readable_by_all
from sendreport.config import Paths
from sendreport.errors import SendReportError
from sendreport.registry import Registry
from sendreport.render import outputs, site
from sendreport.render.editions import DRAFT, Edition, load_edition, quarto_config
from sendreport.render.execution import Executed, execute_all
from sendreport.render.quarto import quarto_route
from sendreport.render.versions import (
    default_version,
    git_commit,
    published_versions,
    releases_text,
    write_index,
)

if TYPE_CHECKING:  # pandas, the measures and the comparison of versions are imported when a
    # version is assembled: a draft kept as it is needs none of them
    import pandas as pd


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
    note: str | None = None,
    councils: bool = False,
    only: str | None = None,
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
    elif not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}", version):
        raise SendReportError(f"{version[:80]!r} is not a valid version name: use letters, "
                              "digits, '.', '-' or '_' (up to 64), such as 2027-06-a")
    target = report_dir / version
    if target.exists() and not draft:
        raise SendReportError(f"version {version} is already published at {target}; a published "
                              "version is never overwritten: choose another --version, or "
                              "use --draft")
    if not os.access(report_dir, os.W_OK):
        raise SendReportError(f"{report_dir} is not writable: nothing was executed")
    if engine == "quarto" and not shutil.which("quarto"):
        raise SendReportError("--engine quarto: the Quarto CLI is not on PATH (install it, or "
                              "use --engine auto for the pandoc and Typst route)")
    if engine not in ("auto", "quarto", "pandoc"):
        raise SendReportError(f"unknown engine {engine!r}: auto, quarto or pandoc")
    _remove_stale_builds(report_dir, echo)
    registry = Registry.load(paths.registry)
    # the edition checked at the door: releases, projection and area against the registry and
    # the data; the councils of --only too: nothing executes for an edition that would fail
    edition = edition.resolve(paths, registry)
    council_table = everyone = None
    if councils:
        from sendreport.render.councils import council_list, select

        everyone = council_list(paths, edition.pins)
        council_table = select(everyone, only)
    elif only:
        raise SendReportError("--only selects council editions: use it with --councils")
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
    links = {"All versions": "../index.html"}
    if councils:
        links["Council editions"] = "councils/index.html" if draft else \
            "../councils/index.html"
    # a draft whose every input is unchanged (the executed chapters, the code, the reference
    # tables, the registry, the published versions it is compared with, the commit) is kept as
    # it is: pandoc and Typst would write the same pages again
    key = _inputs_key(paths, executed, edition, cfg, links, note, engine, report_dir) \
        if draft else None
    kept = (key is not None and use_cache and (target / KEY_FILE).exists()
            and (target / KEY_FILE).read_text() == key
            and all((target / f).exists() for f in ("index.html", "report.pdf", "manifest.json")))
    if kept:
        echo(f"nothing changed since the last draft: kept {target} as it is")
    else:
        tmp = Path(tempfile.mkdtemp(dir=report_dir, prefix=f".build-{version}-"))
        try:
            _assemble(tmp, executed, paths, registry, edition, cfg, version, engine, echo, note,
                      links)
            if key is not None:
                (tmp / KEY_FILE).write_text(key)
            if draft and target.exists():
                shutil.rmtree(target)
            readable_by_all(tmp)
            try:
                os.rename(tmp, target)
            except OSError as e:
                raise SendReportError(f"version {version} appeared at {target} while "
                                      "rendering; left untouched") from e
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
        echo(f"wrote {target / 'index.html'} and a page per chapter")
        echo(f"wrote {target / 'report.pdf'}")
        echo(f"wrote {target / 'data'}/ and {target / 'manifest.json'}")
    if not draft:  # a draft is not published: the versions index is left alone
        echo(f"updated {write_index(report_dir)}")
    if councils:
        from sendreport.render.councils import render_councils, report_failures

        dest = target / "councils" if draft else report_dir / "councils"
        m = json.loads((target / "manifest.json").read_text())
        # the council editions' covers name the same commit and data releases as the England
        # edition of this version
        stamp = {"commit": m["git_commit"], "releases": releases_text(m)}
        outcomes = render_councils(
            paths, registry, edition.parameters, dest, version=version, cfg={**cfg, **stamp},
            manifest_rel="../manifest.json" if draft else f"../{version}/manifest.json",
            england_rel="../index.html" if draft else f"../{version}/index.html",
            only=only, table=council_table, everyone=everyone, jobs=jobs,
            use_cache=use_cache, echo=echo)
        echo(f"wrote {dest / 'index.html'}")
        if not report_failures(outcomes, echo):
            raise SendReportError("some council editions failed (listed above); the others "
                                  "and the England edition were written")
    echo(f"done in {time.perf_counter() - t0:.1f} s")
    return target


#: the file in a draft that records the key of the inputs it was rendered from
KEY_FILE = ".inputs-key"


def _inputs_key(paths: Paths, executed: list[Executed], edition: Edition, cfg: dict,
                links: dict, note: str | None, engine: str, report_dir: Path) -> str:
    """Everything a draft's pages are made from, hashed: the executed chapters (their cache
    entries are keyed by their own inputs), the package (code, templates, styles), the
    project's reference tables and registry, the parameters and settings, the published
    versions (What changed compares with the latest) and the commit."""
    import hashlib

    from sendreport.render.execution import hash_files, reference_hash

    package = Path(__file__).resolve().parents[1]
    return hashlib.sha256(json.dumps({
        "chapters": [(ex.name, str(ex.notebook), str(ex.outputs)) for ex in executed],
        "package": hash_files(package, lambda rel: "__pycache__" not in rel.parts),
        "reference": reference_hash(paths.root),
        "registry": paths.registry.read_bytes().hex() if paths.registry.exists() else "",
        "edition": [edition.name, edition.label, edition.parameters],
        "cfg": cfg, "links": links, "note": note, "engine": engine,
        "versions": published_versions(report_dir),
        "commit": git_commit(paths.root),
    }, sort_keys=True, default=str).encode()).hexdigest()


#: a build folder older than this is left from a killed render and is removed
STALE_SECONDS = 6 * 3600


def _remove_stale_builds(report_dir: Path, echo) -> None:
    """Build folders in report/ and execution folders in the temporary directory that a killed
    render left behind (older than STALE_SECONDS; a render running now is younger)."""
    now = time.time()
    tmp = Path(tempfile.gettempdir())
    stale = [*report_dir.glob(".build-*"), *tmp.glob("sendreport-exec-*"),
             *tmp.glob("sendreport-quarto-*")]
    for d in stale:
        if d.is_dir() and now - d.stat().st_mtime > STALE_SECONDS:
            shutil.rmtree(d, ignore_errors=True)
            echo(f"removed {d.name}, left by a render that did not finish")


def _facts(paths: Paths, registry: Registry, releases: dict) -> tuple[pd.DataFrame, dict]:
    import pandas as pd

    from sendreport.measures import headline
    """The claims register evaluated and the headline figures, for the manifest; cached by the
    package code, the reference tables and every data file in use (a no-change rebuild reads
    them back instead of loading the tables again)."""
    import hashlib

    from sendreport.catalogue import Catalogue
    from sendreport.claims import evaluate
    from sendreport.render.execution import files_in_use, package_hash, reference_hash

    key = hashlib.sha256(json.dumps([
        package_hash(), reference_hash(paths.root), sorted(releases.items()),
        files_in_use(registry, releases, list(registry.datasets))]).encode()).hexdigest()[:24]
    d = paths.cache / "facts" / key
    if (d / "done").exists():
        try:
            return (pd.read_pickle(d / "claims.pkl"),
                    json.loads((d / "headlines.json").read_text()))
        except (OSError, ValueError, EOFError):
            shutil.rmtree(d, ignore_errors=True)
    cat = Catalogue(paths, registry, releases=releases)
    claims = evaluate(cat)
    # as JSON reads them back, so that a first build and a rebuild write the same manifest
    headlines = json.loads(json.dumps(headline.headline_figures(cat), default=str))
    part = d.with_name(f".{key}-{os.getpid()}")
    part.mkdir(parents=True, exist_ok=True)
    claims.to_pickle(part / "claims.pkl")
    (part / "headlines.json").write_text(json.dumps(headlines, default=str))
    (part / "done").write_text("")
    if d.exists():
        shutil.rmtree(part, ignore_errors=True)
    else:
        os.rename(part, d)
    return claims, headlines


def _assemble(tmp: Path, executed: list[Executed], paths: Paths, registry: Registry,
              edition: Edition, cfg: dict, version: str, engine: str, echo,
              note: str | None, links: dict) -> None:
    import pandas as pd

    from sendreport.claims import OUTPUT_COLUMNS
    from sendreport.render.changes import (
        change_summary,
        chapter_titles,
        chart_words,
        load_corrections,
        what_changed,
    )
    from sendreport.render.execution import pins

    data = tmp / "data"
    data.mkdir()
    for ex in executed:
        for csv in sorted(ex.outputs.rglob("*.csv")):
            rel = csv.relative_to(ex.outputs)
            (data / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(csv, data / rel)
    claims, headlines = _facts(paths, registry, pins(edition.parameters))
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
        "headlines": headlines,
        "claims": claims["status"].value_counts().to_dict(),
        "chapters": [ex.name for ex in executed],
        "charts": chart_words(executed),
        "note": (note or "").strip(),
    }
    prev = [m for m in published_versions(tmp.parent) if m["version"] != version]
    prev_m = prev[-1] if prev else None
    prev_claims = None
    if prev_m is not None:
        pc = tmp.parent / prev_m["version"] / "data" / "claims.csv"
        prev_claims = pd.read_csv(pc) if pc.exists() else None
    changed = what_changed(prev_m, prev_claims, manifest, claims,
                           corrections=load_corrections(paths.root),
                           titles=chapter_titles(paths.root))
    releases = releases_text(manifest)
    v_md = version.replace("_", "\\_")
    front = (f"::: edition\n**Version {v_md}** · {edition.label} edition · rendered "
             f"{now:%d %B %Y %H:%M} UTC · commit {manifest['git_commit']}\n\n"
             f"Data releases: {releases}. Every input file with its checksum is listed in "
             f"[manifest.json](manifest.json); the data behind each chart and table are in "
             f"[data/](data/index.html).\n:::\n")
    stamp = f"Version {version} · {edition.label} edition · {now:%d %B %Y}"
    meta = {"title": cfg["title"], "subtitle": f"{cfg['subtitle']} ({edition.label} edition)",
            "short_title": cfg["short_title"], "disclaimer": cfg["disclaimer"], "stamp": stamp}
    cover = {"title": cfg["title"], "subtitle": cfg["subtitle"], "short-title": cfg["short_title"],
             "publisher": cfg["publisher"], "disclaimer": cfg["disclaimer"],
             "edition": edition.label, "version": version,
             "date": f"{now:%d %B %Y %H:%M} UTC", "commit": manifest["git_commit"],
             "releases": releases}
    manifest["summary"] = change_summary(prev_m, manifest, claims, prev_claims,
                                         load_corrections(paths.root))
    build = tmp / ".build"
    build.mkdir()
    use_quarto = engine == "quarto" or (engine == "auto" and shutil.which("quarto"))
    if use_quarto:
        echo("rendering with quarto")
        quarto_route(executed, paths.root, tmp)
    else:
        echo("rendering with pandoc and typst")
        outputs.pandoc_typst_route(executed, build, tmp, meta=meta, front=front,
                                        changed=changed, cover=cover,
                                        links=links)
    site.write_data_index(tmp, meta)
    shutil.rmtree(build, ignore_errors=True)
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1, default=str))
