"""Execute the chapter notebooks in warm kernels, in parallel, with a cache.

A chapter's execution is reused when nothing it depends on has changed: the notebook file, its
parameters, the package code, and the checksums of the data files it read last time (recorded by
the notebook itself in ``_inputs.json``). A new release of a dataset therefore re-executes
exactly the chapters that read that dataset.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sendreport.atomic import publish_dir, write_text
from sendreport.config import Paths
from sendreport.errors import SendReportError
from sendreport.registry import Registry

#: code notebooks never import: changing it does not re-execute chapters
_NOT_USED_BY_NOTEBOOKS = {"render", "cli.py", "__main__.py"}


def package_hash() -> str:
    """Hash of the package's code and data files (Python, reference CSVs) that chapters use:
    a change in any of them re-executes the chapters."""
    root = Path(__file__).resolve().parents[1]

    def used(rel: Path) -> bool:
        return (rel.parts[0] not in _NOT_USED_BY_NOTEBOOKS and "__pycache__" not in rel.parts
                and rel.suffix in (".py", ".csv"))

    return hash_files(root, used)


def reference_hash(root: Path) -> str:
    """Hash of the project's compiled reference tables (the claims register, the events since
    the NAO reported, capacity and safety valve tables): chapters read them, so a change in any
    re-executes the chapters."""
    return hash_files(root / "data" / "reference")


def hash_files(folder: Path, keep=lambda rel: True) -> str:
    """Hash of every file below ``folder`` that ``keep`` accepts: its relative path and bytes."""
    h = hashlib.sha256()
    for f in sorted(folder.rglob("*")) if folder.exists() else []:
        rel = f.relative_to(folder)
        if f.is_file() and keep(rel):
            h.update(rel.as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _sha(obj) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True).encode()).hexdigest()[:20]


@dataclass
class Executed:
    name: str
    notebook: Path  # executed notebook
    outputs: Path  # the chapter's output directory (charts, CSVs, _inputs.json)
    cached: bool
    seconds: float
    inputs: list[dict] = field(default_factory=list)


def pins(params: dict) -> dict[str, str]:
    """Dataset releases pinned by an edition's parameters (the one mapping, in chapters)."""
    from sendreport.parameters import parse_releases

    return parse_releases(str(params.get("releases", "") or ""))


def files_in_use(registry: Registry, pins: dict[str, str], datasets: list[str]) -> list[tuple]:
    """(path, sha256) of every file the given datasets would supply under these pins."""
    out = []
    for ds_id in sorted(set(datasets)):
        if ds_id not in registry.datasets:
            out.append((ds_id, "missing"))
            continue
        for r in registry.dataset(ds_id).releases_up_to(pins.get(ds_id)):
            out.extend((f.path, f.sha256) for f in r.files)
    return out


class ExecutionCache:
    def __init__(self, paths: Paths, registry: Registry):
        self.root = paths.cache / "executed"
        self.registry = registry
        self.code = package_hash()
        self.reference = reference_hash(paths.root)

    def _slot(self, nb: Path, params: dict) -> Path:
        return self.root / f"{nb.stem}-{_sha(params)[:10]}"

    def key(self, nb: Path, params: dict, datasets: list[str]) -> str:
        inputs = files_in_use(self.registry, pins(params), datasets)
        return _sha([hashlib.sha256(nb.read_bytes()).hexdigest(), params, self.code,
                     self.reference, inputs])

    def lookup(self, nb: Path, params: dict) -> Executed | None:
        slot = self._slot(nb, params)
        trace = slot / "datasets.json"
        if not trace.exists():
            return None
        datasets = json.loads(trace.read_text())
        entry = slot / self.key(nb, params, datasets)
        if not (entry / "done").exists():
            return None
        try:
            inputs = json.loads((entry / "inputs.json").read_text())
            import nbformat

            nbformat.read(entry / nb.name, as_version=4)  # a damaged notebook is not reused
        except (OSError, ValueError) as e:
            import sys

            print(f"note: cached execution of {nb.stem} is damaged ({e}); executing again",
                  file=sys.stderr)
            shutil.rmtree(entry, ignore_errors=True)
            return None
        return Executed(nb.stem, entry / nb.name, entry / "outputs", True, 0.0, inputs)

    def store(self, nb: Path, params: dict, executed: Path, outputs: Path) -> Executed:
        inputs = []
        for trace_file in sorted(outputs.rglob("_inputs.json")):
            inputs.extend(json.loads(trace_file.read_text()))
        datasets = sorted({i["dataset"] for i in inputs})
        slot = self._slot(nb, params)
        entry = slot / self.key(nb, params, datasets)

        def fill(tmp: Path) -> None:
            shutil.copy(executed, tmp / nb.name)
            shutil.copytree(outputs, tmp / "outputs")
            (tmp / "inputs.json").write_text(json.dumps(inputs, indent=1))
            (tmp / "done").write_text("")

        publish_dir(entry, fill, marker="done")
        write_text(slot / "datasets.json", json.dumps(datasets))
        return Executed(nb.stem, entry / nb.name, entry / "outputs", False, 0.0, inputs)




def job_for(nb: Path, params: dict, root: Path, workdir: Path, tag=None):
    """A warm-kernel job for one notebook: its parameters (with the chapter, project root and
    an output folder in ``workdir``) and where the executed notebook goes."""
    from sendreport.render.kernels import Job

    (workdir / "outputs").mkdir(parents=True)
    return Job(nb, {**params, "chapter": nb.stem, "data_root": str(root),
                    "output_dir": str(workdir / "outputs")}, workdir / nb.name, nb.parent,
               tag=tag)


def execute_all(notebooks: list[Path], params: dict, paths: Paths, *, registry: Registry,
                jobs: int | None = None, use_cache: bool = True, echo=print) -> list[Executed]:
    """Execute every notebook (cached ones are reused), in parallel; results in input order."""
    cache = ExecutionCache(paths, registry)
    results: dict[str, Executed] = {}
    todo = []
    for nb in notebooks:
        hit = cache.lookup(nb, params) if use_cache else None
        if hit:
            results[nb.stem] = hit
            echo(f"  cached    {nb.stem}")
        else:
            todo.append(nb)
    if todo:
        from sendreport.render.kernels import KernelPool

        workroot = Path(tempfile.mkdtemp(prefix="sendreport-exec-"))
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
        # longest first (by each chapter's last recorded time): the kernels then finish
        # together instead of one waiting on a long chapter left to the end
        took = _durations(paths)
        order = sorted(todo, key=lambda nb: -took.get(nb.stem, 0.0))
        work = [job_for(nb, params, paths.root, workroot / nb.stem, tag=nb) for nb in order]
        done = 0

        def finished(res) -> None:
            nonlocal done
            nb = res.job.tag
            if res.error is not None:
                return
            stored = cache.store(nb, params, res.job.output, res.job.output.parent / "outputs")
            stored.seconds = res.seconds
            took[nb.stem] = round(res.seconds, 2)
            results[nb.stem] = stored
            done += 1
            echo(f"  executed  {nb.stem} ({res.seconds:.1f} s) [{done}/{len(todo)}]")

        try:
            # warm kernels: each starts once, then runs notebook after notebook with the
            # imports and parsed tables already loaded (render/kernels.py)
            out = KernelPool(jobs, log_dir=workroot).run(work, on_done=finished,
                                                         stop_on_error=True)
            failed = [r for r in out if r.error is not None]
            if failed:
                raise SendReportError(f"notebook {failed[0].job.notebook.name} failed: "
                                      f"{failed[0].error.splitlines()[-1]}")
        finally:
            shutil.rmtree(workroot, ignore_errors=True)
            _record_durations(paths, took)
    return [results[nb.stem] for nb in notebooks]


def _durations(paths: Paths) -> dict[str, float]:
    """Each chapter's last execution time in seconds (empty before the first render)."""
    f = paths.cache / "durations.json"
    try:
        got = json.loads(f.read_text())
        return {str(k): float(v) for k, v in got.items()} if isinstance(got, dict) else {}
    except (OSError, ValueError):
        return {}  # a missing or damaged record only loses the order, never the render


def _record_durations(paths: Paths, took: dict[str, float]) -> None:
    f = paths.cache / "durations.json"
    try:
        f.parent.mkdir(parents=True, exist_ok=True)
        write_text(f, json.dumps(dict(sorted(took.items())), indent=1))
    except OSError:
        pass
