"""Recommendation 4: councils' finances when the statutory override ends."""

from __future__ import annotations

from sendreport.chapters import wording as w
from sendreport.chapters.base import Chapter, Trend
from sendreport.measures import context, finance

#: councils named on the chart at most: beyond this the labels crowd and the rest are listed
MAX_LABELS = 12


def build(c: Chapter) -> None:
    v = c.v
    c.recommendation = 4
    pos = finance.financial_position(c.cat)
    fp = pos.frame
    years, (f0, f1), (j0, j1) = pos.years, pos.fy, pos.january
    v.years, v.f0, v.f1, v.j0, v.j1 = years, f0, f1, j0, j1
    v.last_year, v.first_year = years[-1], years[0]
    gcol, pcol = f"hnb_growth_{f0}_{f1}_pct", f"plan_growth_{j0}_{j1}_pct"
    ccol = f"balance_change_{years[0]}_{years[-1]}_pp"
    risk = fp[fp["at_risk"]].sort_values(years[-1])
    v.flagged = len(risk)
    v.flagged_names = list(risk["la_name"])
    shown = fp.head(20)[["rank", "la_name", "region", *years, ccol, gcol, pcol, "at_risk"]].copy()
    shown["at_risk"] = shown["at_risk"].map({True: "flagged", False: ""})
    names = {"rank": "rank (1 = deepest deficit)", "la_name": "council",
             ccol: "balance change (pp)",
             gcol: f"high needs block growth {f0} to {f1}", pcol: f"plan growth {j0} to {j1}",
             "at_risk": "flag"}
    c.add_table("rec4-ranked-top20", shown.rename(columns=names),
                formats={**{y: "{:.1f}%" for y in years}, "balance change (pp)": "{:+.1f}",
                         names[gcol]: "{:.1f}%", names[pcol]: "{:.1f}%"},
                source=c.source("dsg_balance", "dsg_high_needs", "ehcp_caseload_harmonised")
                + " The twenty deepest deficits; every council in rec4-financial-position.csv.")
    c.add_table("rec4-financial-position", fp, source="(full table)")
    labelled = v.flagged_names[:MAX_LABELS]
    v.labelled = labelled
    named = w.choose(len(labelled) == v.flagged, "all named",
                     f"the {w.count(len(labelled), 'deepest').split()[0]} deepest named")
    plotted = fp.dropna(subset=["plans_outpaced_funding_pp", years[-1]])
    # plan growth resting on a flagged count (at either end) is not plotted
    plotted, note0 = c.plausible(plotted, j0)
    plotted, note1 = c.plausible(plotted, j1)
    v.growth_note = note0 + note1
    c.add_chart(
        "rec4-scatter", plotted, kind="scatter", x="plans_outpaced_funding_pp", y=years[-1],
        label="la_name", annotate=labelled,
        title=f"{w.count(v.flagged, 'council').capitalize()} combine deep, worsening deficits with "
              f"demand outpacing funding ({named})",
        subtitle=f"Cumulative DSG balance as % of income ({years[-1]}) against EHC plan growth "
                 f"({j0} to {j1}) minus high needs block growth ({f0} to {f1}), percentage "
                 f"points, by council",
        alt=f"Scatter chart of {len(plotted)} councils; the {w.count(v.flagged, 'flagged council')} "
            f"lie at or below -5% with positive gaps: {w.listing(v.flagged_names)}.",
        source=c.source("dsg_balance", "dsg_high_needs", "ehcp_caseload_harmonised")
        + v.growth_note,
        xlabel="plan growth minus funding growth (pp)",
        ylabel=f"DSG balance, % of income, {years[-1]}")
    v.override_end, v.override_announced = context.override_end(c.cat)
    v.local = ""
    if not c.is_england:
        r = c.own_row(fp)
        if r is not None:
            v.local = (f"**{c.area}** ranks {int(r['rank'])} of {len(fp)} by its {years[-1]} "
                       f"balance ({w.pct(r[years[-1]])} of income); its plans grew "
                       f"{w.pct(r[pcol])} against {w.pct(r[gcol])} for its high needs block; it is "
                       f"{w.choose(bool(r['at_risk']), '', 'not ')}flagged.")
        else:
            v.local = f"**{c.area}** has no DSG balance row and is not ranked."
    dy = finance.dsg_deficit_by_year(c.cat)
    c.since = Trend("the share of councils with a DSG deficit", dy["share_in_deficit_pct"].iloc[0],
                    dy["share_in_deficit_pct"].iloc[-1], dy["period"].iloc[0],
                    dy["period"].iloc[-1], better="down")
