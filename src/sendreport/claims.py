"""The claims register: every NAO figure, our value from the data, and a status.

Statuses:
* ``reproduced``: computed from the data and within the register's tolerance of the NAO's value;
* ``proxy``: a stated public measure stands in for the NAO's (different basis, shown beside it);
* ``cited``: not computable from public data; the register says why;
* ``differs``: computed, but outside the tolerance; the register and the message say why.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from sendreport.catalogue import Catalogue
from sendreport.errors import DataValidationError, SendReportError
from sendreport.measures import ehcp, inclusion, inspections, placements, requests, tribunals
from sendreport.measures.base import Figure

REGISTER_COLUMNS = ["id", "finding", "description", "nao_value", "unit", "period", "nao_source",
                    "read_in", "basis", "method", "tolerance", "note"]
#: where the NAO's figure was read: the register says plainly which
READ_IN = {"NAO press release", "NAO report pages", "PAC report", "press coverage of the report",
           "Schools Week's summary", "DfE statistics cited in coverage"}
BASES = {"reproduce", "proxy", "cited"}
STATUSES = ["reproduced", "proxy", "cited", "differs"]
OUTPUT_COLUMNS = ["id", "finding", "nao_value", "our_value", "unit", "period", "status",
                  "source"]


def fmt_value(v) -> str:
    """Readable number: thousands separators for large values, 3 significant digits otherwise."""
    if v is None or pd.isna(v):
        return ""
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.4g}"


METHODS = {
    "ehcp_total": ehcp.ehcp_total,
    "ehcp_growth": ehcp.ehcp_growth,
    "timeliness_20wk": requests.timeliness_20wk,
    "timeliness_20wk_mean": requests.timeliness_20wk_mean,
    "appeal_rate": tribunals.appeal_rate,
    "mainstream_share_sen2": placements.mainstream_share_sen2,
    "census_mainstream_share": placements.census_mainstream_share,
    "systemic_share_2023": inspections.systemic_share_2023,
    "sen_pupils_share": inclusion.sen_pupils_share,
    "ks4_sustained_destination": inclusion.ks4_sustained_destination,
    "specialist_capacity": placements.specialist_capacity,
}
_CALL = re.compile(r"^\s*([a-z_0-9]+)\(([^()]*)\)\s*$")


def default_register_path(cat: Catalogue) -> Path:
    return cat.paths.root / "data" / "reference" / "nao_claims.csv"


def load_register(path: str | Path) -> pd.DataFrame:
    path = Path(path)
    reg = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in REGISTER_COLUMNS if c not in reg.columns]
    if missing:
        raise DataValidationError(path.name, "claims register lacks columns",
                                  column=missing[0], expected=", ".join(REGISTER_COLUMNS))
    for i, r in reg.iterrows():
        row = i + 2
        if not r["id"] or not r["nao_source"]:
            raise DataValidationError(path.name, "every claim needs an id and an NAO source",
                                      row=row, column="id" if not r["id"] else "nao_source")
        if r["read_in"] not in READ_IN:
            raise DataValidationError(path.name, "unknown place where the NAO's figure was read",
                                      row=row, column="read_in",
                                      expected=", ".join(sorted(READ_IN)), found=r["read_in"])
        if r["basis"] not in BASES:
            raise DataValidationError(path.name, "unknown basis", row=row, column="basis",
                                      expected=", ".join(sorted(BASES)), found=r["basis"])
        if r["basis"] in ("reproduce", "proxy") and not _CALL.match(r["method"]):
            raise DataValidationError(path.name, "a computed claim needs a method call",
                                      row=row, column="method",
                                      expected="name(args) from " + ", ".join(METHODS),
                                      found=r["method"])
        if r["basis"] == "reproduce" and not r["tolerance"]:
            raise DataValidationError(path.name, "a reproduced claim needs a tolerance",
                                      row=row, column="tolerance")
        if r["basis"] == "cited" and not r["note"]:
            raise DataValidationError(path.name, "a cited claim needs its reason in 'note'",
                                      row=row, column="note")
        try:
            float(r["nao_value"])
        except ValueError:
            raise DataValidationError(path.name, "NAO value is not a number", row=row,
                                      column="nao_value", found=r["nao_value"]) from None
    dup = reg["id"][reg["id"].duplicated()]
    if len(dup):
        raise DataValidationError(path.name, "duplicated claim id", column="id",
                                  found=dup.iloc[0])
    return reg


def compute(cat: Catalogue, method: str) -> Figure:
    m = _CALL.match(method)
    if not m or m.group(1) not in METHODS:
        raise SendReportError(f"unknown claim method '{method}'")
    args = [int(a) if a.strip().isdigit() else a.strip()
            for a in m.group(2).split(",") if a.strip()]
    return METHODS[m.group(1)](cat, *args)


def evaluate(cat: Catalogue, register: pd.DataFrame | None = None) -> pd.DataFrame:
    """Compute every claim and give it a status; returns one row per claim."""
    reg = register if register is not None else load_register(default_register_path(cat))
    out = []
    for _, r in reg.iterrows():
        nao = float(r["nao_value"])
        our, diff, source, status, note = None, None, r["nao_source"], "cited", r["note"]
        if r["basis"] in ("reproduce", "proxy"):
            fig = compute(cat, r["method"])
            our = fig.value
            diff = our - nao
            source = fig.source
            if r["basis"] == "proxy":
                status = "proxy"
            elif abs(diff) <= float(r["tolerance"]):
                status = "reproduced"
            else:
                status = "differs"
                note = (f"our value {fmt_value(our)} is {fmt_value(abs(diff))} "
                        f"{'above' if diff > 0 else 'below'} the NAO's {fmt_value(nao)} "
                        f"(tolerance {r['tolerance']}). {r['note']}").strip()
        out.append({
            "id": r["id"], "finding": int(r["finding"]), "description": r["description"],
            "nao_value": nao, "our_value": our, "difference": diff, "unit": r["unit"],
            "period": r["period"], "status": status, "source": source,
            "nao_source": r["nao_source"], "read_in": r["read_in"], "method": r["method"],
            "note": note,
        })
    return pd.DataFrame(out)


def status_counts(result: pd.DataFrame) -> pd.DataFrame:
    c = result["status"].value_counts().reindex(STATUSES, fill_value=0)
    return c.rename_axis("status").reset_index(name="claims")
