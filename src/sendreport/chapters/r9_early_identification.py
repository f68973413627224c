"""Recommendation 9: identifying needs early."""

from __future__ import annotations

import pandas as pd

from sendreport.chapters import wording as w
from sendreport.chapters.base import Chapter, Trend
from sendreport.measures import ehcp

#: councils issuing fewer new plans than this are left out of the comparison of shares
MIN_NEW_PLANS = 50


def build(c: Chapter) -> None:
    v = c.v
    c.recommendation = 9
    sy = ehcp.started_young(c.cat)
    nat = sy[sy["geographic_level"] == "national"].iloc[0]
    v.year, v.share = nat["year"], nat["share_under_5_pct"]
    v.under5, v.new_plans = nat["started_under_5"], nat["new_plans"]
    la = sy[sy["geographic_level"] == "la"].dropna(subset=["share_under_5_pct"])
    la = la[la["new_plans"] >= MIN_NEW_PLANS]
    v.la_min, v.la_max, v.min_new = (la["share_under_5_pct"].min(),
                                     la["share_under_5_pct"].max(), MIN_NEW_PLANS)
    ey = ehcp.early_years_series(c.cat, c.la_code).set_index("january")
    u5 = ey["under_5_plans"].dropna()
    v.u5_y0, v.u5_y1, v.u5_0, v.u5_1 = u5.index[0], u5.index[-1], u5.iloc[0], u5.iloc[-1]
    frame = u5.rename("under_5_plans").rename_axis("january").reset_index()
    frame["collection"] = frame["january"].map(lambda j: "statements and plans" if j < "2019"
                                               else "EHC plans")
    c.add_chart(
        "rec9-under-5", frame.astype({"january": int}), kind="line", x="january",
        y="under_5_plans", hue="collection",
        title=f"Plans for under-fives {w.change(v.u5_0, v.u5_1)} between {v.u5_y0} and {v.u5_y1}",
        subtitle=f"Statements and EHC plans held by children under 5, {c.where}, January "
                 f"{v.u5_y0} to January {v.u5_y1} (no 2023 age data; EHC plans only from 2019)",
        alt=f"Line chart: {w.n(v.u5_0)} in {v.u5_y0}, {w.n(v.u5_1)} in {v.u5_y1}.",
        source=c.source("ehcp2022_caseload_age", "ehcp_caseload",
                        period=f"January {v.u5_y0} to January {v.u5_y1}"),
        xlabel="January", ylabel="plans", thousands=True)
    eyt = ey.reset_index().dropna(how="all", subset=["under_5_plans", "early_years_placements"])
    c.add_table("rec9-early-years", eyt.rename(columns={
        "under_5_plans": "plans, children under 5",
        "early_years_placements": "placed in non-maintained early years settings"}),
        formats={"plans, children under 5": "{:,.0f}",
                 "placed in non-maintained early years settings": "{:,.0f}"},
        source=c.source("ehcp2022_caseload_age", "ehcp2022_caseload_estab", "ehcp_caseload")
        + f" {c.where}; a blank means the year is not in the registered releases.")
    last_ey = ey["early_years_placements"].dropna()
    v.ey_y0, v.ey_y1, v.ey_0, v.ey_1 = (last_ey.index[0], last_ey.index[-1], last_ey.iloc[0],
                                        last_ey.iloc[-1])
    ext = pd.concat([la.nlargest(5, "share_under_5_pct"), la.nsmallest(5, "share_under_5_pct")])
    c.add_table("rec9-extremes", ext[["la_name", "new_plans", "started_under_5",
                                      "share_under_5_pct"]].rename(columns={
        "la_name": "council", "new_plans": "new plans", "started_under_5": "started under 5",
        "share_under_5_pct": "share started under 5"}),
        formats={"new plans": "{:,.0f}", "started under 5": "{:,.0f}",
                 "share started under 5": "{:.1f}%"},
        source=c.source("ehcp_newplans", period=str(v.year))
        + f" Councils with at least {MIN_NEW_PLANS} new plans; all councils in "
          "rec9-started-young.csv.")
    c.add_table("rec9-started-young", sy, source="(full table)")
    v.local = ""
    if not c.is_england:
        r = c.own_row(sy)
        v.local = (f"**{c.area}**: {w.pct(r['share_under_5_pct'])} of its "
                   f"{w.n(r['new_plans'])} new plans in {v.year} started before age five."
                   if r is not None else f"**{c.area}** has no new plans by age for {v.year}.")
    c.since = Trend("plans held by children under five", u5.get("2024"), v.u5_1, "January 2024",
                    f"January {v.u5_y1}", better="neither", fmt="n")
