"""Benchmark the council editions; prints figures (no assertions).

1. every council's edition, HTML and PDF, from a warm data cache (parsed tables kept; council
   executions removed first), with the England edition cached     target < 10 min (aim 3)
2. peak memory summed over every process of the run (the CLI, its kernels, pandoc, typst)
                                                                  target < 2 GB
3. a no-change rebuild of everything                              target: seconds
Run from the project root: python scripts/bench_councils.py [--only NAMES]
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def tree_rss(pid: int) -> int:
    """Resident memory, in bytes, of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            status = (d / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        p = int(d.name)
        children.setdefault(int(fields.get("PPid", "0").strip()), []).append(p)
        rss[p] = int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total


def run(cmd: list[str]) -> tuple[float, int, int]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss(proc.pid))
            time.sleep(0.25)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    out = proc.communicate()[0]
    stop.set()
    t.join()
    last = [ln for ln in out.splitlines() if "council editions:" in ln]
    print("   ", last[-1] if last else out.strip().splitlines()[-1:])
    return time.perf_counter() - t0, peak, proc.returncode


def main() -> None:
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    exe = str(Path(sys.executable).with_name("sendreport"))
    cmd = [exe, "render", "--params", "params/england.yml", "--draft", "--councils"]
    if only:
        cmd += ["--only", only]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}")
    subprocess.run([exe, "render", "--params", "params/england.yml", "--draft"], cwd=ROOT,
                   check=True, capture_output=True)  # the England edition cached
    for d in (ROOT / "data" / "cache" / "executed").glob("council-edition-*"):
        shutil.rmtree(d)
    secs, peak, rc = run(cmd)
    n = len(list((ROOT / "report" / "_draft" / "councils").glob("*/index.html")))
    size = sum(f.stat().st_size for f in (ROOT / "report" / "_draft" / "councils").rglob("*")
               if f.is_file())
    print(f"1. council editions, cold (England cached): {secs:.1f} s for {n} councils "
          f"({secs / max(n, 1):.2f} s each), exit status {rc}")
    print(f"2. peak memory, all processes: {peak / 2**30:.2f} GB")
    print(f"   council editions on disk: {size / 2**20:.1f} MB")
    secs, peak, rc = run(cmd)
    print(f"3. no-change rebuild (England and every council cached): {secs:.1f} s, "
          f"peak {peak / 2**30:.2f} GB")


if __name__ == "__main__":
    main()
