"""MoJ and DfE SEND tribunal appeal rates by LA (ods)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sendreport.loaders.workbook import open_workbook, read_sheet


def load_moj_tribunal(path: Path, release: str) -> dict[str, pd.DataFrame]:
    from sendreport.loaders.ehcp import parse_tribunal_wide

    xl = open_workbook(path)
    raw, lab = read_sheet(xl, path, r"SEND_2")
    raw = raw.astype(object).where(raw.notna(), "")
    t = parse_tribunal_wide(raw, lab, release)
    return {"tribunal_appeal_rates_moj": t}
