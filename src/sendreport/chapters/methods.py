"""Methods and sources: how the numbers are made, every registered source, quality notes."""

from __future__ import annotations

import pandas as pd

from sendreport.chapters.base import Chapter
from sendreport.measures import funding


def build(c: Chapter) -> None:
    v = c.v
    v.deflator = funding.gdp_deflator_fy(c.cat).series
    rows = []
    for d in c.cat.registry.datasets.values():
        for r in d.sorted_releases():
            files = r.files
            named = (files[0].name if len(files) == 1 else
                     f"{len(files)} files ({files[0].name.rsplit('.', 1)[-1].upper()})")
            rows.append({"publisher": d.publisher, "dataset": d.title, "release": r.label,
                         "published": r.release_date, "file": named,
                         "sha256": files[0].sha256[:12] + ("..." if len(files) == 1 else
                                                           "... (first file)"),
                         "licence": d.licence})
    c.add_table("sources", pd.DataFrame(rows),
                source="Source: data/sources.yml (the project's sources registry); landing pages "
                       "and every file's checksum are listed there.")
    c.cat.load_all()  # every registered file is validated and its notes listed here
    notes = c.cat.notes()
    c.add_table("quality-notes",
                pd.DataFrame(notes) if notes else pd.DataFrame({"file": [], "note": [],
                                                                "cells": []}),
                source="Source: validation notes from `sendreport data check`.")
    params = {"area": c.area, "releases": c.params.get("releases", "") or "newest of each"}
    pins = c.cat.pins
    c.add_table("parameters", pd.DataFrame(
        [("area", params["area"]), ("releases pinned", ", ".join(f"{k}={x}" for k, x in
                                                                  pins.items()) or "none: the newest release of every dataset")],
        columns=["parameter", "value"]), source="Source: this edition's parameters.")
