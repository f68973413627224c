"""Benchmark the data layer; prints figures against the targets (it does not assert them).

1. `data pull` into a fresh project root from the mirror   (target < 10 s)
2. cold parse + validation of every registered source     (target < 30 s)
3. cached load of every tidy table                         (target < 3 s)
"""

from __future__ import annotations

import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from sendreport.catalogue import Catalogue
from sendreport.config import Paths
from sendreport.raw import pull
from sendreport.registry import Registry

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    base = Paths.discover(root=ROOT)
    if base.mirror is None:
        print("no data mirror: set SENDREPORT_DATA_MIRROR", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "data").mkdir()
        shutil.copy(base.registry, Path(tmp) / "data" / "sources.yml")
        paths = Paths.discover(root=tmp, mirror=base.mirror)
        reg = Registry.load(paths.registry)

        t = time.perf_counter()
        pull(paths, reg, echo=lambda *_: None)
        pull_s = time.perf_counter() - t

        t = time.perf_counter()
        cold = Catalogue(paths, reg)
        for n in cold.names():
            cold.table(n)
        cold_s = time.perf_counter() - t
        rows = sum(len(cold.table(n)) for n in cold.names())

        t = time.perf_counter()
        warm = Catalogue(paths, Registry.load(paths.registry))
        for n in warm.names():
            warm.table(n)
        warm_s = time.perf_counter() - t

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n_files = len(reg.all_files())
    print(f"data pull, fresh root, {n_files} files from mirror: {pull_s:6.2f} s  (target < 10 s)")
    print(f"cold parse + validate, {len(cold.names())} tables, {rows:,} rows: "
          f"{cold_s:6.2f} s  (target < 30 s)")
    print(f"cached load of all tidy tables:        {warm_s:6.2f} s  (target < 3 s)")
    print(f"peak resident memory:                  {peak:6.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
