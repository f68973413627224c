"""Finding 7: inclusion in mainstream schools."""

from __future__ import annotations

from sendreport.chapters import wording as w
from sendreport.chapters.base import Chapter, Trend
from sendreport.measures import inclusion, placements

L2EM = ["Age19_NoNSEN_L2EM", "Age19_SENwoS_L2EM", "Age19_SEN-S_L2EM"]
A8 = ["SEN_NoID_AVG_Attain8_Score", "SEN_WoStat_AVG_Attain8_Score", "SEN_Stat_AVG_Attain8_Score"]
PLAN = "EHC plan or statement"


def build(c: Chapter) -> None:
    v = c.v
    c.finding = 7
    l2 = inclusion.lait_outcome(c.cat, L2EM, c.la_code).dropna(subset=["value"])
    wide = l2.pivot(index="year", columns="group", values="value")
    v.y0, v.y1 = wide.index[0], wide.index[-1]
    for tag, y in (("0", v.y0), ("1", v.y1)):
        setattr(v, f"nosen_{tag}", wide.loc[y, "No SEN"])
        setattr(v, f"support_{tag}", wide.loc[y, "SEN support"])
        setattr(v, f"plan_{tag}", wide.loc[y, PLAN])
    c.add_chart(
        "l2em-at-19", l2.astype({"year": int}), kind="line", x="year", y="value", hue="group",
        title=w.choose(v.plan_1 < v.nosen_1 / 2,
                       "Young people with plans are less than half as likely as those without "
                       "SEN to have English and maths at 19",
                       "Young people with plans are less likely than those without SEN to have "
                       "English and maths at 19"),
        subtitle=f"% of 19-year-olds qualified to level 2 including English and maths, by SEN "
                 f"status in year 11, {c.where}, {v.y0} to {v.y1}",
        alt=f"Line chart: in {v.y1}, {w.pct(v.nosen_1)} with no SEN, {w.pct(v.support_1)} with "
            f"SEN support, {w.pct(v.plan_1)} with a plan.",
        source=c.source("lait_send", period=f"{v.y0} to {v.y1}")
        + " Measures: level 2 with English and maths at 19, by SEN status.",
        xlabel="year (age 19)", ylabel="% at level 2 with English and maths", percent=True)
    a8 = inclusion.lait_outcome(c.cat, A8, c.la_code).dropna(subset=["value"])
    a = a8.pivot(index="year", columns="group", values="value")
    gap0 = a.iloc[0]["No SEN"] - a.iloc[0][PLAN]
    gap1 = a.iloc[-1]["No SEN"] - a.iloc[-1][PLAN]
    v.a8_y0, v.a8_y1, v.gap0, v.gap1 = a.index[0], a.index[-1], gap0, gap1
    c.add_chart(
        "attainment8", a8.astype({"year": int}), kind="line", x="year", y="value", hue="group",
        title=w.choose(gap1 < gap0 - 1,
                       f"The attainment gap at 16 between pupils with plans and without SEN has "
                       f"narrowed since {a.index[0]}",
                       f"The attainment gap at 16 between pupils with plans and without SEN has "
                       f"not narrowed since {a.index[0]}"),
        subtitle=f"Average Attainment 8 score at key stage 4 by SEN status, {c.where}, "
                 f"{a.index[0]} to {a.index[-1]}",
        alt=f"Line chart: in {a.index[-1]}, average Attainment 8 {a.iloc[-1]['No SEN']:.1f} with "
            f"no SEN, {a.iloc[-1]['SEN support']:.1f} with SEN support and "
            f"{a.iloc[-1][PLAN]:.1f} with a plan; the gap was {gap0:.1f} points in "
            f"{a.index[0]} and {gap1:.1f} in {a.index[-1]}.",
        source=c.source("lait_send", period=f"{a.index[0]} to {a.index[-1]}")
        + " Measures: average Attainment 8 score by SEN status.",
        xlabel="year", ylabel="average Attainment 8 score")
    nm = placements.new_plans_mainstream_share(c.cat, c.la_code)
    v.nm_first_year, v.nm_last_year = nm["year"].iloc[0], nm["year"].iloc[-1]
    v.nm_first, v.nm_last = nm["mainstream_share_pct"].iloc[0], nm["mainstream_share_pct"].iloc[-1]
    c.add_table("new-plans-mainstream", nm.rename(columns={
        "new_plans": "new plans", "in_mainstream": "in mainstream schools",
        "mainstream_share_pct": "share in mainstream"}),
        formats={"new plans": "{:,.0f}", "in mainstream schools": "{:,.0f}",
                 "share in mainstream": "{:.1f}%"},
        source=c.source("ehcp_newplans", period=f"{v.nm_first_year} to {v.nm_last_year}"))
    c.since = Trend("the Attainment 8 gap between pupils with plans and without SEN (points)",
                    gap0, gap1, str(v.a8_y0), str(v.a8_y1), better="down", fmt="n")
