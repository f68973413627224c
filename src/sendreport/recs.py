"""Analyses behind the recommendation chapters: the evidence each NAO recommendation calls for.

Each function returns a plain DataFrame computed from the tidy tables, with LA numbers and names
so that tables can be checked against the source for any council.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from sendreport.analysis import FY_JANUARY, _geo, _vals, dsg_balance_by_la, ehcp_series
from sendreport.errors import SendReportError
from sendreport.tables import Catalogue


def _t(cat: Catalogue, name: str) -> pd.DataFrame:
    """A tidy table with plain string columns (categoricals make pivots awkward)."""
    df = cat.table(name)
    cats = [c for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)]
    return df.astype({c: str for c in cats}) if cats else df


AGE_GROUPS = ["Under 5", "Age 5 to 10", "Age 11 to 15", "Age 16 to 19", "Age 20 to 25"]
NEED_LABELS = {
    "number_asd": "Autistic spectrum disorder", "number_slcn": "Speech, language and "
    "communication needs", "number_semh": "Social, emotional and mental health",
    "number_mld": "Moderate learning difficulty", "number_sld": "Severe learning difficulty",
    "number_pd": "Physical disability", "number_spld": "Specific learning difficulty",
    "number_hi": "Hearing impairment", "number_pmld": "Profound and multiple learning "
    "difficulty", "number_vi": "Visual impairment", "number_oth": "Other difficulty",
    "number_msi": "Multi-sensory impairment", "number_need_unknown": "Not recorded",
}


def age_group(label: str) -> str | None:
    """Map the person-level collection's single ages onto the older collection's groups."""
    s = str(label).lower()
    if "under 3" in s or "2 and under" in s:
        return "Under 5"
    m = re.search(r"(\d+)", s)
    if not m:
        return None
    a = int(m.group(1))
    if "and over" in s and a >= 20:
        return "Age 20 to 25"
    for lo, hi, g in [(0, 4, "Under 5"), (5, 10, "Age 5 to 10"), (11, 15, "Age 11 to 15"),
                      (16, 19, "Age 16 to 19"), (20, 25, "Age 20 to 25")]:
        if lo <= a <= hi:
            return g
    return None


# ------------------------------------------------------------------ R2 root causes
def plans_by_age(cat: Catalogue, la_code: str | None = None) -> pd.DataFrame:
    """Plans by age group each January: 2010-2022 from the 2022 release (statements and plans),
    2024 onwards from the person-level collection (single ages grouped)."""
    old = _geo(_t(cat, "ehcp2022_caseload_age"), la_code)
    old = old[(old["measure"] == "Total_all") & old["breakdown"].astype(str).isin(AGE_GROUPS)]
    a = pd.DataFrame({"january": old["period"].astype(str), "age_group": old["breakdown"].astype(
        str), "plans": old["value"].to_numpy(), "release": old["release"].astype(str)})
    new = _geo(_t(cat, "ehcp_caseload"), la_code)
    new = new[(new["breakdown_topic"] == "Child or young persons age")
              & (new["measure"] == "ehcplans")]
    new = new.assign(age_group=new["breakdown"].astype(str).map(age_group)).dropna(
        subset=["age_group"])
    b = new.groupby(["period", "age_group", "release"], observed=True)["value"].sum(
        min_count=1).reset_index()
    b = b.rename(columns={"period": "january", "value": "plans"}).astype(
        {"january": str, "release": str})
    out = pd.concat([a[~a["january"].isin(b["january"])], b], ignore_index=True)
    return out.sort_values(["january", "age_group"]).reset_index(drop=True)


def growth_contributions(frame: pd.DataFrame, key: str, start: str, end: str) -> pd.DataFrame:
    """Each group's share of the growth in plans between two Januaries."""
    w = frame.pivot_table(index=key, columns="january", values="plans", observed=True)
    if start not in w.columns or end not in w.columns:
        raise SendReportError(f"no January {start} or {end} in the series")
    d = pd.DataFrame({"start": w[start], "end": w[end]})
    d["increase"] = d["end"] - d["start"]
    d["share_of_growth_pct"] = 100 * d["increase"] / d["increase"].sum()
    d["growth_pct"] = 100 * (d["end"] / d["start"] - 1)
    return d.rename_axis(key).reset_index().sort_values("increase", ascending=False)


def plans_by_need(cat: Catalogue, la_code: str | None = None) -> pd.DataFrame:
    df = _geo(_t(cat, "ehcp_needs"), la_code)
    df = df[(df["breakdown_topic"] == "All EHC plans") & df["measure"].astype(str).isin(
        NEED_LABELS)]
    last = df["period"].astype(str).max()
    df = df[df["period"].astype(str) == last]
    out = pd.DataFrame({"need": df["measure"].astype(str).map(NEED_LABELS).to_numpy(),
                        "plans": df["value"].to_numpy()})
    out["share_pct"] = 100 * out["plans"] / out["plans"].sum()
    out["january"] = last
    return out.sort_values("plans", ascending=False).reset_index(drop=True)


def flows(cat: Catalogue, la_code: str | None = None) -> pd.DataFrame:
    """Requests, refusals, new plans and ceased plans per calendar year."""
    from sendreport.analysis import demand_series

    d = demand_series(cat, la_code).set_index("year")
    ce = _geo(_t(cat, "ehcp_ceased"), la_code)
    ce = ce[(ce["breakdown_topic"] == "All ceased EHC plans") & (ce["measure"] == "total_ceased")]
    d["ceased_plans"] = _vals(ce)
    return d.reset_index()


def rate_per_1000(cat: Catalogue, january: str) -> pd.DataFrame:
    """EHC plans (all ages) per 1,000 children aged 0-17, by LA, with how far each LA is from
    the middle of the distribution (z-score) and the England rate."""
    h = _t(cat, "ehcp_caseload_harmonised")
    plans = h[(h["breakdown"] == "total") & (h["period"].astype(str) == str(january))]
    pop = _t(cat, "population_0_17")
    pop_year = str(int(january) - 1)  # mid-year estimate before the January
    pop = pop[pop["period"].astype(str) == pop_year]
    if pop.empty:
        raise SendReportError(f"no mid-{pop_year} population estimate")
    la_p = plans[plans["geographic_level"] == "la"].set_index("la_code")
    la_pop = pop[pop["geographic_level"] == "la"].set_index("la_code")
    out = pd.DataFrame({"la_name": la_p["la_name"].astype(str), "plans": la_p["value"]})
    out["children_0_17"] = la_pop["value"].reindex(out.index)
    out = out.dropna()
    out = out[out["children_0_17"] > 0]
    out["per_1000"] = 1000 * out["plans"] / out["children_0_17"]
    lk = _t(cat, "la_lookup").set_index("la_code")["region_name"]
    out["region"] = out.index.map(lk).fillna("")
    med, sd = out["per_1000"].median(), out["per_1000"].std()
    out["z_score"] = (out["per_1000"] - out["per_1000"].mean()) / sd
    out["vs_median_pct"] = 100 * (out["per_1000"] / med - 1)
    nat_p = float(plans[plans["geographic_level"] == "national"]["value"].iloc[0])
    nat_c = float(pop[pop["geographic_level"] == "national"]["value"].iloc[0])
    out.attrs["england_per_1000"] = 1000 * nat_p / nat_c
    out.attrs["population_year"] = pop_year
    return out.rename_axis("la_code").reset_index().sort_values("per_1000", ascending=False)


# ------------------------------------------------------------------ R3 integrated system
def health_by_la(cat: Catalogue) -> pd.DataFrame:
    """Per LA: designated medical / clinical officer answers (latest year) and the last area
    SEND inspection under the 2016 framework."""
    d = _t(cat, "ehcp_dmo_dco")
    d = d[d["geographic_level"] == "la"]
    last = d["period"].astype(str).max()
    d = d[d["period"].astype(str) == last]
    w = d.pivot_table(index=["la_code", "la_name"], columns="measure", values="breakdown",
                      aggfunc="first", observed=True).reset_index()
    w.columns.name = None
    w = w.rename(columns={"des_med_off": "dmo", "des_clin_off": "dco",
                          "des_so_care_off": "dsco"}).astype(str)
    o = _t(cat, "ofsted_area_send")
    lk = _t(cat, "la_lookup")
    gss = {g: r for r, gs in zip(lk["la_code"], lk["gss_codes"], strict=True)
           for g in gs.split(";")}
    o = o.assign(la_code=o["gss_code"].map(gss)).sort_values("inspection_start")
    o = o.groupby("la_code").last()[["inspection_start", "wsoa_required",
                                     "revisit_sufficient_progress"]]
    out = w.merge(o, left_on="la_code", right_index=True, how="left")
    out["year"] = last
    return out


# ------------------------------------------------------------------ R4 financial position
def financial_position(cat: Catalogue) -> pd.DataFrame:
    """Per LA: DSG balance as % of income each year, its change, and growth in the high needs
    block against growth in EHC plans over the registered DSG years; ranked by latest balance."""
    bal = dsg_balance_by_la(cat)
    years = [c for c in bal.columns if c[:2] == "20"]
    hnb = _t(cat, "dsg_high_needs")
    hnb = hnb[(hnb["geographic_level"] == "la") & (hnb["measure"] == "hnb_before_deductions")]
    fys = sorted(hnb["period"].astype(str).unique())
    f0, f1 = fys[0], fys[-1]
    hw = hnb.pivot_table(index="la_code", columns="period", values="value", observed=True)
    h = _t(cat, "ehcp_caseload_harmonised")
    h = h[(h["geographic_level"] == "la") & (h["breakdown"] == "total")]
    pw = h.pivot_table(index="la_code", columns="period", values="value", observed=True)
    j0, j1 = FY_JANUARY[f0], FY_JANUARY[f1]
    out = bal.set_index("la_code")
    out[f"hnb_growth_{f0}_{f1}_pct"] = 100 * (hw[f1] / hw[f0] - 1)
    out[f"plan_growth_{j0}_{j1}_pct"] = 100 * (pw[j1] / pw[j0] - 1)
    out["plans_outpaced_funding_pp"] = (out[f"plan_growth_{j0}_{j1}_pct"]
                                        - out[f"hnb_growth_{f0}_{f1}_pct"])
    out[f"balance_change_{years[0]}_{years[-1]}_pp"] = out[years[-1]] - out[years[0]]
    out = out.reset_index().sort_values(years[-1]).reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    worsening = out[f"balance_change_{years[0]}_{years[-1]}_pp"] < 0
    out["at_risk"] = (out[years[-1]] <= -5) & worsening & (out["plans_outpaced_funding_pp"] > 0)
    out.attrs.update({"years": years, "fy": (f0, f1), "january": (j0, j1)})
    return out


# ------------------------------------------------------------------ R5 settings
def new_plan_settings(cat: Catalogue, la_code: str | None = None) -> pd.DataFrame:
    df = _geo(_t(cat, "ehcp_newplans"), la_code)
    df = df[df["breakdown_topic"] == "New EHC plans"]
    w = df.pivot_table(index="period", columns="measure", values="value", observed=True)
    w.index = w.index.astype(str)
    w.columns = w.columns.astype(str)
    out = pd.DataFrame({
        "Mainstream schools": w["mainstream_total"],
        "State special schools": w["special_la_maintained"] + w["special_academy_free"],
        "Independent and non-maintained special": w["special_independent"]
        + w["special_non_maintained"],
        "Further education": w["fe_total"],
    })
    long = out.reset_index().melt(id_vars="period", var_name="setting", value_name="new_plans")
    long["share_pct"] = 100 * long["new_plans"] / long["period"].map(w["new_ehc_plans"])
    return long.rename(columns={"period": "year"}).astype({"year": str})


def transfers(cat: Catalogue) -> pd.DataFrame:
    """Moves between mainstream and special schools in the older collection (statements and
    EHC plans together), per calendar year, England."""
    mi = _geo(_t(cat, "ehcp2022_mi"), None)
    w = mi.pivot_table(index="period", columns="measure", values="value", observed=True)
    w.index = w.index.astype(str)
    w.columns = w.columns.astype(str)
    cols = {"Mtosi": "ms_to_special_st", "MtosiEHC": "ms_to_special_ehc",
            "Sitom": "special_to_ms_st", "SitomEHC": "special_to_ms_ehc"}
    w = w[list(cols)].rename(columns=cols)
    out = pd.DataFrame({
        "mainstream_to_special": w["ms_to_special_st"].fillna(0) + w["ms_to_special_ehc"].fillna(
            0),
        "special_to_mainstream": w["special_to_ms_st"].fillna(0) + w["special_to_ms_ehc"].fillna(
            0),
    })
    out = out[(out > 0).any(axis=1)]
    out["net_to_special"] = out["mainstream_to_special"] - out["special_to_mainstream"]
    return out.rename_axis("year").reset_index().astype({"year": str})


# ------------------------------------------------------------------ R6 inclusion
def inclusion_vs_outcomes(cat: Catalogue) -> pd.DataFrame:
    """Per LA: mainstream share of plans (latest January and change since 2019) against the
    average Attainment 8 of pupils with EHC plans (latest LAIT year)."""
    h = _t(cat, "ehcp_caseload_harmonised")
    h = h[(h["geographic_level"] == "la")]
    w = h.pivot_table(index=["la_code", "period"], columns="breakdown", values="value",
                      observed=True)
    share = (100 * w["mainstream"] / w["total"]).unstack("period")
    last = share.columns.max()
    out = pd.DataFrame({"mainstream_share_pct": share[last],
                        "change_since_2019_pp": share[last] - share["2019"]})
    lait = _t(cat, "lait_send")
    a8 = lait[(lait["geographic_level"] == "la") & (lait["measure"] == "SEN_Stat_AVG_Attain8_Score")
              & (lait["breakdown"] == "Total")]
    y = a8["period"].astype(str).max()
    a8 = a8[a8["period"].astype(str) == y]
    a8 = a8.set_index(a8["la_code"].astype(str))["value"]
    out["attainment8_ehcp"] = a8.reindex(out.index.astype(str)).to_numpy()
    names = h.drop_duplicates("la_code").set_index("la_code")["la_name"].astype(str)
    out.insert(0, "la_name", out.index.map(names))
    out = out.rename_axis("la_code").reset_index().dropna(subset=["mainstream_share_pct"])
    out.attrs.update({"january": last, "lait_year": y})
    return out


# ------------------------------------------------------------------ R8 benchmarks
def benchmarks(cat: Catalogue, fy: str | None = None) -> pd.DataFrame:
    """Per LA: high needs block (before deductions) per EHC plan and per child aged 0-17, against
    the LA's statistical neighbours (median of its ten) and its region (median), with outliers
    flagged by the interquartile-range rule."""
    hnb = _t(cat, "dsg_high_needs")
    hnb = hnb[(hnb["geographic_level"] == "la") & (hnb["measure"] == "hnb_before_deductions")]
    fy = fy or sorted(hnb["period"].astype(str).unique())[-1]
    jan = FY_JANUARY[fy]
    hnb = hnb[hnb["period"].astype(str) == fy]
    hnb = hnb.set_index(hnb["la_code"].astype(str))
    h = _t(cat, "ehcp_caseload_harmonised")
    plans = h[(h["geographic_level"] == "la") & (h["breakdown"] == "total")
              & (h["period"].astype(str) == jan)].set_index("la_code")["value"]
    pop = _t(cat, "population_0_17")
    popy = str(int(jan) - 1)
    pop = pop[(pop["geographic_level"] == "la") & (pop["period"].astype(str) == popy)]
    pop = pop.set_index(pop["la_code"].astype(str))["value"]
    out = pd.DataFrame({"la_name": hnb["la_name"].astype(str), "hnb": hnb["value"]})
    out.index = out.index.astype(str)
    out["plans"] = plans.reindex(out.index).to_numpy()
    out["children_0_17"] = pop.reindex(out.index).to_numpy()
    out["per_plan"] = out["hnb"] / out["plans"]
    out["per_child"] = out["hnb"] / out["children_0_17"]
    lk = _t(cat, "la_lookup").set_index("la_code")["region_name"]
    out["region"] = out.index.map(lk).fillna("")
    sn = _t(cat, "stat_neighbours")
    nbrs = sn.groupby("la_code")["neighbour_la_code"].apply(list)
    for m in ("per_plan", "per_child"):
        out[f"{m}_sn_median"] = [
            out[m].reindex([n for n in nbrs.get(la, []) if n in out.index]).median()
            for la in out.index]
        out[f"{m}_vs_sn_pct"] = 100 * (out[m] / out[f"{m}_sn_median"] - 1)
        out[f"{m}_region_median"] = out.groupby("region")[m].transform("median")
        q1, q3 = out[m].quantile([0.25, 0.75])
        iqr = q3 - q1
        out[f"{m}_outlier"] = np.where(out[m] > q3 + 1.5 * iqr, "high",
                                       np.where(out[m] < q1 - 1.5 * iqr, "low", ""))
    out.attrs.update({"fy": fy, "january": jan, "population_year": popy})
    return out.rename_axis("la_code").reset_index()


# ------------------------------------------------------------------ R9 early identification
def started_young(cat: Catalogue) -> pd.DataFrame:
    """Per LA: share of new EHC plans started before age 5 (latest year), and the number."""
    df = _t(cat, "ehcp_newplans")
    df = df[(df["geographic_level"].isin(["la", "national"]))
            & (df["breakdown_topic"] == "Age when plan started")
            & (df["measure"] == "new_ehc_plans")]
    y = df["period"].astype(str).max()
    df = df[df["period"].astype(str) == y]
    df = df.assign(under5=df["breakdown"].astype(str).map(age_group).eq("Under 5"))
    g = df.groupby(["geographic_level", "la_code", "la_name"], observed=True)
    out = pd.DataFrame({"new_plans": g["value"].sum(min_count=1),
                        "started_under_5": g.apply(lambda x: x.loc[x["under5"], "value"].sum(
                            min_count=1), include_groups=False)}).reset_index()
    out["share_under_5_pct"] = 100 * out["started_under_5"] / out["new_plans"]
    out["year"] = y
    return out


def early_years_series(cat: Catalogue, la_code: str | None = None) -> pd.DataFrame:
    """Plans of under-5s (January) and plans placed in non-maintained early years settings."""
    ages = plans_by_age(cat, la_code)
    u5 = ages[ages["age_group"] == "Under 5"].set_index("january")["plans"]
    ey = []
    old = _geo(_t(cat, "ehcp2022_caseload_estab"), la_code)
    old = old[(old["breakdown_topic"] == "Non-maintained early years")
              & (old["breakdown"] == "Total") & (old["measure"] == "Total_all")]
    ey.append(_vals(old))
    new = _geo(_t(cat, "ehcp_caseload"), la_code)
    new = new[(new["breakdown_topic"] == "All EHC plans") & (new["measure"] == "nm_early_years")]
    ey.append(_vals(new))
    eys = pd.concat(ey)
    eys = eys[~eys.index.duplicated(keep="last")]
    out = pd.DataFrame({"under_5_plans": u5, "early_years_placements": eys})
    return out.rename_axis("january").reset_index()


# ------------------------------------------------------------------ R1 synthesis
def cost_and_outcomes(cat: Catalogue) -> pd.DataFrame:
    """High needs block and EHC plans indexed to the first registered DSG year (=100)."""
    from sendreport.analysis import high_needs_per_plan

    hp = high_needs_per_plan(cat)
    base = hp.iloc[0]
    rows = []
    for _, r in hp.iterrows():
        rows.append((r["financial_year"], "High needs block (cash)",
                     100 * r["hnb_before_deductions"] / base["hnb_before_deductions"]))
        rows.append((r["financial_year"], "EHC plans (January in year)",
                     100 * r["plans"] / base["plans"]))
    return pd.DataFrame(rows, columns=["financial_year", "series", "index"])


def series_for_projection(cat: Catalogue) -> pd.Series:
    s = ehcp_series(cat)
    s = s[s["definition"] == "EHC plans"]
    return pd.Series(s["plans"].to_numpy(), index=s["january"].astype(int))
