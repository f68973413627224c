"""A council edition: one council against its ten statistical neighbours, its region and
England, measure by measure, with its rank; its plans, placements and timeliness over time; its
latest area inspection; and its own projection. The England-only chapters are summarised in a
line that points at the England edition.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sendreport.chapters import wording as w
from sendreport.chapters.base import Chapter
from sendreport.errors import SendReportError
from sendreport.measures import council as M
from sendreport.measures import ehcp

STATE_WORDS = {
    "small": f"not shown: fewer than {M.MIN_BASE} in the count it divides by",
    "not published": "not published for this council",
    "before": "not available: before the council was created",
    "missing": "not in this table",
}


def fmt(unit: str, v: float | None) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "not available"
    if unit == "count":
        return w.n(v)
    if unit == "%":
        return w.pct(v, 1)
    if unit == "£":
        return w.gbp(v)
    return f"{v:.1f}"


def rank_words(r: M.Comparison) -> str:
    if r.rank is None:
        return ""
    return f"{r.rank} of {r.of}"


def _series_frame(p: M.Panel, key: str, c: M.Council) -> pd.DataFrame:
    """A measure over time for the council, the median of its neighbours, England and, for a
    reorganised council, the councils it replaced (their combined rate)."""
    s = p.series[key]
    rows = []

    def put(label: str, ser: pd.Series) -> None:
        for y, v in ser.dropna().items():
            rows.append({"year": int(y), "value": float(v), "series": label})

    if c.la_code in s.index:
        put(c.name, s.loc[c.la_code])
    nb = [n for n in c.neighbours if n in s.index]
    if nb:
        put("Statistical neighbours (median)", s.loc[nb].median())
    put("England", p.england_series[key])
    preds = [code for code, _ in c.predecessors if code in s.index]
    if preds and c.created:
        names = ", ".join(n for _, n in c.predecessors)
        until = int(c.created[:4])
        label = f"Before {until}: {names}" + (" (combined)" if len(preds) > 1 else "")
        if key == "plans":
            ser = s.reindex(preds).sum(min_count=1)
            put(label, ser[ser.index.astype(int) <= until])
        elif key == "per_1000":
            # the councils it replaced, as one rate, where their populations are published
            pop = p.series["population"]
            if all(code in pop.index for code in preds):
                num = p.series["plans"].reindex(preds).sum(min_count=1)
                den = pd.Series({j: pop.loc[preds, str(int(j) - 1)].sum()
                                 for j in num.index if str(int(j) - 1) in pop.columns})
                rate = (1000 * num / den.replace(0, np.nan)).dropna()
                put(label, rate[rate.index.astype(int) <= until])
    return pd.DataFrame(rows)


def build(c: Chapter) -> None:
    if c.is_england:
        raise SendReportError("a council edition needs a council: set 'area' to a council's "
                              "name, LA number or ONS code (sendreport councils list)")
    v = c.v
    cat = c.cat
    p = M.panel(cat)
    me = M.resolve(cat, c.la_code)
    v.council = me
    v.name = me.name
    regions = M.region_of(cat)
    jan = p.measures["plans"].period.removeprefix("January ")
    flagged = M.implausible(cat, jan)
    rows, comps = [], {}
    for key, m in p.measures.items():
        r = M.compare(p, me, key, regions, exclude=flagged if key in (
            "plans", "per_1000", "growth_5y") else None)
        comps[key] = r
        rows.append({
            "measure": m.label, "period": m.period,
            me.name: fmt(m.unit, r.value) if r.state == "value" else STATE_WORDS[r.state],
            "rank among councils": rank_words(r),
            "neighbours' median": fmt(m.unit, r.neighbours),
            "region's median": fmt(m.unit, r.region),
            "England": fmt(m.unit, r.england) if not np.isnan(r.england) else
            "not computed (councils only)",
        })
    v.comps = comps
    table = pd.DataFrame(rows)
    tables = sorted({t for m in p.measures.values() for t in m.tables})
    c.add_table("council-measures", table,
                source=c.source(*tables, "stat_neighbours", "la_lookup")
                + " Rank 1 is the highest value among councils with a value shown; "
                  "neighbours: the council's ten statistical neighbours (DfE); region: the "
                  "median of the region's councils.")
    # ------------------------------------------------------------ the words
    plans, rate = comps["plans"], comps["per_1000"]
    v.plans_line = (
        f"In {p.measures['plans'].period} {me.name} maintained "
        f"{fmt('count', plans.value) if plans.state == 'value' else 'an unpublished number of'}"
        f" EHC plans")
    if rate.state == "value":
        side = ("above" if rate.value > rate.england else "below")
        v.plans_line += (f", {rate.value:.1f} per 1,000 children aged 0 to 17, {side} England's "
                         f"{rate.england:.1f} (rank {rank_words(rate)} among councils; its "
                         f"neighbours' median is {rate.neighbours:.1f})")
    v.plans_line += "."
    # how unusual the rate is for a council of its size (funnel limits, widened for
    # overdispersion as in the England edition)
    rt = ehcp.rate_per_1000(cat, jan)
    fun = ehcp.rate_funnel(rt)
    mine = fun.frame[fun.frame["la_code"].astype(str) == me.la_code]
    v.funnel_line = ""
    if len(mine):
        r = mine.iloc[0]
        pe = rt.england_per_1000 / 1000
        se = np.sqrt(max(fun.phi, 1.0)) * np.sqrt(pe * (1 - pe) / r["children_0_17"])
        lo, hi = 1000 * (pe - 3.09 * se), 1000 * (pe + 3.09 * se)
        inside = lo <= r["per_1000"] <= hi
        v.funnel_line = (
            f"For a council with {w.n(r['children_0_17'])} children, a rate between "
            f"{max(lo, 0):.1f} and {hi:.1f} per 1,000 would be within the 99.8% limits around "
            f"England's rate; {me.name}'s {r['per_1000']:.1f} is "
            + ("within them." if inside else "outside them."))
    v.reorg_line = ""
    if me.reorganised:
        names = w.listing([n for _, n in me.predecessors])
        v.reorg_line = (
            f"{me.name} was created on {w.date(me.created)}, replacing "
            f"{names}. Its own figures start with the first January after that. The plans "
            f"chart shows the councils it replaced, up to {me.created[:4]}, as a separate line "
            f"(their combined count; for a council split from a larger one, the whole former "
            f"council), which covers a different area and is not the same series.")
    v.inspection = M.latest_inspection(cat, me)
    proj = M.own_projection(p, me)
    if proj is None:
        v.projection_line = (f"{me.name}'s own series is too short for a five-year trend (it "
                             "starts with the council's creation), so no projection is made.")
    else:
        end, g, first = proj
        v.projection_line = (
            f"If plans kept growing as they did from January {first} to {jan} "
            f"({g:.1f}% a year), {me.name} would maintain about {w.n(round(end, -1))} plans in "
            f"January 2033. This is arithmetic on the council's own trend, not a forecast.")
    # ------------------------------------------------------------ charts
    pl = _series_frame(p, "plans", me)
    pl = pl[pl["series"].isin([me.name]) | pl["series"].str.startswith("Before ")]
    mine_pl = pl[pl["series"] == me.name]
    pl_words = (f"{me.name} maintained {w.n(mine_pl.iloc[-1]['value'])} EHC plans in January "
                f"{int(mine_pl.iloc[-1]['year'])}" if len(mine_pl) else
                f"EHC plans in {me.name}")
    if me.reorganised and len(mine_pl):
        pl_words += f", its {w.ordinal(len(mine_pl))} January as a council"
    c.add_chart(
        "council-plans", pl, kind="line", x="year", y="value", hue="series",
        title=pl_words,
        subtitle="Statements and EHC plans maintained, January each year"
                 + ("; before the council was created, the councils it replaced"
                    if me.reorganised else ""),
        alt=f"Line chart of EHC plans maintained by {me.name} by January"
            + (f", with the councils it replaced before {me.created[:4]}" if me.reorganised
               else "") + f". {pl_words}.",
        source=c.source("ehcp_caseload_harmonised", "la_lookup"), thousands=True,
        xlabel="January", ylabel="plans")
    src_rate = c.source("ehcp_caseload_harmonised", "population_0_17", "stat_neighbours")
    d = _series_frame(p, "per_1000", me)
    last = d[d["series"] == me.name]
    trend = ""
    if len(last) >= 2:
        a, b = last.iloc[0], last.iloc[-1]
        trend = (f"{me.name}'s rate {'rose' if b['value'] > a['value'] else 'fell'} from "
                 f"{a['value']:.1f} in {int(a['year'])} to {b['value']:.1f} in {int(b['year'])}")
    c.add_chart(
        "council-rate", d, kind="line", x="year", y="value", hue="series",
        title=(trend or f"EHC plans per 1,000 children in {me.name}"),
        subtitle="EHC plans (statements before 2019) per 1,000 children aged 0 to 17, January "
                 "each year",
        alt=f"Line chart of EHC plans per 1,000 children aged 0 to 17 in {me.name}, the median "
            f"of its statistical neighbours and England, by January. {trend}.",
        source=src_rate, xlabel="January", ylabel="per 1,000 children")
    groups = [("share_mainstream", "Mainstream"), ("share_state_special", "State special"),
              ("share_independent_special", "Independent special")]
    prow = []
    for key, label in groups:
        r = comps[key]
        for who, val in ((me.name, r.value), ("Neighbours (median)", r.neighbours),
                         ("England", r.england)):
            if val is not None and not np.isnan(val):
                prow.append({"placement": label, "share": val, "who": who})
    pd_ = pd.DataFrame(prow)
    ms = comps["share_mainstream"]
    ms_words = (f"{me.name} places {ms.value:.0f}% of plans in mainstream schools, against "
                f"{ms.england:.0f}% in England" if ms.state == "value" else
                f"Where {me.name}'s children with plans are placed")
    c.add_chart(
        "council-placements", pd_, kind="bar", x="placement", y="share", hue="who",
        title=ms_words,
        subtitle=f"Share of EHC plans by placement, %, {p.measures['share_mainstream'].period}",
        alt=f"Bar chart of the share of EHC plans in mainstream, state special and independent "
            f"special schools for {me.name}, its neighbours' median and England. {ms_words}.",
        source=c.source("ehcp_caseload_harmonised", "stat_neighbours"), percent=True,
        xlabel="", ylabel="% of plans")
    tl = _series_frame(p, "timeliness", me)
    tl_me = tl[tl["series"] == me.name]
    tl_words = (f"{me.name} issued {tl_me.iloc[-1]['value']:.0f}% of new plans within 20 weeks "
                f"in {int(tl_me.iloc[-1]['year'])}" if len(tl_me) else
                f"20-week timeliness in {me.name}")
    c.add_chart(
        "council-timeliness", tl if len(tl) else pd.DataFrame(
            {"year": [], "value": [], "series": []}), kind="line", x="year", y="value",
        hue="series", title=tl_words,
        subtitle="EHC plans issued within 20 weeks, excluding exceptions, % of plans issued",
        alt=f"Line chart of the share of EHC plans issued within 20 weeks for {me.name}, its "
            f"neighbours' median and England, by year. {tl_words}.",
        source=c.source("ehcp_timeliness", "stat_neighbours"), percent=True,
        xlabel="calendar year", ylabel="% within 20 weeks")
    v.neighbour_names = w.listing([str(n) for n in _names(cat, me.neighbours)])


def _names(cat, codes) -> list[str]:
    from sendreport.measures.base import plain

    lk = plain(cat, "la_lookup").set_index("la_code")["la_name"]
    return [lk.get(c, c) for c in codes]
