"""The parse cache: each registered file's tidy tables, parsed and validated once, kept as
parquet keyed by the file's sha256 plus a hash of the parsing code, so a changed file or a
changed loader is never served stale."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sendreport import __version__
from sendreport.atomic import publish_dir
from sendreport.errors import SendReportError
from sendreport.formats import FORMAT_TABLES, loader_for
from sendreport.loaders.common import Parsed
from sendreport.raw import sha256_file
from sendreport.registry import FileEntry

_CODE_FILES = ["loaders", "validate.py", "symbols.py", "formats.py", "quality.py", "derived.py",
               "flags.py", "catalogue.py",
               "harmonise.py", "la.py", "reference"]


def code_hash() -> str:
    """Hash of the parsing and validation code: part of every cache key."""
    root = Path(__file__).parent
    h = hashlib.sha256(__version__.encode())
    for name in _CODE_FILES:
        p = root / name
        files = sorted(f for f in p.rglob("*") if f.suffix in (".py", ".csv")) if p.is_dir() \
            else [p]
        for f in files:
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


@dataclass
class Loaded:
    tables: dict[str, pd.DataFrame]
    notes: list[dict]
    cached: bool
    seconds: float


def parse_file(path: Path, fmt: str, release: str) -> Loaded:
    """Parse and validate one file without the cache."""
    t0 = time.perf_counter()
    result = loader_for(fmt)(Path(path), release)
    tables, notes = (result.tables, result.notes) if isinstance(result, Parsed) else (result, [])
    if sorted(tables) != sorted(FORMAT_TABLES.get(fmt, [])):
        raise SendReportError(f"loader for '{fmt}' returned tables {sorted(tables)}, but "
                              f"formats.FORMAT_TABLES declares {FORMAT_TABLES.get(fmt)}")
    return Loaded(tables, list(notes), False, time.perf_counter() - t0)


class Cache:
    def __init__(self, root: Path):
        self.root = root
        self._code = code_hash()

    def key(self, entry: FileEntry, release: str) -> str:
        h = hashlib.sha256(f"{entry.sha256}|{entry.format}|{release}|{self._code}".encode())
        return h.hexdigest()[:24]

    def get(self, entry: FileEntry, release: str) -> Loaded | None:
        d = self.root / self.key(entry, release)
        meta = d / "meta.json"
        if not meta.exists():
            return None
        t0 = time.perf_counter()
        try:
            m = json.loads(meta.read_text())
            # each table's file carries its checksum: a damaged or altered entry is not used
            for n in m["tables"]:
                if sha256_file(d / f"{n}.parquet") != m.get("checksums", {}).get(n):
                    raise ValueError(f"{n}.parquet does not match its checksum")
            tables = {n: pd.read_parquet(d / f"{n}.parquet") for n in m["tables"]}
        except (ValueError, KeyError, OSError) as e:
            import shutil
            import sys

            print(f"note: cached tables of {entry.path} are damaged ({e}); parsing again",
                  file=sys.stderr)
            shutil.rmtree(d, ignore_errors=True)
            return None
        return Loaded(tables, m["notes"], True, time.perf_counter() - t0)

    def put(self, entry: FileEntry, release: str, loaded: Loaded) -> None:
        """Write to a temporary directory and rename: a crash never leaves a partial entry."""

        def fill(tmp: Path) -> None:
            for n, df in loaded.tables.items():
                df.to_parquet(tmp / f"{n}.parquet", index=False)
            (tmp / "meta.json").write_text(json.dumps({
                "file": entry.path, "sha256": entry.sha256, "format": entry.format,
                "release": release, "code": self._code, "tables": list(loaded.tables),
                "checksums": {n: sha256_file(tmp / f"{n}.parquet") for n in loaded.tables},
                "notes": loaded.notes,
            }, indent=1))

        publish_dir(self.root / self.key(entry, release), fill, marker="meta.json")
