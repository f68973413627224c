"""Loaders for the smaller sources: population, DSG balances, benchmarking, LAIT, neighbours,
Ofsted area SEND inspections and the MoJ appeal-rate workbook."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from sendreport.errors import DataValidationError
from sendreport.loaders.common import (
    check_file,
    check_unique,
    ees_to_tidy,
    finalise,
    require_columns,
)
from sendreport.loaders.workbook import header_row, open_workbook, read_sheet, table_below
from sendreport.symbols import parse_numeric
from sendreport.validate import validate_tidy


def _read_csv(path: Path, **kw) -> pd.DataFrame:
    check_file(path)
    with open(path, "rb") as fh:
        if fh.read(2) == b"PK":
            raise DataValidationError(Path(path).name, "is a zip or workbook, not a CSV file",
                                      expected="a CSV file")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", **kw)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as e:
        raise DataValidationError(Path(path).name, f"cannot be read as CSV: {e}") from e
    df.columns = [str(c).strip() for c in df.columns]
    return df


# ----------------------------------------------------------------------------- ONS population
def load_population(path: Path, release: str) -> dict[str, pd.DataFrame]:
    df = _read_csv(path)
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


# ----------------------------------------------------------------------------- DSG balance
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


# ----------------------------------------------------------------------------- benchmarking
HN_BENCH_COLUMNS = {
    4: "population_2_18",
    6: "ehcp_total",
    7: "ehcp_mainstream",
    8: "ehcp_resourced_provision_sen_unit",
    9: "ehcp_maintained_special",
    10: "ehcp_nmss_independent",
    11: "ehcp_hospital_ap",
    12: "ehcp_post16",
    13: "ehcp_other",
}


def load_hn_benchmarking(path: Path, release: str) -> dict[str, pd.DataFrame]:
    xl = open_workbook(path)
    df, lab = read_sheet(xl, path, r".*")
    h = header_row(df, 2, "LA code", lab)
    heads = {4: "2-18 population", 6: "with sen statement or ehcp", 7: "mainstream",
             9: "special", 10: "independent"}
    for j, word in heads.items():
        text = " ".join(str(df.iat[i, j]) for i in range(h - 1, h + 2)).lower()
        if word not in text.replace("\n", " "):
            raise DataValidationError(lab, "column heading not as expected", column=str(j),
                                      row=h + 1, expected=f"a heading containing '{word}'",
                                      found=text[:80])
    data = df.iloc[h + 2:]
    code = data.iloc[:, 2]
    isla = code.astype(str).str.fullmatch(r"\d{3}(\.0)?")
    data = data[isla.to_numpy()]
    rows = data.index.to_numpy() + 1
    year = str(df.iat[1, 2]) if not pd.isna(df.iat[1, 2]) else release
    parts = []
    for j, m in HN_BENCH_COLUMNS.items():
        vals, status = parse_numeric(data.iloc[:, j].reset_index(drop=True), file=lab, column=m,
                                     rows=rows)
        parts.append(pd.DataFrame({
            "period": year, "period_type": "financial_year", "geographic_level": "la",
            "region_name": data.iloc[:, 1].astype(str).str.strip().str.title().to_numpy(),
            "la_code": data.iloc[:, 2].astype(str).str[:3].to_numpy(),
            "la_name": data.iloc[:, 3].astype(str).str.strip().to_numpy(),
            "measure": m, "value": vals, "status": status, "source_row": rows,
        }))
    t = pd.concat(parts, ignore_index=True)
    t["release"] = release
    check_unique(t, ["la_code", "measure"], lab, t["source_row"])
    validate_tidy(t, lab)
    # placements must add up to the total for every LA
    w = t.pivot_table(index="la_code", columns="measure", values="value", observed=True)
    place = [m for m in HN_BENCH_COLUMNS.values() if m.startswith("ehcp_") and m != "ehcp_total"]
    diff = (w[place].sum(axis=1) - w["ehcp_total"]).abs()
    if (diff > 1).any():
        la = diff.index[(diff > 1).to_numpy()][0]
        raise DataValidationError(lab, f"placements do not add up to the EHC plan total for LA "
                                  f"{la}", column="ehcp_total", expected="sum of placements")
    return {"hn_benchmarking": finalise(t)}


# ----------------------------------------------------------------------------- LAIT
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


# ----------------------------------------------------------------------------- neighbours
def load_stat_neighbours(path: Path, release: str) -> dict[str, pd.DataFrame]:
    """DfE children's services statistical neighbours: 10 per LA, with closeness."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        df = _read_csv(path)
        lab = path.name
        header_line = 1
    else:
        xl = open_workbook(path)
        raw, lab = read_sheet(xl, path, r".*")
        h = header_row(raw, 0, "LA num", lab)
        df = table_below(raw, h)
        header_line = h + 1
    cols = list(df.columns)
    require_columns(df, ["LA num", "LA Name", "SN1", "SN10"], lab)
    recs = []
    for i in range(len(df)):
        la = str(df.iat[i, 0]).strip()
        if not re.fullmatch(r"\d{3}(\.0)?", la):
            continue
        for k in range(1, 11):
            j = cols.index(f"SN{k}")
            nb = df.iat[i, j]
            close = df.iat[i, j + 1] if j + 1 < len(cols) else ""
            if pd.isna(nb) or str(nb).strip() == "":
                continue
            nbs = str(nb).strip()
            if not re.fullmatch(r"\d{3}(\.0)?", nbs):
                raise DataValidationError(lab, "neighbour is not an LA number", column=f"SN{k}",
                                          row=header_line + i + 1, expected="a 3-digit LA number",
                                          found=nb)
            recs.append((la[:3], str(df.iat[i, 1]).strip(), k, nbs[:3],
                         str(close).strip().capitalize(), release))
    out = pd.DataFrame(recs, columns=["la_code", "la_name", "rank", "neighbour_la_code",
                                      "closeness", "release"])
    if out.empty:
        raise DataValidationError(lab, "no LA rows found")
    check_unique(out, ["la_code", "rank"], lab)
    return {"stat_neighbours": out}


# ----------------------------------------------------------------------------- Ofsted
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


# ----------------------------------------------------------------------------- MoJ appeals
def load_moj_tribunal(path: Path, release: str) -> dict[str, pd.DataFrame]:
    from sendreport.loaders.ehcp import parse_tribunal_wide

    xl = open_workbook(path)
    raw, lab = read_sheet(xl, path, r"SEND_2")
    raw = raw.astype(object).where(raw.notna(), "")
    t = parse_tribunal_wide(raw, lab, release)
    return {"tribunal_appeal_rates_moj": t}
