"""Recommendation 6: a vision for inclusion in mainstream."""

from __future__ import annotations

import pandas as pd

from sendreport.chapters import wording as w
from sendreport.chapters.base import Chapter, Trend
from sendreport.measures import inclusion, placements


def build(c: Chapter) -> None:
    v = c.v
    c.recommendation = 6
    res = inclusion.inclusion_vs_outcomes(c.cat)
    v.january, v.lait_year = res.january, res.lait_year
    inc, v.implausible = c.plausible(res.frame, res.january, placements=True)
    # a change since 2019 needs a plausible share in 2019 too
    since, v.note_2019 = c.plausible(inc.dropna(subset=["change_since_2019_pp"]), "2019",
                                     placements=True)
    both = inc.dropna(subset=["attainment8_ehcp"])
    v.r = both["mainstream_share_pct"].corr(both["attainment8_ehcp"])
    v.link = w.correlation(v.r)  # the one wording of the link, used in title, alt and prose
    v.n_both, v.n_all = len(both), len(inc)
    v.share_min, v.share_max = inc["mainstream_share_pct"].min(), inc["mainstream_share_pct"].max()
    v.up, v.n_since = int((since["change_since_2019_pp"] > 0).sum()), len(since)
    ann = list(both.nlargest(2, "mainstream_share_pct")["la_name"]) + list(
        both.nsmallest(2, "mainstream_share_pct")["la_name"])
    if not c.is_england and c.area in set(both["la_name"]):
        ann.append(c.area)
    c.add_chart(
        "rec6-inclusion-outcomes", both, kind="scatter", x="mainstream_share_pct",
        y="attainment8_ehcp", label="la_name", annotate=ann,
        title=f"Councils' mainstream share of plans and their pupils' results are {v.link} "
              f"(r = {v.r:+.2f})",
        subtitle=f"Share of EHC plans placed in mainstream schools (January {v.january}) against "
                 f"average Attainment 8 of pupils with EHC plans ({v.lait_year}), by council",
        alt=f"Scatter chart of {v.n_both} councils; Pearson correlation {v.r:+.2f} ({v.link}); "
            f"named: {w.listing(ann)}.",
        source=c.source("ehcp_caseload_harmonised", "lait_send")
        + " Attainment: average Attainment 8 score of pupils with EHC plans." + v.implausible,
        xlabel="% of plans in mainstream schools",
        ylabel="Attainment 8, pupils with plans")
    tab = pd.concat([since.nlargest(5, "change_since_2019_pp"),
                     since.nsmallest(5, "change_since_2019_pp")])
    c.add_table("rec6-largest-changes", tab.drop(columns="la_code").rename(columns={
        "la_name": "council", "mainstream_share_pct": f"share in mainstream, January {v.january}",
        "change_since_2019_pp": "change since 2019 (pp)",
        "attainment8_ehcp": f"Attainment 8, pupils with plans ({v.lait_year})"}),
        formats={f"share in mainstream, January {v.january}": "{:.1f}%",
                 "change since 2019 (pp)": "{:+.1f}",
                 f"Attainment 8, pupils with plans ({v.lait_year})": "{:.1f}"},
        source=c.source("ehcp_caseload_harmonised", "lait_send")
        + " Every council: rec6-inclusion-by-la.csv." + v.implausible
        + v.note_2019.replace(" Left out", " For the change since 2019, left out"))
    c.add_table("rec6-inclusion-by-la", inc, source="(full table)")
    shares = placements.placement_shares(c.cat)
    ms = shares[shares["group"] == "Mainstream schools"].set_index("january")["share_pct"]
    c.since = Trend("the share of plans in mainstream schools", ms.loc["2024"], ms.iloc[-1],
                    "January 2024", f"January {ms.index[-1]}", better="up")
