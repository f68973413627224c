"""The high needs benchmarking tool extract (xlsx): EHC plans by placement per LA."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sendreport.errors import DataValidationError
from sendreport.loaders.common import (
    check_unique,
    finalise,
)
from sendreport.loaders.workbook import header_row, open_workbook, read_sheet
from sendreport.symbols import parse_numeric
from sendreport.validate import validate_tidy

HN_BENCH_COLUMNS = {
    4: "population_2_18",
    6: "ehcp_total",
    7: "ehcp_mainstream",
    8: "ehcp_resourced_provision_sen_unit",
    9: "ehcp_maintained_special",
    10: "ehcp_nmss_independent",
    11: "ehcp_hospital_ap",
    12: "ehcp_post16",
    13: "ehcp_other",
}


def load_hn_benchmarking(path: Path, release: str) -> dict[str, pd.DataFrame]:
    xl = open_workbook(path)
    df, lab = read_sheet(xl, path, r".*")
    h = header_row(df, 2, "LA code", lab)
    heads = {4: "2-18 population", 6: "with sen statement or ehcp", 7: "mainstream",
             9: "special", 10: "independent"}
    for j, word in heads.items():
        text = " ".join(str(df.iat[i, j]) for i in range(h - 1, h + 2)).lower()
        if word not in text.replace("\n", " "):
            raise DataValidationError(lab, "column heading not as expected", column=str(j),
                                      row=h + 1, expected=f"a heading containing '{word}'",
                                      found=text[:80])
    data = df.iloc[h + 2:]
    code = data.iloc[:, 2]
    isla = code.astype(str).str.fullmatch(r"\d{3}(\.0)?")
    data = data[isla.to_numpy()]
    rows = data.index.to_numpy() + 1
    year = str(df.iat[1, 2]) if not pd.isna(df.iat[1, 2]) else release
    parts = []
    for j, m in HN_BENCH_COLUMNS.items():
        vals, status = parse_numeric(data.iloc[:, j].reset_index(drop=True), file=lab, column=m,
                                     rows=rows)
        parts.append(pd.DataFrame({
            "period": year, "period_type": "financial_year", "geographic_level": "la",
            "region_name": data.iloc[:, 1].astype(str).str.strip().str.title().to_numpy(),
            "la_code": data.iloc[:, 2].astype(str).str[:3].to_numpy(),
            "la_name": data.iloc[:, 3].astype(str).str.strip().to_numpy(),
            "measure": m, "value": vals, "status": status, "source_row": rows,
        }))
    t = pd.concat(parts, ignore_index=True)
    t["release"] = release
    check_unique(t, ["la_code", "measure"], lab, t["source_row"])
    validate_tidy(t, lab)
    # placements must add up to the total for every LA
    w = t.pivot_table(index="la_code", columns="measure", values="value", observed=True)
    place = [m for m in HN_BENCH_COLUMNS.values() if m.startswith("ehcp_") and m != "ehcp_total"]
    diff = (w[place].sum(axis=1) - w["ehcp_total"]).abs()
    if (diff > 1).any():
        la = diff.index[(diff > 1).to_numpy()][0]
        raise DataValidationError(lab, f"placements do not add up to the EHC plan total for LA "
                                  f"{la}", column="ehcp_total", expected="sum of placements")
    return {"hn_benchmarking": finalise(t)}
