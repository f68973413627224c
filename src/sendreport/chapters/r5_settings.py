"""Recommendation 5: how pupil numbers move between settings."""

from __future__ import annotations

from sendreport.chapters import wording as w
from sendreport.chapters.base import Chapter, Trend
from sendreport.measures import placements

MS, SS, IS = ("Mainstream schools", "State special schools",
              "Independent and non-maintained special")


def build(c: Chapter) -> None:
    v = c.v
    c.recommendation = 5
    nps = placements.new_plan_settings(c.cat, c.la_code)
    wide = nps.pivot(index="year", columns="setting", values="share_pct")
    v.y0, v.y1 = wide.index[0], wide.index[-1]
    v.ms_0, v.ms_1 = wide.loc[v.y0, MS], wide.loc[v.y1, MS]
    v.ss_0, v.ss_1 = wide.loc[v.y0, SS], wide.loc[v.y1, SS]
    v.is_0, v.is_1 = wide.loc[v.y0, IS], wide.loc[v.y1, IS]
    shares = placements.placement_shares(c.cat, c.la_code)
    sw = shares.pivot(index="january", columns="group", values="plans")
    inc = sw.diff().iloc[-1]
    v.inc_year = sw.index[-1]
    v.inc_ss, v.inc_is, v.inc_ms = inc[SS], inc[IS], inc[MS]
    largest = wide.loc[v.y1].idxmax()
    c.add_chart(
        "rec5-new-plan-settings", nps.astype({"year": int}), kind="line", x="year",
        y="share_pct", hue="setting",
        title=w.choose(largest == MS and v.ms_1 > 50,
                       f"Most new plans start in mainstream schools ({w.pct(v.ms_1, 0)} in {v.y1})",
                       f"{largest} took the largest share of new plans in {v.y1} "
                       f"({w.pct(wide.loc[v.y1, largest], 0)})"),
        subtitle=f"New EHC plans by setting, % of new plans, {c.where}, {v.y0} to {v.y1}",
        alt=f"Line chart: in {v.y1}, mainstream {w.pct(v.ms_1)}, state special {w.pct(v.ss_1)} "
            f"and independent special {w.pct(v.is_1)} of new plans.",
        source=c.source("ehcp_newplans", period=f"{v.y0} to {v.y1}"),
        xlabel="calendar year", ylabel="% of new plans", percent=True)
    tr = placements.transfers(c.cat)
    long = tr.melt(id_vars="year", value_vars=["mainstream_to_special", "special_to_mainstream"],
                   var_name="direction", value_name="moves")
    long["direction"] = long["direction"].map({"mainstream_to_special": "Mainstream to special",
                                               "special_to_mainstream": "Special to mainstream"})
    t = tr.set_index("year")
    ratio = t["mainstream_to_special"].sum() / t["special_to_mainstream"].sum()
    v.tr_y0, v.tr_y1, v.tr_ratio = tr["year"].min(), tr["year"].max(), ratio
    c.add_chart(
        "rec5-transfers", long.astype({"year": int}), kind="line", x="year", y="moves",
        hue="direction",
        title=w.choose(ratio > 1,
                       f"Moves from mainstream to special schools outnumbered moves back "
                       f"{ratio:.1f} to 1",
                       f"Moves back to mainstream schools outnumbered moves to special schools "
                       f"{1 / ratio:.1f} to 1"),
        subtitle=f"Children with statements or EHC plans moving between mainstream and special "
                 f"schools, England, {v.tr_y0} to {v.tr_y1} (the person-level collection does "
                 f"not report moves)",
        alt=f"Line chart: {w.n(t['mainstream_to_special'].iloc[-1])} moves to special and "
            f"{w.n(t['special_to_mainstream'].iloc[-1])} back in {v.tr_y1}.",
        source=c.source("ehcp2022_mi", period=f"{v.tr_y0} to {v.tr_y1}"),
        xlabel="calendar year", ylabel="moves", thousands=True)
    s = wide[MS]
    c.since = Trend("the share of new plans starting in mainstream schools", s.get("2023"),
                    s.iloc[-1], "2023", s.index[-1], better="up")
