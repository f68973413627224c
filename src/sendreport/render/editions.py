"""Editions: parameter files (params/*.yml), and the book's chapter order in _quarto.yml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from sendreport.errors import SendReportError

DRAFT = "_draft"  # the git-ignored folder of draft renders


@dataclass
class Edition:
    name: str
    label: str
    parameters: dict
    chapters: list[str] | None = None  # chapter stems to include (default: all in _quarto.yml)


def load_edition(path: str | Path | None) -> Edition:
    if path is None:
        return Edition("england", "England", {"area": "England"})
    p = Path(path)
    if not p.exists():
        raise SendReportError(f"{p}: parameter file not found")
    doc = yaml.safe_load(p.read_text()) or {}
    params = doc.get("parameters") or {}
    bad = {k: v for k, v in params.items() if not isinstance(v, str | int | float | bool)}
    if bad:
        raise SendReportError(f"{p}: parameters must be scalars; not {sorted(bad)}")
    chapters = doc.get("chapters")
    if chapters is not None and not all(isinstance(c, str) for c in chapters):
        raise SendReportError(f"{p}: 'chapters' must be a list of notebook names")
    return Edition(str(doc.get("edition", p.stem)), str(doc.get("label", p.stem)), params,
                   chapters)


def quarto_config(root: Path) -> dict:
    p = root / "_quarto.yml"
    if not p.exists():
        raise SendReportError(f"{p}: not found; the chapter order is read from it")
    doc = yaml.safe_load(p.read_text())
    book = doc.get("book") or {}
    chapters = [c for c in book.get("chapters", []) if isinstance(c, str)]
    if not any(c.endswith(".ipynb") for c in chapters):
        raise SendReportError(f"{p}: book.chapters lists no notebooks")
    return {"title": book.get("title", "Report"), "subtitle": book.get("subtitle", ""),
            "author": book.get("author", ""), "chapters": chapters}
