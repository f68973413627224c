"""A projection of EHC plans to 2032-33 under stated scenarios, with a backtest.

The projection's assumptions are notebook parameters (``scenario``, ``trend_years``,
``floor_rate``, ``slow_until``, ``horizon``, ``dfe_base_year``, ``dfe_target``,
``dfe_target_year``, ``backtest_until``), read here from the chapter's parameters.
"""

from __future__ import annotations

import pandas as pd

from sendreport.chapters import wording as w
from sendreport.chapters.base import Chapter, Trend
from sendreport.measures import ehcp, funding
from sendreport.parameters import PROJECTION_PARAMETERS
from sendreport.projection import Assumptions, backtest, cagr, project

#: the projection's parameters and their defaults (the notebook declares the same)
PARAMETERS = PROJECTION_PARAMETERS

LABELS = {"trend": "Recent trend", "slowing": "Slowing growth",
          "dfe": "DfE path (this report's construction)"}


def assumptions(params: dict) -> Assumptions:
    d = Assumptions()
    a = Assumptions(
        scenario=str(params.get("scenario", d.scenario)),
        trend_years=int(params.get("trend_years", d.trend_years)),
        floor_rate=float(params.get("floor_rate", d.floor_rate)),
        slow_until=int(params.get("slow_until", d.slow_until)),
        horizon=int(params.get("horizon", d.horizon)),
        dfe_base_year=int(params.get("dfe_base_year", d.dfe_base_year)),
        dfe_target=float(params.get("dfe_target", d.dfe_target)),
        dfe_target_year=int(params.get("dfe_target_year", d.dfe_target_year)))
    a.check()
    return a


def build(c: Chapter) -> None:
    v = c.v
    hist = ehcp.series_for_projection(c.cat)
    a = assumptions(c.params)
    v.a = a
    runs = {s: project(hist, Assumptions(**{**a.__dict__, "scenario": s})) for s in LABELS}

    def end(p: pd.DataFrame) -> float:
        return float(p[(p.kind == "projected") & (p.year == a.horizon)]["plans"].iloc[0])

    v.end = {s: end(p) for s, p in runs.items()}
    v.selected = v.end[a.scenario]
    v.rate = 100 * cagr(hist, a.trend_years)
    v.dfe_base = hist.loc[a.dfe_base_year]
    hp = funding.high_needs_per_plan(c.cat).iloc[-1]
    defl = funding.gdp_deflator_fy(c.cat)
    v.fy, v.per_plan_real, v.hnb_real = (hp["financial_year"], hp["hnb_per_plan_real"],
                                        hp["hnb_real"])
    v.deflator = defl.series
    v.base = defl.base
    # cost in real terms at the latest real block per plan, for every scenario: a range
    v.cost = {s: e * v.per_plan_real for s, e in v.end.items()}
    v.cost_low, v.cost_high = min(v.cost.values()), max(v.cost.values())
    long = pd.concat([p.assign(scenario=LABELS[s]) for s, p in runs.items()])
    long = long[long["kind"] == "projected"]
    actual = runs["trend"][runs["trend"]["kind"] == "actual"].assign(scenario="Actual")
    plot = pd.concat([actual, long])[["year", "plans", "scenario"]]
    c.add_chart(
        "projection", plot, kind="line", x="year", y="plans", hue="scenario",
        title=f"On the recent trend plans would reach {w.approx(v.end['trend'])} by {a.horizon}",
        subtitle=f"EHC plans in January, England: actual {hist.index[0]} to {hist.index[-1]}, "
                 f"projected to {a.horizon} under three scenarios",
        alt=f"Line chart: recent trend {w.n(v.end['trend'])}, slowing growth "
            f"{w.n(v.end['slowing'])}, DfE path {w.n(v.end['dfe'])} in {a.horizon}.",
        source=c.source("ehcp_caseload_harmonised") + " Projection: sendreport.projection with "
               "the parameters shown in this chapter; the DfE path is this report's "
               "construction from the NAO's account of DfE's forecast.",
        xlabel="January", ylabel="plans", thousands=True)
    full = ehcp.ehcp_series(c.cat)
    fs = pd.Series(full["plans"].to_numpy(), index=full["january"].astype(int))
    until = int(c.params.get("backtest_until", 2019))
    bt = backtest(fs, Assumptions(trend_years=a.trend_years), fit_until=until)
    v.mape = bt["error_pct"].abs().mean()
    v.bt_last_year, v.bt_last_error = bt["year"].iloc[-1], bt["error"].iloc[-1]
    v.bt_under = v.bt_last_error < 0
    v.bt_from, v.bt_until = until - a.trend_years, until
    c.add_table("backtest", bt.rename(columns={"error_pct": "error (%)"}),
                formats={"actual": "{:,.0f}", "projected": "{:,.0f}", "error": "{:+,.0f}",
                         "error (%)": "{:+.1f}%"},
                source=c.source("ehcp_caseload_harmonised")
                + f" Fitted on January {v.bt_from} to {until}.")
    dfe = runs["dfe"]
    dfe_vs = dfe[dfe["kind"] == "projected"].set_index("year")["plans"].reindex(
        hist.index).dropna()
    v.dfe_outrun = bool((hist.reindex(dfe_vs.index) > dfe_vs).all())
    v.last_year, v.last_actual, v.last_on_path = hist.index[-1], hist.iloc[-1], dfe_vs.iloc[-1]
    c.add_table("parameters", pd.DataFrame(
        [(k, str(val)) for k, val in a.__dict__.items()] + [("backtest_until", str(until))],
        columns=["parameter", "value"]), source="Source: this notebook's parameters.")
    c.since = Trend("EHC plans against the DfE path", v.last_on_path, v.last_actual,
                    f"the path for January {v.last_year}", f"actual, January {v.last_year}",
                    better="neither", fmt="n")
