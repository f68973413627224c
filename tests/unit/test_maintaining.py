"""docs/maintaining.md stays true: every file it names exists, and the registries it names
agree with each other."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
PAGE = (ROOT / "docs" / "maintaining.md").read_text()


def test_every_path_the_page_names_exists():
    named = set(re.findall(r"`((?:src|tests|notebooks|data|params|docs|scripts)/[^`<>* ]+)`",
                           PAGE))
    assert len(named) >= 15
    missing = sorted(p for p in named if not (ROOT / p).exists())
    assert not missing, f"docs/maintaining.md names files that do not exist: {missing}"
    for top in ("_quarto.yml", "LICENSE"):
        assert (ROOT / top).exists()


def test_the_chapter_registry_and_the_book_agree():
    from sendreport.chapters import CHAPTERS

    book = yaml.safe_load((ROOT / "_quarto.yml").read_text())["book"]["chapters"]
    stems = [Path(c).stem for c in book if str(c).endswith(".ipynb")]
    assert stems == list(CHAPTERS)
    assert all((ROOT / "notebooks" / f"{s}.ipynb").exists() for s in stems)


def test_the_format_registries_agree():
    from sendreport.formats import FORMAT_DATASET, FORMAT_TABLES, LOADERS

    assert set(LOADERS) == set(FORMAT_TABLES) == set(FORMAT_DATASET)


def test_the_functions_the_page_names_exist():
    from sendreport.chapters.base import Chapter
    from sendreport.render import editions
    from sendreport.render.build import _assemble  # noqa: F401
    from sendreport.validate import validate_tidy  # noqa: F401

    assert hasattr(Chapter, "add_chart") and hasattr(Chapter, "add_table")
    assert hasattr(editions, "quarto_config")
    text = (ROOT / "src/sendreport/render_assets/report-template.typ").read_text()
    assert "$version$" in text  # cover fields are drawn from the template's variables
