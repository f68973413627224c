"""DfE's derived DSG balance workbook: cumulative balance as a % of DSG income."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sendreport.errors import DataValidationError
from sendreport.loaders.common import (
    ees_to_tidy,
    finalise,
    require_columns,
)
from sendreport.loaders.workbook import open_workbook, read_sheet, table_below
from sendreport.validate import validate_tidy


def load_dsg_balance(path: Path, release: str) -> dict[str, pd.DataFrame]:
    xl = open_workbook(path)
    raw, lab = read_sheet(xl, path, r".*")
    df = table_below(raw, 0)
    pct = "DSG cumulative balance as a % of the total income"
    require_columns(df, ["time_period", "geographic_level", "region_name", "la_name",
                         "deficit", pct], lab)
    rows = np.arange(len(df)) + 2
    df["time_period"] = df["time_period"].astype(str)
    df = df.assign(time_identifier="Financial year", region_code="", old_la_code="",
                   new_la_code="")
    df["region_name"] = df["region_name"].fillna("")
    df["la_name"] = df["la_name"].fillna("")
    df = df.rename(columns={pct: "balance_pct_of_income", "deficit": "deficit_pct_of_income"})
    for c in ["balance_pct_of_income", "deficit_pct_of_income"]:
        df[c] = df[c].astype(object)
    t = ees_to_tidy(df, lab, ["balance_pct_of_income", "deficit_pct_of_income"],
                    release=release, snapshot=False)
    t["source_row"] = np.concatenate([rows, rows])
    # deficit = -balance by construction: a sign error in either column is caught here
    w = t.pivot_table(index="source_row", columns="measure", values="value", observed=True)
    bad = (w["balance_pct_of_income"] + w["deficit_pct_of_income"]).abs() > 0.011
    if bad.any():
        r = int(w.index[bad.to_numpy()][0])
        raise DataValidationError(lab, "deficit is not the negative of the balance", row=r,
                                  column="deficit", expected="deficit = -balance")
    validate_tidy(t, lab, signed=["balance_pct_of_income", "deficit_pct_of_income"])
    return {"dsg_balance": finalise(t)}
