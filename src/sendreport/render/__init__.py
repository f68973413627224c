"""Render the report: execute the chapters, then write a versioned HTML and PDF.

Where the Quarto CLI is on PATH, ``quarto render`` of the project in ``_quarto.yml`` is used over
the executed notebooks (``quarto``). Where it is not (our build and CI machines), the same engines
Quarto drives are called directly (``pandoc``): pandoc 3 with a Lua filter for Quarto's cell
options writes one self-contained HTML file, and Typst writes the PDF. Both routes take the
title, chapter order and metadata from ``_quarto.yml`` (``editions``).

Modules: ``editions`` (parameter files and chapter order), ``execution`` (warm kernels with
their cache), ``versions`` (names, index, the commit), ``changes`` (what changed between versions),
``pandoc`` and ``quarto`` (the two routes), ``build`` (the command). A version is built in a
temporary directory beside ``report/`` and moved into place only when everything has succeeded;
a version that exists is never overwritten (``--draft`` renders to ``report/_draft/``).
"""

from sendreport.render.build import render
from sendreport.render.editions import DRAFT, Edition, load_edition, quarto_config
from sendreport.render.versions import default_version, published_versions, write_index


def __getattr__(name: str):
    """``load_corrections`` and ``what_changed`` on first use (they import pandas, which a
    render that keeps its draft as it is never needs)."""
    if name in ("load_corrections", "what_changed"):
        from sendreport.render import changes

        return getattr(changes, name)
    raise AttributeError(f"module 'sendreport.render' has no attribute {name!r}")

__all__ = ["DRAFT", "Edition", "default_version", "load_corrections", "load_edition",
           "published_versions", "quarto_config", "render", "what_changed", "write_index"]
