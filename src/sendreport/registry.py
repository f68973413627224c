"""The sources registry: one entry per dataset, one per release, one per file with its checksum.

``data/sources.yml`` is the single record of what the report is built from. A new publication is a
new release; old releases stay so that any past version of the report can be rebuilt.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from sendreport.errors import RegistryError

HEADER = """\
# Sources registry for the SEND report: every dataset release the report is built from.
# One entry per dataset; each release lists its files (path under data/raw/ and the mirror,
# sha256, size in bytes, download url where known). Add a release with
#   sendreport data add PATH --dataset ID --release LABEL
# which validates the file before recording it. Old releases stay so past versions rebuild.
"""


@dataclass
class FileEntry:
    path: str
    sha256: str
    size: int
    format: str
    url: str | None = None

    @property
    def name(self) -> str:
        return Path(self.path).name


@dataclass
class Release:
    label: str
    release_date: str
    files: list[FileEntry]
    notes: str | None = None
    dataset: str = field(default="", repr=False)

    def sort_key(self) -> tuple[str, str]:
        return (self.release_date, self.label)


@dataclass
class Dataset:
    id: str
    publisher: str
    title: str
    landing_page: str
    licence: str
    folder: str
    releases: list[Release]
    combine: str = "latest"  # "latest": newest release supersedes; "all": each release adds periods
    description: str | None = None

    def sorted_releases(self, fmt: str | None = None) -> list[Release]:
        rels = [r for r in self.releases if fmt is None or any(f.format == fmt for f in r.files)]
        return sorted(rels, key=Release.sort_key)

    def latest(self, fmt: str | None = None) -> Release:
        rels = self.sorted_releases(fmt)
        if not rels:
            raise RegistryError(
                f"dataset '{self.id}' has no release" + (f" in format '{fmt}'" if fmt else "")
            )
        return rels[-1]

    def release(self, label: str) -> Release:
        for r in self.releases:
            if r.label == label:
                return r
        import difflib

        labels = [r.label for r in self.sorted_releases()]
        near = difflib.get_close_matches(str(label), labels, n=1, cutoff=0.5)
        hint = f" (did you mean '{near[0]}'?)" if near else ""
        raise RegistryError(f"dataset '{self.id}' has no release '{label}'{hint}; known: "
                            f"{', '.join(labels)}")

    def releases_up_to(self, pin: str | None) -> list[Release]:
        """The releases an edition pinned to ``pin`` uses: every release up to and including
        it, oldest first (all of them without a pin). An unknown pin is an error: the one
        rule for what a pin selects, read by the catalogue and the render cache alike."""
        rels = self.sorted_releases()
        if not pin or pin == "latest":
            return rels
        target = self.release(pin)
        return rels[: rels.index(target) + 1]


_DATASET_KEYS = {"id", "publisher", "title", "landing_page", "licence", "folder", "releases"}
_RELEASE_KEYS = {"label", "release_date", "files"}
_FILE_KEYS = {"path", "sha256", "size", "format"}


def _require(d: dict, keys: set[str], where: str) -> None:
    missing = sorted(keys - set(d))
    if missing:
        raise RegistryError(f"{where}: missing key(s) {', '.join(missing)}")


class Registry:
    def __init__(self, datasets: list[Dataset], path: Path | None = None):
        self.datasets = {d.id: d for d in datasets}
        self.path = path

    # ---------------------------------------------------------------- reading
    @classmethod
    def load(cls, path: str | Path) -> Registry:
        path = Path(path)
        if not path.exists():
            raise RegistryError(f"{path}: sources registry not found")
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as e:
            raise RegistryError(f"{path}: not valid YAML: {e}") from e
        datasets = []
        for i, d in enumerate(doc.get("datasets") or []):
            where = f"{path}: datasets[{i}]"
            _require(d, _DATASET_KEYS, where)
            rels = []
            for j, r in enumerate(d["releases"] or []):
                rw = f"{where} ({d['id']}) releases[{j}]"
                _require(r, _RELEASE_KEYS, rw)
                files = []
                for k, f in enumerate(r["files"] or []):
                    _require(f, _FILE_KEYS, f"{rw} files[{k}]")
                    files.append(
                        FileEntry(str(f["path"]), str(f["sha256"]), int(f["size"]),
                                  str(f["format"]), f.get("url"))
                    )
                rels.append(
                    Release(
                        label=str(r["label"]),
                        release_date=str(r["release_date"]),
                        files=files,
                        notes=r.get("notes"),
                        dataset=d["id"],
                    )
                )
            datasets.append(
                Dataset(
                    id=d["id"],
                    publisher=d["publisher"],
                    title=d["title"],
                    landing_page=d["landing_page"],
                    licence=d["licence"],
                    folder=d["folder"],
                    releases=rels,
                    combine=d.get("combine", "latest"),
                    description=d.get("description"),
                )
            )
        ids = [d.id for d in datasets]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise RegistryError(f"{path}: duplicated dataset id(s): {', '.join(sorted(dup))}")
        return cls(datasets, path)

    def dataset(self, dataset_id: str) -> Dataset:
        try:
            return self.datasets[dataset_id]
        except KeyError:
            import difflib

            near = difflib.get_close_matches(str(dataset_id), sorted(self.datasets), n=1,
                                             cutoff=0.5)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            raise RegistryError(f"unknown dataset '{dataset_id}'{hint}; known: "
                                f"{', '.join(sorted(self.datasets))}") from None

    def all_files(self) -> list[tuple[Dataset, Release, FileEntry]]:
        out = []
        for d in self.datasets.values():
            for r in d.sorted_releases():
                for f in r.files:
                    out.append((d, r, f))
        return out

    # ---------------------------------------------------------------- writing
    def to_dict(self) -> dict:
        out = []
        for d in self.datasets.values():
            dd = {
                "id": d.id,
                "publisher": d.publisher,
                "title": d.title,
                "description": d.description,
                "landing_page": d.landing_page,
                "licence": d.licence,
                "folder": d.folder,
                "combine": d.combine,
                "releases": [],
            }
            if dd["description"] is None:
                del dd["description"]
            for r in d.sorted_releases():
                rr = {"label": r.label, "release_date": r.release_date}
                if r.notes:
                    rr["notes"] = r.notes
                rr["files"] = []
                for f in r.files:
                    fd = asdict(f)
                    if fd["url"] is None:
                        del fd["url"]
                    rr["files"].append(fd)
                dd["releases"].append(rr)
            out.append(dd)
        return {"datasets": out}

    def save(self, path: str | Path | None = None) -> None:
        """Write atomically: a crash never leaves a half-written registry."""
        path = Path(path or self.path)
        text = HEADER + yaml.safe_dump(
            self.to_dict(), sort_keys=False, allow_unicode=True, width=100
        )
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".sources.", suffix=".yml")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


#: a release label is one safe path component: letters, digits, dot, dash, underscore
_LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def check_label(label: str) -> str:
    """A release label, checked: it becomes a folder name under data/raw/."""
    if (label != label.strip() or not _LABEL.fullmatch(label) or label in ("latest", ".", "..")
            or ".." in label):
        raise RegistryError(f"release label {label!r} is not allowed: use letters, digits, "
                            "'.', '-' or '_' (up to 40, not 'latest'), such as 2026 or 2026-27")
    return label


def check_date(date: str) -> str:
    """A release date, checked: YYYY, YYYY-MM or YYYY-MM-DD, a real date, not in the future."""
    ok = bool(_DATE.fullmatch(date or ""))
    if ok:
        try:
            d = dt.date.fromisoformat((date + "-01-01")[:10] if len(date) < 10 else date)
        except ValueError:
            ok = False
        else:
            ok = 1990 <= d.year and d <= dt.date.today()
    if not ok:
        raise RegistryError(f"release date {date!r} is not a date: give YYYY-MM-DD (or YYYY-MM "
                            "or YYYY), not in the future")
    return date


@contextlib.contextmanager
def locked(path: str | Path):
    """Hold an exclusive lock on the registry while it is read, changed and written back, so
    that two `data add` runs at once cannot lose a registration."""
    import fcntl

    lock = Path(path).with_name(".sources.lock")
    with open(lock, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def today() -> str:
    return dt.date.today().isoformat()
