"""EHC plans: the caseload each January, its growth, by age and need, rates per child."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from sendreport.catalogue import Catalogue
from sendreport.errors import SendReportError
from sendreport.measures.base import Figure, figure, geo, national_value, plain, values


def ehcp_total(cat: Catalogue, year: int | str) -> Figure:
    """EHC plans (statements and plans before 2019) in January of ``year``, England."""
    t = "ehcp_caseload_harmonised"
    df = cat.table(t)
    v = national_value(df, t, period=year, breakdown="total")
    rel = df[(df["geographic_level"] == "national") & (df["period"].astype(str) == str(year))
             & (df["breakdown"] == "total")]["release"].astype(str).iloc[0]
    return figure(cat, t, v, "plans", f"January {year}", release=rel)

def ehcp_growth(cat: Catalogue, start: int | str, end: int | str) -> Figure:
    a, b = ehcp_total(cat, start), ehcp_total(cat, end)
    return replace(b, value=100 * (b.value / a.value - 1), unit="%",
                   period=f"January {start} to January {end}")

def ehcp_series(cat: Catalogue, la_code: str | None = None) -> pd.DataFrame:
    """Statements and EHC plans in January, with the release and definition of each value."""
    h = cat.table("ehcp_caseload_harmonised")
    h = geo(h[h["breakdown"] == "total"], la_code)
    out = pd.DataFrame({
        "january": h["period"].astype(str).to_numpy(),
        "plans": h["value"].to_numpy(),
        "definition": np.where(h["measure"].astype(str) == "ehc_plans", "EHC plans",
                               "Statements and EHC plans"),
        "release": h["release"].astype(str).to_numpy(),
    })
    return out.sort_values("january").reset_index(drop=True)

def ehcp_growth_by_la(cat: Catalogue, start: str, end: str) -> pd.DataFrame:
    h = cat.table("ehcp_caseload_harmonised")
    la = h[(h["geographic_level"] == "la") & (h["breakdown"] == "total")]
    w = la.pivot_table(index=["la_code", "la_name"], columns="period", values="value",
                       observed=True)
    if start not in w.columns or end not in w.columns:
        raise SendReportError(f"EHC plan caseload has no January {start} or {end}")
    out = w[[start, end]].dropna().reset_index()
    out.columns.name = None
    out["growth_pct"] = 100 * (out[end] / out[start] - 1)
    return out.rename(columns={start: f"plans_{start}", end: f"plans_{end}"})

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

def plans_by_age(cat: Catalogue, la_code: str | None = None) -> pd.DataFrame:
    """Plans by age group each January: 2010-2022 from the 2022 release (statements and plans),
    2024 onwards from the person-level collection (single ages grouped)."""
    old = geo(plain(cat, "ehcp2022_caseload_age"), la_code)
    old = old[(old["measure"] == "Total_all") & old["breakdown"].astype(str).isin(AGE_GROUPS)]
    a = pd.DataFrame({"january": old["period"].astype(str), "age_group": old["breakdown"].astype(
        str), "plans": old["value"].to_numpy(), "release": old["release"].astype(str)})
    new = geo(plain(cat, "ehcp_caseload"), la_code)
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

def growth_contributions(frame: pd.DataFrame, key: str, start: str, end: str,
                         min_share: float = 0.01) -> pd.DataFrame:
    """Each group's share of the growth in plans between two Januaries.

    A group holding less than ``min_share`` of all plans at the start has no growth rate (NaN):
    a rate from a near-empty base (further education before plans extended to 25) means nothing.
    """
    w = frame.pivot_table(index=key, columns="january", values="plans", observed=True)
    if start not in w.columns or end not in w.columns:
        raise SendReportError(f"no January {start} or {end} in the series")
    d = pd.DataFrame({"start": w[start], "end": w[end]})
    d["increase"] = d["end"] - d["start"]
    d["share_of_growth_pct"] = 100 * d["increase"] / d["increase"].sum()
    base = min_share * d["start"].sum()
    d["growth_pct"] = (100 * (d["end"] / d["start"] - 1)).where(d["start"] >= base)
    return d.rename_axis(key).reset_index().sort_values("increase", ascending=False)


def plans_by_need(cat: Catalogue, la_code: str | None = None) -> pd.DataFrame:
    df = geo(plain(cat, "ehcp_needs"), la_code)
    df = df[(df["breakdown_topic"] == "All EHC plans") & df["measure"].astype(str).isin(
        NEED_LABELS)]
    last = df["period"].astype(str).max()
    df = df[df["period"].astype(str) == last]
    out = pd.DataFrame({"need": df["measure"].astype(str).map(NEED_LABELS).to_numpy(),
                        "plans": df["value"].to_numpy()})
    out["share_pct"] = 100 * out["plans"] / out["plans"].sum()
    out["january"] = last
    return out.sort_values("plans", ascending=False).reset_index(drop=True)

@dataclass(frozen=True)
class RatePer1000:
    """EHC plans per 1,000 children aged 0-17, by council, with England's rate."""

    frame: pd.DataFrame
    england_per_1000: float
    population_year: str
    january: str


def rate_per_1000(cat: Catalogue, january: str) -> RatePer1000:
    """EHC plans (all ages) per 1,000 children aged 0-17, by LA, with how far each LA is from
    the middle of the distribution (z-score) and the England rate."""
    h = plain(cat, "ehcp_caseload_harmonised")
    plans = h[(h["breakdown"] == "total") & (h["period"].astype(str) == str(january))]
    pop = plain(cat, "population_0_17")
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
    lk = plain(cat, "la_lookup").set_index("la_code")["region_name"]
    out["region"] = out.index.map(lk).fillna("")
    med, sd = out["per_1000"].median(), out["per_1000"].std()
    out["z_score"] = (out["per_1000"] - out["per_1000"].mean()) / sd
    out["vs_median_pct"] = 100 * (out["per_1000"] / med - 1)
    nat_p = float(plans[plans["geographic_level"] == "national"]["value"].iloc[0])
    nat_c = float(pop[pop["geographic_level"] == "national"]["value"].iloc[0])
    frame = out.rename_axis("la_code").reset_index().sort_values("per_1000", ascending=False)
    return RatePer1000(frame.reset_index(drop=True), 1000 * nat_p / nat_c, pop_year,
                       str(january))

def started_young(cat: Catalogue) -> pd.DataFrame:
    """Per LA: share of new EHC plans started before age 5 (latest year), and the number."""
    df = plain(cat, "ehcp_newplans")
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
    old = geo(plain(cat, "ehcp2022_caseload_estab"), la_code)
    old = old[(old["breakdown_topic"] == "Non-maintained early years")
              & (old["breakdown"] == "Total") & (old["measure"] == "Total_all")]
    ey.append(values(old))
    new = geo(plain(cat, "ehcp_caseload"), la_code)
    new = new[(new["breakdown_topic"] == "All EHC plans") & (new["measure"] == "nm_early_years")]
    ey.append(values(new))
    eys = pd.concat(ey)
    eys = eys[~eys.index.duplicated(keep="last")]
    out = pd.DataFrame({"under_5_plans": u5, "early_years_placements": eys})
    return out.rename_axis("january").reset_index()

def series_for_projection(cat: Catalogue) -> pd.Series:
    s = ehcp_series(cat)
    s = s[s["definition"] == "EHC plans"]
    return pd.Series(s["plans"].to_numpy(), index=s["january"].astype(int))


@dataclass(frozen=True)
class Funnel:
    """Funnel limits for a rate per 1,000 children around England's rate, and each council's
    distance from it in standard errors (a council is unusual only outside the limits, however
    high or low its raw rate: small councils' rates swing by chance).

    Councils differ by more than chance alone (overdispersion), so the binomial standard error is
    widened by the square root of ``phi``, the 10%-winsorised mean of the squared z-scores
    (Spiegelhalter, 2005), when phi is above 1.
    """

    limits: pd.DataFrame  # x (children), centre, lower_95, upper_95, lower_99.8, upper_99.8
    frame: pd.DataFrame  # the councils with their funnel z and whether outside 99.8% limits
    phi: float


Z95, Z998 = 1.96, 3.09


def rate_funnel(rate: RatePer1000) -> Funnel:
    p = rate.england_per_1000 / 1000
    df = rate.frame.copy()
    se = np.sqrt(p * (1 - p) / df["children_0_17"])
    z = (df["per_1000"] / 1000 - p) / se
    lo, hi = z.quantile([0.1, 0.9])
    phi = float((z.clip(lo, hi) ** 2).mean())
    inflate = np.sqrt(max(phi, 1.0))
    df["funnel_z"] = z / inflate
    df["outside_99_8"] = df["funnel_z"].abs() > Z998
    n = np.geomspace(max(df["children_0_17"].min() * 0.8, 100),
                     df["children_0_17"].max() * 1.2, 200)
    se_n = inflate * np.sqrt(p * (1 - p) / n)
    limits = pd.DataFrame({"x": n, "centre": 1000 * p})
    for z, tag in ((Z95, "95"), (Z998, "99.8")):
        limits[f"lower_{tag}"] = 1000 * (p - z * se_n)
        limits[f"upper_{tag}"] = 1000 * (p + z * se_n)
    return Funnel(limits, df, phi)


def funnel_limits(f: Funnel, england_per_1000: float, children: float,
                  z: float = Z998) -> tuple[float, float]:
    """The funnel's limits (per 1,000) for a council of ``children`` children: England's rate
    plus and minus ``z`` standard errors, widened for overdispersion as the funnel is."""
    p = england_per_1000 / 1000
    se = np.sqrt(max(f.phi, 1.0)) * np.sqrt(p * (1 - p) / children)
    return 1000 * (p - z * se), 1000 * (p + z * se)


def collection(january: int | str) -> str:
    """What an EHC plan count of a January counts: statements and plans to 2018, EHC plans
    (aggregate return) 2019 to 2022, EHC plans (person-level return) from 2023."""
    from sendreport.flags import COLLECTION_CHANGES

    j = int(january)
    if j < 2019:
        return "statements and EHC plans"
    return "EHC plans" if j < int(min(COLLECTION_CHANGES)) else "EHC plans, person-level"
