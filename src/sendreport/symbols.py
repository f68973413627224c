"""Parsing numeric cells that may hold the GSS / DfE suppression symbols.

A value that is a symbol keeps its reason in the ``status`` column and gets NaN as its value;
it is never turned into 0. Cells that hold a real number have an empty status.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sendreport.errors import DataValidationError

#: symbol -> status label. DfE open data standards plus older files' ':' and '~'.
SYMBOLS: dict[str, str] = {
    "z": "z: not applicable",
    "x": "x: not available",
    "c": "c: confidential",
    "k": "k: rounds to zero",
    "low": "low: rounds to zero",
    "u": "u: low reliability",
    ":": ":: not available",
    "~": "~: rounds to zero",
    "..": "..: not available",
    "n/a": "z: not applicable",
}
#: cells that are explicitly nil (MoJ tables print '-' for zero); they become 0 with empty status.
NIL = {"-", "–"}
BLANK = "blank"
#: status given to a published cell that validation showed to be wrong (see quality notes)
PUBLISHER_ERROR = "x: publisher error"
STATUS_VALUES = sorted(set(SYMBOLS.values()) | {"", BLANK, PUBLISHER_ERROR})
ALLOWED_TEXT = ", ".join(repr(s) for s in list(SYMBOLS) + sorted(NIL))


def parse_numeric(
    raw: pd.Series,
    *,
    file: str,
    column: str,
    rows: pd.Series | np.ndarray | None = None,
    percent: bool = False,
    thousands: bool = False,
    dash_is_nil: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Return (values, status) arrays for a column of raw text/numbers.

    ``rows`` gives the source row number of each cell so that an error can name it.
    ``percent`` strips a trailing '%' (the value stays in percent units).
    ``thousands`` strips ',' thousands separators.
    ``dash_is_nil``: a lone '-' means zero (MoJ tables); otherwise it means not available (LAIT).
    """
    if pd.api.types.is_numeric_dtype(raw.dtype):
        vals = raw.to_numpy(dtype="float64", na_value=np.nan)
        status = np.where(np.isnan(vals), BLANK, "").astype(object)
        return vals, status
    text = raw.astype("string").str.strip()
    text = text.fillna("")
    cleaned = text
    if thousands:
        cleaned = cleaned.str.replace(",", "", regex=False)
    if percent:
        cleaned = cleaned.str.replace("%", "", regex=False)
    vals = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    status = np.full(len(text), "", dtype=object)
    bad = np.isnan(vals)
    if bad.any():
        lower = text.str.lower().to_numpy(dtype=object)
        for i in np.flatnonzero(bad):
            t = lower[i]
            if t == "":
                status[i] = BLANK
            elif t in SYMBOLS:
                status[i] = SYMBOLS[t]
            elif t in NIL and dash_is_nil:
                vals[i] = 0.0
            elif t in NIL:
                status[i] = SYMBOLS["x"]
            else:
                row = rows[i] if rows is not None else i + 1
                raise DataValidationError(
                    file,
                    "value is neither a number nor a known symbol",
                    column=column,
                    row=int(row),
                    expected=f"a number or one of {ALLOWED_TEXT}",
                    found=text.iloc[i],
                )
    return vals, status
