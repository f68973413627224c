"""Requests for assessment, refusals, new plans and ceased plans, and 20-week timeliness."""

from __future__ import annotations

import pandas as pd

from sendreport.catalogue import Catalogue
from sendreport.measures.base import Figure, figure, geo, national_value, plain, values


def timeliness_20wk(cat: Catalogue, year: int | str) -> Figure:
    """Share of EHC plans issued within 20 weeks, excluding exceptions, calendar ``year``.

    From the person-level collection (2019 onwards) where it covers the year, else from the
    2022 release's management information (2014 to 2021). Computed from counts, not the
    published rounded rate.
    """
    y = str(year)
    new = cat.table("ehcp_timeliness")
    topic = "All EHC plans issued"
    nt = new[new["breakdown_topic"] == topic]
    if y in set(nt["period"].astype(str)):
        num = national_value(nt, "ehcp_timeliness", period=y, measure="plans_issued_20_weeks_ex")
        den = national_value(nt, "ehcp_timeliness", period=y, measure="plans_issued_den_ex")
        return figure(cat, "ehcp_timeliness", 100 * num / den, "%", y)
    old = cat.table("ehcp2022_mi")
    num = national_value(old, "ehcp2022_mi", period=y, measure="NoExc20weekEHC")
    den = national_value(old, "ehcp2022_mi", period=y, measure="TotNoExcEHC")
    return figure(cat, "ehcp2022_mi", 100 * num / den, "%", y)

def timeliness_20wk_mean(cat: Catalogue, start: int, end: int) -> Figure:
    figs = [timeliness_20wk(cat, y) for y in range(start, end + 1)]
    tables = tuple(dict.fromkeys(f.table for f in figs))
    return figure(cat, tables, sum(f.value for f in figs) / len(figs), "%",
                  f"{start} to {end} (mean)")

def timeliness_series(cat: Catalogue, la_code: str | None = None) -> pd.DataFrame:
    """Share of plans issued within 20 weeks (excluding exceptions), 2014 to latest year.

    2019 onwards from the person-level collection; earlier years from the 2022 release.
    """
    new = geo(cat.table("ehcp_timeliness"), la_code)
    new = new[new["breakdown_topic"] == "All EHC plans issued"]
    num = values(new[new["measure"] == "plans_issued_20_weeks_ex"])
    den = values(new[new["measure"] == "plans_issued_den_ex"])
    rows = [(p, 100 * num[p] / den[p], "2025-format") for p in den.index if p in num.index]
    old = geo(cat.table("ehcp2022_mi"), la_code)
    onum = values(old[old["measure"] == "NoExc20weekEHC"])
    oden = values(old[old["measure"] == "TotNoExcEHC"])
    have = {r[0] for r in rows}
    rows += [(p, 100 * onum[p] / oden[p], "2022-format") for p in oden.index
             if p in onum.index and p not in have and oden[p] > 0]
    out = pd.DataFrame(rows, columns=["year", "pct_within_20_weeks", "collection"])
    return out.sort_values("year").reset_index(drop=True)

def demand_series(cat: Catalogue, la_code: str | None = None) -> pd.DataFrame:
    """Requests for assessment, refusals to assess and new plans, by calendar year."""
    rows = {}
    old = geo(cat.table("ehcp2022_mi"), la_code)
    for m, col in [("InreqEHC", "requests"), ("AssRefusedEHC", "refused_to_assess"),
                   ("NewallEHC", "new_plans")]:
        for p, v in values(old[old["measure"] == m]).items():
            rows.setdefault(p, {})[col] = v
    req = geo(cat.table("ehcp_requests"), la_code)
    req = req[req["breakdown_topic"] == "All requests for EHC needs assessments"]
    for m, col in [("requests_received_in_year", "requests"),
                   ("requests_decided_not_to_assess", "refused_to_assess")]:
        for p, v in values(req[req["measure"] == m]).items():
            rows.setdefault(p, {})[col] = v
    new = geo(cat.table("ehcp_newplans"), la_code)
    new = new[(new["breakdown_topic"] == "New EHC plans") & (new["measure"] == "new_ehc_plans")]
    for p, v in values(new).items():
        rows.setdefault(p, {})["new_plans"] = v
    out = pd.DataFrame.from_dict(rows, orient="index").rename_axis("year").reset_index()
    return out.sort_values("year").reset_index(drop=True)

def flows(cat: Catalogue, la_code: str | None = None) -> pd.DataFrame:
    """Requests, refusals, new plans and ceased plans per calendar year."""
    d = demand_series(cat, la_code).set_index("year")
    ce = geo(plain(cat, "ehcp_ceased"), la_code)
    ce = ce[(ce["breakdown_topic"] == "All ceased EHC plans") & (ce["measure"] == "total_ceased")]
    d["ceased_plans"] = values(ce)
    return d.reset_index()
