"""Format families: the loader for each registered file's ``format``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from sendreport.errors import DataValidationError
from sendreport.loaders import (
    benchmarking,
    dsg,
    dsg_balance,
    ehcp,
    ks4_destinations,
    lait,
    moj,
    neighbours,
    ofsted,
    ofsted_reports,
    ons,
    ons_timeseries,
)
from sendreport.loaders.common import Parsed

LOADERS: dict[str, Callable[[Path, str], dict[str, pd.DataFrame] | Parsed]] = {
    "ehcp-2022": ehcp.load_2022,
    "ehcp-2023": ehcp.load_2023,
    "dsg-workbook": dsg.load,
    "dsg-balance-xlsx": dsg_balance.load_dsg_balance,
    "hn-benchmarking-xlsx": benchmarking.load_hn_benchmarking,
    "lait-parquet": lait.load_lait,
    "lait-dictionary": lait.load_dictionary,
    "lait-la-list": lait.load_la_list,
    "stat-neighbours": neighbours.load_stat_neighbours,
    "moj-appeal-rate-ods": moj.load_moj_tribunal,
    "ofsted-area-send-ods": ofsted.load_ofsted,
    "ons-population-ees": ons.load_population,
    "ons-ltla-utla": ons.load_ltla_utla,
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

#: the dataset each format belongs to: `data add` refuses a file in another dataset's format
FORMAT_DATASET: dict[str, str] = {
    "ehcp-2022": "ehcp", "ehcp-2023": "ehcp", "dsg-workbook": "dsg-allocations",
    "dsg-balance-xlsx": "dsg-balance", "hn-benchmarking-xlsx": "hn-benchmarking",
    "lait-parquet": "lait", "lait-dictionary": "lait", "lait-la-list": "lait",
    "stat-neighbours": "stat-neighbours", "moj-appeal-rate-ods": "send-tribunal",
    "ofsted-area-send-ods": "ofsted-area-send", "ons-population-ees": "ons-population",
    "ons-ltla-utla": "ons-ltla-utla", "ofsted-area-send-pdf": "ofsted-area-send-reports",
    "ons-timeseries-csv": "ons-gdp-deflator", "ks4-destinations-ees": "ks4-destinations",
}


def loader_for(fmt: str):
    try:
        return LOADERS[fmt]
    except KeyError:
        raise DataValidationError(
            fmt, "unknown file format", expected=", ".join(sorted(LOADERS))
        ) from None
