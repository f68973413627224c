"""Recommendation 3: a more integrated system (health roles and area inspections)."""

from __future__ import annotations

import pandas as pd

from sendreport.chapters import wording as w
from sendreport.chapters.base import Chapter, Trend
from sendreport.measures import health, inspections


def build(c: Chapter) -> None:
    v = c.v
    c.recommendation = 3
    hb = health.health_by_la(c.cat)
    f16 = inspections.framework_2016(c.cat)
    v.year = hb["year"].iloc[0]
    v.councils = len(hb)
    v.both = int((hb["dmo"].eq("Yes") & hb["dco"].eq("Yes")).sum())
    v.neither = int((~hb["dmo"].eq("Yes") & ~hb["dco"].eq("Yes")).sum())
    insp = hb.dropna(subset=["wsoa_required"])
    v.inspected_councils = len(insp)
    v.inspected_wsoa = int((insp["wsoa_required"] == "Yes").sum())
    v.f16 = f16
    # areas inspected under the 2016 framework that are not among today's councils (abolished)
    v.gap = f16.inspections - v.inspected_councils
    lk = c.cat.table("la_lookup")
    gone = lk[lk["status"].astype(str) == "abolished"]
    o = c.cat.table("ofsted_area_send")
    gone_codes = {g for gs in gone["gss_codes"] for g in gs.split(";")}
    v.abolished_inspected = sorted(o[o["gss_code"].isin(gone_codes)]["la_name"].astype(str))
    xt = insp.assign(dmo_in_post=insp["dmo"].eq("Yes")).groupby(
        ["wsoa_required", "dmo_in_post"]).size().unstack(fill_value=0)
    t = xt.rename(index={"Yes": "statement of action required", "No": "no statement required"},
                  columns={True: f"DMO in post ({v.year})", False: f"no DMO in post ({v.year})"})
    t = t.reset_index().rename(columns={"wsoa_required": "inspection outcome (2016 framework)"})
    c.add_table("rec3-crosstab", t,
                source=c.source("ehcp_dmo_dco", "ofsted_area_send")
                + f" Councils reporting in {v.year}, by their inspection under the 2016 framework.")
    full = hb[["la_code", "la_name", "dmo", "dco", "inspection_start", "wsoa_required",
               "revisit_sufficient_progress"]].copy()
    full["inspection_start"] = pd.to_datetime(full["inspection_start"]).dt.strftime("%B %Y")
    full = full.fillna("")
    o23 = inspections.outcomes_2023(c.cat).groupby("la_code").last()["outcome_label"]
    full["outcome_2023_framework"] = full["la_code"].map(o23).fillna("")
    shown = full.rename(columns={
        "la_name": "council", "dmo": "designated medical officer",
        "dco": "designated clinical officer", "inspection_start": "inspected (2016 framework)",
        "wsoa_required": "statement of action", "revisit_sufficient_progress":
        "sufficient progress at revisit", "outcome_2023_framework": "outcome (2023 framework)"})
    both = shown[shown["outcome (2023 framework)"] != ""].drop(columns=[
        "la_code", "sufficient progress at revisit"])
    v.both_frameworks = len(both)
    c.add_table("rec3-health-both", both.sort_values("council"),
                source=c.source("ehcp_dmo_dco", "ofsted_area_send", "area_send_reports_2023")
                + " Councils inspected under both frameworks; every council is in "
                  "rec3-health-by-la.csv.")
    c.add_table("rec3-health-by-la", shown, source="(full table)")
    v.local = ""
    if not c.is_england:
        r = c.own_row(full)
        if r is not None:
            insp_txt = (f"last inspected under the 2016 framework in {r['inspection_start']}, "
                        f"statement of action required: {r['wsoa_required']}"
                        if r["inspection_start"] else "no inspection under the 2016 framework")
            v.local = (f"**{c.area}**: designated medical officer '{r['dmo']}', designated "
                       f"clinical officer '{r['dco']}'; {insp_txt}.")
        else:
            v.local = f"**{c.area}** has no designated officer return for {v.year}."
    dmo = health.dmo_dco_share(c.cat)
    d = dmo[dmo["role"] == "Designated clinical officer"].set_index("year")["share_pct"]
    c.since = Trend("councils reporting a designated clinical officer in post", d.iloc[0],
                    d.iloc[-1], d.index[0], d.index[-1], better="up")
    v.abolished_words = w.listing(v.abolished_inspected)
    v.gone = (f" {w.count(v.gap, 'further inspected area').capitalize()} ({v.abolished_words}) "
              f"belonged to a council since abolished, which makes no return today."
              if v.gap else "")
