"""Helpers for publisher workbooks (.ods/.xlsx) with title rows above the header."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from sendreport.errors import DataValidationError
from sendreport.loaders.common import check_file


def open_workbook(path: Path) -> pd.ExcelFile:
    path = Path(path)
    check_file(path)
    if not zipfile.is_zipfile(path):
        raise DataValidationError(path.name, "is not a spreadsheet workbook (.ods or .xlsx); it may"
                                  " be truncated or a CSV", expected="an .ods or .xlsx workbook")
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except zipfile.BadZipFile as e:
        raise DataValidationError(path.name, f"workbook is corrupt or truncated: {e}") from e
    if "content.xml" in names:
        engine = "odf"
    elif "xl/workbook.xml" in names:
        engine = "openpyxl"
    else:
        raise DataValidationError(path.name, "is a zip, not a workbook (a release zip given in"
                                  " place of a workbook?)", expected="an .ods or .xlsx workbook")
    try:
        return pd.ExcelFile(path, engine=engine)
    except Exception as e:  # odfpy/openpyxl raise many types on damaged files
        raise DataValidationError(path.name, f"workbook cannot be opened: {e}") from e


def read_sheet(xl: pd.ExcelFile, path: Path, pattern: str) -> tuple[pd.DataFrame, str]:
    """Read the sheet whose name matches ``pattern`` (case-insensitive regex), headerless."""
    for s in xl.sheet_names:
        if re.fullmatch(pattern, s, flags=re.I):
            df = pd.read_excel(xl, sheet_name=s, header=None)
            return df, f"{Path(path).name}[{s}]"
    raise DataValidationError(
        Path(path).name, "workbook has no sheet matching the expected name",
        expected=f"a sheet named like '{pattern}'", found=xl.sheet_names,
    )


def header_texts(df: pd.DataFrame, nrows: int) -> list[str]:
    """Join the header cells above the data into one lower-case text per column."""
    out = []
    for j in range(df.shape[1]):
        bits = []
        for i in range(nrows):
            v = df.iat[i, j]
            if isinstance(v, str) and v.strip() and not re.fullmatch(r"\s*(\[\w\]|=.*)\s*", v):
                bits.append(" ".join(v.split()))
        out.append(" | ".join(bits).lower())
    return out


def find_column(headers: list[str], pattern: str, file: str, *, after: int = -1) -> int:
    for j, h in enumerate(headers):
        if j > after and re.search(pattern, h):
            return j
    raise DataValidationError(file, "cannot find the expected column heading",
                              expected=f"a heading matching '{pattern}'",
                              found=[h for h in headers if h][:12])


def header_row(raw: pd.DataFrame, col: int, heading: str, file: str,
               ignore_case: bool = False) -> int:
    """Index of the first row whose cell in column ``col`` is ``heading`` (title rows above)."""
    cells = raw.iloc[:, col].astype(str).str.strip()
    if ignore_case:
        cells, heading_cmp = cells.str.lower(), heading.lower()
    else:
        heading_cmp = heading
    hits = np.flatnonzero(cells.eq(heading_cmp).to_numpy())
    if len(hits) == 0:
        raise DataValidationError(file, "cannot find the header row", column=chr(65 + col),
                                  expected=f"a heading '{heading}'")
    return int(hits[0])


def table_below(raw: pd.DataFrame, h: int) -> pd.DataFrame:
    """The rows under header row ``h``, with that row's cells (stripped) as column names."""
    df = raw.iloc[h + 1:].reset_index(drop=True)
    df.columns = [str(c).strip() for c in raw.iloc[h]]
    return df
