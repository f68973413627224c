"""The catalogue: every tidy table the registry's files give, with the release each came from.

Files are parsed through the parse cache (``parse_cache``); derived tables come from
``derived``."""

from __future__ import annotations

import hashlib
import json
import os
import weakref
from functools import cached_property

import pandas as pd

from sendreport.atomic import write_text
from sendreport.config import Paths
from sendreport.derived import DERIVED, DERIVED_INPUTS, NAME_KEYED
from sendreport.errors import ChecksumError, SendReportError
from sendreport.formats import FORMAT_TABLES
from sendreport.parse_cache import Cache, Loaded, parse_file
from sendreport.raw import ensure_file, sha256_file
from sendreport.registry import Dataset, FileEntry, Registry, Release

#: tables that define the LA numbers (the lookup is built from them), so are not checked
#: against the lookup
CODE_DEFINING = {"population_0_17"}


def by_identity(store: dict, obj, make, *key):
    """``make(obj)``, kept in ``store`` for as long as ``obj`` itself lives (by its identity
    and ``key``): a warm kernel keeps parsed tables for its life, so work on a table is done
    once per process, not once per edition. Entries of tables that are gone are dropped."""
    k = (id(obj), *key)
    hit = store.get(k)
    if hit is not None and hit[0]() is obj:
        return hit[1]
    for gone in [x for x, (ref, _) in store.items() if ref() is None]:
        del store[gone]
    value = make(obj)
    store[k] = (weakref.ref(obj), value)
    return value


#: tables whose LA numbers were checked, with the fixes (``by_identity``)
_RECONCILED: dict[tuple, tuple[weakref.ref, tuple[pd.DataFrame, list]]] = {}


class Catalogue:
    """Every tidy table the registry's files give, with the release each came from.

    ``releases`` pins a dataset to a release label (the newest release up to and including it is
    used); by default each dataset's newest release is used, and for datasets whose releases each
    add a period (DSG workbooks) every release up to the pin is combined.
    """

    def __init__(
        self,
        paths: Paths | None = None,
        registry: Registry | None = None,
        *,
        releases: dict[str, str] | None = None,
        use_cache: bool = True,
        echo=None,
        on_load=None,
    ):
        self.paths = paths or Paths.discover()
        self.registry = registry or Registry.load(self.paths.registry)
        self.pins = {k: v for k, v in (releases or {}).items() if v and v != "latest"}
        self.use_cache = use_cache
        self.cache = Cache(self.paths.cache)
        self.echo = echo or (lambda *_: None)
        self.on_load = on_load
        self.used: dict[str, dict] = {}  # file path -> dataset, release, sha256
        self._files: dict[tuple[str, str], Loaded] = {}
        self._tables: dict[str, pd.DataFrame] = {}
        self.sources: dict[str, list[tuple[str, str]]] = {}  # table -> [(dataset, release)]
        #: table -> LA rows whose published code named another council, resolved by name
        self.code_fixes: dict[str, list[dict]] = {}

    # ------------------------------------------------------------ files
    def releases_in_use(self, ds: Dataset) -> list[Release]:
        return ds.releases_up_to(self.pins.get(ds.id))

    def load_file(self, ds: Dataset, rel: Release, entry: FileEntry) -> Loaded:
        k = (entry.path, rel.label)
        if k in self._files:
            return self._files[k]
        # a process that builds many chapters or council editions (a warm kernel) reads each
        # file's tables once: the memo is keyed by the file's checksum, so a changed file is
        # read again
        memo_key = (str(self.paths.raw / entry.path), entry.sha256, rel.label)
        if self.use_cache and KEEP_PARSED and memo_key in _PROCESS_MEMO:
            loaded = _PROCESS_MEMO[memo_key]
            self._files[k] = loaded
            self._record_use([(ds, rel, entry)])
            return loaded
        path = self.paths.raw / entry.path
        if not path.exists():
            ensure_file(self.paths, entry)
        else:
            actual = sha256_file(path)
            if actual != entry.sha256:
                raise ChecksumError(str(path), entry.sha256, actual, "in data/raw")
        loaded = self.cache.get(entry, rel.label) if self.use_cache else None
        if loaded is None:
            loaded = parse_file(path, entry.format, rel.label)
            if self.use_cache:
                self.cache.put(entry, rel.label, loaded)
        self.echo(f"{'cached' if loaded.cached else 'parsed':<7} {entry.path} "
                  f"({loaded.seconds:.2f} s)")
        self._files[k] = loaded
        if self.use_cache and KEEP_PARSED:
            _PROCESS_MEMO[memo_key] = loaded
        self._record_use([(ds, rel, entry)])
        return loaded

    def _record_use(self, files: list[tuple[Dataset, Release, FileEntry]]) -> None:
        """Note the files a table came from (the render cache keys chapters on them)."""
        for ds, rel, entry in files:
            self.used[entry.path] = {"dataset": ds.id, "release": rel.label,
                                     "path": entry.path, "sha256": entry.sha256}
        if self.on_load:
            self.on_load(self.used)

    def _sources(self, name: str) -> list[tuple[Dataset, Release, FileEntry]]:
        """Every registered file in use whose format gives table ``name``.

        For a dataset whose newer release supersedes older ones, only the newest release that
        provides the table counts, so older files are not read.
        """
        out = []
        for ds in self.registry.datasets.values():
            rels = [r for r in self.releases_in_use(ds)
                    if any(name in FORMAT_TABLES.get(f.format, []) for f in r.files)]
            if ds.combine == "latest":
                rels = rels[-1:]
            for rel in rels:
                out += [(ds, rel, f) for f in rel.files
                        if name in FORMAT_TABLES.get(f.format, [])]
        return out

    def items(self, name: str) -> list[tuple[Dataset, Release, pd.DataFrame]]:
        """(dataset, release, table) for every file in ``_sources(name)``, read (or cached)."""
        return [(ds, rel, self.load_file(ds, rel, entry).tables[name])
                for ds, rel, entry in self._sources(name)]

    @cached_property
    def registered_tables(self) -> set[str]:
        fmts = {f.format for _, _, f in self.registry.all_files()}
        return {t for f in fmts for t in FORMAT_TABLES.get(f, [])}

    # ------------------------------------------------------------ tables
    def names(self) -> list[str]:
        return sorted([*self.registered_tables, *DERIVED])

    def table(self, name: str) -> pd.DataFrame:
        if name in self._tables:
            return self._tables[name]
        if name in DERIVED:
            df, src = self._derived(name)
        elif name in self.registered_tables:
            items = self.items(name)
            if not items:
                raise SendReportError(f"table '{name}': no release in use provides it "
                                      f"(pinned releases: {self.pins or 'none'})")
            ds = items[0][0]
            if ds.combine == "all":
                items = sorted(items, key=lambda x: x[1].sort_key())
                df = _prefer_newest(pd.concat([x[2] for x in items], ignore_index=True))
                src = [(ds.id, x[1].label) for x in items]
            else:
                # the newest release supersedes; a release of several files (one report per
                # council) gives one table from all of them
                newest = max(items, key=lambda x: x[1].sort_key())[1]
                frames = [x[2] for x in items if x[1] is newest]
                df = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
                src = [(ds.id, newest.label)]
        else:
            raise SendReportError(
                f"no table '{name}'. Tables: {', '.join(self.names())}"
            )
        if name in NAME_KEYED:
            df = self._attach_codes(df, name)
        if name not in CODE_DEFINING and name not in DERIVED:
            df = self._reconcile_codes(df, name)
        self._tables[name] = df
        self.sources[name] = src
        return df

    def _derived(self, name: str):
        """A derived table, cached as parquet keyed by its input files and the code."""
        inputs = [src for t in DERIVED_INPUTS[name] for src in self._sources(t)]
        key = hashlib.sha256(json.dumps(
            [name, self.cache._code, [(f.path, f.sha256, r.label) for _, r, f in inputs]]
        ).encode()).hexdigest()[:24]
        d = self.cache.root / "derived"
        pq, meta = d / f"{name}-{key}.parquet", d / f"{name}-{key}.json"
        if self.use_cache and pq.exists() and meta.exists():
            self._record_use(inputs)  # the files are still this table's inputs
            src = [tuple(x) for x in json.loads(meta.read_text())]
            return pd.read_parquet(pq), src
        df, src = DERIVED[name](self)
        if self.use_cache:
            d.mkdir(parents=True, exist_ok=True)
            tmp = d / f".{name}-{key}-{os.getpid()}.parquet"
            df.to_parquet(tmp, index=False)
            os.replace(tmp, pq)
            write_text(meta, json.dumps(src))
        return df, src

    def _attach_codes(self, df: pd.DataFrame, name: str) -> pd.DataFrame:
        """Publishers that identify LAs by name only get LA numbers from the lookup.

        An unmatched name is an error, never a silently dropped council.
        """
        from sendreport.la import check_codes, resolve_names

        lookup = self.table("la_lookup")
        la = (df["geographic_level"] == "la") & (df["la_code"].astype(str) == "")
        if la.any():
            df = df.copy()
            codes = df["la_code"].astype(str)
            codes[la] = resolve_names(df.loc[la, "la_name"], lookup, name).to_numpy()
            df["la_code"] = codes.astype("category")
        check_codes(df.loc[df["geographic_level"] == "la", "la_code"], lookup, name)
        return df

    def _reconcile_codes(self, df: pd.DataFrame, name: str) -> pd.DataFrame:
        """Every council row's LA number checked against its name (``la.reconcile_codes``);
        a publisher's wrong code is resolved by name and recorded in ``code_fixes``."""
        if "la_code" not in df or "la_name" not in df:
            return df
        from sendreport.la import reconcile_codes

        out, fixes = by_identity(
            _RECONCILED, df, lambda d: reconcile_codes(d, self.table("la_lookup"), name), name)
        self.code_fixes[name] = fixes
        return out

    def notes(self) -> list[dict]:
        """Data-quality notes of the files read so far."""
        return [n for f in self._files.values() for n in f.notes]

    def load_all(self) -> None:
        for n in self.names():
            self.table(n)

    def summary(self) -> pd.DataFrame:
        self.load_all()
        rows = []
        for n in self.names():
            df = self.table(n)
            periods = sorted(df["period"].astype(str).unique()) if "period" in df else []
            rows.append({
                "table": n, "rows": len(df),
                "periods": f"{periods[0]} to {periods[-1]}" if periods else "",
                "releases": ", ".join(f"{d} {r}" for d, r in self.sources.get(n, [])),
            })
        return pd.DataFrame(rows)


#: parsed files kept for the life of the process (see ``Catalogue.load_file``): on in the warm
#: kernels the render starts (``render/kernels.py`` sets SENDREPORT_KEEP_PARSED=1), off
#: elsewhere, where each catalogue reads (and checks) the parse cache itself
KEEP_PARSED = os.environ.get("SENDREPORT_KEEP_PARSED") == "1"
_PROCESS_MEMO: dict[tuple[str, str, str], Loaded] = {}


def _prefer_newest(df: pd.DataFrame) -> pd.DataFrame:
    """Where releases overlap on the same key, keep the newest release's row (last in order)."""
    if "measure" not in df:
        return df
    key = [c for c in ["period", "geographic_level", "region_code", "region_name", "la_code",
                       "la_name", "breakdown_topic", "breakdown", "measure"] if c in df]
    cats = {c: df[c].astype(str) for c in key}
    dup = pd.DataFrame(cats).duplicated(keep="last")
    out = df[~dup.to_numpy()].reset_index(drop=True)
    for c in out.columns:
        if out[c].dtype == object:
            out[c] = out[c].astype("category")
    return out
