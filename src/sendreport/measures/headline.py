"""Headline figures (the manifest and "What changed") and the tracker of measures."""

from __future__ import annotations

import pandas as pd

from sendreport.catalogue import Catalogue
from sendreport.measures.ehcp import ehcp_growth, ehcp_series
from sendreport.measures.finance import dsg_deficit_by_year
from sendreport.measures.funding import high_needs_block
from sendreport.measures.health import dmo_dco_share
from sendreport.measures.placements import placement_shares
from sendreport.measures.requests import demand_series, timeliness_series
from sendreport.measures.tribunals import appeal_rate_series


def headline_figures(cat) -> dict[str, dict]:
    s = ehcp_series(cat)
    last = s.iloc[-1]
    t = timeliness_series(cat).iloc[-1]
    a = appeal_rate_series(cat).iloc[-1]
    d = dsg_deficit_by_year(cat).iloc[-1]
    h = high_needs_block(cat).iloc[-1]
    g = ehcp_growth(cat, 2015, last["january"])
    ms = placement_shares(cat)
    ms = ms[ms["group"] == "Mainstream schools"].sort_values("january").iloc[-1]
    return {
        "EHC plans, latest January": {"value": float(last["plans"]),
                                      "period": f"January {last['january']}",
                                      "datasets": ["ehcp"]},
        "Growth in plans since January 2015 (%)": {"value": round(g.value, 2),
                                                   "period": g.period, "datasets": ["ehcp"]},
        "Share of plans in mainstream schools, of plans with a known placement (%)": {
            "value": round(float(ms["share_pct"]), 2), "period": f"January {ms['january']}",
            "datasets": ["ehcp"]},
        "Plans issued within 20 weeks, excl. exceptions (%)": {
            "value": round(float(t["pct_within_20_weeks"]), 2), "period": str(t["year"]),
            "datasets": ["ehcp"]},
        "SEND tribunal appeal rate (%)": {"value": round(float(a["appeal_rate_pct"]), 3),
                                          "period": str(a["year"]), "datasets": ["ehcp"]},
        "Councils with a cumulative DSG deficit (%)": {
            "value": round(float(d["share_in_deficit_pct"]), 2), "period": str(d["period"]),
            "datasets": ["dsg-balance"]},
        "High needs block before deductions (£)": {
            "value": float(h["hnb_before_deductions"]), "period": str(h["financial_year"]),
            "datasets": ["dsg-allocations"]},
    }

def tracker(cat: Catalogue) -> pd.DataFrame:
    """Measures a reader can follow between releases: latest value, the year before, direction
    and which direction would be better."""
    from sendreport.numbers import n as fmt_n
    from sendreport.numbers import pct as fmt_p

    nd = demand_series(cat).set_index("year")
    timely = timeliness_series(cat).set_index("year")["pct_within_20_weeks"]
    appeals = appeal_rate_series(cat).set_index("year")["appeal_rate_pct"]
    dmo = dmo_dco_share(cat)
    dmo = dmo[dmo["role"] == "Designated medical officer"].set_index("year")["share_pct"]
    series = ehcp_series(cat).set_index("january")["plans"]
    ms = placement_shares(cat)
    ms = ms[ms["group"] == "Mainstream schools"].set_index("january")["share_pct"]
    rows = []
    for name, s, fmt, better in [
        ("EHC plans (January)", series, fmt_n, "context"),
        ("Requests for assessment", nd["requests"].dropna(), fmt_n, "context"),
        ("Share of requests refused", (100 * nd["refused_to_assess"] / nd["requests"]).dropna(),
         fmt_p, "context"),
        ("Plans issued within 20 weeks", timely, fmt_p, "up"),
        ("SEND tribunal appeal rate", appeals, lambda v: fmt_p(v, 2), "down"),
        ("Share of plans in mainstream schools (January)", ms, fmt_p, "context"),
        ("Councils with a designated medical officer", dmo, fmt_p, "up"),
    ]:
        a, b = s.iloc[-2], s.iloc[-1]
        direction = "up" if b > a else "down" if b < a else "flat"
        rows.append((name, str(s.index[-1]), fmt(b), f"{fmt(a)} ({s.index[-2]})", direction,
                     better))
    return pd.DataFrame(rows, columns=["measure", "latest year", "latest", "year before",
                                       "direction", "better if"])
