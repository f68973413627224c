"""Recommendation 2: the root causes of rising demand."""

from __future__ import annotations

import pandas as pd

from sendreport.chapters import wording as w
from sendreport.chapters.base import Chapter, Trend
from sendreport.measures import ehcp, placements, requests

PLOTTED = ["Under 5", "Age 5 to 10", "Age 11 to 15", "Age 16 to 19"]
WORDS = {"Under 5": "under-5s", "Age 5 to 10": "children aged 5 to 10",
         "Age 11 to 15": "children aged 11 to 15", "Age 16 to 19": "young people aged 16 to 19",
         "Age 20 to 25": "young people aged 20 to 25"}
#: a group holding less than this share of plans at the start has no growth rate shown
MIN_SHARE = 0.01


def build(c: Chapter) -> None:
    v = c.v
    c.recommendation = 2
    age = ehcp.plans_by_age(c.cat, c.la_code)
    v.last = age["january"].max()
    contrib = ehcp.growth_contributions(age, "age_group", "2015", v.last,
                                        min_share=MIN_SHARE).set_index("age_group")
    v.contrib = contrib
    top = contrib["share_of_growth_pct"].idxmax()
    v.top_group, v.top_share = WORDS[top], contrib.loc[top, "share_of_growth_pct"]
    young = contrib.loc[[g for g in ("Age 16 to 19", "Age 20 to 25") if g in contrib.index]]
    v.young_start, v.young_end = young["start"].sum(), young["end"].sum()
    v.young_share = young["share_of_growth_pct"].sum()
    v.young_is_largest = v.young_share > v.top_share
    v.young_words = (f"young people aged 16 to 25, the two oldest groups together, contributed "
                     f"{w.pct(v.young_share, 0)}"
                     + w.choose(v.young_is_largest, " of the increase, more than any single group",
                                ""))
    plotted = contrib.loc[[g for g in PLOTTED if g in contrib.index], "growth_pct"].dropna()
    order = w.ranked(plotted)
    v.fastest = [WORDS[g] for g in order]
    c.add_chart(
        "rec2-age", age[age["age_group"].isin(PLOTTED)].assign(
            collection=lambda d: d["january"].map(ehcp.collection)).astype({"january": int}),
        kind="line", x="january", y="plans", hue="age_group", breaks="collection",
        title=(f"Since 2015 plans grew fastest among {w.in_order(v.fastest[:2])}"
               if v.fastest else f"Plans by age group in {c.where}"),
        subtitle=f"Statements and EHC plans by age group (20 to 25 not shown), {c.where}, January "
                 f"2010 to January {v.last}; no single-year ages for 2023; EHC plans only from 2019",
        alt=f"Line chart of four age groups. Growth from January 2015 to January {v.last}: "
            + "; ".join(f"{WORDS[g]} {w.pct(plotted[g], 0)}" for g in order) + ".",
        source=c.source("ehcp2022_caseload_age", "ehcp_caseload",
                        period=f"January 2010 to January {v.last}"),
        xlabel="January", ylabel="plans", thousands=True)
    table = contrib.reset_index().rename(columns={
        "age_group": "age group", "start": "January 2015", "end": f"January {v.last}",
        "share_of_growth_pct": "share of growth", "growth_pct": "growth"})
    c.add_table("rec2-contributions-age", table,
                formats={"January 2015": "{:,.0f}", f"January {v.last}": "{:,.0f}",
                         "increase": "{:,.0f}", "share of growth": "{:.0f}%", "growth": "{:.0f}%"},
                source=c.source("ehcp2022_caseload_age", "ehcp_caseload",
                                period=f"January 2015 to January {v.last}")
                + f" Growth is not shown for a group with under {MIN_SHARE:.0%} of plans in 2015.")
    need = ehcp.plans_by_need(c.cat, c.la_code)
    v.need_january = need["january"].iloc[0]
    v.needs = [(need["need"].iloc[i].lower(), need["share_pct"].iloc[i]) for i in range(3)]
    place = placements.placement_shares(c.cat, c.la_code).rename(columns={"group": "setting"})
    cp = ehcp.growth_contributions(place, "setting", "2015", v.last, min_share=MIN_SHARE)
    c.add_table("rec2-contributions-setting", cp.rename(columns={
        "start": "January 2015", "end": f"January {v.last}",
        "share_of_growth_pct": "share of growth", "growth_pct": "growth"}),
        formats={"January 2015": "{:,.0f}", f"January {v.last}": "{:,.0f}", "increase": "{:,.0f}",
                 "share of growth": "{:.0f}%", "growth": "{:.0f}%"},
        source=c.source("ehcp_caseload_harmonised", period=f"January 2015 to January {v.last}")
        + " January 2015 counts statements and EHC plans (aggregate SEN2); from 2019, EHC plans "
          f"only. Growth is not shown for a setting with under {MIN_SHARE:.0%} of plans in 2015 "
          "(further education and young people not in education were barely recorded before "
          "plans extended to 25).")
    fl = requests.flows(c.cat, c.la_code).set_index("year")
    v.flow_year = fl.index[-1]
    v.flow_requests, v.flow_new, v.flow_ceased = (fl.loc[v.flow_year, "requests"],
                                                  fl.loc[v.flow_year, "new_plans"],
                                                  fl.loc[v.flow_year, "ceased_plans"])
    v.starts_exceed = v.flow_new > v.flow_ceased
    rate = ehcp.rate_per_1000(c.cat, str(v.last))
    r, v.implausible = c.plausible(rate.frame, v.last)
    v.rate_england, v.rate_pop_year = rate.england_per_1000, rate.population_year
    v.rate_min, v.rate_min_name = r["per_1000"].iloc[-1], r["la_name"].iloc[-1]
    v.rate_max, v.rate_max_name = r["per_1000"].iloc[0], r["la_name"].iloc[0]
    v.rate_q1, v.rate_q3 = r["per_1000"].quantile(0.25), r["per_1000"].quantile(0.75)
    v.rate_ratio = v.rate_max / v.rate_min
    c.add_chart(
        "rec2-rate-per-1000", r, kind="hist", x="per_1000", y="la_name",
        title=f"Councils' rates of EHC plans range {w.times(v.rate_min, v.rate_max)} from lowest "
              f"to highest",
        subtitle=f"EHC plans (all ages) per 1,000 children aged 0 to 17, number of councils, "
                 f"January {v.last}",
        alt=f"Histogram of {len(r)} councils' rates, from {v.rate_min:.1f} to {v.rate_max:.1f} "
            f"per 1,000; England {v.rate_england:.1f}.",
        source=c.source("ehcp_caseload_harmonised", "population_0_17",
                        period=f"January {v.last}; population mid-{v.rate_pop_year}")
        + v.implausible,
        xlabel="plans per 1,000 children aged 0-17", ylabel="councils")
    funnel = ehcp.rate_funnel(ehcp.RatePer1000(r, rate.england_per_1000, rate.population_year,
                                               rate.january))
    fr = funnel.frame
    out = fr[fr["outside_99_8"]].sort_values("funnel_z")
    v.outside_high = int((out["funnel_z"] > 0).sum())
    v.outside_low = int((out["funnel_z"] < 0).sum())
    c.add_chart(
        "rec2-rate-funnel", fr, kind="scatter", x="children_0_17", y="per_1000", label="la_name",
        annotate=list(out["la_name"]) if len(out) <= 10 else
        list(out.head(5)["la_name"]) + list(out.tail(5)["la_name"]),
        limits=funnel.limits,
        title=f"{w.count(v.outside_high + v.outside_low, 'council').capitalize()} lie outside "
              f"the 99.8% limits around England's rate: {v.outside_high} above, "
              f"{v.outside_low} below",
        subtitle=f"EHC plans per 1,000 children aged 0 to 17 against children aged 0 to 17 (log "
                 f"scale), by council, January {v.last}; England {v.rate_england:.1f}; limits "
                 f"narrow as councils grow",
        alt=f"Funnel plot of {len(fr)} councils' rates around England's {v.rate_england:.1f} per "
            f"1,000: {v.outside_high} above and {v.outside_low} below the 99.8% limits.",
        source=c.source("ehcp_caseload_harmonised", "population_0_17",
                        period=f"January {v.last}; population mid-{v.rate_pop_year}")
        + " Limits: England's rate plus or minus 1.96 and 3.09 binomial standard errors, "
          f"widened for overdispersion (phi = {funnel.phi:.1f})."
        + v.implausible,
        xlabel="children aged 0-17 (log scale)", ylabel="plans per 1,000 children")
    ext = pd.concat([out.head(5), out.tail(5)]).drop_duplicates("la_code")
    ext = ext[["la_name", "region", "plans", "children_0_17", "per_1000", "funnel_z"]]
    c.add_table("rec2-rate-outliers", ext.rename(columns={
        "la_name": "council", "children_0_17": "children aged 0-17",
        "per_1000": "plans per 1,000 children", "funnel_z": "standard errors from England"}),
        formats={"plans": "{:,.0f}", "children aged 0-17": "{:,.0f}",
                 "plans per 1,000 children": "{:.1f}", "standard errors from England": "{:+.1f}"},
        source=c.source("ehcp_caseload_harmonised", "population_0_17", period=f"January {v.last}")
        + " Councils outside the 99.8% funnel limits, furthest below and furthest above; every "
          "council in rec2-rate-all.csv." + v.implausible)
    c.add_table("rec2-rate-all", r, source="(full table)")
    v.local = ""
    if not c.is_england:
        mine = c.own_row(r)
        if mine is not None:
            rank = int((r["per_1000"] > mine["per_1000"]).sum()) + 1
            v.local = (f"**{c.area}** had {mine['per_1000']:.1f} plans per 1,000 "
                       f"children, {rank} of {len(r)} councils from the highest.")
        else:
            v.local = f"**{c.area}** has no rate for January {v.last} (plans or population missing)."
    fl_ = fl.dropna(subset=["requests"])
    c.since = Trend("requests for an EHC needs assessment", fl_.loc["2023", "requests"],
                    fl_["requests"].iloc[-1], "2023", fl_.index[-1], better="neither", fmt="n")
