"""A council edition: one council against its ten statistical neighbours, its region and
England, measure by measure, with its rank; its plans, placements and timeliness over time; its
latest area inspection; and its own projection. The England-only chapters are summarised in a
line that points at the England edition.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sendreport import flags as F
from sendreport.chapters import wording as w
from sendreport.chapters.base import Chapter
from sendreport.errors import SendReportError
from sendreport.measures import council as M
from sendreport.measures import ehcp
from sendreport.measures.context import lower_first

STATE_WORDS = {
    "small": f"not shown: fewer than {M.MIN_BASE} in the count it divides by",
    "suppressed": "withheld by the publisher (never counted as zero)",
    "missing breakdown": "not available: the council published no placement breakdown",
    "not published": "not published for this council",
    "before": "not available: before the council was created",
    "missing": "not in this table",
}
#: where a council page links the England edition's data-quality page (the renderer replaces
#: the prefix with the England edition's folder)
QUALITY_HREF = "england-edition/21-data-quality.html"
#: why a council has no rank on a measure
UNRANKED = {"implausible": "not ranked: implausible (see the note at the top)",
            "small": "not ranked: base too small", "suppressed": "not ranked",
            "missing breakdown": "not ranked", "not published": "not ranked",
            "before": "not ranked", "missing": "not ranked"}


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
        return UNRANKED.get(r.state, "")
    return f"{r.rank} of {r.of}"


def own_value(r: M.Comparison) -> str:
    """The council's own cell: its value, its value with the caveat, or why there is none."""
    if r.state == "value":
        return fmt(r.measure.unit, r.value)
    if r.state == "implausible":
        return (f"{fmt(r.measure.unit, r.value)} (implausible)" if r.value is not None else
                "not shown: implausible (see the note at the top)")
    return STATE_WORDS[r.state]


def _series_frame(p: M.Panel, key: str, c: M.Council) -> pd.DataFrame:
    """A measure over time (``M.series_over_time``: the numbers and their flags) with each
    line labelled in words for the chart's legend."""
    d = M.series_over_time(p, c, key)
    whole, larger = M.predecessor_areas(p, c)
    names = dict(larger)
    until = M.last_january_before(c.created) if c.created else None
    in_whole = [n for code, n in whole if code in p.series[key].index]
    combined = (f"To January {until}: {w.listing(in_whole)}"
                + (" combined" if len(in_whole) > 1 else "")
                + (", part of its area" if larger else "")) if until else ""
    labels = {"own": c.name, "neighbours": "Statistical neighbours (median)",
              "england": "England", "whole": combined}

    def label(r) -> str:
        if r.line == "larger":
            return f"To January {until}: {names.get(r.code, r.code)}, a larger area"
        return labels[r.line]

    series = [label(r) for r in d.itertuples()]
    out = d.assign(series=series)[["year", "value", "series", "flag", *(
        ["collection"] if "collection" in d else [])]]
    return out.reset_index(drop=True)


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
    rows, comps = [], {}
    for key, m in p.measures.items():
        r = M.compare(p, me, key, regions)
        comps[key] = r
        rows.append({
            "measure": m.label, "period": m.period,
            me.name: own_value(r),
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
                  "neighbours: the council's statistical neighbours (DfE) that DfE rates "
                  "close; region: the median of the region's councils. Values flagged as "
                  "implausible, withheld, without a breakdown or of a small base are in no "
                  "rank and no median (see the data-quality notes). The high needs block is "
                  "the allocation before deductions for places in academies and other "
                  f"providers; {p.measures['dsg_balance'].period} is the latest year of "
                  "council-level DSG balances in the sources.")
    from sendreport.measures.base import plain

    own_flags = F.select(plain(cat, "quality_flags"), la_code=me.la_code)
    v.caveat = _caveat(cat, p, me, comps, jan, own_flags)
    # the England edition's data-quality page; the council renderer points it at the England
    # edition of the same version
    v.quality_href = QUALITY_HREF
    # ------------------------------------------------------------ the words
    plans, rate = comps["plans"], comps["per_1000"]
    v.plans_line = (
        f"In {p.measures['plans'].period} {me.name} maintained "
        + (fmt('count', plans.value) if plans.state == 'value' else
           f"{fmt('count', plans.value)} (a count flagged as implausible, see above)"
           if plans.state == "implausible" else "an unpublished number of")
        + " EHC plans")
    if rate.state == "value":
        side = ("above" if rate.value > rate.england else "below")
        v.plans_line += (f", {rate.value:.1f} per 1,000 children aged 0 to 17, {side} England's "
                         f"{rate.england:.1f} (rank {rank_words(rate)} among councils"
                         + (f"; its neighbours' median is {rate.neighbours:.1f})"
                            if not np.isnan(rate.neighbours) else ")"))
    v.plans_line += "."
    # how unusual the rate is for a council of its size (funnel limits, widened for
    # overdispersion as in the England edition)
    rt = ehcp.rate_per_1000(cat, jan)
    fun = ehcp.rate_funnel(rt)
    mine = fun.frame[fun.frame["la_code"].astype(str) == me.la_code]
    v.funnel_line = ""
    if len(mine) and rate.state == "value":
        r = mine.iloc[0]
        lo, hi = ehcp.funnel_limits(fun, rt.england_per_1000, r["children_0_17"])
        inside = lo <= r["per_1000"] <= hi
        v.funnel_line = (
            f"For a council with {w.n(r['children_0_17'])} children, a rate between "
            f"{max(lo, 0):.1f} and {hi:.1f} per 1,000 would be within the 99.8% limits around "
            f"England's rate; {me.name}'s {r['per_1000']:.1f} is "
            + ("within them." if inside else "outside them."))
    v.reorg_line = ""
    if me.reorganised:
        whole, larger = M.predecessor_areas(p, me)
        areas = []
        if whole:
            areas.append(f"{w.listing([n for _, n in whole])} became part of it whole")
        for r in M.larger_predecessors(p, me).itertuples():
            areas.append(r.detail.split(" (The ")[0])
        v.reorg_line = (
            f"{me.name} was created on {w.date(me.created)}: {'; '.join(areas)}. Its own "
            f"figures start with the first January after that. The plans chart shows "
            + ("the councils that became part of it whole, combined," if whole else
               "the council it came from, a larger area,")
            + f" up to {me.created[:4]}, as a separate, labelled line: not the council's own "
            "series." + (" A county split between several councils cannot be divided, so its "
                         "series is not joined to any of them." if larger else ""))
    v.inspection = M.latest_inspection(cat, me)
    earlier = M.earlier_inspections(cat, me)
    v.inspection_earlier = ("Earlier: " + "; ".join(earlier) + ".") if earlier else ""
    proj = M.own_projection(p, me)
    why = set(p.flagged("growth_5y", me.la_code, F.EXCLUDING)["flag"])
    if proj is None and why == {"small base"}:
        v.projection_line = (f"No projection is made for {me.name}: it maintained fewer than "
                             f"{M.MIN_BASE} plans five years ago, too few for a growth rate to "
                             "mean much.")
    elif proj is None and why:
        v.projection_line = (f"No projection is made for {me.name}: its growth over the last "
                             "five years rests on a count the data-quality checks flag (see "
                             "the note at the top).")
    elif proj is None:
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
    pl = pl[pl["series"].isin([me.name]) | pl["series"].str.startswith("To January ")]
    mine_pl = pl[pl["series"] == me.name]
    pl_words = (f"{me.name} maintained {w.n(mine_pl.iloc[-1]['value'])} EHC plans in January "
                f"{int(mine_pl.iloc[-1]['year'])}" if len(mine_pl) else
                f"EHC plans in {me.name}")
    if me.reorganised and len(mine_pl):
        pl_words += f", its {w.ordinal(len(mine_pl))} January as a council"
    flagged_now = " (a count flagged as implausible)" if plans.state == "implausible" else ""
    pl_words += flagged_now
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
        xlabel="January", ylabel="plans", flagged="flag",
        breaks="collection" if "collection" in pl else None)
    src_rate = c.source("ehcp_caseload_harmonised", "population_0_17", "stat_neighbours")
    d = _series_frame(p, "per_1000", me)
    last = d[d["series"] == me.name]
    if "collection" in d:  # a change is compared within one collection, never across the break
        last = last[last["collection"].str.startswith("from ")]
    trend = ""
    if len(last) >= 2:
        a, b = last.iloc[0], last.iloc[-1]
        trend = (f"{me.name}'s rate {'rose' if b['value'] > a['value'] else 'fell'} from "
                 f"{a['value']:.1f} in {int(a['year'])} to {b['value']:.1f} in {int(b['year'])}"
                 + flagged_now)
    c.add_chart(
        "council-rate", d, kind="line", x="year", y="value", hue="series",
        title=(trend or f"EHC plans per 1,000 children in {me.name}"),
        subtitle="EHC plans (statements before 2019) per 1,000 children aged 0 to 17, January "
                 "each year",
        alt=f"Line chart of EHC plans per 1,000 children aged 0 to 17 in {me.name}"
            + (", the median of its statistical neighbours" if me.neighbours else "")
            + f" and England, by January. {trend}.",
        source=src_rate, xlabel="January", ylabel="per 1,000 children", flagged="flag",
        breaks="collection" if "collection" in d else None)
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
                f"{ms.england:.0f}% in England" if ms.state in ("value", "implausible") else
                f"{me.name} published no placement breakdown for "
                f"{p.measures['share_mainstream'].period}" if ms.state == "missing breakdown"
                else f"{me.name} maintains fewer than {M.MIN_BASE} plans, too few for shares "
                     "to mean much: England's are shown" if ms.state == "small"
                else f"Where {me.name}'s children with plans are placed")
    left_out = _names(cat, sorted(p.flagged("share_mainstream", flag="missing breakdown")[
        "la_code"]))
    c.add_chart(
        "council-placements", pd_, kind="bar", x="placement", y="share", hue="who",
        title=ms_words,
        subtitle=f"Share of EHC plans by placement, %, {p.measures['share_mainstream'].period}",
        alt=f"Bar chart of the share of EHC plans in mainstream, state special and independent "
            f"special schools for {me.name}, its neighbours' median and England. {ms_words}.",
        source=c.source("ehcp_caseload_harmonised", "stat_neighbours")
        + " Shares of plans with a known placement"
        + (f"; councils that published no breakdown are left out of the medians and of "
           f"England's share: {w.listing(left_out)}." if left_out else "."),
        percent=True, xlabel="", ylabel="% of plans")
    tl = _series_frame(p, "timeliness", me)
    tl_me = tl[tl["series"] == me.name]
    tr = comps["timeliness"]
    tl_words = (f"{me.name} issued {tl_me.iloc[-1]['value']:.0f}% of new plans within 20 weeks "
                f"in {int(tl_me.iloc[-1]['year'])}" if len(tl_me) else
                f"{me.name} issued fewer than {M.MIN_BASE} plans a year: no share is drawn"
                if tr.state == "small" else
                f"20-week timeliness in {me.name}")
    if tr.state != "value" and len(tl_me) and int(tl_me.iloc[-1]["year"]) < int(tr.measure.period):
        tl_words = (f"{me.name}'s {tr.measure.period} figure is not shown "
                    f"({UNRANKED.get(tr.state, 'not available').removeprefix('not ranked: ')}"
                    f"); it issued {tl_me.iloc[-1]['value']:.0f}% within 20 weeks in "
                    f"{int(tl_me.iloc[-1]['year'])}")
    gaps = _not_drawn(own_flags, p, me, "timeliness", "ehcp_timeliness", tl_me)
    c.add_chart(
        "council-timeliness", tl if len(tl) else pd.DataFrame(
            {"year": [], "value": [], "series": [], "flag": []}), kind="line", x="year", y="value",
        hue="series", title=tl_words,
        subtitle="EHC plans issued within 20 weeks, excluding exceptions, % of plans issued; "
                 f"a year with fewer than {M.MIN_BASE} plans issued is not drawn"
                 + (f". {me.name}, not drawn: {gaps}" if gaps else ""),
        alt=f"Line chart of the share of EHC plans issued within 20 weeks for {me.name}"
            + (", its neighbours' median" if me.neighbours else "")
            + f" and England, by year. {tl_words}.",
        source=c.source("ehcp_timeliness", "stat_neighbours"), percent=True,
        xlabel="calendar year", ylabel="% within 20 weeks", flagged="flag")
    v.neighbour_names = w.listing([str(n) for n in _names(cat, me.neighbours)])
    v.neighbours_phrase = (f"its statistical neighbours ({v.neighbour_names})" if me.neighbours
                           else "no statistical neighbours (DfE rates none of them close)")


def _caveat(cat, p: M.Panel, me: M.Council, comps: dict, jan: str,
            qf: pd.DataFrame) -> str:
    """What the data-quality flags say about this council's own numbers (``qf``: the flags
    table's rows for the council), in plain words, for the top of its edition (empty when
    nothing is flagged)."""
    out = []
    for r in p.flagged("series", me.la_code, "implausible").itertuples():
        latest = r.period == jan
        out.append(
            f"**Caution: {me.name}'s count of EHC plans for January {r.period} looks wrong.** "
            f"The publisher's figures show {r.detail}, which a genuine change almost never "
            f"does ({r.rule}). "
            + ("Its plans, rate per child, growth and placement shares for that January are "
               "shown as published but left out of every ranking and median, here and in "
               "the England edition."
               if latest else "That January is left out of the medians and rankings that "
               "use it."))
    qf_own = F.select(qf, flag="implausible")
    for r in qf_own[qf_own["measure"] != "plans"].itertuples():
        what = RESTS_ON.get(r.measure, "the measure that rests on it")
        keys = F.select(p.flags, flag="implausible", la_code=me.la_code, measure=r.measure,
                        period=r.period)["key"]
        shown = [comps[k] for k in keys if k in comps]
        if shown:
            how = ("is shown as published, marked implausible, and left out of every ranking "
                   "and median" if any(x.value is not None for x in shown) else
                   "is not shown, and is left out of every ranking and median")
        else:
            how = "is left out of the medians and rankings that use that year"
        out.append(f"**Caution: one of {me.name}'s published figures for {r.period} looks "
                   f"wrong.** The publisher's figures show {r.detail} ({r.rule}), so "
                   f"{what.format(name=me.name, period=r.period)} {how}.")
    ms = comps["share_mainstream"]
    if ms.state == "missing breakdown":
        out.append(f"{me.name} published its number of plans for "
                   f"{p.measures['share_mainstream'].period} without saying where the children "
                   "are placed, so no placement share is shown for it (never 0%) and it is "
                   "left out of the placement medians.")
    older = F.select(qf, flag="missing breakdown")
    older = older[older["period"] != p.measures["share_mainstream"].period.removeprefix(
        "January ")]
    if len(older):
        out.append(f"{me.name} published no placement breakdown for January "
                   f"{w.listing(list(older['period']))}: no share is shown for "
                   + ("those Januaries." if len(older) > 1 else "that January."))
    held = F.select(qf, flag="suppressed")
    by_us = held["rule"].str.contains("validation")
    for part, who in ((held[~by_us], "The publisher withheld"),
                      (held[by_us], "This report's validation found wrong and withheld")):
        if len(part):
            out.append(f"{who} some of {me.name}'s figures ({'; '.join(part['detail'])}): they "
                       "are shown as withheld, never as 0, and are in no ranking or median.")
    small = [k for k, r in comps.items() if r.state == "small"]
    if small:
        out.append(f"Some of {me.name}'s counts are small: "
                   f"{w.listing([lower_first(p.measures[k].label) for k in small])} "
                   f"{'rest' if len(small) > 1 else 'rests'} on fewer than {M.MIN_BASE} and "
                   "so "
                   f"{'are' if len(small) > 1 else 'is'} not shown or ranked: a share of a "
                   "few dozen can swing by tens of points from one year to the next.")
    for r in F.select(qf, flag="code-name mismatch").itertuples():
        out.append(f"{r.detail[:1].upper()}{r.detail[1:]} ({r.period}): this edition shows "
                   "those figures under the name the publisher gives.")
    if me.distant:
        far = _names(cat, me.distant)
        out.append(f"DfE rates {w.listing(far)} as not close to {me.name}, so "
                   + ("they are" if len(far) > 1 else "it is")
                   + " left out of the neighbours' median"
                   + (": there is no close neighbour to compare with." if not me.neighbours
                      else "."))
    return " ".join(out)


#: the measure a flagged count feeds, in words, for the caution at the top of an edition
RESTS_ON = {
    "appealable_decisions": "{name}'s SEND tribunal appeal rate for {period}",
    "plans_issued_den_ex": "{name}'s 20-week timeliness for {period}",
}

#: why a council-year is not drawn, by flag, in words
NOT_DRAWN = {"suppressed": "withheld", "implausible": "flagged as implausible",
             "small base": f"fewer than {M.MIN_BASE} plans issued"}


def _not_drawn(qf: pd.DataFrame, p: M.Panel, me: M.Council, key: str, table: str,
               drawn: pd.DataFrame) -> str:
    """The years of measure ``key`` that the council's line leaves out, from England's first
    year (or the council's creation), each with the reason the flags give, or 'not
    published' where the publisher has no figure ('2023 (withheld); 2024 (flagged as
    implausible)'). ``qf``: the flags table's rows for the council."""
    shown = {str(int(y)) for y in drawn["year"]}
    if not shown:
        return ""
    f = F.select(qf, flag=tuple(NOT_DRAWN))
    f = f[f["table"] == table].sort_values("period")
    reasons: dict[str, str] = {}
    for r in f.itertuples():
        reasons.setdefault(r.period, NOT_DRAWN[r.flag])
    years = sorted(str(y) for y in p.england_series[key].dropna().index)
    start = int(me.created[:4]) if me.created else 0
    missing = [y for y in years if y not in shown and int(y) >= start]
    return "; ".join(f"{y} ({reasons.get(y, 'not published')})" for y in missing)


def _names(cat, codes) -> list[str]:
    from sendreport.measures.base import plain

    lk = plain(cat, "la_lookup").set_index("la_code")["la_name"]
    return [lk.get(c, c) for c in codes]
