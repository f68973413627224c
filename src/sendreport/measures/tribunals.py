"""SEND tribunal appeals as a share of appealable decisions."""

from __future__ import annotations

import pandas as pd

from sendreport.catalogue import Catalogue
from sendreport.measures.base import Figure, figure, geo, national_value, rate


def appeal_rate(cat: Catalogue, year: int | str) -> Figure:
    """SEND tribunal appeals registered as a share of appealable decisions, England."""
    t = "tribunal_appeal_rates"
    df = cat.table(t)
    num = national_value(df, t, period=year, measure="appeals_registered")
    den = national_value(df, t, period=year, measure="appealable_decisions")
    return figure(cat, t, 100 * num / den, "%", str(year))

def appeal_rate_series(cat: Catalogue, la_code: str | None = None) -> pd.DataFrame:
    df = geo(cat.table("tribunal_appeal_rates"), la_code)
    return rate(df, {"appeals_registered": "appeals",
                      "appealable_decisions": "appealable_decisions"},
                 "appeals", "appealable_decisions", "appeal_rate_pct")
