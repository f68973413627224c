"""Recommendation 8: efficiency and benchmarks (high needs block per plan and per child)."""

from __future__ import annotations

import pandas as pd

from sendreport.chapters import wording as w
from sendreport.chapters.base import Chapter, Trend
from sendreport.measures import funding


def build(c: Chapter) -> None:
    v = c.v
    c.recommendation = 8
    res = funding.benchmarks(c.cat)
    bm = res.frame
    v.fy, v.january, v.population_year = res.fy, res.january, res.population_year
    hi = bm[bm["per_plan_outlier"] == "high"]
    lo = bm[bm["per_plan_outlier"] == "low"]
    v.high_names, v.low_names = list(hi["la_name"]), list(lo["la_name"])
    ok = bm[bm["plans_flag"] == ""]  # a per-plan figure on a flagged count is in no summary
    flagged = bm[bm["plans_flag"] != ""]
    v.flagged_note = (f" Left out because their count of plans for January {res.january} is "
                      f"flagged ({w.listing(list(flagged['la_name']))}): see Data quality."
                      if len(flagged) else "")
    v.q1, v.median, v.q3 = ok["per_plan"].quantile([0.25, 0.5, 0.75])
    high = (w.count(len(v.high_names), "council") + " stand out high"
            + (f": {w.listing(v.high_names)}" if v.high_names else ""))
    low = (w.count(len(v.low_names), "council") + " stand out low"
           + (f": {w.listing(v.low_names)}" if v.low_names else ""))
    v.outliers = f"{high[0].upper()}{high[1:]}; {low}"
    plotted = ok.dropna(subset=["per_plan"])
    in_iqr = plotted["per_plan"].between(v.q1, v.q3).mean()
    c.add_chart(
        "rec8-per-plan", plotted, kind="hist", x="per_plan", y="la_name",
        title=f"Half of councils receive between {w.gbp(v.q1)} and {w.gbp(v.q3)} per plan",
        subtitle=f"High needs block before deductions per EHC plan, £, number of councils, {v.fy} "
                 f"(plans in January {v.january})",
        alt=f"Histogram of {len(plotted)} councils, median {w.gbp(v.median)} per plan; "
            f"{w.pct(100 * in_iqr, 0)} lie between {w.gbp(v.q1)} and {w.gbp(v.q3)}.",
        source=c.source("dsg_high_needs", "ehcp_caseload_harmonised", period=v.fy)
        + v.flagged_note,
        xlabel="£ per EHC plan", ylabel="councils")
    cols = ["la_name", "region", "per_plan", "per_plan_sn_median", "per_plan_vs_sn_pct",
            "per_plan_region_median", "per_child", "per_child_vs_sn_pct"]
    ext = pd.concat([ok.nlargest(6, "per_plan_vs_sn_pct"),
                     ok.nsmallest(6, "per_plan_vs_sn_pct")])[cols]
    names = {"la_name": "council", "per_plan": "per plan",
             "per_plan_sn_median": "neighbours' median per plan",
             "per_plan_vs_sn_pct": "per plan vs neighbours",
             "per_plan_region_median": "region's median per plan", "per_child": "per child",
             "per_child_vs_sn_pct": "per child vs neighbours"}
    c.add_table("rec8-extremes", ext.rename(columns=names),
                formats={"per plan": "£{:,.0f}", "neighbours' median per plan": "£{:,.0f}",
                         "per plan vs neighbours": "{:+.0f}%",
                         "region's median per plan": "£{:,.0f}", "per child": "£{:,.0f}",
                         "per child vs neighbours": "{:+.0f}%"},
                source=c.source("dsg_high_needs", "ehcp_caseload_harmonised", "population_0_17",
                                "stat_neighbours")
                + " Six furthest above and six furthest below; every council in "
                  "rec8-benchmarks.csv." + v.flagged_note)
    c.add_table("rec8-benchmarks", bm, source="(full table)")
    v.local = ""
    if not c.is_england:
        r = c.own_row(bm)
        if r is not None and r["plans_flag"]:
            v.local = (f"**{c.area}**: {w.gbp(r['per_plan'])} per plan, on a count of plans "
                       f"flagged as {r['plans_flag']} (see Data quality), so it is not compared "
                       f"with its neighbours; {w.gbp(r['per_child'])} per child.")
        elif r is not None:
            v.local = (f"**{c.area}**: {w.gbp(r['per_plan'])} per plan, "
                       f"{r['per_plan_vs_sn_pct']:+.0f}% against its statistical neighbours' "
                       f"median of {w.gbp(r['per_plan_sn_median'])}; {w.gbp(r['per_child'])} per "
                       f"child.")
        else:
            v.local = f"**{c.area}** has no high needs block row for {v.fy}."
    hp = funding.high_needs_per_plan(c.cat)
    c.since = Trend(f"the high needs block per plan in real terms ({funding.gdp_deflator_fy(c.cat).base} prices)",
                    hp["hnb_per_plan_real"].iloc[-2], hp["hnb_per_plan_real"].iloc[-1],
                    hp["financial_year"].iloc[-2], hp["financial_year"].iloc[-1],
                    better="neither", fmt="gbp")
