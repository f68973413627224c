"""Health: designated medical and clinical officers, and health in area inspections."""

from __future__ import annotations

import pandas as pd

from sendreport.catalogue import Catalogue
from sendreport.measures.base import plain


def dmo_dco_share(cat: Catalogue) -> pd.DataFrame:
    """Share of councils reporting a designated medical / clinical officer in post, by year."""
    df = cat.table("ehcp_dmo_dco")
    df = df[(df["geographic_level"] == "la")
            & df["measure"].astype(str).isin(["des_med_off", "des_clin_off"])
            & df["status"].eq("")]
    g = df.groupby(["period", "measure"], observed=True)["value"]
    out = pd.DataFrame({"councils": g.count(), "in_post": g.sum()}).reset_index()
    out["share_pct"] = 100 * out["in_post"] / out["councils"]
    out["role"] = out["measure"].map({"des_med_off": "Designated medical officer",
                                      "des_clin_off": "Designated clinical officer"})
    return out.rename(columns={"period": "year"})[["year", "role", "councils", "in_post",
                                                   "share_pct"]]

def dmo_dco_for(cat: Catalogue, la_code: str) -> pd.DataFrame:
    df = cat.table("ehcp_dmo_dco")
    df = df[(df["geographic_level"] == "la") & (df["la_code"].astype(str) == str(la_code))]
    out = df[["period", "measure", "breakdown"]].astype(str)
    return out.rename(columns={"period": "year", "breakdown": "answer"}).reset_index(drop=True)

def health_by_la(cat: Catalogue) -> pd.DataFrame:
    """Per LA: designated medical / clinical officer answers (latest year) and the last area
    SEND inspection under the 2016 framework."""
    d = plain(cat, "ehcp_dmo_dco")
    d = d[d["geographic_level"] == "la"]
    last = d["period"].astype(str).max()
    d = d[d["period"].astype(str) == last]
    w = d.pivot_table(index=["la_code", "la_name"], columns="measure", values="breakdown",
                      aggfunc="first", observed=True).reset_index()
    w.columns.name = None
    w = w.rename(columns={"des_med_off": "dmo", "des_clin_off": "dco",
                          "des_so_care_off": "dsco"}).astype(str)
    o = plain(cat, "ofsted_area_send")
    lk = plain(cat, "la_lookup")
    gss = {g: r for r, gs in zip(lk["la_code"], lk["gss_codes"], strict=True)
           for g in gs.split(";")}
    o = o.assign(la_code=o["gss_code"].map(gss)).sort_values("inspection_start")
    o = o.groupby("la_code").last()[["inspection_start", "wsoa_required",
                                     "revisit_sufficient_progress"]]
    out = w.merge(o, left_on="la_code", right_index=True, how="left")
    out["year"] = last
    return out
