"""Format families: the loader for each registered file's ``format``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from sendreport.errors import DataValidationError
from sendreport.loaders import dsg, ehcp, ks4_destinations, ofsted_reports, ons_timeseries, other
from sendreport.loaders.common import require_columns
from sendreport.loaders.workbook import open_workbook, read_sheet, table_below


def _lait_dictionary(path: Path, release: str) -> dict[str, pd.DataFrame]:
    df = other._read_csv(path)
    lab = Path(path).name
    require_columns(df, ["Measure_code", "Measure_short", "Measure", "Description",
                         "Last Update"], lab)
    df = df[["Measure_short", "Measure", "Topic", "Description", "Last Update",
             "Data Owner (DO) /Supplier and Contact Details"]].copy()
    df["release"] = release
    return {"lait_dictionary": df.reset_index(drop=True)}


def _lait_la_list(path: Path, release: str) -> dict[str, pd.DataFrame]:
    xl = open_workbook(path)
    raw, lab = read_sheet(xl, path, r".*")
    df = table_below(raw, 0)
    require_columns(df, ["LA Number", "LA Name", "Region", "Type"], lab)
    df = df[pd.to_numeric(df["LA Number"], errors="coerce").between(100, 999)]
    df["LA Number"] = df["LA Number"].astype(int).astype(str)
    df["release"] = release
    return {"lait_la_list": df.reset_index(drop=True)}


def _ltla_utla(path: Path, release: str) -> dict[str, pd.DataFrame]:
    df = other._read_csv(path)
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


LOADERS: dict[str, Callable[[Path, str], dict[str, pd.DataFrame]]] = {
    "ehcp-2022": ehcp.load_2022,
    "ehcp-2023": ehcp.load_2023,
    "dsg-workbook": dsg.load,
    "dsg-balance-xlsx": other.load_dsg_balance,
    "hn-benchmarking-xlsx": other.load_hn_benchmarking,
    "lait-parquet": other.load_lait,
    "lait-dictionary": _lait_dictionary,
    "lait-la-list": _lait_la_list,
    "stat-neighbours": other.load_stat_neighbours,
    "moj-appeal-rate-ods": other.load_moj_tribunal,
    "ofsted-area-send-ods": other.load_ofsted,
    "ons-population-ees": other.load_population,
    "ons-ltla-utla": _ltla_utla,
    "ofsted-area-send-pdf": ofsted_reports.load,
    "ons-timeseries-csv": ons_timeseries.load,
    "ks4-destinations-ees": ks4_destinations.load,
}

#: the tidy tables each format's loader returns (checked on every parse), so that a table can be
#: loaded without parsing files that do not contribute to it
FORMAT_TABLES: dict[str, list[str]] = {
    "ehcp-2022": ["ehcp2022_caseload_estab", "ehcp2022_caseload_age", "ehcp2022_mi"],
    "ehcp-2023": ["ehcp_caseload", "ehcp_newplans", "ehcp_requests", "ehcp_assessments",
                  "ehcp_timeliness", "ehcp_ceased", "ehcp_needs", "ehcp_dmo_dco",
                  "tribunal_appeal_rates"],
    "dsg-workbook": ["dsg_high_needs", "dsg_high_needs_deductions"],
    "dsg-balance-xlsx": ["dsg_balance"],
    "hn-benchmarking-xlsx": ["hn_benchmarking"],
    "lait-parquet": ["lait_send", "lait_send_items"],
    "lait-dictionary": ["lait_dictionary"],
    "lait-la-list": ["lait_la_list"],
    "stat-neighbours": ["stat_neighbours"],
    "moj-appeal-rate-ods": ["tribunal_appeal_rates_moj"],
    "ofsted-area-send-ods": ["ofsted_area_send"],
    "ons-population-ees": ["population_0_17"],
    "ons-ltla-utla": ["ltla_utla_lookup"],
    "ofsted-area-send-pdf": ["area_send_reports_2023"],
    "ons-timeseries-csv": ["gdp_deflator"],
    "ks4-destinations-ees": ["ks4_destinations"],
}

def loader_for(fmt: str):
    try:
        return LOADERS[fmt]
    except KeyError:
        raise DataValidationError(
            fmt, "unknown file format", expected=", ".join(sorted(LOADERS))
        ) from None
