"""One EHC plan caseload series, January 2010 to the latest January, across schema changes.

Placement groups: mainstream, state special, independent and non-maintained special, alternative
provision / PRU, further education, NEET, other arrangements (everything else, so the groups
always add up to the total). Each value records the release it comes from; where releases
overlap, the newest release wins.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sendreport.loaders.common import finalise

GROUPS = ["mainstream", "state_special", "independent_special", "ap_pru",
          "further_education", "neet", "other"]
GEO = ["period", "geographic_level", "region_code", "region_name", "la_code", "gss_code",
       "la_name"]


def _wide(df: pd.DataFrame, cols: dict[str, tuple[str, str, str]]) -> pd.DataFrame:
    """cols: output name -> (breakdown_topic, breakdown, measure)."""
    out = None
    for name, (topic, bd, measure) in cols.items():
        m = (df["breakdown_topic"] == topic) & (df["breakdown"] == bd) & (df["measure"] == measure)
        part = df.loc[m, GEO + ["value", "status"]].astype({c: str for c in GEO})
        part = part.rename(columns={"value": name, "status": f"{name}__s"}).set_index(GEO)
        out = part if out is None else out.join(part, how="outer")
    return out


def _from_2022(df: pd.DataFrame) -> pd.DataFrame:
    w = _wide(df, {
        "total": ("Total", "Total", "Total_all"),
        "mainstream": ("Mainstream school", "Total", "Total_all"),
        "special": ("Special school", "Total", "Total_all"),
        "sp_ind": ("Special school", "Special - Independent", "Total_all"),
        "sp_nm": ("Special school", "Special - Non-maintained", "Total_all"),
        "ap_pru": ("Alternative provision/Pupil referral unit", "Total", "Total_all"),
        "further_education": ("Further education", "Total", "Total_all"),
        "neet": ("NEET", "Total", "Total_all"),
    })
    # groups absent in a year (NEET before 2019) are zero by construction of the collection
    for c in ["neet", "further_education", "ap_pru", "sp_nm", "sp_ind"]:
        w[f"{c}__s"] = w[f"{c}__s"].fillna("")
        w[c] = w[c].where(w[f"{c}__s"].ne("") | w[c].notna(), 0.0)
    w["independent_special"] = w["sp_ind"] + w["sp_nm"]
    w["independent_special__s"] = _status(w, ["sp_ind", "sp_nm"])
    w["state_special"] = w["special"] - w["independent_special"]
    w["state_special__s"] = _status(w, ["special", "sp_ind", "sp_nm"])
    return w


def _from_2023(df: pd.DataFrame) -> pd.DataFrame:
    t = "All EHC plans"
    w = _wide(df, {
        "total": (t, t, "ehcplans"),
        "mainstream": (t, t, "mainstream_total"),
        "sp_la": (t, t, "special_la_maintained"),
        "sp_acad": (t, t, "special_academy_free"),
        "sp_ind": (t, t, "special_independent"),
        "sp_nm": (t, t, "special_non_maintained"),
        "ap_pru": (t, t, "ap_pru_total"),
        "further_education": (t, t, "fe_total"),
        "neet": (t, t, "neet"),
    })
    w["state_special"] = w["sp_la"] + w["sp_acad"]
    w["state_special__s"] = _status(w, ["sp_la", "sp_acad"])
    w["independent_special"] = w["sp_ind"] + w["sp_nm"]
    w["independent_special__s"] = _status(w, ["sp_ind", "sp_nm"])
    return w


def _status(w: pd.DataFrame, cols: list[str]) -> pd.Series:
    s = pd.Series("", index=w.index, dtype=object)
    for c in cols:
        cs = w[f"{c}__s"].fillna("").astype(str)
        s = s.where(s.ne(""), cs)
    return s


def harmonised_caseload(parts: list[tuple]) -> pd.DataFrame:
    frames = []
    for rel, fmt, df in parts:
        w = _from_2022(df) if fmt == "ehcp-2022" else _from_2023(df)
        known = [g for g in GROUPS if g != "other"]
        w["other"] = w["total"] - w[known].sum(axis=1, min_count=len(known))
        w["other__s"] = _status(w, ["total", *known])
        long = []
        for g in ["total", *GROUPS]:
            part = w[[g, f"{g}__s"]].rename(columns={g: "value", f"{g}__s": "status"})
            part = part.reset_index()
            part["breakdown"] = g
            long.append(part)
        t = pd.concat(long, ignore_index=True)
        t["status"] = t["status"].fillna("").astype(str)
        t.loc[t["value"].isna() & t["status"].eq(""), "status"] = "x: not available"
        t["breakdown_topic"] = "placement group"
        t["measure"] = "statements_and_ehc_plans" if fmt == "ehcp-2022" else "ehc_plans"
        t["period_type"] = "january"
        t["release"] = rel.label
        t["_order"] = rel.sort_key()[0]
        frames.append(t)
    if not frames:
        return finalise(pd.DataFrame(columns=["period"]))
    allp = pd.concat(frames, ignore_index=True).sort_values("_order", kind="stable")
    key = ["period", "geographic_level", "region_code", "la_code", "la_name", "breakdown"]
    allp = allp.drop_duplicates(subset=key, keep="last")
    allp["value"] = allp["value"].astype("float64").round(6)
    allp = allp.sort_values(["period", "geographic_level", "la_code", "breakdown"])
    neg = allp["value"] < 0
    if neg.any():
        allp.loc[neg, "status"] = "x: not available"
        allp.loc[neg, "value"] = np.nan
    return finalise(allp)
