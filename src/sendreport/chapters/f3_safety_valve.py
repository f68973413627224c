"""Finding 3: the safety valve and Delivering Better Value programmes."""

from __future__ import annotations

from sendreport.chapters import wording as w
from sendreport.chapters.base import Chapter, Trend
from sendreport.measures import finance


def build(c: Chapter) -> None:
    v = c.v
    c.finding = 3
    cmp = finance.safety_valve_comparison(c.cat)
    end_jan = [col for col in cmp.columns if col.startswith("plans_")][-1].removeprefix("plans_")
    cmp, v.implausible = c.plausible(cmp, end_jan)
    sv = finance.safety_valve_councils(c.cat)
    bal_col = [col for col in cmp.columns if col.startswith("balance_pct_")][0]
    v.fy = bal_col.removeprefix("balance_pct_")
    v.end = [col for col in cmp.columns if col.startswith("plans_")][-1].removeprefix("plans_")
    v.sv_listed = len(sv)
    med = cmp.groupby("group").agg(councils=("la_code", "size"),
                                   median_growth_pct=("growth_pct", "median"),
                                   median_balance_pct=(bal_col, "median")).reset_index()
    m = med.set_index("group")
    v.sv_balance, v.other_balance = (m.loc["Safety valve", "median_balance_pct"],
                                     m.loc["Other councils", "median_balance_pct"])
    v.sv_growth, v.other_growth = (m.loc["Safety valve", "median_growth_pct"],
                                   m.loc["Other councils", "median_growth_pct"])
    deeper = v.sv_balance < v.other_balance
    faster = v.sv_growth > v.other_growth
    v.deeper_words = w.choose(deeper, "started deeper in deficit", "did not start deeper in deficit")
    v.faster_words = w.choose(faster, "and their demand grew faster too",
                              "but their demand did not grow faster")
    pts = cmp.dropna(subset=[bal_col, "growth_pct"]).rename(columns={bal_col: "balance_pct"})
    v.n_sv = int((pts["group"] == "Safety valve").sum())
    c.add_chart(
        "sv-councils-scatter", pts, kind="scatter", x="growth_pct", y="balance_pct", hue="group",
        title=w.choose(deeper, "Safety valve councils started with deeper DSG deficits",
                       "Safety valve councils' DSG deficits were no deeper than others'")
        + w.choose(faster, ", and their plans grew faster", ", but their plans grew no faster"),
        subtitle=f"Cumulative DSG balance as % of DSG income ({v.fy}) against growth in EHC plans "
                 f"(January 2019 to January {v.end}, %), by council; medians: balance "
                 f"{w.pct(v.sv_balance)} (safety valve) and {w.pct(v.other_balance)} (others), "
                 f"growth {w.pct(v.sv_growth, 0)} and {w.pct(v.other_growth, 0)}",
        alt=f"Scatter chart of {len(pts)} councils, {v.n_sv} with a safety valve agreement; "
            f"median balance {w.pct(v.sv_balance)} against {w.pct(v.other_balance)}, median plan "
            f"growth {w.pct(v.sv_growth, 0)} against {w.pct(v.other_growth, 0)}.",
        source=c.source("dsg_balance", "ehcp_caseload_harmonised",
                        period=f"{v.fy}; January 2019 to January {v.end}")
        + " Safety valve list: compiled for this report from the published agreements (a "
          "source on each row; the table below)."
        + v.implausible,
        xlabel=f"growth in EHC plans, January 2019 to January {v.end} (%)",
        ylabel="balance, % of income")
    t = sv[["la_code", "la_name", "financial_year_of_agreement"]].merge(
        cmp[["la_code", bal_col, "growth_pct"]], on="la_code", how="left")
    t = t.sort_values(bal_col).drop(columns="la_code")
    c.add_table("sv-councils", t.rename(columns={
        "la_name": "council", "financial_year_of_agreement": "agreement year",
        bal_col: f"balance {v.fy}", "growth_pct": f"plan growth 2019-{v.end}"}),
        formats={f"balance {v.fy}": "{:.1f}%", f"plan growth 2019-{v.end}": "{:.0f}%"},
        source=c.source("dsg_balance", "ehcp_caseload_harmonised") + " Agreement years as given "
        "by the published agreements this report's list is compiled from (blank where no "
        "source states it).")
    v.local = ""
    if not c.is_england:
        r = c.own_row(cmp)
        if r is not None:
            member = w.choose(r["group"] == "Safety valve", "one of the safety valve councils",
                              "not on the safety valve list")
            v.local = (f"**{c.area}** is {member}; its balance in {v.fy} was "
                       f"{w.pct(r[bal_col])} of income and its plans "
                       f"{w.change(r['plans_2019'], r[f'plans_{v.end}'])} from January 2019 "
                       f"to January {v.end}.")
        else:
            v.local = f"**{c.area}** is not in the comparison (no balance or plan series)."
    dy = finance.dsg_deficit_by_year(c.cat)
    c.since = Trend("England's combined DSG balance (% of income)",
                    dy["england_balance_pct_of_income"].iloc[0],
                    dy["england_balance_pct_of_income"].iloc[-1], dy["period"].iloc[0],
                    dy["period"].iloc[-1], better="up")
