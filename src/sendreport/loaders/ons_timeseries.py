"""ONS time-series CSV downloads (one series: metadata rows above annual and quarterly values).

Used for the GDP implied deflator (CDID YBGB, dataset UKEA). The tidy table keeps annual values
(``breakdown`` "Year") and quarterly values (``breakdown`` "Q1".."Q4") of each calendar year.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from sendreport.errors import DataValidationError
from sendreport.loaders.common import check_file, finalise

#: series this loader accepts: CDID -> (measure name, base year whose annual value is 100)
SERIES = {"YBGB": ("gdp_deflator_index", "2022")}


def load(path: Path, release: str) -> dict[str, pd.DataFrame]:
    path = Path(path)
    check_file(path)
    lab = path.name
    try:
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    except UnicodeDecodeError as e:
        raise DataValidationError(lab, f"cannot be read as text: {e}") from e
    meta, data = {}, []
    for i, r in enumerate(rows, start=1):
        if not r:
            continue
        key = r[0].strip()
        if len(key) >= 4 and key[:4].isdigit():
            data.append((i, key, r[1].strip() if len(r) > 1 else ""))
        elif not data:
            meta[key] = r[1].strip() if len(r) > 1 else ""
        else:
            raise DataValidationError(lab, "text row among the values", row=i, column="1",
                                      expected="a period such as 2024 or 2024 Q1", found=key)
    cdid = meta.get("CDID")
    if cdid not in SERIES:
        raise DataValidationError(lab, "not a registered ONS series", column="CDID", row=2,
                                  expected=", ".join(SERIES), found=cdid)
    measure, base = SERIES[cdid]
    recs = []
    for line, per, val in data:
        parts = per.split()
        if len(parts) == 1 and len(per) == 4:
            year, brk = per, "Year"
        elif len(parts) == 2 and parts[1] in ("Q1", "Q2", "Q3", "Q4"):
            year, brk = parts
        elif len(parts) == 2 and parts[1][:3].isalpha():
            continue  # monthly rows are not used
        else:
            raise DataValidationError(lab, "unreadable period", row=line, column="1",
                                      expected="YYYY or YYYY Qn", found=per)
        try:
            v = float(val)
        except ValueError:
            raise DataValidationError(lab, "value is not a number", row=line, column="2",
                                      found=val) from None
        if not v > 0:
            raise DataValidationError(lab, "index value not positive", row=line, column="2",
                                      found=val)
        recs.append((year, brk, v, line))
    if not recs:
        raise DataValidationError(lab, "no values found below the metadata rows")
    t = pd.DataFrame(recs, columns=["period", "breakdown", "value", "source_row"])
    dup = t.duplicated(["period", "breakdown"])
    if dup.any():
        raise DataValidationError(lab, "period appears twice", column="1",
                                  row=int(t.loc[dup, "source_row"].iloc[0]))
    ann = t[t["breakdown"] == "Year"].set_index("period")["value"]
    if base not in ann.index or abs(ann[base] - 100) > 0.05:
        raise DataValidationError(lab, f"index not referenced to {base} = 100", column="2",
                                  expected=f"{base} = 100", found=ann.get(base))
    q = t[t["breakdown"] != "Year"]
    # quarters run without gaps from the first to the last
    qi = q["period"].astype(int) * 4 + q["breakdown"].str[1].astype(int) - 1
    if (np.diff(np.sort(qi.to_numpy())) != 1).any():
        raise DataValidationError(lab, "quarterly series has a gap or is out of order",
                                  expected="consecutive quarters")
    # the annual implied deflator is nominal over real GDP for the year: a weighted mean of its
    # quarters, so it lies between the lowest and the highest quarter (to the published rounding)
    full = q.groupby("period")["value"].agg(["min", "max", "size"])
    full = full[full["size"] == 4]
    both = full.join(ann.rename("annual"), how="inner")
    bad = (both["annual"] < both["min"] - 0.05) | (both["annual"] > both["max"] + 0.05)
    if bad.any():
        y = both.index[bad.to_numpy()][0]
        raise DataValidationError(lab, f"annual value for {y} lies outside its quarters",
                                  column="2", found=both.loc[y, "annual"],
                                  expected=f"{both.loc[y, 'min']} to {both.loc[y, 'max']}")
    t = t.assign(period_type="calendar_year", geographic_level="national",
                 la_name="United Kingdom", breakdown_topic="Period", measure=measure,
                 status="", release=release)
    return {"gdp_deflator": finalise(t)}
