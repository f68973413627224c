"""DfE key stage 4 destination measures, national underlying data (EES format).

The file mixes counts and percentages in the same columns, told apart by ``data_type``. The tidy
table keeps the rows for all institution types of each institution group (``institution_type``
"Total"), with the group in ``breakdown_topic`` ("<group>: <topic>"); measures are the
publisher's columns with ``_pct`` added for percentages. Validation checks every percentage
against its count and cohort.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sendreport.errors import DataValidationError
from sendreport.loaders.common import check_unique, ees_to_tidy, finalise, require_columns

#: the destination columns the report uses: sustained destination, education, apprenticeship,
#: employment, not sustained, unknown
MEASURES = ["overall", "education", "appren", "all_work", "all_notsust", "all_unknown"]
DATA_TYPES = {"Number of pupils": "", "Percentage": "_pct"}


def load(path: Path, release: str) -> dict[str, pd.DataFrame]:
    from sendreport.loaders.common import read_csv

    df = read_csv(path)
    lab = Path(path).name
    require_columns(df, ["time_period", "time_identifier", "geographic_level", "institution_group",
                         "institution_type", "breakdown_topic", "breakdown", "data_type",
                         "cohort", *MEASURES], lab)
    rows = pd.Series(np.arange(len(df)) + 2, index=df.index)
    bad = ~df["data_type"].isin(DATA_TYPES)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataValidationError(lab, "unknown data type", column="data_type",
                                  row=int(rows.iloc[i]), expected=", ".join(DATA_TYPES),
                                  found=df["data_type"].iloc[i])
    keep = df["institution_type"].eq("Total")
    df, rows = df[keep].copy(), rows[keep]
    df["topic"] = df["institution_group"] + ": " + df["breakdown_topic"]
    for c in ["la_name", "region_name", "region_code", "old_la_code", "new_la_code"]:
        if c not in df:
            df[c] = ""
    parts = []
    for dtype, suffix in DATA_TYPES.items():
        sub = df[df["data_type"] == dtype].copy()
        renamed = {m: m + suffix for m in MEASURES}
        sub = sub.rename(columns=renamed)
        t = ees_to_tidy(sub, lab, list(renamed.values()) + (["cohort"] if not suffix else []),
                        release=release, snapshot=False, topic_col="topic",
                        breakdown_col="breakdown")
        t["source_row"] = np.tile(rows[sub.index].to_numpy(), len(t) // max(len(sub), 1))
        parts.append(t)
    t = pd.concat(parts, ignore_index=True)
    check_unique(t, ["period", "breakdown_topic", "breakdown", "measure"], lab, t["source_row"])
    # every percentage agrees with its count over the cohort (published to one decimal place)
    w = t.pivot_table(index=["period", "breakdown_topic", "breakdown"], columns="measure",
                      values="value", observed=True)
    pct = w[[m + "_pct" for m in MEASURES]]
    if ((pct < 0) | (pct > 100)).any().any():
        raise DataValidationError(lab, "percentage outside 0 to 100", column="data_type",
                                  expected="0 to 100")
    for m in MEASURES:
        calc = 100 * w[m] / w["cohort"]
        off = (calc - w[m + "_pct"]).abs() > 0.11
        if off.any():
            k = off.index[off.to_numpy()][0]
            raise DataValidationError(
                lab, f"percentage does not agree with count / cohort for {k}", column=m,
                expected=f"{calc[k]:.1f}", found=w.loc[k, m + "_pct"])
    return {"ks4_destinations": finalise(t)}
