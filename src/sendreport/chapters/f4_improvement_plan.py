"""Finding 4: delivering the SEND and AP improvement plan."""

from __future__ import annotations

from sendreport.chapters import wording as w
from sendreport.chapters.base import Chapter, Trend
from sendreport.measures import requests

LABELS = {"requests": "Requests for assessment", "refused_to_assess": "Refused to assess",
          "new_plans": "New EHC plans"}


def build(c: Chapter) -> None:
    v = c.v
    c.finding = 4
    demand = requests.demand_series(c.cat, c.la_code)
    d = demand.set_index("year")
    v.last = d.index[-1]
    v.requests, v.refused, v.new_plans = (d.loc[v.last, "requests"],
                                          d.loc[v.last, "refused_to_assess"],
                                          d.loc[v.last, "new_plans"])
    v.requests_2019 = d["requests"].get("2019")
    v.refusal_pct = 100 * v.refused / v.requests
    v.requests_vs_2019 = w.rise(v.requests_2019, v.requests)
    long = demand.melt(id_vars="year", var_name="measure", value_name="count").dropna()
    long["measure"] = long["measure"].map(LABELS)
    long["year"] = long["year"].astype(int)
    long["collection"] = long["year"].map(lambda y: "2022 release" if y < 2019
                                          else "person-level collection")
    growth_req = d["requests"].iloc[-1] / d.loc["2021", "requests"]
    growth_new = d["new_plans"].iloc[-1] / d.loc["2021", "new_plans"]
    c.add_chart(
        "demand", long, kind="line", x="year", y="count", hue="measure", breaks="collection",
        title=w.choose(growth_req > growth_new,
                       f"Requests for assessment have grown faster than new plans since 2021 ({c.where})",
                       f"New plans have kept pace with requests for assessment since 2021 ({c.where})"),
        subtitle=f"Initial requests for an EHC needs assessment, refusals to assess and new EHC "
                 f"plans, {c.where}, calendar years {long['year'].min()} to {long['year'].max()}",
        alt=f"Line chart: requests reached {w.n(v.requests)} in {v.last} and new plans "
            f"{w.n(v.new_plans)}; since 2021 requests grew {w.times(1, growth_req)} and new plans "
            f"{w.times(1, growth_new)}.",
        source=c.source("ehcp2022_mi", "ehcp_requests", "ehcp_newplans",
                        period=f"{long['year'].min()} to {v.last}")
        + " 2014-2018 from the 2022 release; 2019 onwards from the person-level collection "
          "(a break in the series).",
        xlabel="calendar year", ylabel="number", thousands=True)
    ref = (100 * d["refused_to_assess"] / d["requests"]).dropna()
    c.since = Trend("the share of requests refused", ref.get("2023", ref.iloc[-2]), ref.iloc[-1],
                    "2023" if "2023" in ref.index else ref.index[-2], ref.index[-1],
                    better="neither")
