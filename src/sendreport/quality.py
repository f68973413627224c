"""Data-quality notes: publisher defects that validation found and the loaders dealt with openly.

A defect is never silently repaired: affected cells get the status ``x: publisher error``
(value NaN) and a note, which the loader returns with its tables (``Parsed``) and
``sendreport data check`` prints.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sendreport.symbols import PUBLISHER_ERROR


def note(file: str, message: str, rows: int = 0) -> dict:
    return {"file": file, "note": message, "cells": rows}


def flag_repeated_regional(t: pd.DataFrame, file: str) -> tuple[pd.DataFrame, list[dict]]:
    """Flag LA cells that repeat their region's total.

    When two or more LAs in a region carry exactly the region's (positive) value for a measure,
    the LA figures cannot be right: LA rows sum to the region, so at most one LA could equal it.
    Those cells become NaN with status ``x: publisher error``. Returns the table and the notes.
    """
    if "region_code" not in t or (t["region_code"].astype(str) == "").all():
        return t, []
    keys = ["period", "region_code", "breakdown_topic", "breakdown", "measure"]
    reg = t[(t["geographic_level"] == "regional") & t["status"].eq("") & (t["value"] > 0)]
    if reg.empty:
        return t, []
    reg = reg.set_index(keys)["value"].rename("_reg")
    la = t["geographic_level"] == "la"
    j = t.loc[la, keys + ["value"]].join(reg, on=keys)
    eq = (j["value"] == j["_reg"]).to_numpy()
    if not eq.any():
        return t, []
    cand = j[eq]
    counts = cand.groupby(keys, observed=True).size()
    bad_groups = counts[counts >= 2]
    if bad_groups.empty:
        return t, []
    bad_idx = cand.set_index(keys).index.isin(bad_groups.index)
    idx = cand.index[bad_idx]
    t = t.copy()
    t.loc[idx, "value"] = np.nan
    t.loc[idx, "status"] = PUBLISHER_ERROR
    notes = []
    for k, n in bad_groups.items():
        kd = dict(zip(keys, k, strict=True))
        notes.append(note(
            file,
            f"{n} LA rows in region {kd['region_code']} repeat the regional total "
            f"for {kd['measure']} ({kd['period']}, {kd['breakdown_topic']}: {kd['breakdown']}); "
            f"set to 'x: publisher error'",
            int(n),
        ))
    return t, notes
