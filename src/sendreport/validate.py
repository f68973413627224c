"""Validation at the edge: every loader runs its tidy output through these checks.

Nothing downstream runs on data that failed. Each failure raises ``DataValidationError`` naming
the file, the column, the source row and what was expected.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import pandera.pandas as pa

from sendreport.errors import DataValidationError
from sendreport.symbols import PUBLISHER_ERROR, STATUS_VALUES

TIDY_SCHEMA = pa.DataFrameSchema(
    {
        "period": pa.Column(str, pa.Check.str_matches(r"^\d{4}([-/]\d{2})?$|^\d{4}-\d{2}$")),
        "period_type": pa.Column(
            str, pa.Check.isin(["january", "calendar_year", "financial_year", "academic_year",
                                "multi_year", "other"])
        ),
        "geographic_level": pa.Column(str, pa.Check.isin(["national", "regional", "la"])),
        "la_code": pa.Column(str, nullable=True),
        "measure": pa.Column(str),
        "value": pa.Column(float, nullable=True),
        "status": pa.Column(str, pa.Check.isin(STATUS_VALUES)),
        "release": pa.Column(str),
    },
    strict=False,
    coerce=False,
)


def _row_of(df: pd.DataFrame, i) -> int | None:
    if "source_row" in df.columns:
        return int(df.loc[i, "source_row"])
    return None


def check_schema(df: pd.DataFrame, file: str) -> None:
    try:
        TIDY_SCHEMA.validate(df, lazy=False)
    except pa.errors.SchemaError as e:
        col = getattr(e, "schema", None)
        col_name = getattr(col, "name", None)
        fc = getattr(e, "failure_cases", None)
        found, row = None, None
        if fc is not None and len(fc):
            found = fc.iloc[0].get("failure_case")
            idx = fc.iloc[0].get("index")
            if idx is not None and not pd.isna(idx) and idx in df.index:
                row = _row_of(df, idx)
        raise DataValidationError(
            file, f"tidy table fails its schema: {str(e).splitlines()[0]}",
            column=col_name, row=row, found=found,
        ) from e


def check_nonnegative(df: pd.DataFrame, file: str, exclude: Iterable[str] = ()) -> None:
    excl = set(exclude)
    mask = (df["value"] < 0) & ~df["measure"].isin(excl)
    if mask.any():
        i = df.index[mask.to_numpy()][0]
        raise DataValidationError(
            file, "negative count", column=str(df.loc[i, "measure"]), row=_row_of(df, i),
            expected="a count of zero or more", found=float(df.loc[i, "value"]),
        )


def _totals(df: pd.DataFrame) -> pd.Series:
    """Rows that are a total: breakdown 'Total', or the breakdown that names its whole topic."""
    b = df["breakdown"].astype(str)
    return b.eq("Total") | b.eq(df["breakdown_topic"].astype(str))


def check_reconciles(
    df: pd.DataFrame,
    file: str,
    measures: Iterable[str],
    *,
    by: list[str] | None = None,
    abs_tol: float = 0.5,
    rel_tol: float = 0.0,
    per_suppressed: float = 10.0,
    regional: bool = True,
    only_totals: bool = False,
) -> None:
    """LA rows must sum to the national row (and to their region's row, where regions are coded).

    Suppressed LA cells may hide up to ``per_suppressed`` each; the comparison allows for that.
    """
    by = by or ["period", "breakdown_topic", "breakdown", "measure"]
    sub = df[df["measure"].isin(list(measures))]
    if only_totals:
        sub = sub[_totals(sub)]
    if sub.empty:
        return
    la = sub[sub["geographic_level"] == "la"]
    suppressed = la["status"].ne("") & la["status"].ne("blank")
    la = la.assign(_supp=suppressed, _err=la["status"].eq(PUBLISHER_ERROR))
    agg = {"la_total": ("value", "sum"), "n_supp": ("_supp", "sum"),
           "n_la": ("value", "size"), "n_err": ("_err", "sum")}
    levels = [("national", [])]
    if regional and (sub["region_code"].astype(str) != "").any():
        levels.append(("regional", ["region_code"]))
    for level, extra in levels:
        tot = sub[(sub["geographic_level"] == level) & sub["status"].eq("")]
        if tot.empty:
            continue
        keys = by + extra
        la_grp = la.groupby(keys, observed=True).agg(**agg)
        t = tot.set_index(keys)[["value", "source_row"] if "source_row" in tot else ["value"]]
        j = t.join(la_grp, how="inner")
        if j.empty:
            continue
        allow = abs_tol + rel_tol * j["value"].abs() + per_suppressed * j["n_supp"]
        diff = j["la_total"] - j["value"]
        # where a publisher error blanked LA cells, only a shortfall is explicable
        bad = diff.abs().where(j["n_err"] == 0, diff) > allow
        if bad.any():
            k = j.index[bad.to_numpy()][0]
            r = j.loc[[k]].iloc[0]
            kd = dict(zip(keys, k if isinstance(k, tuple) else (k,), strict=True))
            where = ", ".join(f"{a}={b}" for a, b in kd.items() if a != "measure")
            raise DataValidationError(
                file,
                f"local authority rows do not reconcile with the {level} total ({where})",
                column=str(kd.get("measure")),
                row=int(r["source_row"]) if "source_row" in r else None,
                expected=f"{level} total {r['value']:,.0f} within {allow[bad].iloc[0]:,.0f}",
                found=f"sum of {int(r['n_la'])} LA rows = {r['la_total']:,.0f}",
            )


def check_year_on_year(
    df: pd.DataFrame,
    file: str,
    measures: Iterable[str],
    *,
    low: float = 0.2,
    high: float = 5.0,
    min_base: float = 1000.0,
) -> None:
    """National values must not jump by more than the bounds between consecutive periods.

    Catches unit errors (a value in thousands, a pound figure in pence) rather than real change.
    """
    sub = df[
        df["measure"].isin(list(measures))
        & (df["geographic_level"] == "national")
        & df["status"].eq("")
        & _totals(df)
    ]
    if sub.empty:
        return
    keys = ["breakdown_topic", "breakdown", "measure"]
    for k, g in sub.groupby(keys, observed=True):
        g = g.sort_values("period")
        v = g["value"].to_numpy()
        p = g["period"].astype(str).to_numpy()
        for i in range(1, len(v)):
            if v[i - 1] >= min_base and not (low <= v[i] / v[i - 1] <= high):
                raise DataValidationError(
                    file,
                    f"national value changes implausibly from {p[i-1]} to {p[i]} "
                    f"({v[i-1]:,.0f} to {v[i]:,.0f}); a unit error?",
                    column=str(k[2]),
                    row=_row_of(g, g.index[i]),
                    expected=f"a year-on-year ratio between {low} and {high}",
                    found=round(float(v[i] / v[i - 1]), 3),
                )


def check_contiguous(df: pd.DataFrame, file: str, measure: str) -> None:
    """A January series may not lose a year in its middle: the national total of ``measure``
    must be present for every January from its first to its last."""
    sub = df[(df["geographic_level"] == "national") & (df["measure"] == measure) & _totals(df)]
    years = sorted({int(p) for p in sub["period"].astype(str) if p.isdigit()})
    if not years:
        raise DataValidationError(file, "no national total", column=measure,
                                  expected="a national row for every January")
    missing = sorted(set(range(years[0], years[-1] + 1)) - set(years))
    if missing:
        raise DataValidationError(file, f"the series lacks January {missing[0]} between "
                                  f"{years[0]} and {years[-1]}", column=measure,
                                  expected="every January from the first to the last")


def validate_tidy(
    df: pd.DataFrame,
    file: str,
    *,
    reconcile: Iterable[str] = (),
    reconcile_opts: dict | None = None,
    yoy: Iterable[str] = (),
    yoy_opts: dict | None = None,
    signed: Iterable[str] = (),
) -> pd.DataFrame:
    if df.empty:
        raise DataValidationError(file, "no data rows", expected="at least one data row")
    check_schema(df, file)
    check_nonnegative(df, file, exclude=signed)
    if reconcile:
        check_reconciles(df, file, reconcile, **(reconcile_opts or {}))
    if yoy:
        check_year_on_year(df, file, yoy, **(yoy_opts or {}))
    return df

