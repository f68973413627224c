"""Inclusion and outcomes: attainment and destinations by SEN status."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sendreport.catalogue import Catalogue
from sendreport.measures.base import Figure, figure, geo, national_value, plain

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


def sen_pupils_share(cat: Catalogue, year: int | str) -> Figure:
    """Pupils with SEN (EHC plan or SEN support) as % of all pupils, January ``year``, England:
    the school census percentages published in LAIT (items SEN_TotStat and SEN_TotSENSuP)."""
    t = "lait_send"
    df = cat.table(t)
    df = df[df["breakdown"] == "Total"]
    plans = national_value(df, t, period=year, measure="SEN_TotStat")
    support = national_value(df, t, period=year, measure="SEN_TotSENSuP")
    return figure(cat, t, plans + support, "%", f"January {year}")


#: KS4 destination measures: institutions whose leavers the destinations cover
KS4_INSTITUTIONS = "State-funded mainstream & special schools: SEN Provision"


def ks4_sustained_destination(cat: Catalogue, group: str, year: str = "2021/22") -> Figure:
    """% of pupils in a sustained education, apprenticeship or employment destination in the
    year after key stage 4, by SEN provision (state-funded mainstream and special schools)."""
    t = "ks4_destinations"
    df = cat.table(t)
    df = df[df["breakdown_topic"] == KS4_INSTITUTIONS]
    v = national_value(df, t, period=year, breakdown=group, measure="overall_pct")
    return figure(cat, t, v, "%", f"{year} (destinations after key stage 4)")
