"""Benchmark the render for the England edition; prints figures (no assertions).

1. cold build: execute every chapter and render HTML and PDF with an empty execution cache
   (parsed tidy tables are reused, as after `make data`)          target < 60 s
2. no-change rebuild: the same again, every chapter cached        target < 3 s
3. no-change draft rebuild, as a separate process (imports included) target < 1.5 s
4. baseline: the same notebooks run one after another with plain papermill; the cold build
   must be at least 4 times faster
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import papermill as pm

from sendreport.config import Paths
from sendreport.render import quarto_config, render

ROOT = Path(__file__).resolve().parents[1]


def make_root(tmp: Path, mirror: Path) -> Paths:
    for name in ("_quarto.yml", "index.qmd"):
        shutil.copy(ROOT / name, tmp / name)
    shutil.copytree(ROOT / "notebooks", tmp / "notebooks")
    shutil.copytree(ROOT / "params", tmp / "params")
    (tmp / "data" / "cache").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "sources.yml", tmp / "data" / "sources.yml")
    shutil.copytree(ROOT / "data" / "reference", tmp / "data" / "reference")
    (tmp / "data" / "raw").symlink_to(ROOT / "data" / "raw")
    for entry in (ROOT / "data" / "cache").iterdir():  # parsed tables, not executions
        if entry.name != "executed":
            (tmp / "data" / "cache" / entry.name).symlink_to(entry)
    return Paths.discover(root=tmp, mirror=mirror)


def main() -> int:
    base = Paths.discover(root=ROOT)
    if base.mirror is None:
        print("no data mirror: set SENDREPORT_DATA_MIRROR", file=sys.stderr)
        return 1
    quiet = lambda *_: None  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_root(Path(tmp), base.mirror)
        params = paths.root / "params" / "england.yml"
        t = time.perf_counter()
        render(paths, params_file=params, version="bench-cold", echo=quiet)
        cold = time.perf_counter() - t
        t = time.perf_counter()
        render(paths, params_file=params, version="bench-warm", echo=quiet)
        warm = time.perf_counter() - t
        # a draft, then the same draft again from a new process: nothing to do but check
        render(paths, params_file=params, draft=True, echo=quiet)
        import subprocess

        cmd = [sys.executable, "-m", "sendreport", "--root", str(paths.root), "render",
               "--params", str(params), "--draft"]
        env = {**os.environ, "SENDREPORT_DATA_MIRROR": str(base.mirror)}
        runs = []
        for _ in range(5):
            t = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True, env=env)
            runs.append(time.perf_counter() - t)
        draft = sorted(runs)[len(runs) // 2]
        nbs = [paths.root / c for c in quarto_config(paths.root)["chapters"]
               if c.endswith(".ipynb")]
        t = time.perf_counter()
        for nb in nbs:
            pm.execute_notebook(str(nb), os.path.join(tmp, "seq-" + nb.name),
                                parameters={"output_dir": os.path.join(tmp, "seq")},
                                cwd=str(nb.parent), kernel_name="python3",
                                progress_bar=False)
        seq = time.perf_counter() - t
    print(f"cores: {os.cpu_count()}; chapters: {len(nbs)}")
    print(f"cold build (execute + render, empty execution cache): {cold:6.1f} s  (target < 60 s)")
    print(f"no-change rebuild:                                    {warm:6.1f} s  (target < 3 s)")
    print(f"no-change draft rebuild, new process (median of 5):    {draft:6.2f} s  "
          "(target < 1.5 s)")
    print(f"baseline: plain papermill, one after another (execute only): {seq:6.1f} s")
    print(f"ratio, baseline execution / cold build incl. render: {seq / cold:4.2f} "
          "(target >= 4); "
          f"baseline / no-change rebuild: {seq / warm:5.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
