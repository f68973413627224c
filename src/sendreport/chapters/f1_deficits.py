"""Finding 1: council deficits and the statutory override."""

from __future__ import annotations

import pandas as pd

from sendreport.chapters import wording as w
from sendreport.chapters.base import Chapter, Trend
from sendreport.measures import context, finance


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
    long = bal.melt(id_vars=["la_code", "la_name"], value_vars=years, var_name="year",
                    value_name="balance").dropna()
    q = long.groupby("year")["balance"].quantile([0.25, 0.5, 0.75]).unstack()
    bands = pd.concat([pd.DataFrame({"financial_year": q.index, "statistic": label,
                                     "balance_pct": q[k].to_numpy()})
                       for k, label in ((0.75, "upper quartile"), (0.5, "median council"),
                                        (0.25, "lower quartile"))], ignore_index=True)
    v.median_first, v.median_last = q[0.5].iloc[0], q[0.5].iloc[-1]
    v.lq_first, v.lq_last = q[0.25].iloc[0], q[0.25].iloc[-1]
    c.add_chart(
        "deficit-over-time", bands, kind="line", x="financial_year", y="balance_pct",
        hue="statistic",
        title=f"The median council's DSG balance {w.direction(v.median_first, v.median_last, 'rose', 'fell')} "
              f"from {w.pct(v.median_first)} to {w.pct(v.median_last)} of income, "
              f"{years[0]} to {years[-1]}",
        subtitle=f"Cumulative DSG balance as % of DSG income: median and quartiles of councils, "
                 f"{years[0]} to {years[-1]}; {w.pct(v.first_share, 0)} of councils in deficit in "
                 f"{v.first_year}, {w.pct(v.last_share, 0)} in {v.last_year}. Balances in pounds "
                 f"are not in the sources this report uses.",
        alt=f"Line chart of the median and quartiles of councils' DSG balances: the median went "
            f"from {w.pct(v.median_first)} to {w.pct(v.median_last)} and the lower quartile from "
            f"{w.pct(v.lq_first)} to {w.pct(v.lq_last)} of income.",
        source=c.source("dsg_balance", period=f"{years[0]} to {years[-1]}"),
        xlabel="financial year", ylabel="% of DSG income", percent=True)
    worst = bal.sort_values(fy).head(10)
    v.deepest_name, v.deepest_pct = worst["la_name"].iloc[0], -worst[fy].iloc[0]
    table = worst[["la_name", "region", *years]].rename(columns={"la_name": "council"})
    c.add_table("deepest-deficits", table, formats={y: "{:.1f}%" for y in years},
                source=c.source("dsg_balance", period=f"{years[0]} to {years[-1]}")
                + " Balance as % of DSG income; negative values are deficits.")
    v.override_end, v.override_announced = context.override_end(c.cat)
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
