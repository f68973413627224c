"""ONS formats: mid-year population estimates (EES CSV) and the LTLA to UTLA lookup."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sendreport.errors import DataValidationError
from sendreport.loaders.common import (
    ees_to_tidy,
    finalise,
    read_csv,
    require_columns,
)
from sendreport.validate import validate_tidy


def load_population(path: Path, release: str) -> dict[str, pd.DataFrame]:
    df = read_csv(path)
    lab = Path(path).name
    require_columns(df, ["age_group", "population_estimate"], lab)
    t = ees_to_tidy(df, lab, ["population_estimate"], release=release, snapshot=False,
                    breakdown_col="age_group", topic_value="Age group")
    t["period_type"] = "calendar_year"  # mid-year (30 June) estimate for the calendar year
    # Dorset, Poole and Bournemouth are unavailable before 2019 (the file has only the new
    # councils' areas): a year with an unavailable LA is not reconciled, every other year is.
    validate_tidy(t, lab, reconcile=["population_estimate"], yoy=["population_estimate"],
                  reconcile_opts={"per_suppressed": 1e12})
    return {"population_0_17": finalise(t)}


def load_ltla_utla(path: Path, release: str) -> dict[str, pd.DataFrame]:
    df = read_csv(path)
    lab = Path(path).name
    require_columns(df, ["LTLA23CD", "LTLA23NM", "UTLA23CD", "UTLA23NM"], lab)
    bad = ~df["LTLA23CD"].str.fullmatch(r"[EW]\d{8}")
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise DataValidationError(lab, "not a GSS code", column="LTLA23CD", row=i + 2,
                                  expected="a code like E06000001", found=df["LTLA23CD"].iloc[i])
    df = df[["LTLA23CD", "LTLA23NM", "UTLA23CD", "UTLA23NM"]].copy()
    df["release"] = release
    return {"ltla_utla_lookup": df}
