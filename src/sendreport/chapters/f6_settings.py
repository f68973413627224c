"""Finding 6: capacity planning and the shift between settings."""

from __future__ import annotations

import pandas as pd

from sendreport.chapters import wording as w
from sendreport.chapters.base import Chapter, Trend
from sendreport.measures import ehcp, placements

FOUR = ["Mainstream schools", "State special schools", "Independent and non-maintained special",
        "Further education"]


def build(c: Chapter) -> None:
    v = c.v
    c.finding = 6
    shares = placements.placement_shares(c.cat)
    four = shares[shares["group"].isin(FOUR)]
    ms = shares[shares["group"] == "Mainstream schools"].set_index("january")["share_pct"]
    v.last = ms.index[-1]
    v.ms_2019, v.ms_last, v.ms_first, v.ms_first_year = (ms.loc["2019"], ms.loc[v.last],
                                                         ms.iloc[0], ms.index[0])
    first = four["january"].min()
    c.add_chart(
        "settings-shares",
        four.assign(collection=four["january"].map(ehcp.collection)).astype({"january": int}),
        kind="line", x="january", y="share_pct", hue="group", breaks="collection",
        title=w.choose(v.ms_last > v.ms_2019,
                       f"Mainstream schools' share of plans has risen since 2019, to "
                       f"{w.pct(v.ms_last)} in {v.last}",
                       f"Mainstream schools' share of plans has not risen since 2019 "
                       f"({w.pct(v.ms_last)} in {v.last})"),
        subtitle=f"Share of all statements and EHC plans by placement, England, January {first} "
                 f"to January {v.last}; separate lines where the collection changed (2019, 2023)",
        alt=f"Line chart: mainstream share {w.pct(v.ms_first)} in {v.ms_first_year}, "
            f"{w.pct(v.ms_2019)} in 2019 and {w.pct(v.ms_last)} in {v.last}.",
        source=c.source("ehcp_caseload_harmonised", period=f"January {first} to January {v.last}")
        + _left_out(c, sorted(four["january"].unique())),
        xlabel="January", ylabel="% of plans", percent=True)
    by_la, v.implausible = c.plausible(placements.mainstream_share_by_la(c.cat, v.last).dropna(
        subset=["mainstream_share_pct"]), v.last, placements=True)
    s = by_la["mainstream_share_pct"]
    q1, q3 = s.quantile([0.25, 0.75])
    v.la_count, v.la_min, v.la_max, v.q1, v.q3 = len(by_la), s.min(), s.max(), q1, q3
    c.add_chart(
        "mainstream-by-la", by_la, kind="hist", x="mainstream_share_pct", y="la_name",
        title=f"Councils placed between {w.pct(v.la_min, 0)} and {w.pct(v.la_max, 0)} of their "
              f"plans in mainstream schools",
        subtitle=f"Share of each council's EHC plans placed in mainstream schools, number of "
                 f"councils, January {v.last}",
        alt=f"Histogram of {w.count(v.la_count, 'council')}: mainstream shares from "
            f"{w.pct(v.la_min)} to {w.pct(v.la_max)}, middle half between {w.pct(q1)} and "
            f"{w.pct(q3)}.",
        source=c.source("ehcp_caseload_harmonised", period=f"January {v.last}") + v.implausible,
        xlabel="% of plans in mainstream schools", ylabel="councils")
    extremes = pd.concat([by_la.head(5), by_la.tail(5)])
    c.add_table("mainstream-extremes", extremes[["la_name", "total_plans", "mainstream_share_pct"]]
                .rename(columns={"la_name": "council", "total_plans": "plans",
                                 "mainstream_share_pct": "in mainstream"}),
                formats={"plans": "{:,.0f}", "in mainstream": "{:.1f}%"},
                source=c.source("ehcp_caseload_harmonised", period=f"January {v.last}")
                + " The five lowest and five highest shares." + v.implausible)
    v.local = ""
    if not c.is_england:
        r = c.own_row(by_la)
        if r is not None:
            mine = r["mainstream_share_pct"]
            rank = int((s < mine).sum()) + 1
            v.local = (f"**{c.area}** placed {w.pct(mine)} of its plans in mainstream schools in "
                       f"January {v.last}, {rank} of {v.la_count} councils from the lowest.")
        else:
            v.local = f"**{c.area}** has no mainstream count for January {v.last}."
    prev = str(int(v.last) - 1)
    # the same councils in both Januaries: those that published a breakdown in each
    a, b, n = placements.matched_shares(c.cat, (prev, str(v.last)))
    c.since = Trend(f"the share of plans in mainstream schools (the {n} councils with a "
                    "placement breakdown in both Januaries)", a, b,
                    f"January {prev}", f"January {v.last}", better="up")


def _left_out(c: Chapter, januaries) -> str:
    """The councils each January's shares leave out (no placement breakdown), in words."""
    parts = [f"January {j}: {w.listing(names)}" for j in januaries
             if (names := placements.left_out(c.cat, j))]
    return (" Shares of plans with a known placement; councils that published no breakdown are "
            f"left out ({'; '.join(parts)}). DfE's own published percentages use a base that "
            "differs between years, so England's shares here can differ from them by a few "
            "tenths of a point.") if parts else ""
