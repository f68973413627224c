"""Overview: the headline numbers, the register's counts and how to read the report."""

from __future__ import annotations

import pandas as pd

from sendreport.chapters import wording as w
from sendreport.chapters.base import Chapter
from sendreport.claims import status_counts
from sendreport.measures import context, ehcp, finance, funding, requests, tribunals


def build(c: Chapter) -> None:
    v = c.v
    series = ehcp.ehcp_series(c.cat)
    v.latest_january = series["january"].iloc[-1]
    v.latest_plans = series["plans"].iloc[-1]
    v.jan24 = ehcp.ehcp_total(c.cat, 2024).value
    v.growth = ehcp.ehcp_growth(c.cat, 2015, 2024).value
    v.growth_latest = ehcp.ehcp_growth(c.cat, 2015, v.latest_january).value
    timely = requests.timeliness_series(c.cat).iloc[-1]
    v.timely_year, v.timely = timely["year"], timely["pct_within_20_weeks"]
    appeals = tribunals.appeal_rate_series(c.cat).iloc[-1]
    v.appeal_year, v.appeal_rate = appeals["year"], appeals["appeal_rate_pct"]
    deficit = finance.dsg_deficit_by_year(c.cat).iloc[-1]
    v.deficit_year, v.deficit_share = deficit["period"], deficit["share_in_deficit_pct"]
    hnb = funding.high_needs_per_plan(c.cat).iloc[-1]
    v.hnb_year, v.hnb, v.hnb_real = (hnb["financial_year"], hnb["hnb_before_deductions"],
                                     hnb["hnb_real"])
    v.deflator = funding.gdp_deflator_fy(c.cat)
    counts = status_counts(c.claims.reset_index()).set_index("status")["claims"]
    v.claims_total = int(counts.sum())
    v.reproduced, v.proxy = int(counts["reproduced"]), int(counts["proxy"])
    v.differs, v.cited = int(counts["differs"]), int(counts["cited"])
    v.statuses = (f"Of the {v.claims_total} NAO figures in the register, "
                  f"{w.agree(v.reproduced, 'is', 'are')} reproduced, "
                  f"{w.agree(v.proxy, 'stands', 'stand')} on a proxy, "
                  f"{w.agree(v.differs, 'differs', 'differ')} and "
                  f"{w.agree(v.cited, 'can', 'can')} only be cited.")

    rows = [
        ("EHC plans (January)", c.nao("ehcp-total-2024"), w.n(v.jan24),
         f"{w.n(v.latest_plans)} (January {v.latest_january})"),
        ("Growth in plans since January 2015", c.nao("ehcp-growth-2015-2024"), w.pct(v.growth),
         f"{w.pct(v.growth_latest)} (to January {v.latest_january})"),
        ("Plans issued within 20 weeks (excl. exceptions), 2023", c.nao("timeliness-20wk-2023"),
         c.ours("timeliness-20wk-2023"), f"{w.pct(v.timely)} ({v.timely_year})"),
        ("SEND tribunal appeal rate, 2023", c.nao("appeal-rate-2023"),
         c.ours("appeal-rate-2023"), f"{w.pct(v.appeal_rate, 2)} ({v.appeal_year})"),
        ("Councils at risk when the statutory override ends", c.nao("deficit-risk-share"),
         "DfE internal estimate, not published",
         f"{w.pct(v.deficit_share, 0)} with a DSG deficit ({v.deficit_year})"),
    ]
    c.add_table("headline", pd.DataFrame(rows, columns=["measure", "NAO",
                                                        "ours (NAO's period)", "latest"]),
                source=c.source("ehcp_caseload_harmonised", "ehcp_timeliness",
                                "tribunal_appeal_rates", "dsg_balance"))
    ev = context.events(c.cat)
    c.add_table("since-the-nao", pd.DataFrame({
        "date": ev["when"], "what happened": ev["event"],
        "bears on": ev["bears_on"].str.replace("; ", ", "),
        "source": [f"[{s}]({u})" for s, u in zip(ev["source"], ev["source_url"], strict=True)]}),
        source="Source: compiled for this report from the sources named on each row.")
    v.override_end, v.override_announced = context.override_end(c.cat)
    v.local = ""
    if not c.is_england:
        local = ehcp.ehcp_series(c.cat, c.la_code).set_index("january")["plans"]
        if len(local):
            since = (f", {w.change(local['2015'], local.iloc[-1])} since January 2015"
                     if "2015" in local.index else " (no January 2015 count for this council)")
            v.local = (f"**{c.area}.** In January {local.index[-1]} the council maintained "
                       f"{w.n(local.iloc[-1])} plans{since}.")
        else:
            v.local = f"**{c.area}.** The EHC plans series has no rows for this council."
