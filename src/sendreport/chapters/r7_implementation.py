"""Recommendation 7: implementation planning (a tracker of the outcomes any plan must move)."""

from __future__ import annotations

from sendreport.chapters import wording as w
from sendreport.chapters.base import Chapter, Trend
from sendreport.measures import headline, requests


def build(c: Chapter) -> None:
    v = c.v
    tr = headline.tracker(c.cat)
    worse = tr[((tr["better if"] == "up") & (tr["direction"] == "down"))
               | ((tr["better if"] == "down") & (tr["direction"] == "up"))]
    judged = tr[tr["better if"] != "context"]
    v.judged, v.worse = len(judged), len(worse)
    v.worse_names = [m[0].lower() + m[1:] for m in worse["measure"]]
    c.add_table("rec7-tracker", tr,
                source=c.source("ehcp_caseload_harmonised", "ehcp_requests", "ehcp_timeliness",
                                "tribunal_appeal_rates", "ehcp_dmo_dco"))
    t = requests.timeliness_series(c.cat).set_index("year")["pct_within_20_weeks"]
    c.since = Trend("plans issued within 20 weeks", t.loc["2023"], t.iloc[-1], "2023",
                    t.index[-1], better="up")
    v.summary = (f"Of the {w.count(v.judged, 'measure')} with a clear better direction, "
                 f"{w.count(v.worse, 'measure').split()[0]} moved the wrong way in the latest year"
                 + (f": {w.listing(v.worse_names)}." if v.worse else "."))
