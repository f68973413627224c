"""One council against its statistical neighbours, its region and England.

``panel(cat)`` computes every council-level measure of a council edition once, for every
council (one row per LA number, one column per measure), with England's value of each; it is
kept per catalogue, so that a worker rendering many councils computes it once. ``compare``
then reads one council's row: its value, the median of its ten statistical neighbours, the
median of its region's councils, England, and its rank among councils.

Councils that were reorganised have values from their creation; ``predecessors`` names the
councils they replaced (from the LA lookup), whose series a council edition shows beside its
own. A value the publisher suppressed (small numbers) is reported as suppressed; a council
absent from a table is reported as missing: never as a blank or ``nan``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sendreport import flags as F
from sendreport.catalogue import Catalogue
from sendreport.errors import SendReportError
from sendreport.measures import funding, inspections
from sendreport.measures.base import plain
from sendreport.projection import Assumptions, cagr, project


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str  # "count", "%", "per 1,000", "£"
    period: str
    tables: tuple[str, ...]
    higher_is: str = "neither"  # "better", "worse" or "neither": only the rank's wording


@dataclass
class Panel:
    """Every council's latest value of each measure, England's, and the measures' metadata."""
    values: pd.DataFrame  # index la_code, one column per measure key
    england: dict[str, float]
    measures: dict[str, Measure]
    series: dict[str, pd.DataFrame] = field(default_factory=dict)  # key -> la x year (wide)
    england_series: dict[str, pd.Series] = field(default_factory=dict)
    bases: dict[str, pd.Series] = field(default_factory=dict)  # key -> each council's base
    #: the data-quality flags bearing on each measure (``flags.py``'s columns and ``key``,
    #: the measure), small bases included: what ranks, medians and words read
    flags: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=[*F.COLUMNS, "key"]))

    def flagged(self, key: str, la_code: str | None = None,
                flag: str | tuple[str, ...] | None = None) -> pd.DataFrame:
        return F.select(self.flags[self.flags["key"] == key], flag=flag, la_code=la_code)

    def excluded(self, key: str) -> set[str]:
        """Councils kept out of the rankings and medians of measure ``key``."""
        return set(self.flagged(key, flag=F.EXCLUDING)["la_code"])

#: a share or rate is not shown for a council whose base (the count it divides by) is smaller
MIN_BASE = F.MIN_BASE


#: panels kept for the life of the process, by the registry's files and the pinned releases,
#: with the tables each read (a catalogue that reuses a panel reads them too, so that its
#: record of input files, which the render cache keys on, is complete)
_PANELS: dict[tuple, tuple[Panel, list[str]]] = {}


def _la(df: pd.DataFrame) -> pd.DataFrame:
    return df[df["geographic_level"] == "la"]


def _nat(df: pd.DataFrame) -> pd.DataFrame:
    return df[df["geographic_level"] == "national"]


def _wide(df: pd.DataFrame, index: str = "la_code") -> pd.DataFrame:
    """Council x period; a suppressed or missing cell stays missing (never a sum of nothing,
    which pandas would make 0)."""
    w = df.groupby([df[index].astype(str), df["period"].astype(str)], observed=True)[
        "value"].sum(min_count=1).unstack("period")
    w.columns = w.columns.astype(str)
    w.index = w.index.astype(str)
    return w


def _by_period(df: pd.DataFrame) -> pd.Series:
    return df.groupby(df["period"].astype(str), observed=True)["value"].sum(min_count=1)


def _measure(df: pd.DataFrame, measure: str) -> tuple[pd.DataFrame, pd.Series]:
    """One measure of a tidy table: by council and period (wide), and England by period."""
    part = df[df["measure"] == measure]
    return _wide(_la(part)), _by_period(_nat(part))


def panel(cat: Catalogue) -> Panel:
    """The council panel for this catalogue's data (computed once per process and data)."""
    key = (str(cat.paths.registry), _registry_stamp(cat), tuple(sorted(cat.pins.items())))
    got = _PANELS.get(key)
    if got is not None:
        p, read = got
        for t in read:
            cat.table(t)
        return p
    read: list[str] = []
    original = cat.table

    def tracking(name: str):
        if name not in read:
            read.append(name)
        return original(name)

    cat.table = tracking  # type: ignore[method-assign]
    try:
        p = _build(cat)
    finally:
        del cat.table
    _PANELS[key] = (p, read)
    return p


def _registry_stamp(cat: Catalogue) -> str:
    return "|".join(f"{e.path}:{e.sha256}" for _, _, e in cat.registry.all_files())


def _build(cat: Catalogue) -> Panel:
    vals: dict[str, pd.Series] = {}
    eng: dict[str, float] = {}
    meas: dict[str, Measure] = {}
    series: dict[str, pd.DataFrame] = {}
    eseries: dict[str, pd.Series] = {}
    bases: dict[str, pd.Series] = {}
    qf = plain(cat, "quality_flags")
    lk = plain(cat, "la_lookup")
    lk_names = dict(zip(lk["la_code"].astype(str), lk["la_name"].astype(str), strict=True))
    pflags: list[pd.DataFrame] = []

    def add(m: Measure, la_values: pd.Series, england: float,
            base: pd.Series | None = None,
            bears: tuple[tuple[tuple[str, ...], str], ...] = ()) -> None:
        """A measure, its values, England's, the base of a share, and the flags that bear
        on it: ``bears`` pairs the flags table's measures with a period."""
        meas[m.key] = m
        vals[m.key] = la_values
        if base is not None:
            bases[m.key] = base
            table = m.tables[0]
            pflags.append(F.small_base(base.reindex(la_values.index), m.key, m.period, table,
                                       lk_names).assign(key=m.key))
        for measures, period in bears:
            pflags.append(F.select(qf, measure=measures, period=period).assign(key=m.key))
        eng[m.key] = float(england) if england is not None and pd.notna(england) else np.nan

    # --- EHC plans and the rate per 1,000 children, January each year
    h = plain(cat, "ehcp_caseload_harmonised")
    tot = h[h["breakdown"] == "total"]
    plans = _wide(_la(tot))
    plans_e = _by_period(_nat(tot))
    jan = max(plans.columns)
    pop = plain(cat, "population_0_17")
    popw = _wide(_la(pop))
    pop_e = _by_period(_nat(pop))
    # the mid-year estimate before each January
    rate = pd.DataFrame({j: 1000 * plans[j] / popw.get(str(int(j) - 1), np.nan)
                         for j in plans.columns if str(int(j) - 1) in popw.columns})
    rate_e = pd.Series({j: 1000 * plans_e[j] / pop_e[str(int(j) - 1)]
                        for j in plans_e.index if str(int(j) - 1) in pop_e.index})
    series["plans"], eseries["plans"] = plans, plans_e
    series["population"], eseries["population"] = popw, pop_e  # children 0-17, mid-year
    series["per_1000"], eseries["per_1000"] = rate, rate_e
    ehcp = ("ehcp_caseload_harmonised",)
    on_plans = (((("plans",), jan)),)
    add(Measure("plans", "EHC plans", "count", f"January {jan}", ehcp), plans[jan],
        plans_e.get(jan), bears=on_plans)
    add(Measure("per_1000", "EHC plans per 1,000 children aged 0 to 17", "per 1,000",
                f"January {jan}", (*ehcp, "population_0_17")), rate[jan], rate_e.get(jan),
        bears=on_plans)
    start = str(int(jan) - 5)
    add(Measure("growth_5y", f"Growth in EHC plans since January {start}", "%",
                f"January {start} to {jan}", ehcp),
        100 * (plans[jan] / plans[start] - 1) if start in plans else pd.Series(dtype=float),
        100 * (plans_e[jan] / plans_e[start] - 1) if start in plans_e else np.nan,
        plans[start] if start in plans else None,
        bears=((("plans",), jan), (("plans",), start)))
    # --- placements: shares of plans with a known breakdown, so a council that
    # published no breakdown is in neither the numerator nor the denominator, for England too
    for g, label in (("mainstream", "Share of plans in mainstream schools"),
                     ("state_special", "Share of plans in state special schools"),
                     ("independent_special", "Share of plans in independent or non-maintained "
                                             "special schools")):
        part = h[h["breakdown"] == g]
        pw = _wide(_la(part)).get(jan, pd.Series(dtype=float)).reindex(plans.index)
        known = pw.notna() & plans[jan].notna()
        add(Measure(f"share_{g}", label, "%", f"January {jan}", ehcp),
            100 * pw / plans[jan],
            100 * pw[known].sum() / plans[jan][known].sum() if known.any() else np.nan,
            plans[jan], bears=((("plans", "placements"), jan),))
    # --- requests, refusals, new plans (calendar year)
    req = plain(cat, "ehcp_requests")
    req = req[req["breakdown_topic"] == "All requests for EHC needs assessments"]
    rq, rq_e = _measure(req, "requests_received_in_year")
    rf, rf_e = _measure(req, "requests_decided_not_to_assess")
    yr = max(rq.columns)
    rt = ("ehcp_requests",)
    on_req = (((*F.SUPPRESSION_WATCH["ehcp_requests"][1],), yr),)
    add(Measure("requests", "Requests for an EHC needs assessment", "count", yr, rt), rq[yr],
        rq_e.get(yr), bears=on_req)
    add(Measure("refusal_rate", "Requests refused assessment", "%", yr, rt),
        100 * rf[yr] / rq[yr], 100 * rf_e.get(yr, np.nan) / rq_e.get(yr, np.nan), rq[yr],
        bears=on_req)
    newp = plain(cat, "ehcp_newplans")
    newp = newp[(newp["breakdown_topic"] == "New EHC plans") & (newp["measure"] == "new_ehc_plans")]
    nw, nw_e = _wide(_la(newp)), _by_period(_nat(newp))
    ny = max(nw.columns)
    add(Measure("new_plans", "New EHC plans", "count", ny, ("ehcp_newplans",)), nw[ny],
        nw_e.get(ny), bears=((("new_ehc_plans",), ny),))
    # --- 20-week timeliness, excluding exceptions
    tl = plain(cat, "ehcp_timeliness")
    tl = tl[tl["breakdown_topic"] == "All EHC plans issued"]
    tn, tn_e = _measure(tl, "plans_issued_20_weeks_ex")
    td, td_e = _measure(tl, "plans_issued_den_ex")
    tw = 100 * tn / td.replace(0, np.nan)
    series["timeliness"], eseries["timeliness"] = tw, 100 * tn_e / td_e
    series["timeliness_base"] = td  # plans issued, each year: a share of fewer is not shown
    ty = max(tw.columns)
    add(Measure("timeliness", "EHC plans issued within 20 weeks (excluding exceptions)", "%",
                ty, ("ehcp_timeliness",), "better"), tw[ty], 100 * tn_e[ty] / td_e[ty],
        td[ty], bears=(((*F.SUPPRESSION_WATCH["ehcp_timeliness"][1],), ty),))
    # --- SEND tribunal appeals
    tr = plain(cat, "tribunal_appeal_rates")
    an, an_e = _measure(tr, "appeals_registered")
    ad, ad_e = _measure(tr, "appealable_decisions")
    ay = max(an.columns)
    add(Measure("appeal_rate", "SEND tribunal appeals per appealable decision", "%", ay,
                ("tribunal_appeal_rates",)), 100 * an[ay] / ad[ay].replace(0, np.nan),
        100 * an_e.get(ay, np.nan) / ad_e.get(ay, np.nan), ad[ay],
        bears=(((*F.SUPPRESSION_WATCH["tribunal_appeal_rates"][1],), ay),))
    # --- high needs block per plan and per child, cash and real terms
    b = funding.benchmarks(cat)
    bf = b.frame.set_index(b.frame["la_code"].astype(str))
    defl = funding.gdp_deflator_fy(cat)
    factor = 100 / float(defl.index.get(b.fy, np.nan))
    hn = plain(cat, "dsg_high_needs")
    hn_e = hn[(hn["geographic_level"] == "national") & (hn["measure"] == "hnb_before_deductions")
              & (hn["period"].astype(str) == b.fy)]["value"]
    hn_e = float(hn_e.iloc[0]) if len(hn_e) else float(bf["hnb"].sum())
    pe_plan = hn_e / plans_e.get(b.january, np.nan)
    pe_child = hn_e / pop_e.get(b.population_year, np.nan)
    ft = ("dsg_high_needs", *ehcp)
    on_jan = ((("plans",), b.january),)  # per plan: divided by that January's count
    add(Measure("hnb_per_plan", "High needs block (before deductions) per EHC plan (cash)", "£",
                b.fy, ft), bf["per_plan"], pe_plan, bears=on_jan)
    add(Measure("hnb_per_plan_real", f"High needs block (before deductions) per EHC plan "
                f"({defl.base} prices)", "£", b.fy, ft), bf["per_plan"] * factor,
        pe_plan * factor, bears=on_jan)
    add(Measure("hnb_per_child", "High needs block (before deductions) per child aged 0 to 17 "
                "(cash)", "£", b.fy,
                (*ft, "population_0_17")), bf["per_child"], pe_child)
    add(Measure("hnb_per_child_real", "High needs block (before deductions) per child aged 0 to "
                f"17 ({defl.base} prices)", "£", b.fy, (*ft, "population_0_17")),
        bf["per_child"] * factor, pe_child * factor)
    # --- DSG cumulative balance as a share of income
    from sendreport.measures import finance

    d = finance.dsg_balance_by_la(cat).set_index("la_code")
    d.index = d.index.astype(str)
    years = [c for c in d.columns if c[:2] == "20" and "-" in c]
    dy = years[-1]
    dn = finance.dsg_deficit_by_year(cat).set_index("period")["england_balance_pct_of_income"]
    dn.index = dn.index.astype(str)
    add(Measure("dsg_balance", "DSG cumulative balance, % of DSG income (negative: a deficit)",
                "%", dy, ("dsg_balance",), "better"), d[dy], dn.get(dy, np.nan))
    frame = pd.DataFrame(vals)
    frame.index = frame.index.astype(str)
    # the council-level flags that are not about one measure: neighbours DfE rates not close,
    # the areas predecessors' series cover
    pflags.append(F.select(qf, flag=("not close", "predecessor")).assign(key=""))
    # every implausible count, for the medians drawn over time
    pflags.append(F.select(qf, flag="implausible", measure="plans").assign(key="series"))
    pflags.append(F.select(qf, flag="series break").assign(key="series"))
    pf = pd.concat(pflags, ignore_index=True).drop_duplicates(ignore_index=True)
    return Panel(frame, eng, meas, series, eseries, bases, pf)


# ------------------------------------------------------------------ one council
@dataclass(frozen=True)
class Council:
    la_code: str
    name: str
    region: str
    gss_code: str
    created: str  # date the council was created by a reorganisation, or ""
    predecessors: tuple[tuple[str, str], ...]  # (LA number, name) of the councils it replaced
    neighbours: tuple[str, ...]  # LA numbers of its statistical neighbours DfE rates close
    distant: tuple[str, ...] = ()  # LA numbers of neighbours DfE rates "Not close"

    @property
    def reorganised(self) -> bool:
        return bool(self.created)


def councils(cat: Catalogue) -> pd.DataFrame:
    """Every council in the latest EHC plans release: LA number, name, ONS code, region, and
    whether it was created by a reorganisation (and from which councils)."""
    h = plain(cat, "ehcp_caseload_harmonised")
    tot = h[(h["breakdown"] == "total") & (h["geographic_level"] == "la")]
    last = tot["period"].astype(str).max()
    codes = sorted(set(tot[tot["period"].astype(str) == last]["la_code"].astype(str)))
    lk = plain(cat, "la_lookup").set_index("la_code")
    names = lk["la_name"].to_dict()
    rows = []
    for code in codes:
        r = lk.loc[code] if code in lk.index else None
        preds = [p for p in (r["predecessors"].split(";") if r is not None else []) if p]
        rows.append({"la_code": code, "la_name": r["la_name"] if r is not None else code,
                     "gss_code": r["gss_code"] if r is not None else "",
                     "region": r["region_name"] if r is not None else "",
                     "created": (r["created"] if r is not None else "") or "",
                     "predecessors": "; ".join(_pred_name(p, names) for p in preds)})
    return pd.DataFrame(rows)


def match(table: pd.DataFrame, area: str) -> pd.Series:
    """The row of ``councils(...)`` that ``area`` names (a name, however spaced, punctuated or
    capitalised, an LA number or an ONS code); an unknown one is an error that names the
    nearest councils and says how to list them all. The one way a council is looked up."""
    import difflib

    from sendreport.la import name_key

    a = str(area).strip()
    keys = table["la_name"].map(name_key)
    hit = table[(table["la_code"] == a) | (table["gss_code"].str.upper() == a.upper())
                | (keys == name_key(a))]
    if hit.empty:
        near = difflib.get_close_matches(name_key(a), list(keys), n=3, cutoff=0.6)
        names = [table.loc[keys == k, "la_name"].iloc[0] for k in near]
        hint = f" (nearest: {', '.join(names)})" if names else ""
        raise SendReportError(f"no council {area!r} in the latest EHC plans release{hint}; give "
                              "a name, LA number or ONS code (list them with: sendreport "
                              "councils list)")
    return hit.iloc[0]


def resolve(cat: Catalogue, area: str) -> Council:
    """A council from its name, LA number or ONS code; an unknown one is an error that says how
    to list the valid ones."""
    r = match(councils(cat), area)
    lk = plain(cat, "la_lookup").set_index("la_code")
    preds = [p for p in str(lk.loc[r["la_code"], "predecessors"]).split(";") if p] \
        if r["la_code"] in lk.index else []
    sn = plain(cat, "stat_neighbours")
    nb = sn[sn["la_code"].astype(str) == r["la_code"]].sort_values("rank")
    far = {n for la, n in F.not_close_pairs(plain(cat, "quality_flags")) if la == r["la_code"]}
    codes = [str(x) for x in nb["neighbour_la_code"]]
    return Council(r["la_code"], r["la_name"], r["region"], r["gss_code"], r["created"],
                   tuple((p, _pred_name(p, lk["la_name"].to_dict())) for p in preds
                         if p in lk.index),
                   tuple(x for x in codes if x not in far),
                   tuple(x for x in codes if x in far))


def _pred_name(code: str, names: dict) -> str:
    """A replaced council's name as the reorganisation names it ('Dorset (county)'), so that
    it is not mistaken for the council of the same name that replaced it."""
    from sendreport.la import reorganisations

    r = reorganisations()
    hit = r[r["old_la_code"] == code]["old_name"]
    return str(hit.iloc[0]) if len(hit) else str(names.get(code, code))


def last_january_before(created: str) -> int:
    """The last January whose count belongs to the councils a reorganisation replaced: the
    January of the year of creation unless the council was created on 1 January."""
    year = int(created[:4])
    return year - 1 if created[5:10] == "01-01" else year


def series_over_time(p: Panel, c: Council, key: str) -> pd.DataFrame:
    """Measure ``key`` over time for council ``c``: its own line, the median of its close
    neighbours, England and, for a reorganised council, the councils it replaced (those that
    became part of it whole, combined; a larger area's own line). Columns: year, value, line
    ('own', 'neighbours', 'england', 'whole' or 'larger'), code (the council a line is of),
    flag, and collection (the side of the 2019 series break) for plans and rates.

    The flags decide what is drawn: a council-year whose count is implausible carries its
    flag and is kept out of the neighbours' median; a share of fewer than ``MIN_BASE``
    (timeliness of a handful of plans) is not drawn and is in no median."""
    s = p.series[key].copy()
    implausible: set[tuple[str, str]] = set()
    if key in ("plans", "per_1000"):
        implausible = {(r.la_code, r.period)
                       for r in p.flagged("series", flag="implausible").itertuples()}
    base = p.series.get(f"{key}_base")
    if base is not None:
        s = s.mask(base.reindex(index=s.index, columns=s.columns) < MIN_BASE)
    rows = []

    def put(line: str, ser: pd.Series, code: str = "") -> None:
        for y, v in ser.dropna().items():
            rows.append({"year": int(y), "value": float(v), "line": line, "code": code,
                         "flag": "implausible" if (code, str(y)) in implausible else ""})

    if c.la_code in s.index:
        put("own", s.loc[c.la_code], c.la_code)
    nb = [n for n in c.neighbours if n in s.index]
    if nb:
        masked = s.loc[nb].copy()  # a neighbour's implausible count is in no median
        for code, period in implausible:
            if code in masked.index and period in masked.columns:
                masked.loc[code, period] = np.nan
        put("neighbours", masked.median())
    put("england", p.england_series[key])
    whole, larger = predecessor_areas(p, c)
    if c.created and key == "plans" and not whole:
        until = last_january_before(c.created)
        for code, _ in larger:  # a council split from a larger one: that council's own line
            if code in s.index:
                ser = s.loc[code]
                put("larger", ser[ser.index.astype(int) <= until], code)
    preds = [code for code, _ in whole if code in s.index]
    if preds and c.created:
        until = last_january_before(c.created)
        if key == "plans":
            ser = s.reindex(preds).sum(min_count=1)
            put("whole", ser[ser.index.astype(int) <= until])
        elif key == "per_1000":
            # the councils it replaced, as one rate, where their populations are published
            pop = p.series["population"]
            if all(code in pop.index for code in preds):
                num = p.series["plans"].reindex(preds).sum(min_count=1)
                den = pd.Series({j: pop.loc[preds, str(int(j) - 1)].sum()
                                 for j in num.index if str(int(j) - 1) in pop.columns})
                rate = (1000 * num / den.replace(0, np.nan)).dropna()
                put("whole", rate[rate.index.astype(int) <= until])
    out = pd.DataFrame(rows, columns=["year", "value", "line", "code", "flag"])
    if key in ("plans", "per_1000"):
        # the two sides of the series break are drawn as separate lines, never joined
        brk = p.flagged("series", flag="series break")
        if len(brk):
            first = int(brk["period"].min())
            out["collection"] = np.where(out["year"] < first,
                                         f"to {first - 1}: statements and EHC plans",
                                         f"from {first}: EHC plans only")
    return out


def larger_predecessors(p: Panel, c: Council) -> pd.DataFrame:
    """The predecessor flags of ``c`` whose series covers a larger area than ``c``."""
    fl = F.select(p.flags, flag="predecessor", la_code=c.la_code)
    return fl[fl["rule"] == F.LARGER_AREA]


def predecessor_areas(p: Panel, c: Council) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The councils ``c`` replaced, split into those that became part of it whole (their
    series can be combined as a part of its area) and those that also covered other councils
    (their series covers a larger area and is shown only as its own, labelled line)."""
    larger = set(larger_predecessors(p, c)["measure"].str.removeprefix("series of "))
    whole = [(code, n) for code, n in c.predecessors if code not in larger]
    return whole, [(code, n) for code, n in c.predecessors if code in larger]


@dataclass(frozen=True)
class Comparison:
    measure: Measure
    value: float | None  # None unless state is "value" or "implausible"
    #: "value"; "implausible" (shown with a caveat, not ranked); "small" (base under
    #: MIN_BASE); "suppressed"; "missing breakdown"; "not published"; "before"; "missing"
    state: str
    neighbours: float
    region: float
    england: float
    rank: int | None
    of: int


def compare(p: Panel, c: Council, key: str, region_of: pd.Series) -> Comparison:
    """Council ``c`` on measure ``key``: its value, the median of its statistical neighbours
    and of its region's councils, England, and its rank among councils (1 = highest).

    The flags decide: a value flagged implausible, suppressed, without a breakdown or of a
    small base is in no rank and no median (the council's own implausible value is shown,
    with its caveat); neighbours DfE rates not close are not in the neighbours' median."""
    m = p.measures[key]
    allv = p.values[key].replace([np.inf, -np.inf], np.nan)
    out = p.excluded(key)
    col = allv.drop(index=[i for i in out if i in allv.index])
    kinds = set(p.flagged(key, c.la_code)["flag"])
    present = c.la_code in allv.index
    raw = allv.get(c.la_code, np.nan) if present else None
    if raw is None:
        state = "missing"
    elif "missing breakdown" in kinds:
        state = "missing breakdown"
    elif "implausible" in kinds:  # shown as published (if it is), with the caveat
        state = "implausible"
    elif "small base" in kinds:  # a base of 0 too (no share can be computed)
        state = "small"
    elif pd.isna(raw):
        state = ("before" if c.reorganised and _before(m.period, c.created) else
                 "suppressed" if "suppressed" in kinds else "not published")
    else:
        state = "value"
    ranked = col.dropna().rank(ascending=False, method="min")
    rank = int(ranked[c.la_code]) if state == "value" else None
    nb = col.reindex([n for n in c.neighbours if n in col.index]).median()
    reg = col[region_of.reindex(col.index) == c.region].median()
    shown = state == "value" or (state == "implausible" and pd.notna(raw))
    return Comparison(m, float(raw) if shown else None, state,
                      float(nb), float(reg), p.england.get(key, np.nan), rank,
                      int(col.notna().sum()))


def _before(period: str, created: str) -> bool:
    """Whether a measure's period starts before the council was created (a date)."""
    import re

    years = [int(y) for y in re.findall(r"(?<!\d)(20\d\d)(?!\d)", period)]
    return bool(years) and min(years) < int(created[:4]) + (1 if created[5:7] > "01" else 0)


def region_of(cat: Catalogue) -> pd.Series:
    lk = plain(cat, "la_lookup")
    return pd.Series(lk["region_name"].to_numpy(), index=lk["la_code"].astype(str))


def inspection_history(cat: Catalogue, c: Council) -> pd.DataFrame:
    """Every area SEND inspection event of the council and of the councils it replaced."""
    return inspections.history(cat, c.la_code, c.predecessors)


def latest_inspection(cat: Catalogue, c: Council) -> str:
    """The council's latest area SEND inspection event (an inspection or a revisit), in
    words, with its date; a predecessor's event is said to be one."""
    h = inspection_history(cat, c)
    if h.empty:
        return "not inspected in the published outcomes this report uses"
    return _event_words(h.iloc[-1], c)


def earlier_inspections(cat: Catalogue, c: Council) -> list[str]:
    """Every event before the latest, newest first, in words."""
    h = inspection_history(cat, c)
    return [_event_words(r, c) for _, r in h.iloc[:-1].iloc[::-1].iterrows()]


def _event_words(r: pd.Series, c: Council) -> str:
    what = "revisit" if r["event"] == "revisit" else "inspection"
    fw = "framework of January 2023" if r["framework"] == "2023" else "2016 framework"
    who = "" if r["own"] else f", of {r['area']}, the council {c.name} replaced"
    when = f"began {r['date'].day} {r['date']:%B %Y}"
    if pd.notna(r["published"]):
        when += f", published {r['published'].day} {r['published']:%B %Y}"
    return f"{r['outcome'][:1].upper()}{r['outcome'][1:]} ({what}{who}, {fw}; {when})"


def own_projection(p: Panel, c: Council, horizon: int = 2033, years: int = 5
                   ) -> tuple[float, float, int] | None:
    """The council's plans in January ``horizon`` if its recent growth continued (its own
    compound growth over ``years`` years): (plans, annual growth %, first January used).
    None when the council has too short a series (a recent reorganisation)."""
    s = p.series["plans"].loc[c.la_code].dropna() if c.la_code in p.series["plans"].index \
        else pd.Series(dtype=float)
    s.index = s.index.astype(int)
    if len(s) <= years:
        return None
    # growth the report does not show (a small base, an implausible count at either end) is
    # not projected either
    if not p.flagged("growth_5y", c.la_code, F.EXCLUDING).empty:
        return None
    proj = project(s, Assumptions(scenario="trend", trend_years=years, horizon=horizon))
    end = float(proj[proj["year"] == horizon]["plans"].iloc[0])
    return end, 100 * cagr(s, years), int(s.index[-1 - years])
