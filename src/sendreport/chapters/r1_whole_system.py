"""Recommendation 1: whole-system reform."""

from __future__ import annotations

import pandas as pd

from sendreport.chapters import wording as w
from sendreport.chapters.base import Chapter, Trend
from sendreport.measures import funding, inclusion, requests, tribunals

HNB, PLANS = "High needs block (real terms)", "EHC plans (January in year)"


def build(c: Chapter) -> None:
    v = c.v
    c.recommendation = 1
    hp = funding.high_needs_per_plan(c.cat)
    defl = funding.gdp_deflator_fy(c.cat)
    base = hp.iloc[0]
    idx = pd.concat([
        pd.DataFrame({"financial_year": hp["financial_year"], "series": HNB,
                      "index": 100 * hp["hnb_real"] / base["hnb_real"]}),
        pd.DataFrame({"financial_year": hp["financial_year"], "series": PLANS,
                      "index": 100 * hp["plans"] / base["plans"]}),
    ], ignore_index=True)
    v.f0, v.f1 = hp["financial_year"].iloc[0], hp["financial_year"].iloc[-1]
    v.hnb_index = 100 * hp["hnb_real"].iloc[-1] / base["hnb_real"]
    v.plans_index = 100 * hp["plans"].iloc[-1] / base["plans"]
    v.kept_pace = v.hnb_index >= v.plans_index
    v.pace_words = w.choose(v.kept_pace, "kept pace with", "fell behind")
    v.deflator = defl.series
    # one baseline for every comparison in this chapter: the January of the first DSG year
    v.base_year = str(base["january"])
    timely = requests.timeliness_series(c.cat).set_index("year")["pct_within_20_weeks"]
    appeals = tribunals.appeal_rate_series(c.cat).set_index("year")["appeal_rate_pct"]
    l2 = inclusion.lait_outcome(c.cat, ["Age19_SEN-S_L2EM", "Age19_SENwoS_L2EM"]).dropna(
        subset=["value"]).pivot(index="year", columns="group", values="value")
    v.timely_base, v.timely_last, v.timely_year = (timely.loc[v.base_year], timely.iloc[-1],
                                                   timely.index[-1])
    v.appeal_base, v.appeal_last, v.appeal_year = (appeals.loc[v.base_year], appeals.iloc[-1],
                                                   appeals.index[-1])
    v.l2_y0, v.l2_y1 = l2.index[0], l2.index[-1]
    v.l2_plan_0, v.l2_plan_1 = (l2["EHC plan or statement"].iloc[0],
                                l2["EHC plan or statement"].iloc[-1])
    v.l2_support_0, v.l2_support_1 = l2["SEN support"].iloc[0], l2["SEN support"].iloc[-1]
    c.add_chart(
        "rec1-index", idx, kind="line", x="financial_year", y="index", hue="series",
        title=w.choose(v.kept_pace, "In real terms the high needs block kept pace with EHC plans",
                       "In real terms the high needs block fell behind EHC plans"),
        subtitle=f"High needs block before deductions ({defl.base} prices) and EHC plans in the "
                 f"January within each year, England, index {v.f0} = 100",
        alt=f"Line chart: by {v.f1} the block stood at {v.hnb_index:.0f} in real terms and plans "
            f"at {v.plans_index:.0f} ({v.f0} = 100).",
        source=c.source("dsg_high_needs", "ehcp_caseload_harmonised", "gdp_deflator",
                        period=f"{v.f0} to {v.f1}") + f" Real terms: {defl.series}.",
        xlabel="financial year", ylabel=f"index, {v.f0} = 100")
    rows = [
        ("High needs block, real terms (index)", f"{v.f0}: 100", f"{v.f1}: {v.hnb_index:.0f}"),
        ("EHC plans (index)", f"{v.f0}: 100", f"{v.f1}: {v.plans_index:.0f}"),
        ("Plans issued within 20 weeks", f"{v.base_year}: {w.pct(v.timely_base)}",
         f"{v.timely_year}: {w.pct(v.timely_last)}"),
        ("SEND tribunal appeal rate", f"{v.base_year}: {w.pct(v.appeal_base, 2)}",
         f"{v.appeal_year}: {w.pct(v.appeal_last, 2)}"),
        ("Level 2 English and maths at 19, EHC plan", f"{v.l2_y0}: {w.pct(v.l2_plan_0)}",
         f"{v.l2_y1}: {w.pct(v.l2_plan_1)}"),
        ("Level 2 English and maths at 19, SEN support", f"{v.l2_y0}: {w.pct(v.l2_support_0)}",
         f"{v.l2_y1}: {w.pct(v.l2_support_1)}"),
    ]
    c.add_table("rec1-trends", pd.DataFrame(rows, columns=["measure", "earlier", "latest"]),
                source=c.source("dsg_high_needs", "ehcp_caseload_harmonised", "gdp_deflator",
                                "ehcp_timeliness", "tribunal_appeal_rates", "lait_send"))
    worse_timely = v.timely_last < v.timely_base
    worse_appeals = v.appeal_last > v.appeal_base
    l2_moved = abs(v.l2_plan_1 - v.l2_plan_0)
    family = (w.choose(worse_timely and worse_appeals, "has worsened on both timeliness and disputes",
                       w.choose(worse_timely or worse_appeals,
                                "has worsened on one of timeliness and disputes",
                                "has not worsened on timeliness or disputes")))
    attain = w.choose(l2_moved < 3, "changed little",
                      w.choose(v.l2_plan_1 > v.l2_plan_0, "improved", "fallen"))
    v.closing = (f"Read together, the measures show a system whose costs follow the number of "
                 f"plans while the experience of families {family}, and attainment for young "
                 f"people with plans has {attain} ({w.pp(v.l2_plan_1 - v.l2_plan_0)} from "
                 f"{v.l2_y0} to {v.l2_y1}). That is the pattern behind the NAO's call for reform "
                 f"of the whole system rather than of its parts; the recommendation chapters "
                 f"that follow take each part in turn.")
    c.since = Trend("the SEND tribunal appeal rate", appeals.loc["2023"], v.appeal_last, "2023",
                    v.appeal_year, better="down")
