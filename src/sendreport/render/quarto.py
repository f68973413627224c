"""The Quarto route, used where the Quarto CLI is on PATH: quarto render over the executed
notebooks."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from sendreport.errors import SendReportError
from sendreport.render.execution import Executed


def quarto_route(executed: list[Executed], root: Path, dest: Path) -> tuple[Path, Path]:
    """Render with the Quarto CLI over the executed notebooks (used where quarto is on PATH)."""
    proj = Path(tempfile.mkdtemp(prefix="sendreport-quarto-"))
    try:
        shutil.copy(root / "_quarto.yml", proj / "_quarto.yml")
        for extra in ("index.qmd",):
            if (root / extra).exists():
                shutil.copy(root / extra, proj / extra)
        (proj / "notebooks").mkdir()
        for ex in executed:
            shutil.copy(ex.notebook, proj / "notebooks" / ex.notebook.name)
        r = subprocess.run(["quarto", "render", str(proj), "--no-execute"],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise SendReportError(f"quarto render failed: {r.stderr.strip()[-2000:]}")
        out = proj / "report" / "_quarto"
        shutil.copytree(out, dest, dirs_exist_ok=True)
        pdfs = sorted(dest.glob("*.pdf"))
        if pdfs:
            pdfs[0].rename(dest / "report.pdf")
        return dest / "index.html", dest / "report.pdf"
    finally:
        shutil.rmtree(proj, ignore_errors=True)
