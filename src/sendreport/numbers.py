"""Number formats shared by the measures and the chapters' words (a count, a percentage, a
change in points, money), with 'not available' for a missing value, never 'nan'."""

from __future__ import annotations

import math

import pandas as pd


def missing(x) -> bool:
    return x is None or (isinstance(x, float) and (math.isnan(x) or math.isinf(x))) or (
        not isinstance(x, str) and pd.isna(x))


def n(x: float) -> str:
    """A count with thousands separators; 'not available' for a missing value."""
    return "not available" if missing(x) else f"{x:,.0f}"


def pct(x: float, dp: int = 1) -> str:
    return "not available" if missing(x) else f"{x:.{dp}f}%"


def pp(x: float, dp: int = 1) -> str:
    """A change in percentage points, signed."""
    return "not available" if missing(x) else f"{x:+.{dp}f} percentage points"


def gbp(x: float) -> str:
    """Money in the largest sensible unit: £8.99 billion, £45.2 million, £12,345."""
    if missing(x):
        return "not available"
    if abs(x) >= 1e9:
        return f"£{x / 1e9:,.2f} billion"
    if abs(x) >= 1e6:
        return f"£{x / 1e6:,.1f} million"
    return f"£{x:,.0f}"
