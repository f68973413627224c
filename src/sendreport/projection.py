"""A transparent projection of EHC plan numbers, with stated scenarios and a backtest.

The model is deliberately simple, so that every assumption is a parameter a reader can see:

* ``trend``: plans keep growing at the compound annual rate of the last ``trend_years`` years;
* ``slowing``: growth starts at that rate and falls by equal steps to ``floor_rate`` by
  ``slow_until`` (January), then stays there;
* ``dfe``: the constant rate that takes the January 2023 count to ``dfe_target`` plans in January
  ``dfe_target_year``: the path implied by DfE's forecast as the NAO reports it (about a million
  in 2032-33).

Years are Januaries; 2032-33 is taken as January 2033.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sendreport.errors import SendReportError

SCENARIOS = ("trend", "slowing", "dfe")


@dataclass(frozen=True)
class Assumptions:
    scenario: str = "trend"
    trend_years: int = 5
    floor_rate: float = 0.03
    slow_until: int = 2030
    horizon: int = 2033
    dfe_base_year: int = 2023
    dfe_target: float = 1_000_000
    dfe_target_year: int = 2033

    def check(self) -> None:
        if self.scenario not in SCENARIOS:
            raise SendReportError(f"unknown scenario '{self.scenario}': one of {SCENARIOS}")
        if not 1 <= self.trend_years <= 10:
            raise SendReportError(f"trend_years must be 1 to 10, not {self.trend_years}")
        if not -0.5 <= self.floor_rate <= 0.5:
            raise SendReportError(f"floor_rate is an annual growth rate between -0.5 and 0.5 "
                                  f"(0.03 is 3%), not {self.floor_rate}")
        if not 2020 <= self.horizon <= 2060:
            raise SendReportError(f"horizon must be a January from 2020 to 2060, not "
                                  f"{self.horizon}")
        if not 2020 <= self.slow_until <= 2060:
            raise SendReportError(f"slow_until must be a January from 2020 to 2060, not "
                                  f"{self.slow_until}")
        if not (self.dfe_target > 0 and self.dfe_base_year < self.dfe_target_year):
            raise SendReportError("the DfE path needs a positive target and a base year before "
                                  "its target year")


def cagr(series: pd.Series, years: int) -> float:
    """Compound annual growth over the last ``years`` steps of an annual series."""
    s = series.dropna().sort_index()
    if len(s) <= years:
        raise SendReportError(f"need more than {years} years of data for the trend, have {len(s)}")
    return float((s.iloc[-1] / s.iloc[-1 - years]) ** (1 / years) - 1)


def project(history: pd.Series, a: Assumptions) -> pd.DataFrame:
    """Project from the last observed January to ``a.horizon``.

    ``history``: plans indexed by January year (int). Returns year, plans, growth, kind.
    """
    a.check()
    h = history.dropna().sort_index()
    h.index = h.index.astype(int)
    last_year, last = int(h.index[-1]), float(h.iloc[-1])
    rows = [(y, float(v), np.nan, "actual") for y, v in h.items()]
    if a.scenario == "dfe":
        if a.dfe_base_year not in h.index:
            raise SendReportError(f"no January {a.dfe_base_year} count for the DfE path")
        base = float(h.loc[a.dfe_base_year])
        r = (a.dfe_target / base) ** (1 / (a.dfe_target_year - a.dfe_base_year)) - 1
        # the DfE path runs from its own base year, so it can be compared with what happened
        for y in range(a.dfe_base_year + 1, a.horizon + 1):
            rows.append((y, base * (1 + r) ** (y - a.dfe_base_year), r, "projected"))
        out = pd.DataFrame(rows, columns=["year", "plans", "growth", "kind"])
        # where actual and projected overlap, keep both: the comparison is the point
        return out.sort_values(["year", "kind"]).reset_index(drop=True)
    r0 = cagr(h, a.trend_years)
    v = last
    for y in range(last_year + 1, a.horizon + 1):
        if a.scenario == "trend":
            r = r0
        else:
            steps = max(a.slow_until - last_year, 1)
            k = min(y - last_year, steps)
            r = r0 + (a.floor_rate - r0) * k / steps
        v = v * (1 + r)
        rows.append((y, v, r, "projected"))
    return pd.DataFrame(rows, columns=["year", "plans", "growth", "kind"])


def backtest(history: pd.Series, a: Assumptions, fit_until: int) -> pd.DataFrame:
    """Fit on Januaries up to ``fit_until`` and compare the projection with what happened."""
    h = history.dropna().sort_index()
    h.index = h.index.astype(int)
    train = h[h.index <= fit_until]
    test = h[h.index > fit_until]
    if test.empty:
        raise SendReportError(f"nothing after {fit_until} to test against")
    horizon = int(test.index.max())
    scen = a.scenario if a.scenario != "dfe" else "trend"
    p = project(train, Assumptions(**{**a.__dict__, "scenario": scen, "horizon": horizon}))
    p = p[p["kind"] == "projected"].set_index("year")["plans"]
    out = pd.DataFrame({"actual": test, "projected": p.reindex(test.index)})
    out["error"] = out["projected"] - out["actual"]
    out["error_pct"] = 100 * out["error"] / out["actual"]
    return out.rename_axis("year").reset_index()
