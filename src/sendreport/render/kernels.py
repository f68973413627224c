"""Warm kernels: notebooks executed in Jupyter kernels that are started once and reused.

Starting a kernel and importing pandas, matplotlib and the package costs a few seconds per
notebook; reading the tidy tables costs more. A ``KernelPool`` starts one kernel per worker,
and each runs notebook after notebook: the user namespace is reset between notebooks (so no
notebook sees another's variables), while imported modules and the parsed tables
(``catalogue._PROCESS_MEMO``) stay loaded. Parameters are injected as papermill does (a cell
tagged ``injected-parameters`` after the one tagged ``parameters``), so an executed notebook
reads the same whichever engine ran it.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sendreport.errors import SendReportError

#: kernel start-up failures that are races between kernels starting at once (a port taken
#: between being chosen and being bound), not errors in the notebook: worth another try
STARTUP_RACES = ("Kernel died before replying to kernel_info", "Address already in use",
                  "ZMQError", "Kernel didn't respond")

#: run before every notebook: a clean namespace, the working directory, no figures left open
_RESET = ("get_ipython().run_line_magic('reset', '-f')\n"
          "import os as _os; _os.chdir({cwd!r})\n"
          "import matplotlib.pyplot as _plt; _plt.close('all')\n"
          "del _os, _plt")


class NotebookError(SendReportError):
    """A notebook's own code raised an error (not a kernel or start-up failure)."""


@dataclass
class Job:
    notebook: Path
    parameters: dict
    output: Path  # where the executed notebook is written
    cwd: Path
    tag: object = None  # the caller's own reference, handed back with the result


@dataclass
class Result:
    job: Job
    seconds: float
    error: str | None = None


class WarmKernel:
    def __init__(self, log: Path | None = None, tries: int = 3):
        from jupyter_client.manager import start_new_kernel

        self._log = open(log, "a") if log else None  # noqa: SIM115 - closed in shutdown
        for attempt in range(1, tries + 1):
            try:
                # the kernel keeps parsed files for its life (catalogue.KEEP_PARSED)
                env = {**os.environ, "SENDREPORT_KEEP_PARSED": "1"}
                self.km, self.kc = start_new_kernel(
                    kernel_name="python3", stderr=self._log, stdout=self._log,
                    startup_timeout=120, env=env)
                break
            except Exception as e:  # noqa: BLE001 - the message decides
                if attempt == tries or not any(s in str(e) for s in STARTUP_RACES):
                    raise
                time.sleep(0.5 * attempt)
        self.runs = 0

    def run(self, job: Job, timeout: int = 900) -> float:
        """Execute one notebook, cell by cell, keeping each cell's outputs as nbclient would."""
        import nbformat
        from nbformat.v4 import output_from_msg
        from papermill.iorw import load_notebook_node
        from papermill.parameterize import parameterize_notebook

        nb = load_notebook_node(str(job.notebook))  # as papermill reads it (cell tags)
        nb = parameterize_notebook(nb, job.parameters, report_mode=False)
        t0 = time.perf_counter()
        self._execute(_RESET.format(cwd=str(job.cwd)), timeout)
        count = 0
        for cell in nb.cells:
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            outputs: list = []

            def hook(msg, outputs=outputs):
                kind = msg["header"]["msg_type"]
                if kind in ("stream", "display_data", "execute_result", "error"):
                    outputs.append(output_from_msg(msg))

            count += 1
            reply = self.kc.execute_interactive(cell.source, timeout=timeout,
                                                output_hook=hook, allow_stdin=False)
            cell.outputs = outputs
            cell.execution_count = count
            content = reply["content"]
            if content.get("status") != "ok":
                nbformat.write(nb, job.output)
                raise NotebookError(f"{job.notebook.name}, cell {count}: "
                                    f"{content.get('ename')}: {content.get('evalue')}")
        nbformat.write(nb, job.output)
        self.runs += 1
        return time.perf_counter() - t0

    def _execute(self, code: str, timeout: int) -> None:
        reply = self.kc.execute_interactive(code, timeout=timeout, store_history=False,
                                            output_hook=lambda msg: None)
        if reply["content"].get("status") != "ok":
            raise SendReportError(f"kernel reset failed: {reply['content'].get('evalue')}")

    def shutdown(self) -> None:
        try:
            self.kc.stop_channels()
            self.km.shutdown_kernel(now=True)
        finally:
            if self._log:
                self._log.close()


class KernelPool:
    """``workers`` warm kernels, each in its own thread, taking jobs from one queue."""

    def __init__(self, workers: int | None = None, log_dir: Path | None = None):
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.log_dir = log_dir

    def run(self, jobs: Iterable[Job], on_done: Callable[[Result], None] | None = None,
            stop_on_error: bool = False) -> list[Result]:
        todo: queue.Queue[Job | None] = queue.Queue()
        jobs = list(jobs)
        for j in jobs:
            todo.put(j)
        n = min(self.workers, len(jobs))
        for _ in range(n):
            todo.put(None)
        results: list[Result] = []
        lock = threading.Lock()
        stop = threading.Event()
        startup_errors: list[BaseException] = []

        def worker(i: int) -> None:
            try:
                kernel = WarmKernel(self.log_dir / f"kernel-{i}.log" if self.log_dir else None)
            except BaseException as e:  # noqa: BLE001 - reported after the others finish
                startup_errors.append(e)
                return
            try:
                while True:
                    job = todo.get()
                    if job is None or stop.is_set():
                        return
                    t0 = time.perf_counter()
                    try:
                        kernel.run(job)
                        res = Result(job, time.perf_counter() - t0)
                    except Exception as e:  # noqa: BLE001 - one notebook's failure is reported
                        res = Result(job, time.perf_counter() - t0, str(e).strip() or repr(e))
                        if stop_on_error:
                            stop.set()
                    with lock:
                        results.append(res)
                    if on_done:  # outside the lock: the caller's work runs in parallel
                        on_done(res)
            finally:
                kernel.shutdown()

        threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if startup_errors and not results:
            raise SendReportError(f"no kernel could be started: {startup_errors[0]}")
        return results
