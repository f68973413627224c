"""The reproduction scorecard: every NAO figure in the claims register, ours beside it."""

from __future__ import annotations

from sendreport.chapters import wording as w
from sendreport.chapters.base import CLAIMS_SOURCE, Chapter, claims_frame
from sendreport.claims import status_counts


def build(c: Chapter) -> None:
    v = c.v
    res = c.claims.reset_index()
    counts = status_counts(res)
    k = counts.set_index("status")["claims"]
    v.total = len(res)
    v.reproduced, v.proxy, v.differs, v.cited = (int(k["reproduced"]), int(k["proxy"]),
                                                 int(k["differs"]), int(k["cited"]))
    v.statuses = (f"{w.agree(v.reproduced, 'is', 'are')} **reproduced** within their stated "
                  f"tolerance, {w.agree(v.proxy, 'rests', 'rest')} on a **proxy**, "
                  f"{w.agree(v.differs, '**differs**', '**differ**')} from the NAO, and "
                  f"{w.agree(v.cited, 'is', 'are')} **cited** because "
                  f"{w.choose(v.cited == 1, 'it is', 'they are')} not in the sources this report "
                  f"uses")
    where = res["read_in"].value_counts()
    v.read_in = w.listing([f"{n} in {k}" for k, n in where.items()])
    t = claims_frame(res)
    t.insert(0, "finding", res["finding"].to_numpy())
    c.add_table("claims-register", t, source=CLAIMS_SOURCE + " The full register, with the "
                "source of every value, is claims.csv beside this report and "
                "`sendreport claims --format csv`.")
    notes = res[res["status"].isin(["differs", "proxy"])][["description", "status", "note"]]
    c.add_table("claims-notes", notes.rename(columns={"description": "figure"}),
                source="Source: this report's claims register (claims.csv in this version's "
                       "data), its notes.")
