"""Where the project keeps its registry, raw files and cache."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

MIRROR_ENV = "SENDREPORT_DATA_MIRROR"
ROOT_ENV = "SENDREPORT_ROOT"


def _find_root() -> Path:
    env = os.environ.get(ROOT_ENV)
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for p in [here, *here.parents]:
        if (p / "data" / "sources.yml").exists():
            return p
    # installed in development mode: src/sendreport/config.py -> project root
    pkg_root = Path(__file__).resolve().parents[2]
    if (pkg_root / "data" / "sources.yml").exists():
        return pkg_root
    return here


@dataclass(frozen=True)
class Paths:
    root: Path
    mirror: Path | None

    @property
    def registry(self) -> Path:
        return self.root / "data" / "sources.yml"

    @property
    def raw(self) -> Path:
        return self.root / "data" / "raw"

    @property
    def cache(self) -> Path:
        return self.root / "data" / "cache"

    @classmethod
    def discover(cls, root: str | Path | None = None, mirror: str | Path | None = None) -> Paths:
        r = Path(root).resolve() if root else _find_root()
        if mirror is None:
            env = os.environ.get(MIRROR_ENV)
            if env is not None:
                mirror = Path(env) if env else None
            else:
                default = r.parent / "shared" / "data"
                mirror = default if default.is_dir() else None
        return cls(root=r, mirror=Path(mirror).resolve() if mirror else None)
