"""ESFA dedicated schools grant allocation workbooks (one .ods per financial year).

The header sits under title rows and is worded differently each year, so columns are found by
the meaning of their headings, not their position.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from sendreport.errors import DataValidationError
from sendreport.loaders.common import check_unique, finalise
from sendreport.loaders.workbook import find_column, header_texts, open_workbook, read_sheet
from sendreport.symbols import parse_numeric
from sendreport.validate import validate_tidy


def _financial_year(title: str, file: str) -> str:
    m = re.search(r"(20\d\d) to (20\d\d)", str(title))
    if not m:
        raise DataValidationError(file, "cannot read the financial year from the sheet title",
                                  row=1, column="A", expected="'... 20YY to 20YY ...'",
                                  found=title)
    return f"{m.group(1)}-{m.group(2)[2:]}"


def _rows(df: pd.DataFrame, file: str) -> tuple[int, pd.DataFrame]:
    """Locate the ENGLAND row; classify every data row as national, la or regional."""
    col0 = df.iloc[:, 0]
    eng = np.flatnonzero(col0.astype(str).str.strip().str.upper().eq("ENGLAND").to_numpy())
    if len(eng) == 0:
        raise DataValidationError(file, "cannot find the ENGLAND row", column="A",
                                  expected="a data row labelled ENGLAND")
    start = int(eng[0])
    recs = []
    for i in range(start, len(df)):
        c0 = col0.iat[i]
        c1 = df.iat[i, 1]
        if pd.isna(c0) or (isinstance(c0, str) and not c0.strip()):
            continue
        s0 = str(c0).strip()
        if s0.upper() == "ENGLAND":
            recs.append((i, "national", "", "England", ""))
        elif re.fullmatch(r"\d{3}(\.0)?", s0):
            recs.append((i, "la", s0[:3], str(c1).strip(), ""))
        elif pd.isna(c1):
            recs.append((i, "regional", "", s0, s0))
        else:
            raise DataValidationError(file, "row is neither ENGLAND, an LA nor a region",
                                      row=i + 1, column="A", expected="a 3-digit LA number",
                                      found=s0)
    return start, pd.DataFrame(recs, columns=["i", "level", "la_code", "la_name", "region"])


def _tidy(df, rows, cols: dict[str, int], file, period, release, topic="Total", bd="Total"):
    parts = []
    for measure, j in cols.items():
        cells = df.iloc[rows["i"].to_numpy(), j].reset_index(drop=True)
        vals, status = parse_numeric(cells, file=file, column=measure,
                                     rows=rows["i"].to_numpy() + 1)
        parts.append(pd.DataFrame({
            "period": period, "period_type": "financial_year",
            "geographic_level": rows["level"].to_numpy(), "region_code": "",
            "region_name": rows["region"].to_numpy(), "la_code": rows["la_code"].to_numpy(),
            "gss_code": "", "la_name": rows["la_name"].to_numpy(),
            "breakdown_topic": topic if isinstance(topic, str) else topic[measure],
            "breakdown": bd if isinstance(bd, str) else bd[measure],
            "measure": measure if isinstance(topic, str) else measure.split("||")[-1],
            "value": vals, "status": status, "source_row": rows["i"].to_numpy() + 1,
        }))
    t = pd.concat(parts, ignore_index=True)
    t["release"] = release
    return t


#: completeness: every DSG workbook registered (2020-21 to 2023-24) has 149 to 151 LAs, and its
#: deductions sheet 8 institution groups with 4 measures each (32 columns); a parse that finds
#: fewer has read the wrong header row or lost columns, and is refused
MIN_LAS = 140
MIN_DEDUCTION_COLUMNS = 32


def _complete(t: pd.DataFrame, file: str, min_columns: int = 1) -> None:
    las = t.loc[t["geographic_level"] == "la", "la_code"].nunique()
    if las < MIN_LAS:
        raise DataValidationError(file, f"only {las} local authority rows were read",
                                  expected=f"at least {MIN_LAS} (is a row missing or blank above "
                                           f"the header?)")
    cols = t[["breakdown_topic", "breakdown", "measure"]].drop_duplicates()
    if len(cols) < min_columns:
        raise DataValidationError(file, f"only {len(cols)} measure columns were read",
                                  expected=f"at least {min_columns}")


def load(path: Path, release: str) -> dict[str, pd.DataFrame]:
    xl = open_workbook(path)
    out = {}

    # ---- high needs block before deductions
    df, lab = read_sheet(xl, path, r"high_needs_block")
    period = _financial_year(df.iat[0, 0], lab)
    start, rows = _rows(df, lab)
    heads = header_texts(df, start)
    before = find_column(heads, r"total high needs block before deductions", lab)
    check_unique(rows[rows.level == "la"], ["la_code"], lab, rows[rows.level == "la"]["i"] + 1)
    t1 = _tidy(df, rows, {"hnb_before_deductions": before}, lab, period, release)
    validate_tidy(t1, lab, reconcile=["hnb_before_deductions"],
                  reconcile_opts={"abs_tol": 2.0, "regional": False})
    _complete(t1, lab)

    # ---- high needs block after deductions (allocations summary, 'after' section)
    df2, lab2 = read_sheet(xl, path, r"allocations_summary")
    if _financial_year(df2.iat[0, 0], lab2) != period:
        raise DataValidationError(lab2, "financial year differs from the High_needs_block sheet",
                                  row=1, column="A", expected=period, found=df2.iat[0, 0])
    start2, rows2 = _rows(df2, lab2)
    heads2 = header_texts(df2, start2)
    section = find_column(heads2, r"allocations, after deductions", lab2)
    after = find_column(heads2, r"high needs block", lab2, after=section - 1)
    check_unique(rows2[rows2.level == "la"], ["la_code"], lab2,
                 rows2[rows2.level == "la"]["i"] + 1)
    t2 = _tidy(df2, rows2, {"hnb_after_deductions": after}, lab2, period, release)
    validate_tidy(t2, lab2, reconcile=["hnb_after_deductions"],
                  reconcile_opts={"abs_tol": 2.0, "regional": False})
    _complete(t2, lab2)
    out["dsg_high_needs"] = finalise(pd.concat([t1, t2], ignore_index=True))

    # ---- deductions for directly funded places
    df3, lab3 = read_sheet(xl, path, r"high_needs_deductions")
    start3, rows3 = _rows(df3, lab3)
    group = df3.iloc[0].ffill()
    sub = df3.iloc[1].ffill()
    cols, topics, bds = {}, {}, {}
    part = {}
    for j in range(2, df3.shape[1]):
        h = str(df3.iat[2, j]) if not pd.isna(df3.iat[2, j]) else ""
        g = " ".join(str(group.iat[j]).split())
        s = " ".join(str(sub.iat[j]).split()) if not pd.isna(sub.iat[j]) else g
        if re.match(r"total deduction to high needs block", g, flags=re.I):
            key = "Total||Total||deduction_total"
        elif re.search(r"20\d\d to \w+ 20\d\d", h):
            n = part.get((g, s), 0) + 1
            part[(g, s)] = n
            key = f"{g}||{s}||places_part{n}"
        elif re.search(r"deduction", h, flags=re.I):
            key = f"{g}||{s}||deduction"
        else:
            continue
        cols[key], topics[key], bds[key] = j, key.split("||")[0], key.split("||")[1]
    if "Total||Total||deduction_total" not in cols:
        raise DataValidationError(lab3, "cannot find the total deduction column",
                                  expected="'Total deduction to high needs block ...'")
    t3 = _tidy(df3, rows3, cols, lab3, period, release, topic=topics, bd=bds)
    validate_tidy(t3, lab3, reconcile=["deduction_total"],
                  reconcile_opts={"abs_tol": 2.0, "regional": False})
    _complete(t3, lab3, MIN_DEDUCTION_COLUMNS)
    out["dsg_high_needs_deductions"] = finalise(t3)
    return out
