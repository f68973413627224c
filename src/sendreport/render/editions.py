"""Editions: parameter files (params/*.yml), and the book's chapter order in _quarto.yml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from sendreport.errors import SendReportError

DRAFT = "_draft"  # the git-ignored folder of draft renders


#: the keys of a parameter file; anything else (a parameter written at the top instead of
#: under ``parameters``) is refused, never ignored
FILE_KEYS = ("edition", "label", "parameters", "chapters")


@dataclass(frozen=True)
class Edition:
    """One edition, checked once at the door.

    ``load_edition`` reads a parameter file and refuses unknown keys at every level;
    ``resolve`` then checks its values against the registry and the data before anything
    executes: every release pin names a registered dataset and release (with the nearest names
    when not), the projection's parameters are in range, and the area is England or one
    council, given by its canonical name. Everything downstream (cache keys, kernels, the
    chapters, the manifest, the site and the PDF) reads ``parameters`` of a resolved edition,
    so that "Kent", "kent" and "886" are one edition with one cache entry."""
    name: str
    label: str
    parameters: dict
    chapters: list[str] | None = None  # chapter stems to include (default: all in _quarto.yml)
    la_code: str | None = None  # the council, once resolved; None for England
    resolved: bool = False

    @property
    def is_england(self) -> bool:
        return self.la_code is None

    @property
    def pins(self) -> dict[str, str]:
        from sendreport.parameters import parse_releases

        return parse_releases(str(self.parameters.get("releases", "") or ""))

    def resolve(self, paths, registry) -> Edition:
        """This edition with every value checked and in canonical form (see the class)."""
        import dataclasses

        params = dict(self.parameters)
        pins = resolve_pins(str(params.get("releases", "") or ""), registry)
        params["releases"] = ",".join(f"{k}={v}" for k, v in sorted(pins.items()))
        _check_projection(params)
        area = str(params.get("area", "England") or "England").strip()
        la_code = None
        if area.lower() == "england":
            params["area"] = "England"
        else:
            from sendreport.catalogue import Catalogue
            from sendreport.measures import council as M

            row = M.match(M.councils(Catalogue(paths, registry, releases=pins)), area)
            params["area"], la_code = str(row["la_name"]), str(row["la_code"])
        return dataclasses.replace(self, parameters=params, la_code=la_code, resolved=True)


def resolve_pins(text: str, registry) -> dict[str, str]:
    """The ``releases`` parameter checked against the registry: each pin names a registered
    dataset and one of its releases; an unknown one is refused with the nearest names."""
    from sendreport.parameters import parse_releases
    from sendreport.registry import RegistryError

    pins = parse_releases(text)
    for ds, label in pins.items():
        try:
            registry.dataset(ds).release(label)
        except RegistryError as e:
            raise SendReportError(f"parameter 'releases': {e}") from None
    return pins


def _check_projection(params: dict) -> None:
    """The projection's parameters, checked as the projection chapter will read them."""
    from sendreport.parameters import PROJECTION_PARAMETERS

    given = {k: v for k, v in params.items() if k in PROJECTION_PARAMETERS}
    if not given:
        return
    from sendreport.chapters.projection import assumptions

    try:
        assumptions(given).check()
    except (TypeError, ValueError) as e:
        raise SendReportError(f"projection parameters: {e}") from None


def check_parameters(params: dict, where: str) -> None:
    """Refuse a parameter no chapter declares (a misspelt key would otherwise be ignored and
    render England's data under another name), naming the nearest known one."""
    import difflib

    from sendreport.parameters import COMMON_PARAMETERS
    from sendreport.parameters import PROJECTION_PARAMETERS as PROJECTION

    known = set(COMMON_PARAMETERS) | set(PROJECTION)
    for k in params:
        if k not in known:
            near = difflib.get_close_matches(k, sorted(known), n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            raise SendReportError(f"{where}: unknown parameter '{k}'{hint}; known: "
                                  f"{', '.join(sorted(known))}")
    if params.get("releases"):
        from sendreport.parameters import parse_releases

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
    import difflib

    from sendreport.parameters import COMMON_PARAMETERS
    from sendreport.parameters import PROJECTION_PARAMETERS as PROJECTION

    for k in doc:
        if k not in FILE_KEYS:
            where = (f" ('{k}' is a parameter: put it under 'parameters:')"
                     if k in COMMON_PARAMETERS or k in PROJECTION else "")
            near = difflib.get_close_matches(str(k), FILE_KEYS, n=1)
            hint = where or (f" (did you mean '{near[0]}'?)" if near else "")
            raise SendReportError(f"{p}: unknown key '{k}'{hint}; a parameter file has "
                                  f"{', '.join(FILE_KEYS)}")
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
