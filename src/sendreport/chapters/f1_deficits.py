"""Finding 1: council deficits and the statutory override."""

from __future__ import annotations

from sendreport.chapters import wording as w
from sendreport.chapters.base import Chapter, Trend
from sendreport.measures import finance


def build(c: Chapter) -> None:
    v = c.v
    c.finding = 1
    by_year = finance.dsg_deficit_by_year(c.cat)
    first, last = by_year.iloc[0], by_year.iloc[-1]
    v.first_year, v.last_year = first["period"], last["period"]
    v.first_in_deficit, v.first_councils = int(first["las_in_deficit"]), int(first["las"])
    v.last_in_deficit, v.last_councils = int(last["las_in_deficit"]), int(last["las"])
    v.first_share, v.last_share = first["share_in_deficit_pct"], last["share_in_deficit_pct"]
    v.first_england, v.last_england = (first["england_balance_pct_of_income"],
                                       last["england_balance_pct_of_income"])
    c.add_chart(
        "deficit-share", by_year, kind="bar", x="period", y="share_in_deficit_pct",
        title=f"{w.pct(v.last_share, 0)} of councils had a DSG deficit by {v.last_year}",
        subtitle=f"Councils whose cumulative DSG balance was negative, % of councils reporting, "
                 f"{v.first_year} to {v.last_year}",
        alt=f"Bar chart: the share of councils with a cumulative DSG deficit "
            f"{w.direction(v.first_share, v.last_share)} from {w.pct(v.first_share, 0)} in "
            f"{v.first_year} to {w.pct(v.last_share, 0)} in {v.last_year}.",
        source=c.source("dsg_balance", period=f"{v.first_year} to {v.last_year}"),
        xlabel="financial year", ylabel="% of councils", percent=True)

    bal = finance.dsg_balance_by_la(c.cat)
    fy = v.last_year
    shown = bal[["la_code", "la_name", fy]].rename(columns={fy: "balance_pct"}).dropna()
    v.negative = int((shown["balance_pct"] < 0).sum())
    v.reporting = len(shown)
    c.add_chart(
        "deficit-distribution", shown, kind="hist", x="balance_pct", y="la_name",
        title=f"{v.negative} of {v.reporting} councils' DSG balances were negative in {fy}",
        subtitle=f"Cumulative DSG balance as % of DSG income, number of councils, {fy}",
        alt=f"Histogram of {v.reporting} councils' balances in {fy}, from "
            f"{w.pct(shown['balance_pct'].min())} to {w.pct(shown['balance_pct'].max())} of income; "
            f"{v.negative} below zero.",
        source=c.source("dsg_balance", period=fy), xlabel="balance, % of DSG income",
        ylabel="councils")

    years = [col for col in bal.columns if col[:2] == "20"]
    worst = bal.sort_values(fy).head(10)
    v.deepest_name, v.deepest_pct = worst["la_name"].iloc[0], -worst[fy].iloc[0]
    table = worst[["la_name", "region", *years]].rename(columns={"la_name": "council"})
    c.add_table("deepest-deficits", table, formats={y: "{:.1f}%" for y in years},
                source=c.source("dsg_balance", period=f"{years[0]} to {years[-1]}")
                + " Balance as % of DSG income; negative values are deficits.")
    v.local = ""
    if not c.is_england:
        s = finance.dsg_balance_series(c.cat, c.la_code)
        e = finance.dsg_balance_series(c.cat).set_index("financial_year")["balance_pct_of_income"]
        if len(s):
            txt = "; ".join(f"{r.financial_year}: {w.pct(r.balance_pct_of_income, 2)} (England "
                            f"{w.pct(e.get(r.financial_year), 2)})" for r in s.itertuples())
            v.local = f"**{c.area}.** Cumulative DSG balance as a share of income: {txt}."
        else:
            v.local = f"**{c.area}.** The DSG balance table has no rows for this council."
    c.since = Trend("the share of councils with a DSG deficit", v.first_share, v.last_share,
                    v.first_year, v.last_year, better="down")
