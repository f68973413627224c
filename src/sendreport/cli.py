"""Command line: ``sendreport data pull|add|check|tables|show``."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from sendreport import __version__
from sendreport.config import Paths
from sendreport.errors import SendReportError


def _paths(args) -> Paths:
    return Paths.discover(root=args.root, mirror=args.mirror)


def cmd_pull(args) -> int:
    from sendreport.raw import pull
    from sendreport.registry import Registry

    paths = _paths(args)
    reg = Registry.load(paths.registry)
    print(f"mirror: {paths.mirror or '(none)'}; raw files: {paths.raw}")
    t0 = time.perf_counter()
    res = pull(paths, reg)
    print(f"{len(res)} files ready in {time.perf_counter() - t0:.1f} s")
    return 0


def cmd_check(args) -> int:
    """Validate every registered file from scratch (no cache), one line per file."""
    from sendreport.parse_cache import parse_file
    from sendreport.raw import ensure_file
    from sendreport.registry import Registry

    paths = _paths(args)
    reg = Registry.load(paths.registry)
    failed = 0
    notes = []
    for ds, rel, entry in reg.all_files():
        try:
            ensure_file(paths, entry)
            loaded = parse_file(paths.raw / entry.path, entry.format, rel.label)
        except SendReportError as e:
            failed += 1
            print(f"FAIL  {ds.id} {rel.label}: {e}")
            if not args.keep_going:
                break
            continue
        rows = sum(len(t) for t in loaded.tables.values())
        print(f"ok    {ds.id} {rel.label}: {entry.path} ({len(loaded.tables)} tables, "
              f"{rows:,} rows, {loaded.seconds:.1f} s)")
        notes.extend(loaded.notes)
    for n in notes:
        print(f"note  {n['file']}: {n['note']}")
    if failed:
        print(f"{failed} file(s) failed validation", file=sys.stderr)
        return 1
    print("all registered files passed validation")
    return 0


#: the largest file `data add` accepts (the largest registered publication is about 4 MB)
MAX_RELEASE_BYTES = 500 * 2**20


def cmd_add(args) -> int:
    """Register a new release: validate first, then copy and record; on failure change nothing."""

    from sendreport.registry import check_date, check_label, locked

    paths = _paths(args)
    check_label(args.release)
    if args.release_date:
        check_date(args.release_date)
    with locked(paths.registry):
        return _add_locked(args, paths)


def _add_locked(args, paths) -> int:
    from sendreport.parse_cache import parse_file
    from sendreport.raw import sha256_file
    from sendreport.registry import FileEntry, Registry, Release, today

    reg = Registry.load(paths.registry)
    ds = reg.dataset(args.dataset)
    src = Path(args.path)
    if not src.is_file():
        raise SendReportError(f"{src}: no such file")
    if src.stat().st_size > MAX_RELEASE_BYTES:
        raise SendReportError(f"{src}: {src.stat().st_size / 2**20:,.0f} MB is larger than any "
                              f"publication this report uses (limit {MAX_RELEASE_BYTES // 2**20} "
                              "MB)")
    if any(r.label == args.release for r in ds.releases):
        raise SendReportError(f"dataset '{ds.id}' already has a release '{args.release}'; "
                              "a published release is never replaced: use a new label")
    fmt = args.format
    if fmt is None:
        latest = ds.latest()
        fmts = {f.format for f in latest.files}
        if len(fmts) != 1:
            raise SendReportError(f"dataset '{ds.id}' has files of several formats "
                                  f"({', '.join(sorted(fmts))}): pass --format")
        fmt = fmts.pop()
    from sendreport.formats import FORMAT_DATASET

    owner = FORMAT_DATASET.get(fmt)
    if owner is not None and owner != ds.id:
        known = sorted(f for f, d in FORMAT_DATASET.items() if d == ds.id)
        raise SendReportError(f"format '{fmt}' does not belong to dataset '{ds.id}' "
                              f"(its formats are {', '.join(known)})")
    sha = sha256_file(src)
    for d2, r2, f2 in reg.all_files():
        if f2.sha256 == sha:
            raise SendReportError(f"{src.name} is already registered as {d2.id} {r2.label} "
                                  f"({f2.path})")
    print(f"validating {src.name} as {fmt} ...")
    loaded = parse_file(src, fmt, args.release)
    rows = sum(len(t) for t in loaded.tables.values())
    print(f"ok: {len(loaded.tables)} tables, {rows:,} rows")
    _refuse_shortening(paths, reg, ds, loaded, args)
    rel_path = f"{ds.folder}/{args.release}/{src.name}"
    dest = paths.raw / rel_path
    if dest.exists():
        raise SendReportError(f"{dest} already exists; refusing to overwrite a raw file")
    dest.parent.mkdir(parents=True, exist_ok=True)
    for left in dest.parent.glob(".part-*"):  # left by an interrupted add
        left.unlink(missing_ok=True)
    fd_tmp = tempfile.NamedTemporaryFile(dir=dest.parent, prefix=".part-", delete=False)
    fd_tmp.close()
    try:
        shutil.copyfile(src, fd_tmp.name)
        if sha256_file(fd_tmp.name) != sha:
            raise SendReportError(f"{src}: file changed while being copied")
        Path(fd_tmp.name).chmod(0o444)
        Path(fd_tmp.name).replace(dest)
    finally:
        Path(fd_tmp.name).unlink(missing_ok=True)
    entry = FileEntry(rel_path, sha, src.stat().st_size, fmt, args.url)
    ds.releases.append(Release(args.release, args.release_date or today(), [entry],
                               notes=args.notes, dataset=ds.id))
    try:
        reg.save(paths.registry)
    except BaseException:
        dest.unlink(missing_ok=True)
        raise
    print(f"registered {ds.id} {args.release}: {rel_path} (sha256 {sha[:12]}..., "
          f"{entry.size:,} bytes)")
    return 0


def _newest_period(tables) -> str:
    periods = [str(p) for t in tables.values() if "period" in t for p in t["period"].unique()]
    return max(periods) if periods else ""


def _refuse_shortening(paths, reg, ds, loaded, args) -> None:
    """A release that would become the newest but ends before the current newest would silently
    shorten every series that reads it: refused (register it with its true, earlier date)."""
    from sendreport.registry import Release, today

    if ds.combine != "latest" or not ds.releases:
        return
    current = ds.latest()
    new_key = Release(args.release, args.release_date or today(), []).sort_key()
    if new_key <= current.sort_key():
        return  # it will not become the latest
    from sendreport.parse_cache import Cache, parse_file

    cache, ends = Cache(paths.cache), []
    for f in current.files:  # read where it lies (data/raw or the mirror); nothing is copied
        got = cache.get(f, current.label)
        if got is None:
            where = paths.raw / f.path
            if not where.exists() and paths.mirror is not None:
                where = Path(paths.mirror) / f.path
            if not where.exists():
                return  # the current release is not at hand: nothing to compare with
            got = parse_file(where, f.format, current.label)
        ends.append(_newest_period(got.tables))
    old = max(ends)
    new = _newest_period(loaded.tables)
    if new and old and new < old:
        raise SendReportError(
            f"release {args.release} ends in {new}, before the current latest release "
            f"{current.label} ({old}): as the newest release it would shorten the series. If it "
            f"is an older publication, give its --release-date (before {current.release_date})")


def _catalogue(args):
    from sendreport.catalogue import Catalogue

    pins = dict(p.split("=", 1) for p in (args.release or []))
    return Catalogue(_paths(args), releases=pins,
                     echo=(lambda m: print(m, file=sys.stderr)) if args.verbose else None)


def cmd_tables(args) -> int:
    import pandas as pd

    cat = _catalogue(args)
    s = cat.summary()
    with pd.option_context("display.width", 200, "display.max_colwidth", 80):
        print(s.to_string(index=False))
    for n in cat.notes():
        print(f"note: {n['file']}: {n['note']}")
    return 0


def cmd_show(args) -> int:
    import pandas as pd

    cat = _catalogue(args)
    df = cat.table(args.name)
    if args.where:
        for cond in args.where:
            if "=" not in cond:
                raise SendReportError(f"--where {cond!r}: give COLUMN=VALUE, such as "
                                      "--where geographic_level=national")
            k, v = cond.split("=", 1)
            if k not in df.columns:
                raise SendReportError(f"no column '{k}' in {args.name}: {', '.join(df.columns)}")
            df = df[df[k].astype(str) == v]
    if args.format == "csv":
        df.to_csv(sys.stdout, index=False)
    else:
        with pd.option_context("display.width", 200, "display.max_columns", 30):
            print(df.head(args.limit).to_string(index=False))
            if len(df) > args.limit:
                print(f"... {len(df):,} rows in all (use --limit or --format csv)")
    return 0


def cmd_claims(args) -> int:
    """Compute every claim in the register and print it with its status."""
    import pandas as pd

    from sendreport.claims import (
        OUTPUT_COLUMNS,
        evaluate,
        fmt_value,
        load_register,
        status_counts,
    )

    cat = _catalogue(args)
    reg = load_register(args.register) if args.register else None
    res = evaluate(cat, reg)
    if args.format == "csv":
        res[OUTPUT_COLUMNS].to_csv(sys.stdout, index=False)
        return 0
    shown = res[["id", "finding", "nao_value", "our_value", "unit", "period", "status"]].copy()
    shown["our_value"] = shown["our_value"].map(fmt_value)
    shown["nao_value"] = shown["nao_value"].map(fmt_value)
    with pd.option_context("display.width", 200, "display.max_colwidth", 40):
        print(shown.to_string(index=False))
    print()
    for _, r in status_counts(res).iterrows():
        print(f"{r['status']:<11} {r['claims']}")
    for _, r in res[res["status"] == "differs"].iterrows():
        print(f"differs: {r['id']}: {r['note']}")
    return 0


def cmd_render(args) -> int:
    from sendreport.render import render

    render(_paths(args), params_file=args.params, version=args.version, draft=args.draft,
           jobs=args.jobs, use_cache=not args.no_cache, engine=args.engine, note=args.note,
           councils=args.councils or bool(args.only), only=args.only)
    return 0


def cmd_councils_list(args) -> int:
    from sendreport.render.councils import council_list

    t = council_list(_paths(args))
    if args.format == "csv":
        t.to_csv(sys.stdout, index=False)
        return 0
    for region, g in t.groupby("region", sort=True):
        print(region or "(no region)")
        for r in g.itertuples():
            extra = f"  created {r.created}, replacing {r.predecessors}" if r.created else ""
            print(f"  {r.la_code}  {r.gss_code}  {r.la_name}{extra}")
    print(f"{len(t)} councils in the latest EHC plans release")
    return 0


def cmd_compare(args) -> int:
    from sendreport.render.compare import compare

    paths = _paths(args)
    draft = Path(args.folder) if args.folder else paths.root / "report" / "_draft"
    result = compare(draft, paths.root / "report", args.with_version)
    print(result.report())
    return 1 if (args.strict and not result.identical) else 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sendreport", description=__doc__)
    p.add_argument("--version", action="version", version=f"sendreport {__version__}")
    p.add_argument("--root", help="project root (default: found from the current directory)")
    p.add_argument("--mirror", help="data mirror directory (default: $SENDREPORT_DATA_MIRROR or "
                   "../shared/data)")
    sub = p.add_subparsers(dest="group", required=True)
    c = sub.add_parser("claims", help="the NAO claims register, computed from the data")
    c.add_argument("--format", choices=["text", "csv"], default="text")
    c.add_argument("--register", help="claims register CSV (default data/reference/nao_claims.csv)")
    c.add_argument("--release", action="append", metavar="DATASET=LABEL")
    c.add_argument("-v", "--verbose", action="store_true")
    c.set_defaults(func=cmd_claims)
    r = sub.add_parser("render", help="execute the chapters and render a versioned HTML and PDF")
    r.add_argument("--params", help="edition parameter file, e.g. params/england.yml")
    r.add_argument("--version", help="version name (default: today's date, never reused)")
    r.add_argument("--draft", action="store_true", help="render to report/_draft/ (overwritten)")
    r.add_argument("--councils", action="store_true",
                   help="also render an edition for every council (HTML and PDF) under "
                        "councils/")
    r.add_argument("--only", metavar="NAME[,NAME]",
                   help="with --councils: only these councils (names, LA numbers or ONS codes)")
    r.add_argument("--note", help="one line for the versions index: why this version was "
                   "published (what the figures cannot say, such as a change of layout)")
    r.add_argument("--jobs", type=int, help="notebooks executed at once (default: all cores)")
    r.add_argument("--no-cache", action="store_true", help="re-execute every chapter")
    r.add_argument("--engine", choices=["auto", "pandoc", "quarto"], default="auto",
                   help="quarto where it is on PATH (auto), or pandoc and typst")
    r.set_defaults(func=cmd_render)
    r = sub.add_parser("compare", help="does a render (report/_draft) reproduce the numbers of "
                       "a published version?")
    r.add_argument("folder", nargs="?", help="rendered folder (default: report/_draft)")
    r.add_argument("--with", dest="with_version", metavar="VERSION",
                   help="published version (default: the latest of the same edition)")
    r.add_argument("--strict", action="store_true", help="exit 1 when the numbers differ")
    r.set_defaults(func=cmd_compare)
    cl = sub.add_parser("councils", help="the councils that have council editions")
    csub = cl.add_subparsers(dest="cmd", required=True)
    s = csub.add_parser("list", help="every council: LA number, ONS code, name, region")
    s.add_argument("--format", choices=["text", "csv"], default="text")
    s.set_defaults(func=cmd_councils_list)
    data = sub.add_parser("data", help="sources registry, raw files and tidy tables")
    dsub = data.add_subparsers(dest="cmd", required=True)

    s = dsub.add_parser("pull", help="fetch every registered file into data/raw and verify it")
    s.set_defaults(func=cmd_pull)

    s = dsub.add_parser("check", help="validate every registered file")
    s.add_argument("--keep-going", action="store_true", help="report every failing file")
    s.set_defaults(func=cmd_check)

    s = dsub.add_parser("add", help="register a newly published release (validated first)")
    s.add_argument("path")
    s.add_argument("--dataset", required=True)
    s.add_argument("--release", required=True, help="release label, e.g. 2023-24 or 2026")
    s.add_argument("--release-date", help="publication date YYYY-MM-DD (default: today)")
    s.add_argument("--format", help="format family (default: that of the dataset's latest)")
    s.add_argument("--url", help="download URL, recorded in the registry")
    s.add_argument("--notes")
    s.set_defaults(func=cmd_add)

    for name, func, hlp in [("tables", cmd_tables, "list the tidy tables"),
                            ("show", cmd_show, "print one tidy table")]:
        s = dsub.add_parser(name, help=hlp)
        if name == "show":
            s.add_argument("name")
            s.add_argument("--format", choices=["text", "csv"], default="text")
            s.add_argument("--where", action="append", metavar="COL=VALUE")
            s.add_argument("--limit", type=int, default=40)
        s.add_argument("--release", action="append", metavar="DATASET=LABEL",
                       help="use this release of a dataset (default: latest)")
        s.add_argument("-v", "--verbose", action="store_true")
        s.set_defaults(func=func)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except SendReportError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except PermissionError as e:
        print(f"error: {e.filename or e}: permission denied (check the file's or folder's "
              "permissions)", file=sys.stderr)
        return 2
    except OSError as e:
        import errno

        if e.errno == errno.ENOSPC:
            print(f"error: the disk is full while writing {e.filename or ''}; nothing "
                  "published was changed (versions are moved into place only when complete)",
                  file=sys.stderr)
            return 2
        if e.errno in (errno.ENOENT, errno.EISDIR, errno.ENOTDIR, errno.EROFS):
            print(f"error: {e.filename or ''}: {e.strerror}", file=sys.stderr)
            return 2
        raise
    except KeyboardInterrupt:
        print("interrupted: nothing published was changed", file=sys.stderr)
        return 130
