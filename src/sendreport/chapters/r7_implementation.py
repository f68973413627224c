"""Recommendation 7: implementation planning (a tracker of the outcomes any plan must move)."""

from __future__ import annotations

import pandas as pd

from sendreport.chapters import wording as w
from sendreport.chapters.base import Chapter, Trend
from sendreport.measures import context, headline, requests

#: the NAO's nine recommendations, in brief (our words)
RECOMMENDATIONS = {
    1: "Consider whole-system reform",
    2: "Understand the root causes of rising demand",
    3: "A more integrated system across education, health and care",
    4: "A sustainable financial position for every council when the override ends",
    5: "Evidence on how pupil numbers move between settings",
    6: "A vision and plan for inclusion in mainstream",
    7: "Translate ambitions into costed implementation plans",
    8: "Find and share efficiencies; benchmarks for costs",
    9: "Identify needs early, especially in the early years",
}


def build(c: Chapter) -> None:
    v = c.v
    c.recommendation = 7
    tr = headline.tracker(c.cat)
    worse = tr[((tr["better if"] == "up") & (tr["direction"] == "down"))
               | ((tr["better if"] == "down") & (tr["direction"] == "up"))]
    judged = tr[tr["better if"] != "context"]
    v.judged, v.worse = len(judged), len(worse)
    v.worse_names = [context.lower_first(m) for m in worse["measure"]]
    c.add_table("rec7-tracker", tr,
                source=c.source("ehcp_caseload_harmonised", "ehcp_requests", "ehcp_timeliness",
                                "tribunal_appeal_rates", "ehcp_dmo_dco"))
    ev = context.events(c.cat)
    recs = []
    for n, title in RECOMMENDATIONS.items():
        mine = ev[ev["bears_on"].str.split("; ").map(lambda xs, n=n: f"recommendation {n}" in xs)]
        actions = "; ".join(f"{r.short} ({r.when})" for r in mine.itertuples())
        recs.append((n, title, actions or "None found in the sources this report uses."))
    c.add_table("rec7-actions", pd.DataFrame(recs, columns=["no.", "recommendation in brief",
                                                           "what has happened since"]),
                source="Source: the NAO's recommendations as summarised in this report's "
                       "chapters; actions compiled for this report from published sources (the "
                       "overview lists each with its address).")
    v.recs_with_action = sum(1 for r in recs if not r[2].startswith("None"))
    t = requests.timeliness_series(c.cat).set_index("year")["pct_within_20_weeks"]
    c.since = Trend("plans issued within 20 weeks", t.loc["2023"], t.iloc[-1], "2023",
                    t.index[-1], better="up")
    v.summary = (f"Of the {w.count(v.judged, 'measure')} with a clear better direction, "
                 f"{w.count(v.worse, 'measure').split()[0]} moved the wrong way in the latest year"
                 + (f": {w.listing(v.worse_names)}." if v.worse else "."))
