"""Finding 8: health's part and the whole-system approach."""

from __future__ import annotations

import pandas as pd

from sendreport.chapters import wording as w
from sendreport.chapters.base import Chapter, Trend
from sendreport.loaders.ofsted_reports import OUTCOME_LABELS
from sendreport.measures import health, inspections

DMO, DCO = "Designated medical officer", "Designated clinical officer"


def build(c: Chapter) -> None:
    v = c.v
    c.finding = 8
    dmo = health.dmo_dco_share(c.cat)
    med = dmo[dmo["role"] == DMO].set_index("year")
    clin = dmo[dmo["role"] == DCO].set_index("year")
    v.y0, v.y1 = med.index[0], med.index[-1]
    v.dmo_0, v.dmo_1 = med.loc[v.y0, "share_pct"], med.loc[v.y1, "share_pct"]
    v.dco_0, v.dco_1 = clin.loc[v.y0, "share_pct"], clin.loc[v.y1, "share_pct"]
    v.councils = int(med.loc[v.y1, "councils"])
    c.add_chart(
        "dmo-dco", dmo.astype({"year": int}), kind="line", x="year", y="share_pct", hue="role",
        title=w.choose(v.dco_1 > v.dmo_1,
                       "Designated clinical officers are more common than designated medical "
                       "officers",
                       "Designated medical officers are at least as common as designated "
                       "clinical officers"),
        subtitle=f"% of councils answering that the role is filled (Yes), England, {v.y0} to {v.y1}",
        alt=f"Line chart: DMO {w.pct(v.dmo_1, 0)} and DCO {w.pct(v.dco_1, 0)} of councils in "
            f"{v.y1}.",
        source=c.source("ehcp_dmo_dco", period=f"{v.y0} to {v.y1}")
        + " 'Recruiting' counts as not in post.",
        xlabel="year", ylabel="% of councils", percent=True)

    f16 = inspections.framework_2016(c.cat)
    v.f16 = f16
    v.f16_first, v.f16_last = f"{f16.first:%B %Y}", f"{f16.last:%B %Y}"
    c.add_chart(
        "ofsted-wsoa", f16.by_year.astype({"year": int}), kind="bar", x="year",
        y="wsoa_share_pct",
        title=f"{f16.wsoa_required} of {f16.inspections} local areas inspected under the 2016 "
              f"framework needed a written statement of action",
        subtitle=f"% of area SEND inspections (Ofsted and CQC, 2016 framework) requiring a "
                 f"written statement of action, by year inspection began, "
                 f"{f16.by_year['year'].min()} to {f16.by_year['year'].max()}",
        alt=f"Bar chart of the yearly share requiring a statement of action, from "
            f"{w.pct(f16.by_year['wsoa_share_pct'].min(), 0)} to "
            f"{w.pct(f16.by_year['wsoa_share_pct'].max(), 0)}; "
            f"{w.pct(f16.share_pct, 0)} over all years.",
        source=c.source("ofsted_area_send", period=f"{v.f16_first} to {v.f16_last}"),
        xlabel="year inspection began", ylabel="% of inspections", percent=True)

    o23 = inspections.outcomes_2023(c.cat)
    v.n23 = len(o23)
    counts = o23["outcome"].value_counts().reindex(list(OUTCOME_LABELS), fill_value=0)
    v.systemic_23 = int(counts["systemic"])
    v.systemic_share_23 = 100 * v.systemic_23 / v.n23
    v.first_23, v.last_23 = (f"{o23['inspection_start'].min():%B %Y}",
                             f"{o23['inspection_start'].max():%B %Y}")
    frame = pd.DataFrame({"outcome": [OUTCOME_LABELS[k] for k in counts.index],
                          "inspections": counts.to_numpy()})
    c.add_chart(
        "ofsted-2023", frame, kind="barh", x="inspections", y="outcome",
        title=f"{w.count(v.systemic_23, 'inspection')} of {v.n23} under the 2023 framework "
              f"found widespread or systemic failings",
        subtitle=f"Area SEND inspections (Ofsted and CQC, framework introduced January 2023) "
                 f"by outcome, inspections starting {v.first_23} to {v.last_23}",
        alt="Horizontal bar chart: "
            + "; ".join(f"{a}: {b}" for a, b in zip(frame["outcome"], frame["inspections"],
                                                      strict=True)) + ".",
        source=c.source("area_send_reports_2023", period=f"{v.first_23} to {v.last_23}")
        + " Outcome read from each report's text.",
        xlabel="inspections", ylabel="")
    v.local = ""
    if not c.is_england:
        v.local = _local(c)
    c.since = Trend("councils reporting a designated medical officer in post", v.dmo_0, v.dmo_1,
                    v.y0, v.y1, better="up")


def _local(c: Chapter) -> str:
    lk = c.cat.table("la_lookup").set_index("la_code")
    codes = set(lk.loc[c.la_code, "gss_codes"].split(";"))
    o = c.cat.table("ofsted_area_send")
    mine = o[o["gss_code"].isin(codes)]
    insp = (f"was inspected from {mine['inspection_start'].iloc[0]:%d %B %Y} under the 2016 "
            f"framework; a written statement of action was "
            f"{w.choose(mine['wsoa_required'].iloc[0] == 'Yes', 'required', 'not required')}"
            if len(mine) else "has no inspection in the 2016-2022 file")
    o23 = inspections.outcomes_2023(c.cat)
    m23 = o23[o23["la_code"] == c.la_code]
    if len(m23):
        insp += (f"; under the 2023 framework (from {m23['inspection_start'].iloc[-1]:%d %B %Y}) "
                 f"the outcome was: {m23['outcome_label'].iloc[-1].lower()}")
    ans = health.dmo_dco_for(c.cat, c.la_code)
    if ans.empty:
        return f"**{c.area}** {insp}. It has no designated officer return."
    last = ans[ans["year"] == ans["year"].max()].set_index("measure")["answer"]
    return (f"**{c.area}** {insp}. In {ans['year'].max()} it answered "
            f"'{last.get('des_med_off', 'no answer')}' for a designated medical officer and "
            f"'{last.get('des_clin_off', 'no answer')}' for a designated clinical officer.")
