"""Raw files: found in data/raw, the mirror, or at the publisher's URL, and checksum-verified."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from sendreport.config import Paths
from sendreport.errors import ChecksumError, SourceNotFoundError
from sendreport.registry import FileEntry, Registry


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


@dataclass
class PullResult:
    path: str
    action: str  # "present", "copied from mirror", "downloaded"
    size: int


def _copy_verified(src: Path, dest: Path, entry: FileEntry, where: str) -> None:
    """Copy to a temporary file beside dest, verify, then rename: dest is never half-written."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".part-")
    os.close(fd)
    try:
        shutil.copyfile(src, tmp)
        actual = sha256_file(tmp)
        if actual != entry.sha256:
            raise ChecksumError(entry.path, entry.sha256, actual, where)
        os.chmod(tmp, 0o444)
        os.replace(tmp, dest)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _download(url: str, dest: Path, entry: FileEntry) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".dl-")
    os.close(fd)
    try:
        with urllib.request.urlopen(url, timeout=60) as resp, open(tmp, "wb") as out:
            shutil.copyfileobj(resp, out)
        actual = sha256_file(tmp)
        if actual != entry.sha256:
            raise ChecksumError(entry.path, entry.sha256, actual, f"downloaded from {url}")
        os.chmod(tmp, 0o444)
        os.replace(tmp, dest)
    finally:
        Path(tmp).unlink(missing_ok=True)


def ensure_file(paths: Paths, entry: FileEntry, *, verify_present: bool = True) -> PullResult:
    """Make sure one registered file is in data/raw with the right checksum."""
    dest = paths.raw / entry.path
    if dest.exists():
        if verify_present:
            actual = sha256_file(dest)
            if actual != entry.sha256:
                raise ChecksumError(str(dest), entry.sha256, actual, "in data/raw")
        return PullResult(entry.path, "present", dest.stat().st_size)
    if paths.mirror is not None:
        src = paths.mirror / entry.path
        if src.exists():
            _copy_verified(src, dest, entry, f"mirror {paths.mirror}")
            return PullResult(entry.path, "copied from mirror", dest.stat().st_size)
    if entry.url:
        try:
            _download(entry.url, dest, entry)
        except ChecksumError:
            raise
        except Exception as e:  # network errors
            raise SourceNotFoundError(
                f"{entry.path}: not in {paths.raw}, not in the mirror "
                f"({paths.mirror or 'none set'}), and download from {entry.url} failed: {e}"
            ) from e
        return PullResult(entry.path, "downloaded", dest.stat().st_size)
    raise SourceNotFoundError(
        f"{entry.path}: not in {paths.raw}, not in the mirror ({paths.mirror or 'none set'}; set "
        f"SENDREPORT_DATA_MIRROR), and the registry records no download URL"
    )


def pull(paths: Paths, registry: Registry, echo=print) -> list[PullResult]:
    results = []
    for _d, _r, f in registry.all_files():
        res = ensure_file(paths, f)
        echo(f"{res.action:<20} {res.path} ({res.size:,} bytes, sha256 ok)")
        results.append(res)
    return results
