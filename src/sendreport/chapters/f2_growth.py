"""Finding 2: EHC plan growth and the high needs budget."""

from __future__ import annotations

from sendreport.chapters import wording as w
from sendreport.chapters.base import Chapter, Trend
from sendreport.measures import ehcp, funding, requests, tribunals


def build(c: Chapter) -> None:
    v = c.v
    c.finding = 2
    nat = ehcp.ehcp_series(c.cat)
    series = ehcp.ehcp_series(c.cat, c.la_code)
    jan24, jan23, jan15 = (ehcp.ehcp_total(c.cat, y) for y in (2024, 2023, 2015))
    latest = ehcp.ehcp_total(c.cat, nat["january"].iloc[-1])
    v.jan24, v.jan23, v.jan15 = jan24.value, jan23.value, jan15.value
    v.jan24_release = jan24.release
    v.growth = ehcp.ehcp_growth(c.cat, 2015, 2024).value
    v.latest_january, v.latest_plans = nat["january"].iloc[-1], latest.value
    v.since_nao = w.change(jan24.value, latest.value)

    first_j, last_j = series["january"].iloc[0], series["january"].iloc[-1]
    rising = series[series["january"] >= "2015"]["plans"].diff().dropna()
    every_year = bool((rising > 0).all())
    c.add_chart(
        "ehcp-series", series.astype({"january": int}), kind="line", x="january", y="plans", hue="definition",
        title=w.choose(every_year, f"Plans in {c.where} have risen every year since 2015",
                       f"Plans in {c.where} {w.change(series['plans'].iloc[0], series['plans'].iloc[-1])} "
                       f"between {first_j} and {last_j}, not rising every year"),
        subtitle=f"Statements and EHC plans maintained, {c.where}, January {first_j} to January "
                 f"{last_j}; EHC plans only from 2019 (person-level collection)",
        alt=f"Line chart: plans in {c.where} went from {w.n(series['plans'].iloc[0])} in January "
            f"{first_j} to {w.n(series['plans'].iloc[-1])} in January {last_j}.",
        source=c.source("ehcp_caseload_harmonised", period=f"January {first_j} to January {last_j}"),
        xlabel="January", ylabel="plans", thousands=True)

    # the high needs budget, cash and real terms
    per_plan = funding.high_needs_per_plan(c.cat, c.la_code)
    defl = funding.gdp_deflator_fy(c.cat)
    a, b = per_plan.iloc[0], per_plan.iloc[-1]
    v.fy_first, v.fy_last = a["financial_year"], b["financial_year"]
    v.hnb_first, v.hnb_last = a["hnb_before_deductions"], b["hnb_before_deductions"]
    v.hnb_real_first, v.hnb_real_last = a["hnb_real"], b["hnb_real"]
    v.plans_first, v.plans_last = a["plans"], b["plans"]
    v.per_plan_first, v.per_plan_last = a["hnb_per_plan"], b["hnb_per_plan"]
    v.per_plan_real_first, v.per_plan_real_last = a["hnb_per_plan_real"], b["hnb_per_plan_real"]
    v.deflator = defl.series
    v.deflator_base = defl.base
    long = per_plan.melt(id_vars="financial_year", value_vars=["hnb_per_plan",
                                                              "hnb_per_plan_real"],
                         var_name="prices", value_name="per_plan")
    long["prices"] = long["prices"].map({"hnb_per_plan": "cash",
                                         "hnb_per_plan_real": f"{defl.base} prices"})
    c.add_chart(
        "hnb-per-plan", long, kind="bar", x="financial_year", y="per_plan", hue="prices",
        title=f"The high needs block per plan {w.change(v.per_plan_real_first, v.per_plan_real_last)} "
              f"in real terms between {v.fy_first} and {v.fy_last}",
        subtitle=f"High needs block before deductions divided by EHC plans in the January within "
                 f"the year, £ per plan, cash and {defl.base} prices, {c.where}, {v.fy_first} to "
                 f"{v.fy_last}",
        alt=f"Bar chart: in {defl.base} prices, {w.gbp(v.per_plan_real_first)} per plan in "
            f"{v.fy_first} and {w.gbp(v.per_plan_real_last)} in {v.fy_last}; in cash, "
            f"{w.gbp(v.per_plan_first)} and {w.gbp(v.per_plan_last)}.",
        source=c.source("dsg_high_needs", "ehcp_caseload_harmonised", "gdp_deflator", period=f"{v.fy_first} to {v.fy_last}") + f" Real terms: {defl.series}.",
        xlabel="financial year", ylabel="£ per plan", thousands=True)

    # timeliness
    timely = requests.timeliness_series(c.cat)
    t = timely.set_index("year")["pct_within_20_weeks"]
    v.timely_last_year, v.timely_last = t.index[-1], t.iloc[-1]
    v.timely_2023 = t.loc["2023"]
    c.add_chart(
        "timeliness", timely.astype({"year": int}), kind="line", x="year",
        y="pct_within_20_weeks", hue="collection",
        title=w.choose(t.iloc[-1] < 50,
                       f"Fewer than half of new plans were issued on time in {t.index[-1]}",
                       f"{w.pct(t.iloc[-1], 0)} of new plans were issued on time in {t.index[-1]}"),
        subtitle=f"EHC plans issued within 20 weeks, excluding exceptions, % of plans issued, "
                 f"England, {t.index[0]} to {t.index[-1]}; the collection changed in 2019",
        alt=f"Line chart: {w.pct(t.iloc[0])} within 20 weeks in {t.index[0]}, "
            f"{w.pct(v.timely_2023)} in 2023 and {w.pct(t.iloc[-1])} in {t.index[-1]}.",
        source=c.source("ehcp_timeliness", "ehcp2022_mi", period=f"{t.index[0]} to {t.index[-1]}"),
        xlabel="calendar year", ylabel="% within 20 weeks", percent=True)

    # appeals
    ar = tribunals.appeal_rate_series(c.cat)
    r = ar.set_index("year")["appeal_rate_pct"]
    v.appeal_last_year, v.appeal_last = r.index[-1], r.iloc[-1]
    v.appeals_last = ar["appeals"].iloc[-1]
    c.add_chart(
        "appeal-rate", ar.astype({"year": int}), kind="line", x="year", y="appeal_rate_pct",
        title=f"The SEND tribunal appeal rate was {w.times(r.loc['2018'], r.iloc[-1])} its 2018 "
              f"level by {r.index[-1]}",
        subtitle=f"Appeals registered as % of appealable decisions, England, {r.index[0]} to "
                 f"{r.index[-1]}",
        alt=f"Line chart: appeal rate {w.pct(r.iloc[0], 2)} in {r.index[0]}, "
            f"{w.pct(r.loc['2018'], 2)} in 2018, {w.pct(r.iloc[-1], 2)} in {r.index[-1]}.",
        source=c.source("tribunal_appeal_rates", period=f"{r.index[0]} to {r.index[-1]}"),
        xlabel="calendar year", ylabel="% of appealable decisions", percent=True)

    c.since = Trend("plans issued within 20 weeks", v.timely_2023, v.timely_last, "2023",
                    str(v.timely_last_year), better="up")

