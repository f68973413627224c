"""Data-quality flags: what the report knows about a council's number, kept as data.

One table (the derived table ``quality_flags``) says, for a table, council, period and measure,
what is known about a value that is not in the value itself:

* ``implausible``: a council's EHC plan count moved implausibly (the rules below, with the
  numbers that tripped them), or every plan it issued in a year was recorded as an exception
  to the 20-week limit (``exceptions_only``). Kept out of rankings and medians everywhere;
  shown with a plain-words caveat in the council's own edition.
* ``missing breakdown``: a council published its total but no placement breakdown for a
  January. Its plans belong in neither the numerator nor the denominator of a placement share
  (the base is plans with a known breakdown); it is named wherever a share is shown.
* ``suppressed``: the publisher withheld the value (a symbol such as ``c`` or ``x``) or
  validation found it wrong (``x: publisher error``). Never 0, never in a median or a rank.
* ``code-name mismatch``: a publisher's LA number names another council. Resolved by the name
  where the name is unambiguous (and refused otherwise, see ``la.reconcile_codes``).
* ``series break``: a change in the definition or the collection, with its date.
* ``predecessor``: which area a series covers where a council was created from others, and
  whether that area is larger than the council (a county split between two new councils).
* ``not close``: a statistical neighbour DfE itself rates "Not close". Not used as a
  comparator.
* ``small base``: a share or rate of a count under ``MIN_BASE`` (added by the measure that
  divides, ``small_base``).

Every edition reads the flags from here (``excluded``, ``for_council``, ``describe``); no
chapter decides data quality on its own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

COLUMNS = ["table", "la_code", "la_name", "period", "measure", "flag", "rule", "detail",
           "effect"]

#: a share or rate is not shown for a council whose base (the count it divides by) is smaller
MIN_BASE = 50

#: the flags that keep a council's value out of rankings, medians and distributions
EXCLUDING = ("implausible", "missing breakdown", "suppressed", "small base")

#: implausible moves in a council's EHC plan count from one January to the next: below LOW or
#: above HIGH times the January before (well outside the middle half of council-years,
#: ``typical_moves``),
#: by at least MIN_CHANGE plans; or a rise of more than SPIKE times of which more than half is
#: reversed the next January (a one-year spike: the count cannot be right in both years)
LOW, HIGH, SPIKE = 0.75, 1.6, 1.4
MIN_CHANGE = 50

EFFECTS = {
    "implausible": "left out of rankings, medians and distributions; shown with a caveat in "
                   "the council's own edition",
    "missing breakdown": "left out of placement shares (numerator and denominator), their "
                         "rankings and medians; named under each chart or table of shares",
    "suppressed": "not shown; never counted as zero; left out of rankings and medians",
    "code-name mismatch": "resolved by name: the figure is shown for the council the "
                          "publisher names",
    "series break": "drawn as a break; changes across it are not compared as like with like",
    "predecessor": "labelled for the area it covers, never as the council's own series",
    "not close": "not used as a comparator in neighbour medians",
    "small base": "share or rate not shown; left out of rankings and medians",
}


def frame(rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=COLUMNS)
    return out.fillna("").astype(str)


# ------------------------------------------------------------------ rules on the caseload
def implausible_plans(h: pd.DataFrame) -> pd.DataFrame:
    """Council-Januaries whose EHC plan count (harmonised caseload) moved implausibly."""
    la = h[(h["geographic_level"].astype(str) == "la") & (h["breakdown"].astype(str) == "total")]
    return implausible_moves(la, "ehcp_caseload_harmonised", "plans", "plans", "January ")


def implausible_decisions(t: pd.DataFrame) -> pd.DataFrame:
    """Council-years whose count of appealable decisions (the base of the SEND tribunal appeal
    rate, which grows with the caseload) moved implausibly: the same rule as for plans. It
    finds a publisher's year of values filed under the wrong council (Cambridgeshire's and
    Central Bedfordshire's 2024 values follow the LA number, their earlier years the name)."""
    la = t[(t["geographic_level"].astype(str) == "la")
           & (t["measure"].astype(str) == "appealable_decisions")]
    return implausible_moves(la, "tribunal_appeal_rates", "appealable_decisions",
                             "appealable decisions", "")


def implausible_moves(la: pd.DataFrame, table: str, measure: str, noun: str,
                      when: str) -> pd.DataFrame:
    """The implausible-move rules (``LOW``, ``HIGH``, ``SPIKE``, ``MIN_CHANGE``) on one count
    per council and period; ``when`` names a period in words ('January ' or '')."""
    w = la.pivot_table(index=["la_code", "la_name"], columns="period", values="value",
                       observed=True)
    w.columns = w.columns.astype(str)
    w = w[sorted(w.columns)]
    rows = []
    cols = list(w.columns)
    step = "the January before" if when else "the year before"
    after = "the January after" if when else "the year after"
    for (code, name), r in w.iterrows():
        spiked: int | None = None  # the period of a spike just flagged
        for i in range(1, len(cols)):
            # after a flagged spike, the next period is judged against the period before the
            # spike (the fall back from a wrong count is not itself implausible)
            j = i - 2 if spiked == i - 1 and i >= 2 else i - 1
            prev, cur = r.iloc[j], r.iloc[i]
            if pd.isna(prev) or pd.isna(cur) or prev <= 0 or abs(cur - prev) < MIN_CHANGE:
                continue
            x = cur / prev
            nxt = r.iloc[i + 1] if i + 1 < len(cols) else np.nan
            if x < LOW or x > HIGH:
                rule = (f"a change below {LOW} or above {HIGH} times {step}, by "
                        f"{MIN_CHANGE} {noun} or more")
            elif x > SPIKE and pd.notna(nxt) and nxt < (cur + prev) / 2:
                rule = (f"a rise of more than {SPIKE} times {step}, more than half of it "
                        f"reversed {after}")
                spiked = i
            else:
                continue
            word = "fell" if x < 1 else "rose"
            detail = (f"{noun} {word} {abs(100 * (x - 1)):.0f}% from {prev:,.0f} in {when}"
                      f"{cols[j]} to {cur:,.0f} in {when}{cols[i]}")
            if pd.notna(nxt) and (nxt < cur) != (x < 1):  # the next period moved back
                detail += f", then {nxt:,.0f} in {when}{cols[i + 1]}"
            rows.append({"table": table, "la_code": str(code), "la_name": str(name),
                         "period": cols[i], "measure": measure, "flag": "implausible",
                         "rule": rule, "detail": detail, "effect": EFFECTS["implausible"]})
    return frame(rows)


def typical_moves(h: pd.DataFrame) -> tuple[float, float]:
    """The quartiles of every council's ratio of one January's count to the January before:
    the range the rules' limits are set well outside."""
    la = h[(h["geographic_level"].astype(str) == "la") & (h["breakdown"].astype(str) == "total")]
    w = la.pivot_table(index="la_code", columns="period", values="value", observed=True)
    w = w[sorted(w.columns, key=str)]
    x = (w / w.shift(axis=1)).stack().replace([np.inf, -np.inf], np.nan).dropna()
    q1, q3 = x.quantile([0.25, 0.75])
    return float(q1), float(q3)


def missing_breakdown(h: pd.DataFrame) -> pd.DataFrame:
    """Council-Januaries with a total but no placement breakdown."""
    la = h[h["geographic_level"].astype(str) == "la"]
    w = la.pivot_table(index=["la_code", "la_name", "period"], columns="breakdown",
                       values="value", observed=True, aggfunc="first", dropna=False)
    if "total" not in w or "mainstream" not in w:
        return frame([])
    miss = w[w["total"].notna() & w["mainstream"].isna()]
    return frame([{
        "table": "ehcp_caseload_harmonised", "la_code": str(c), "la_name": str(n),
        "period": str(p), "measure": "placements", "flag": "missing breakdown",
        "rule": "a total of EHC plans published without any placement breakdown",
        "detail": f"{t:,.0f} plans in January {p}, with no placement breakdown published",
        "effect": EFFECTS["missing breakdown"]} for (c, n, p), t in miss["total"].items()])


#: a change of collection inside one release's series, which the figures themselves cannot
#: show: from January 2023 DfE's SEN2 return counts EHC plans from person-level records, not
#: aggregate counts (DfE, Education, health and care plans, 2023 release, methodology)
COLLECTION_CHANGES = {"2023": ("EHC plans counted from councils' aggregate returns",
                               "EHC plans counted from person-level records (SEN2)")}


def series_breaks(h: pd.DataFrame) -> pd.DataFrame:
    """Where the EHC plan series changes definition (statements and plans, then plans only,
    person-level): the first January of the new collection."""
    nat = h[h["geographic_level"].astype(str) == "national"]
    m = nat.groupby(nat["period"].astype(str), observed=True)["measure"].first().sort_index()
    rows = []
    for prev, cur in zip(m.index[:-1], m.index[1:], strict=True):
        if m[prev] != m[cur]:
            rows.append({"table": "ehcp_caseload_harmonised", "la_code": "", "la_name": "",
                         "period": cur, "measure": "plans", "flag": "series break",
                         "rule": "the count changes from statements and EHC plans (the "
                                 "older SEN2 release) to EHC plans only (the newer release's "
                                 "schema)",
                         "detail": f"statements and EHC plans to January {prev}; EHC plans "
                                   f"only from January {cur}",
                         "effect": EFFECTS["series break"]})
    for cur, (before, after) in COLLECTION_CHANGES.items():
        if cur in m.index:
            rows.append({"table": "ehcp_caseload_harmonised", "la_code": "", "la_name": "",
                         "period": cur, "measure": "plans", "flag": "series break",
                         "rule": "the collection changes within the release's series",
                         "detail": f"{before} to January {int(cur) - 1}; {after} from "
                                   f"January {cur}",
                         "effect": "drawn as a break on England's chart of the series; DfE "
                                   "publishes the counts as one series across it, so changes "
                                   "across it are compared"})
    return frame(rows)


#: measures of the tables council editions show, whose suppressed LA cells are flagged
SUPPRESSION_WATCH = {
    "ehcp_requests": ("All requests for EHC needs assessments",
                      ["requests_received_in_year", "requests_decided_not_to_assess"]),
    "ehcp_newplans": ("New EHC plans", ["new_ehc_plans"]),
    "ehcp_timeliness": ("All EHC plans issued", ["plans_issued_20_weeks_ex",
                                                 "plans_issued_den_ex"]),
    "tribunal_appeal_rates": (None, ["appeals_registered", "appealable_decisions"]),
}


#: the watched measures in words, for the data-quality page
MEASURE_WORDS = {
    "requests_received_in_year": "requests for an EHC needs assessment",
    "requests_decided_not_to_assess": "requests refused assessment",
    "new_ehc_plans": "new EHC plans",
    "plans_issued_20_weeks_ex": "plans issued within 20 weeks (excluding exceptions)",
    "plans_issued_den_ex": "plans issued (excluding exceptions)",
    "appeals_registered": "SEND tribunal appeals registered",
    "appealable_decisions": "appealable decisions",
}


def _existed(code: str, period: str, reorg: pd.DataFrame) -> bool:
    """Whether council ``code`` existed in ``period`` (a year, or a financial or academic
    year, whose first four digits are read): a council replaced by a reorganisation existed
    before the year of the change, one created by it from that year."""
    try:
        year = int(str(period)[:4])
    except ValueError:
        return True
    moved = reorg[reorg["old_la_code"] != reorg["new_la_code"]]
    ended = moved[moved["old_la_code"] == code]["event_date"]
    began = moved[moved["new_la_code"] == code]["event_date"]
    if len(ended) and year >= int(str(ended.min())[:4]):
        return False
    return not (len(began) and year < int(str(began.min())[:4]))


def suppressed(t: pd.DataFrame, table: str, topic: str | None,
               measures: list[str], reorg: pd.DataFrame | None = None) -> pd.DataFrame:
    """LA cells of ``measures`` the publisher withheld or validation found wrong, in the years
    the council existed (a council's cells from before its creation or after its abolition
    are not withheld values: there was no council to publish)."""
    from sendreport.symbols import PUBLISHER_ERROR

    sel = (t["geographic_level"].astype(str) == "la") & t["measure"].astype(str).isin(measures)
    if topic is not None:
        sel &= t["breakdown_topic"].astype(str) == topic
    st = t["status"].astype(str)
    sel &= t["value"].isna() & st.ne("") & st.ne("blank") & ~st.str.startswith("z")
    part = t[sel]
    if reorg is not None:
        part = part[[_existed(str(c), str(p), reorg)
                     for c, p in zip(part["la_code"], part["period"], strict=True)]]

    def rule(status: str) -> str:
        if status == PUBLISHER_ERROR:
            return ("this report's validation found the publisher's value wrong and withheld "
                    "it (see Methods: data-quality notes)")
        sym, _, meaning = status.partition(": ")
        return (f"the publisher withheld the value (its symbol {sym}, '{meaning}')" if meaning
                else f"the publisher withheld the value (its symbol {sym})")

    return frame([{
        "table": table, "la_code": str(r.la_code), "la_name": str(r.la_name),
        "period": str(r.period), "measure": str(r.measure), "flag": "suppressed",
        "rule": rule(str(r.status)),
        "detail": f"{MEASURE_WORDS.get(str(r.measure), str(r.measure))}, {r.period}",
        "effect": EFFECTS["suppressed"]} for r in part.itertuples()])


def exceptions_only(t: pd.DataFrame) -> pd.DataFrame:
    """Council-years whose plans issued were all recorded as exceptions to the 20-week limit
    (at least ``MIN_BASE`` plans issued, none left once exceptions are excluded): timeliness
    excluding exceptions cannot be computed, and a council that issued that many plans with
    none on the ordinary timetable is not plausible."""
    la = t[(t["geographic_level"].astype(str) == "la")
           & (t["breakdown_topic"].astype(str) == "All EHC plans issued")]
    w = la.pivot_table(index=["la_code", "la_name", "period"], columns="measure",
                       values="value", observed=True, aggfunc="first")
    if "plans_issued_den" not in w or "plans_issued_den_ex" not in w:
        return frame([])
    hit = w[(w["plans_issued_den"] >= MIN_BASE) & (w["plans_issued_den_ex"] == 0)]
    return frame([{
        "table": "ehcp_timeliness", "la_code": str(c), "la_name": str(n), "period": str(p),
        "measure": "plans_issued_den_ex", "flag": "implausible",
        "rule": f"every plan issued recorded as an exception to the 20-week limit (at least "
                f"{MIN_BASE} plans issued)",
        "detail": f"{r['plans_issued_den']:,.0f} plans issued in {p}, none of them outside the "
                  "exceptions",
        "effect": EFFECTS["implausible"]} for (c, n, p), r in hit.iterrows()])


def small_counts(t: pd.DataFrame, table: str, measure: str, *, flagged_as: str, base: str,
                 share: str, when: str = "", topic: str | None = None) -> pd.DataFrame:
    """Council-periods whose ``measure`` (the base of a share) is under ``MIN_BASE``: the
    share is not shown, drawn, ranked or put in a median anywhere (England's chapters and the
    council editions alike). The flag's measure is ``flagged_as``; ``base`` and ``share`` name
    the count and the share in words."""
    la = t[(t["geographic_level"].astype(str) == "la") & (t["measure"].astype(str) == measure)]
    if topic is not None:
        la = la[la["breakdown_topic"].astype(str) == topic]
    part = la[la["value"].notna() & (la["value"] < MIN_BASE)]
    return frame([{
        "table": table, "la_code": str(r.la_code), "la_name": str(r.la_name),
        "period": str(r.period), "measure": flagged_as, "flag": "small base",
        "rule": f"a share or rate whose base is under {MIN_BASE}",
        "detail": f"{r.value:,.0f} {base.replace('plans', 'plan', 1) if r.value == 1 else base}"
                  f" in {when}{r.period}: too few for {share}",
        "effect": EFFECTS["small base"]} for r in part.itertuples()])


def not_close(sn: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Statistical neighbours DfE rates 'Not close'."""
    part = sn[sn["closeness"].astype(str).str.lower() == "not close"]
    return frame([{
        "table": "stat_neighbours", "la_code": str(r.la_code),
        "la_name": names.get(str(r.la_code), str(r.la_name)), "period": str(r.release),
        "measure": f"neighbour {r.neighbour_la_code}", "flag": "not close",
        "rule": "DfE rates the neighbour 'Not close'",
        "detail": f"neighbour {int(r.rank)}, {names.get(str(r.neighbour_la_code), '')} "
                  f"({r.neighbour_la_code}), is rated not close",
        "effect": EFFECTS["not close"]} for r in part.itertuples()])


#: the rule of a predecessor whose series covers more than the council (a split county)
LARGER_AREA = "covers a larger area than the council"


def predecessors(reorg: pd.DataFrame) -> pd.DataFrame:
    """Which area each predecessor's series covers for a council created by reorganisation.

    A predecessor that merged whole into the new council covers part of its area; one split
    between several new councils covers more than the council (it cannot be split, so its
    series is labelled for its own area and never joined to the council's)."""
    moved = reorg[reorg["old_la_code"] != reorg["new_la_code"]]
    rows = []
    for _, r in moved.iterrows():
        shared = sorted(set(moved[moved["old_la_code"] == r["old_la_code"]]["new_name"])
                        - {r["new_name"]})
        partial = r["change"].startswith("part") or bool(shared)
        if r["change"].startswith("part"):
            area = (f"{r['old_name']} covered a larger area, of which only "
                    f"{r['change'].split('(')[-1].rstrip(')')} became part of {r['new_name']}")
        elif shared:
            # what the old council covered of each other new council: all of it (a split) or
            # a part (a part transferred: Christchurch, of Dorset county, to BCP)
            also = []
            for other in shared:
                ch = moved[(moved["old_la_code"] == r["old_la_code"])
                           & (moved["new_name"] == other)]["change"].iloc[0]
                also.append(f"{ch.split('(')[-1].rstrip(')')}, now part of {other}"
                            if ch.startswith("part") else f"what became {other}")
            area = f"{r['old_name']} also covered {', '.join(also)}"
        else:
            area = f"{r['old_name']} became part of {r['new_name']} whole"
        rows.append({"table": "la_lookup", "la_code": r["new_la_code"], "la_name": r["new_name"],
                     "period": r["event_date"], "measure": f"series of {r['old_la_code']}",
                     "flag": "predecessor",
                     "rule": LARGER_AREA if partial else "covers part of the council's area",
                     "detail": area + f" ({r['source']})",
                     "effect": EFFECTS["predecessor"]})
    return frame(rows)


def small_base(base: pd.Series, measure: str, period: str, table: str,
               names: dict[str, str]) -> pd.DataFrame:
    """Councils whose base for ``measure`` is under MIN_BASE."""
    part = base[base.notna() & (base < MIN_BASE)]
    return frame([{
        "table": table, "la_code": str(c), "la_name": names.get(str(c), str(c)),
        "period": period, "measure": measure, "flag": "small base",
        "rule": f"a share or rate whose base is under {MIN_BASE}",
        "detail": f"base of {b:,.0f}", "effect": EFFECTS["small base"]}
        for c, b in part.items()])


def span(periods: list[str]) -> str:
    """'2014 to 2024' for a run of three or more consecutive years; otherwise the periods
    listed."""
    if len(periods) > 2 and all(p.isdigit() for p in periods) and \
            int(periods[-1]) - int(periods[0]) == len(periods) - 1:
        return f"{periods[0]} to {periods[-1]}"
    return ", ".join(periods)


# ------------------------------------------------------------------ reading the flags
def select(flags: pd.DataFrame, *, flag: str | tuple[str, ...] | None = None,
           measure: str | tuple[str, ...] | None = None, period: str | None = None,
           la_code: str | None = None) -> pd.DataFrame:
    m = pd.Series(True, index=flags.index)
    if flag is not None:
        m &= flags["flag"].isin([flag] if isinstance(flag, str) else list(flag))
    if measure is not None:
        m &= flags["measure"].isin([measure] if isinstance(measure, str) else list(measure))
    if period is not None:
        m &= flags["period"] == str(period)
    if la_code is not None:
        m &= flags["la_code"] == str(la_code)
    return flags[m]


def excluded(flags: pd.DataFrame, measure: str | tuple[str, ...],
             period: str | int) -> set[str]:
    """Councils kept out of rankings and medians of ``measure`` for ``period``."""
    return set(select(flags, flag=EXCLUDING, measure=measure, period=str(period))["la_code"])


def not_close_pairs(flags: pd.DataFrame) -> set[tuple[str, str]]:
    """(council, neighbour) LA numbers of every neighbour DfE rates not close (the flags'
    measure is 'neighbour <LA number>')."""
    far = select(flags, flag="not close")
    return set(zip(far["la_code"], far["measure"].str.removeprefix("neighbour "), strict=True))


def describe(flags: pd.DataFrame) -> str:
    """'Newham (plans fell 56% from 2,705 in January 2024 to 1,199 in January 2025)'."""
    return "; ".join(f"{r.la_name} ({r.detail})" for r in flags.itertuples())


def names(flags: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(flags["la_name"]))
