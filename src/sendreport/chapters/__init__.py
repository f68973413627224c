"""Chapters: what each chapter of the report shows, computed from ``measures``.

One module per chapter. Each has ``build(c)``, which fills the ``Chapter`` ``c`` with the values
its prose uses, its chart and table specifications (titles, alt text and interpretive words
included) and what its verdict line judges. A notebook calls ``setup(globals())`` once; the
chapter is found from the notebook's ``chapter`` parameter, which is its file name.

The mapping from the notebooks' parameters to dataset releases is here, and only here: the
``releases`` parameter ("ehcp=2022,dsg-allocations=2022-23"; empty for the newest of every
dataset) is read by ``parse_releases`` for execution, the render cache and the notebooks alike.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from types import SimpleNamespace

from sendreport.chapters.base import Chapter, Trend
from sendreport.errors import SendReportError
from sendreport.parameters import COMMON_PARAMETERS, parse_releases

#: notebook file name (without .ipynb) -> chapter module, in reading order
CHAPTERS: dict[str, str] = {
    "00-overview": "overview",
    "01-deficits-and-override": "f1_deficits",
    "02-ehcp-growth-and-high-needs": "f2_growth",
    "03-safety-valve-and-dbv": "f3_safety_valve",
    "04-improvement-plan-delivery": "f4_improvement_plan",
    "05-special-school-capacity": "f5_special_capacity",
    "06-capacity-planning-and-settings": "f6_settings",
    "07-inclusion-in-mainstream": "f7_inclusion",
    "08-health-and-whole-system": "f8_health",
    "09-rec1-whole-system": "r1_whole_system",
    "10-rec2-root-causes": "r2_root_causes",
    "11-rec3-integrated-system": "r3_integrated",
    "12-rec4-financial-position": "r4_financial_position",
    "13-rec5-settings": "r5_settings",
    "14-rec6-inclusion": "r6_inclusion",
    "15-rec7-implementation": "r7_implementation",
    "16-rec8-benchmarks": "r8_benchmarks",
    "17-rec9-early-identification": "r9_early_identification",
    "18-projection": "projection",
    "19-reproduction-scorecard": "scorecard",
    "20-methods-and-sources": "methods",
    "21-data-quality": "data_quality",
}

#: the council edition's one notebook (not a chapter of the England edition)
COUNCIL_CHAPTER = "council-edition"
COUNCIL_MODULE = "council"

def module_for(chapter: str):
    if chapter == COUNCIL_CHAPTER:
        return importlib.import_module(f"sendreport.chapters.{COUNCIL_MODULE}")
    try:
        return importlib.import_module(f"sendreport.chapters.{CHAPTERS[chapter]}")
    except KeyError:
        raise SendReportError(f"no chapter '{chapter}'; chapters: {', '.join(CHAPTERS)}") from None


def open_chapter(chapter: str, *, data_root: str = "", area: str = "England",
                 releases: str = "", output_dir: str = "_outputs", cat=None,
                 **params) -> Chapter:
    """Build a chapter: its catalogue with the releases pinned, then its module's ``build``."""
    import matplotlib

    from sendreport.catalogue import Catalogue
    from sendreport.config import Paths

    matplotlib.use("Agg")
    module = module_for(chapter)
    if cat is None:
        paths = Paths.discover(root=data_root or None)
        if not paths.registry.exists():
            raise SendReportError(f"no sources registry at {paths.registry}: set data_root")
        trace = Path(output_dir) / chapter / "_inputs.json"

        def record(used: dict) -> None:
            """Write the files this chapter has read (the render cache keys on them)."""
            trace.parent.mkdir(parents=True, exist_ok=True)
            trace.write_text(json.dumps(sorted(used.values(), key=lambda u: u["path"]),
                                        indent=1))

        cat = Catalogue(paths, releases=parse_releases(releases), on_load=record)
    c = Chapter(cat, chapter, area, output_dir, params)
    module.build(c)
    return c


def setup(namespace: dict) -> tuple[Chapter, SimpleNamespace]:
    """The one set-up call of every notebook: ``ch, v = setup(globals())``.

    Returns the chapter (formatters, charts, tables, claims, verdict) and its values.
    """
    params = {k: namespace[k] for k in namespace
              if not k.startswith("_") and isinstance(namespace[k], str | int | float | bool)}
    params = {**{k: v for k, v in COMMON_PARAMETERS.items() if k != "chapter"}, **params}
    chapter = params.pop("chapter", "")
    if not chapter:
        raise SendReportError("the notebook's parameters cell must set 'chapter' to the "
                              "notebook's file name")
    c = open_chapter(chapter, **params)
    return c, c.v


__all__ = ["CHAPTERS", "Chapter", "Trend", "open_chapter", "parse_releases", "setup"]
