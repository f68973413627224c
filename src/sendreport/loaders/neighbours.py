"""DfE children's services statistical neighbours (CSV and xlsx)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from sendreport.errors import DataValidationError
from sendreport.loaders.common import (
    check_unique,
    read_csv,
    require_columns,
)
from sendreport.loaders.workbook import header_row, open_workbook, read_sheet, table_below


def load_stat_neighbours(path: Path, release: str) -> dict[str, pd.DataFrame]:
    """DfE children's services statistical neighbours: 10 per LA, with closeness."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        df = read_csv(path)
        lab = path.name
        header_line = 1
    else:
        xl = open_workbook(path)
        raw, lab = read_sheet(xl, path, r".*")
        h = header_row(raw, 0, "LA num", lab)
        df = table_below(raw, h)
        header_line = h + 1
    cols = list(df.columns)
    require_columns(df, ["LA num", "LA Name", "SN1", "SN10"], lab)
    recs = []
    for i in range(len(df)):
        la = str(df.iat[i, 0]).strip()
        if not re.fullmatch(r"\d{3}(\.0)?", la):
            continue
        for k in range(1, 11):
            j = cols.index(f"SN{k}")
            nb = df.iat[i, j]
            close = df.iat[i, j + 1] if j + 1 < len(cols) else ""
            if pd.isna(nb) or str(nb).strip() == "":
                continue
            nbs = str(nb).strip()
            if not re.fullmatch(r"\d{3}(\.0)?", nbs):
                raise DataValidationError(lab, "neighbour is not an LA number", column=f"SN{k}",
                                          row=header_line + i + 1, expected="a 3-digit LA number",
                                          found=nb)
            recs.append((la[:3], str(df.iat[i, 1]).strip(), k, nbs[:3],
                         str(close).strip().capitalize(), release))
    out = pd.DataFrame(recs, columns=["la_code", "la_name", "rank", "neighbour_la_code",
                                      "closeness", "release"])
    if out.empty:
        raise DataValidationError(lab, "no LA rows found")
    check_unique(out, ["la_code", "rank"], lab)
    return {"stat_neighbours": out}
