import os
import shutil
from pathlib import Path

import pytest

from sendreport.config import Paths
from sendreport.registry import Registry

PROJECT = Path(__file__).resolve().parents[1]


def _mirror() -> Path:
    env = os.environ.get("SENDREPORT_DATA_MIRROR")
    m = Path(env) if env else PROJECT.parent / "shared" / "data"
    if not m.is_dir():
        pytest.fail(f"data mirror not found at {m}: set SENDREPORT_DATA_MIRROR", pytrace=False)
    return m


@pytest.fixture(scope="session")
def mirror() -> Path:
    return _mirror()


@pytest.fixture(scope="session")
def paths(mirror) -> Paths:
    """The project itself (raw files and cache under data/, both git-ignored)."""
    return Paths.discover(root=PROJECT, mirror=mirror)


@pytest.fixture(scope="session")
def catalogue(paths):
    from sendreport.catalogue import Catalogue

    return Catalogue(paths)


@pytest.fixture
def tmp_project(tmp_path, mirror) -> Paths:
    """A throwaway project root with a copy of the registry, for tests that change things."""
    (tmp_path / "data").mkdir()
    shutil.copy(PROJECT / "data" / "sources.yml", tmp_path / "data" / "sources.yml")
    return Paths.discover(root=tmp_path, mirror=mirror)


def snapshot(p: Paths) -> dict:
    """Registry text and the listing of data/raw, to prove a failed step changed nothing."""
    raw = sorted(str(x.relative_to(p.raw)) for x in p.raw.rglob("*")) if p.raw.exists() else []
    return {"registry": p.registry.read_text(), "raw": raw}


def load_registry(p: Paths) -> Registry:
    return Registry.load(p.registry)


#: test kinds, by folder: ``pytest -m unit`` needs neither the data mirror nor a kernel
KINDS = ("unit", "data", "e2e", "notebooks")


def pytest_collection_modifyitems(config, items):
    for item in items:
        parts = Path(str(item.fspath)).relative_to(PROJECT / "tests").parts
        if parts and parts[0] in KINDS:
            item.add_marker(getattr(pytest.mark, parts[0]))
