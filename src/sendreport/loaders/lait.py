"""The Local Authority Interactive Tool: the long parquet table, its data dictionary and LA list."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sendreport.errors import DataValidationError
from sendreport.loaders.common import (
    check_file,
    check_unique,
    finalise,
    read_csv,
    require_columns,
)
from sendreport.loaders.workbook import open_workbook, read_sheet, table_below
from sendreport.symbols import parse_numeric
from sendreport.validate import validate_tidy

LAIT_SEND_PATTERN = r"SEN|EHC|Age19_|KS4_SEN|L2EM"


def load_lait(path: Path, release: str) -> dict[str, pd.DataFrame]:
    check_file(path)
    try:
        df = pd.read_parquet(path)
    except Exception as e:
        raise DataValidationError(Path(path).name, f"cannot be read as parquet: {e}") from e
    lab = Path(path).name
    need = ["Short Desc", "Data item", "Years", "LA and Regions", "Values", "LA Number", "Region"]
    require_columns(df, need, lab)
    df = df[df["Short Desc"].astype(str).str.contains(LAIT_SEND_PATTERN, regex=True)]
    # LAIT numbers: LAs below 970, England 970, regions 980-990; 1000 is a discontinued
    # England series that duplicates 970, so it is left out
    df = df[df["LA Number"].ne(1000)].reset_index(drop=True)
    rows = df.index.to_numpy() + 1
    vals, status = parse_numeric(df["Values"], file=lab, column="Values", rows=rows,
                                 dash_is_nil=False)
    num = df["LA Number"]
    if num.isna().any():
        i = int(np.flatnonzero(num.isna().to_numpy())[0])
        raise DataValidationError(lab, "row without an LA number", column="LA Number",
                                  row=int(rows[i]), expected="an LA, region or England number")
    name = df["LA and Regions"].astype(str).str.strip()
    level = np.where(num < 970, "la", np.where(num == 970, "national", "regional"))
    years = df["Years"].astype(str).str.strip()
    t = pd.DataFrame({
        "period": years.str.extract(r"^(\d{4}(?:[-/]\d{2})?)", expand=False).fillna(years),
        "period_type": "other",
        "geographic_level": level,
        "region_name": df["Region"].fillna("").astype(str),
        "la_code": np.where(num < 970, num.astype(int).astype(str), ""),
        "la_name": name,
        "breakdown_topic": "LAIT item",
        "breakdown": years.where(years.str.contains(r"\("), "Total"),
        "measure": df["Short Desc"].astype(str),
        "value": vals, "status": status, "source_row": rows,
    })
    t["release"] = release
    check_unique(t, ["measure", "period", "breakdown", "geographic_level", "la_name"], lab,
                 t["source_row"])
    bad_period = ~t["period"].str.fullmatch(r"\d{4}([-/]\d{2})?")
    if bad_period.any():
        i = int(np.flatnonzero(bad_period.to_numpy())[0])
        raise DataValidationError(lab, "unreadable year", column="Years", row=int(rows[i]),
                                  expected="YYYY, YYYY-YY or YYYY/YY", found=years.iloc[i])
    t["period"] = t["period"].str.replace("/", "-", regex=False)
    signed = [m for m in t["measure"].unique() if "Prog" in m or "Progress" in m]
    validate_tidy(t, lab, signed=signed + ["SENFinance"])
    items = df[["Short Desc", "Data item"]].drop_duplicates().rename(
        columns={"Short Desc": "measure", "Data item": "description"})
    return {"lait_send": finalise(t), "lait_send_items": items.reset_index(drop=True)}


def load_dictionary(path: Path, release: str) -> dict[str, pd.DataFrame]:
    df = read_csv(path)
    lab = Path(path).name
    require_columns(df, ["Measure_code", "Measure_short", "Measure", "Description",
                         "Last Update"], lab)
    df = df[["Measure_short", "Measure", "Topic", "Description", "Last Update",
             "Data Owner (DO) /Supplier and Contact Details"]].copy()
    df["release"] = release
    return {"lait_dictionary": df.reset_index(drop=True)}


def load_la_list(path: Path, release: str) -> dict[str, pd.DataFrame]:
    xl = open_workbook(path)
    raw, lab = read_sheet(xl, path, r".*")
    df = table_below(raw, 0)
    require_columns(df, ["LA Number", "LA Name", "Region", "Type"], lab)
    df = df[pd.to_numeric(df["LA Number"], errors="coerce").between(100, 999)]
    df["LA Number"] = df["LA Number"].astype(int).astype(str)
    df["release"] = release
    return {"lait_la_list": df.reset_index(drop=True)}
