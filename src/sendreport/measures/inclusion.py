"""Inclusion and outcomes: attainment and destinations by SEN status."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sendreport.catalogue import Catalogue
from sendreport.measures.base import geo, plain

LAIT_GROUPS = {
    "Age19_NoNSEN_L2EM": "No SEN", "Age19_SENwoS_L2EM": "SEN support",
    "Age19_SEN-S_L2EM": "EHC plan or statement",
    "SEN_NoID_AVG_Attain8_Score": "No SEN", "SEN_WoStat_AVG_Attain8_Score": "SEN support",
    "SEN_Stat_AVG_Attain8_Score": "EHC plan or statement",
}

def lait_outcome(cat: Catalogue, measures: list[str], la_code: str | None = None):
    df = cat.table("lait_send")
    df = geo(df[df["measure"].astype(str).isin(measures) & (df["breakdown"] == "Total")],
              la_code)
    out = pd.DataFrame({"year": df["period"].astype(str).to_numpy(),
                        "group": df["measure"].astype(str).map(LAIT_GROUPS).to_numpy(),
                        "value": df["value"].to_numpy(), "status": df["status"].astype(str)})
    return out.sort_values(["group", "year"]).reset_index(drop=True)

@dataclass(frozen=True)
class InclusionOutcomes:
    """Mainstream share of plans against attainment of pupils with plans, by council."""

    frame: pd.DataFrame
    january: str
    lait_year: str


def inclusion_vs_outcomes(cat: Catalogue) -> InclusionOutcomes:
    """Per LA: mainstream share of plans (latest January and change since 2019) against the
    average Attainment 8 of pupils with EHC plans (latest LAIT year)."""
    h = plain(cat, "ehcp_caseload_harmonised")
    h = h[(h["geographic_level"] == "la")]
    w = h.pivot_table(index=["la_code", "period"], columns="breakdown", values="value",
                      observed=True)
    share = (100 * w["mainstream"] / w["total"]).unstack("period")
    last = share.columns.max()
    out = pd.DataFrame({"mainstream_share_pct": share[last],
                        "change_since_2019_pp": share[last] - share["2019"]})
    lait = plain(cat, "lait_send")
    a8 = lait[(lait["geographic_level"] == "la") & (lait["measure"] == "SEN_Stat_AVG_Attain8_Score")
              & (lait["breakdown"] == "Total")]
    y = a8["period"].astype(str).max()
    a8 = a8[a8["period"].astype(str) == y]
    a8 = a8.set_index(a8["la_code"].astype(str))["value"]
    out["attainment8_ehcp"] = a8.reindex(out.index.astype(str)).to_numpy()
    names = h.drop_duplicates("la_code").set_index("la_code")["la_name"].astype(str)
    out.insert(0, "la_name", out.index.map(names))
    out = out.rename_axis("la_code").reset_index().dropna(subset=["mainstream_share_pct"])
    return InclusionOutcomes(out, str(last), str(y))
