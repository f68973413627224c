"""Writing cache entries and small files so that no reader ever sees them half-written."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def publish_dir(final: Path, fill: Callable[[Path], None], marker: str) -> None:
    """Build a directory with ``fill(tmp)`` beside ``final``, then rename it into place.

    Entries are content-addressed: if another process published ``final`` first (its ``marker``
    file exists), theirs is kept and ours discarded. A crash leaves no partial entry.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=final.parent, prefix=".tmp-"))
    try:
        fill(tmp)
        try:
            os.replace(tmp, final)
        except OSError:
            if not (final / marker).exists():
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def write_text(path: Path, text: str) -> None:
    """Write a file through a temporary name in the same folder and rename it."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def readable_by_all(folder: Path) -> None:
    """A published version is served by web servers running as other users: 0755 and 0644."""
    folder.chmod(0o755)
    for p in folder.rglob("*"):
        p.chmod(0o755 if p.is_dir() else 0o644)
