"""A chapter's values, tables and chart wording as one long table, for back-tests.

``tests/expected/<chapter>--<area>.csv`` holds the snapshot of each chapter for England and three
councils; the tests rebuild it and compare the whole frame, so that any change in a number, a
table or a title is seen (and, where intended, recorded by ``scripts/update_expected.py``).
"""

from __future__ import annotations

import dataclasses
import numbers

import numpy as np
import pandas as pd

from sendreport.chapters.base import Chapter, Trend

COLUMNS = ["kind", "name", "key", "value"]


def _text(x) -> str:
    if isinstance(x, bool | np.bool_):
        return str(bool(x))
    if isinstance(x, numbers.Integral):
        return str(int(x))
    if isinstance(x, numbers.Real):
        return "" if pd.isna(x) else f"{float(x):.6g}"
    if isinstance(x, pd.Timestamp):
        return x.date().isoformat()
    return str(x)


def _scalars(prefix: str, value, rows: list) -> None:
    if isinstance(value, pd.DataFrame | pd.Series):
        return  # frames are in the tables
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            _scalars(f"{prefix}.{f.name}", getattr(value, f.name), rows)
    elif isinstance(value, dict):
        for k, x in value.items():
            _scalars(f"{prefix}.{k}", x, rows)
    elif isinstance(value, list | tuple):
        rows.append(("value", prefix, "", "; ".join(_text(x) for x in value)))
    else:
        rows.append(("value", prefix, "", _text(value)))


def snapshot(c: Chapter) -> pd.DataFrame:
    rows: list = []
    for k, x in sorted(vars(c.v).items()):
        _scalars(k, x, rows)
    for name, spec in c._charts.items():
        for key in ("title", "subtitle", "alt", "source"):
            rows.append(("chart", name, key, spec[key]))
    for name, spec in c._tables.items():
        if spec.get("source") == "(full table)":
            continue
        df = spec["df"].reset_index(drop=True)
        for i, r in df.iterrows():
            for col in df.columns:
                rows.append(("table", name, f"{i}:{col}", _text(r[col])))
    if c.finding is not None or c.since is not None:
        try:
            rows.append(("verdict", c.name, "", c.verdict_text()))
        except Exception as e:  # a chapter without a verdict says why
            rows.append(("verdict", c.name, "", f"error: {e}"))
    if isinstance(c.since, Trend):
        rows.append(("since", c.name, "", c.since.sentence()))
    return pd.DataFrame(rows, columns=COLUMNS).astype(str)
