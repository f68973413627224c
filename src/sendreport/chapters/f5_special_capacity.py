"""Finding 5: special school capacity and where money for new places went."""

from __future__ import annotations

from sendreport.chapters import wording as w
from sendreport.chapters.base import Chapter, Trend
from sendreport.measures import ehcp, funding, placements

IND = "Independent and non-maintained special"
STATE = "State special schools"


def build(c: Chapter) -> None:
    v = c.v
    c.finding = 5
    shares = placements.placement_shares(c.cat, c.la_code)
    sp = shares[shares["group"].isin([STATE, IND])]
    wide = sp.pivot(index="january", columns="group", values="plans")
    v.first, v.last = wide.index[0], wide.index[-1]
    ind, state = wide[IND], wide[STATE]
    share = shares[shares["group"] == IND].set_index("january")["share_pct"]
    v.ind_first, v.ind_last = ind.loc[v.first], ind.loc[v.last]
    v.state_first, v.state_last = state.loc[v.first], state.loc[v.last]
    v.ind_share_first, v.ind_share_last = share.loc[v.first], share.loc[v.last]
    c.add_chart(
        "special-placements",
        sp.assign(collection=sp["january"].map(ehcp.collection)).astype({"january": int}),
        kind="line", x="january", y="plans", hue="group", breaks="collection",
        title=f"Placements in independent special schools {w.change(v.ind_first, v.ind_last)} "
              f"since {v.first}",
        subtitle=f"Statements and EHC plans by type of special school, {c.where}, January "
                 f"{v.first} to January {v.last}",
        alt=f"Line chart: independent and non-maintained special placements went from "
            f"{w.n(v.ind_first)} to {w.n(v.ind_last)}; state special from {w.n(v.state_first)} "
            f"to {w.n(v.state_last)}.",
        source=c.source("ehcp_caseload_harmonised", period=f"January {v.first} to January {v.last}")
        + " Statements and plans to 2018; EHC plans only from 2019.",
        xlabel="January", ylabel="plans", thousands=True)
    places = funding.special_places_deducted(c.cat)
    grew = bool(places.groupby("institution")["places"].apply(
        lambda s: s.is_monotonic_increasing).all())
    p0, p1 = places["financial_year"].min(), places["financial_year"].max()
    tot = places.groupby("financial_year")["places"].sum()
    c.add_chart(
        "special-places", places, kind="bar", x="financial_year", y="places", hue="institution",
        title=w.choose(grew, "Directly funded places in special academies and free schools have "
                             "grown each year",
                       "Directly funded places in special academies and free schools have not "
                       "grown every year"),
        subtitle=f"High needs places deducted from councils' DSG for direct funding (second part "
                 f"of each year), England, {p0} to {p1}",
        alt=f"Bar chart: directly funded places in special academies and special free schools "
            f"together went from {w.n(tot.iloc[0])} in {p0} to {w.n(tot.iloc[-1])} in {p1}.",
        source=c.source("dsg_high_needs_deductions", period=f"{p0} to {p1}"),
        xlabel="financial year", ylabel="places", thousands=True)
    cap = placements.specialist_capacity_by_phase(c.cat)
    v.cap_places, v.cap_pupils = (cap.loc[cap["phase"] == "Total", "places"].iloc[0],
                                  cap.loc[cap["phase"] == "Total", "pupils_on_roll"].iloc[0])
    v.cap_schools = cap.loc[cap["phase"] == "Total", "special_schools"].iloc[0]
    phases = cap[cap["phase"] != "Total"]
    long = phases.melt(id_vars="phase", value_vars=["places", "pupils_on_roll"],
                       var_name="count", value_name="number")
    long["count"] = long["count"].map({"places": "places", "pupils_on_roll": "pupils on roll"})
    over = phases.set_index("phase")
    c.add_chart(
        "special-capacity", long, kind="barh", x="number", y="phase", hue="count",
        title=f"State special schools had {w.n(v.cap_pupils - v.cap_places)} more pupils on roll "
              f"than places in May 2023",
        subtitle=f"Places reported and pupils on roll in {w.n(v.cap_schools)} state special "
                 f"schools, England, May 2023, by phase",
        alt="Horizontal bar chart: " + "; ".join(
            f"{ph}: {w.n(r.places)} places, {w.n(r.pupils_on_roll)} pupils"
            for ph, r in over.iterrows()) + ".",
        source="Source: DfE, School capacity 2022/23, specialist provision capacity (compiled "
               "reference table data/reference/specialist_provision_capacity_2023.csv, address "
               "on each row). Period: May 2023.",
        xlabel="number", ylabel="", thousands=True)
    by_la, v.implausible = c.plausible(placements.independent_special_by_la(c.cat, v.last),
                                       v.last, placements=True)
    col = by_la["independent_special_share_pct"]
    v.la_min, v.la_max, v.la_median = col.min(), col.max(), col.median()
    top = by_la.head(10).drop(columns="la_code").rename(columns={
        "la_name": "council", "total": "all plans", "independent_special": "independent special",
        "independent_special_share_pct": "share"})
    c.add_table("independent-special-by-la", top,
                formats={"all plans": "{:,.0f}", "independent special": "{:,.0f}",
                         "share": "{:.1f}%"},
                source=c.source("ehcp_caseload_harmonised", period=f"January {v.last}")
                + v.implausible)
    prev = str(int(v.last) - 1)
    c.since = Trend("the share of plans in independent and non-maintained special schools",
                    share.loc[prev], v.ind_share_last, f"January {prev}", f"January {v.last}",
                    better="down")
