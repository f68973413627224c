"""Ofsted and CQC area SEND inspections and outcomes, 2016 framework (ods)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sendreport.errors import DataValidationError
from sendreport.loaders.common import (
    check_unique,
    require_columns,
)
from sendreport.loaders.workbook import header_row, open_workbook, read_sheet, table_below


def load_ofsted(path: Path, release: str) -> dict[str, pd.DataFrame]:
    xl = open_workbook(path)
    raw, lab = read_sheet(xl, path, r"area_send.*")
    h = header_row(raw, 1, "Local authority code", lab)
    df = table_below(raw, h)
    rename = {
        "Local authority code": "gss_code", "Area name": "la_name", "Ofsted region": "region",
        "Inspection start date": "inspection_start",
        "Inspection publication date": "inspection_published",
        "Inspection outcome: written statement of action required?": "wsoa_required",
        "Number significant weaknesses identified in written statement of action":
            "n_weaknesses",
        "Revisit start date": "revisit_start",
        "Revisit publication date": "revisit_published",
        "Revisit outcome: sufficient progress in addressing all significant weaknesses?":
            "revisit_sufficient_progress",
        "Number significant weaknesses where sufficient progress has been made":
            "n_weaknesses_progress",
        "Number significant weaknesses where sufficient progress has not been made":
            "n_weaknesses_no_progress",
    }
    require_columns(df, list(rename), lab)
    df = df[list(rename)].rename(columns=rename)
    df = df[df["gss_code"].astype(str).str.match(r"E\d{8}")].copy()
    rows = df.index.to_numpy() + h + 2
    bad = ~df["wsoa_required"].isin(["Yes", "No"])
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataValidationError(lab, "unexpected outcome", column="Inspection outcome",
                                  row=int(rows[i]), expected="Yes or No",
                                  found=df["wsoa_required"].iloc[i])
    for c in ["inspection_start", "inspection_published"]:
        df[c] = pd.to_datetime(df[c], errors="coerce")
    for c in ["revisit_start", "revisit_published"]:
        # 'Not revisited yet' is kept in the outcome column; the date becomes empty
        df[c] = pd.to_datetime(df[c].where(~df[c].astype(str).str.contains("[a-z]")),
                               errors="coerce")
    for c in ["n_weaknesses", "n_weaknesses_progress", "n_weaknesses_no_progress"]:
        df[c] = pd.to_numeric(df[c], errors="coerce")
    df["revisit_sufficient_progress"] = df["revisit_sufficient_progress"].fillna("").astype(str)
    df["release"] = release
    check_unique(df, ["gss_code", "inspection_start"], lab, pd.Series(rows))
    return {"ofsted_area_send": df.reset_index(drop=True)}
