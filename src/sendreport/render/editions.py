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


def check_parameters(params: dict, where: str) -> None:
    """Refuse a parameter no chapter declares (a misspelt key would otherwise be ignored and
    render England's data under another name), naming the nearest known one."""
    import difflib

    from sendreport.chapters import COMMON_PARAMETERS
    from sendreport.chapters.projection import PARAMETERS as PROJECTION

    known = set(COMMON_PARAMETERS) | set(PROJECTION)
    for k in params:
        if k not in known:
            near = difflib.get_close_matches(k, sorted(known), n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            raise SendReportError(f"{where}: unknown parameter '{k}'{hint}; known: "
                                  f"{', '.join(sorted(known))}")
    if params.get("releases"):
        from sendreport.chapters import parse_releases

        parse_releases(str(params["releases"]))


def load_edition(path: str | Path | None) -> Edition:
    if path is None:
        return Edition("england", "England", {"area": "England"})
    p = Path(path)
    if not p.exists():
        raise SendReportError(f"{p}: parameter file not found")
    try:
        doc = yaml.safe_load(p.read_text()) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise SendReportError(f"{p}: not a readable YAML parameter file ({e})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("parameters") or {}, dict):
        raise SendReportError(f"{p}: a parameter file is a mapping with 'edition', 'label' and "
                              "a 'parameters' mapping (see params/england.yml)")
    params = doc.get("parameters") or {}
    check_parameters(params, str(p))
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
    own = doc.get("sendreport") or {}
    chapters = [c for c in book.get("chapters", []) if isinstance(c, str)]
    if not any(c.endswith(".ipynb") for c in chapters):
        raise SendReportError(f"{p}: book.chapters lists no notebooks")
    return {"title": book.get("title", "Report"), "subtitle": book.get("subtitle", ""),
            "author": book.get("author", ""), "chapters": chapters,
            "short_title": own.get("short-title", book.get("title", "Report")),
            "publisher": own.get("publisher", book.get("author", "")),
            "disclaimer": own.get("disclaimer", "")}
