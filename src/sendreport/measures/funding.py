"""Funding: the high needs block of the dedicated schools grant, per plan and per child."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sendreport import flags as F
from sendreport.catalogue import Catalogue
from sendreport.errors import SendReportError
from sendreport.measures.base import geo, plain
from sendreport.measures.ehcp import ehcp_series

FY_JANUARY = {"2019-20": "2020", "2020-21": "2021", "2021-22": "2022", "2022-23": "2023",
              "2023-24": "2024", "2024-25": "2025", "2025-26": "2026"}

def high_needs_block(cat: Catalogue, la_code: str | None = None) -> pd.DataFrame:
    df = geo(cat.table("dsg_high_needs"), la_code)
    w = df.pivot_table(index="period", columns="measure", values="value", observed=True)
    w = w.reset_index().rename(columns={"period": "financial_year"})
    w.columns.name = None
    return w

def high_needs_per_plan(cat: Catalogue, la_code: str | None = None) -> pd.DataFrame:
    """High needs block (before deductions) per EHC plan held in the January of the year."""
    hnb = high_needs_block(cat, la_code)
    plans = ehcp_series(cat, la_code).set_index("january")["plans"]
    hnb["january"] = hnb["financial_year"].map(FY_JANUARY)
    hnb["plans"] = hnb["january"].map(plans)
    hnb["hnb_per_plan"] = hnb["hnb_before_deductions"] / hnb["plans"]
    if "gdp_deflator" in cat.names():
        d = gdp_deflator_fy(cat)
        hnb["hnb_real"] = real_terms(hnb["hnb_before_deductions"], hnb["financial_year"], d)
        hnb["hnb_per_plan_real"] = real_terms(hnb["hnb_per_plan"], hnb["financial_year"], d)
    return hnb

def special_places_deducted(cat: Catalogue) -> pd.DataFrame:
    """Places in special academies and special free schools funded directly by ESFA (national,
    from the DSG high needs deductions), by financial year and place type."""
    df = cat.table("dsg_high_needs_deductions")
    df = df[(df["geographic_level"] == "national") & (df["measure"] == "places_part2")
            & df["breakdown_topic"].astype(str).isin(["Special academies",
                                                      "Special free schools"])]
    out = df.groupby(["period", "breakdown_topic"], observed=True)["value"].sum().reset_index()
    return out.rename(columns={"period": "financial_year", "breakdown_topic": "institution",
                               "value": "places"})

def cost_and_outcomes(cat: Catalogue) -> pd.DataFrame:
    """High needs block and EHC plans indexed to the first registered DSG year (=100)."""
    hp = high_needs_per_plan(cat)
    base = hp.iloc[0]
    rows = []
    for _, r in hp.iterrows():
        rows.append((r["financial_year"], "High needs block (cash)",
                     100 * r["hnb_before_deductions"] / base["hnb_before_deductions"]))
        rows.append((r["financial_year"], "EHC plans (January in year)",
                     100 * r["plans"] / base["plans"]))
    return pd.DataFrame(rows, columns=["financial_year", "series", "index"])

@dataclass(frozen=True)
class Benchmarks:
    """High needs block per plan and per child, by council, against neighbours and region."""

    frame: pd.DataFrame
    fy: str
    january: str
    population_year: str


def benchmarks(cat: Catalogue, fy: str | None = None) -> Benchmarks:
    """Per LA: high needs block (before deductions) per EHC plan and per child aged 0-17, against
    the LA's statistical neighbours (median of its ten) and its region (median), with outliers
    flagged by the interquartile-range rule."""
    hnb = plain(cat, "dsg_high_needs")
    hnb = hnb[(hnb["geographic_level"] == "la") & (hnb["measure"] == "hnb_before_deductions")]
    fy = fy or sorted(hnb["period"].astype(str).unique())[-1]
    jan = FY_JANUARY[fy]
    hnb = hnb[hnb["period"].astype(str) == fy]
    hnb = hnb.set_index(hnb["la_code"].astype(str))
    h = plain(cat, "ehcp_caseload_harmonised")
    plans = h[(h["geographic_level"] == "la") & (h["breakdown"] == "total")
              & (h["period"].astype(str) == jan)].set_index("la_code")["value"]
    pop = plain(cat, "population_0_17")
    popy = str(int(jan) - 1)
    pop = pop[(pop["geographic_level"] == "la") & (pop["period"].astype(str) == popy)]
    pop = pop.set_index(pop["la_code"].astype(str))["value"]
    out = pd.DataFrame({"la_name": hnb["la_name"].astype(str), "hnb": hnb["value"]})
    out.index = out.index.astype(str)
    out["plans"] = plans.reindex(out.index).to_numpy()
    out["children_0_17"] = pop.reindex(out.index).to_numpy()
    out["per_plan"] = out["hnb"] / out["plans"]
    out["per_child"] = out["hnb"] / out["children_0_17"]
    # a per-plan figure divided by a flagged count (an implausible January) is shown with its
    # flag, and is in no median, quartile or comparison
    qf = F.select(plain(cat, "quality_flags"), flag=F.EXCLUDING, measure="plans", period=jan)
    first = qf.groupby("la_code")["flag"].first().to_dict()
    out["plans_flag"] = [first.get(code, "") for code in out.index]
    lk = plain(cat, "la_lookup").set_index("la_code")["region_name"]
    out["region"] = out.index.map(lk).fillna("")
    sn = plain(cat, "stat_neighbours")
    far = F.not_close_pairs(plain(cat, "quality_flags"))
    nbrs = sn.groupby("la_code")["neighbour_la_code"].apply(list)
    for m in ("per_plan", "per_child"):
        ok = out[m].where(out["plans_flag"] == "") if m == "per_plan" else out[m]
        out[f"{m}_sn_median"] = [
            ok.reindex([n for n in nbrs.get(la, []) if n in out.index
                        and (la, n) not in far]).median()
            for la in out.index]
        out[f"{m}_vs_sn_pct"] = 100 * (ok / out[f"{m}_sn_median"] - 1)
        out[f"{m}_region_median"] = ok.groupby(out["region"]).transform("median")
        q1, q3 = ok.quantile([0.25, 0.75])
        iqr = q3 - q1
        out[f"{m}_outlier"] = np.where(ok > q3 + 1.5 * iqr, "high",
                                       np.where(ok < q1 - 1.5 * iqr, "low", ""))
    return Benchmarks(out.rename_axis("la_code").reset_index(), fy, jan, popy)


@dataclass(frozen=True)
class Deflator:
    """Financial-year GDP deflator index, rebased so that ``base`` = 100."""

    index: pd.Series  # financial year -> index
    base: str
    series: str  # "ONS GDP implied deflator (YBGB), release 2025-06-30"


def gdp_deflator_fy(cat: Catalogue, base: str = "2024-25") -> Deflator:
    """Financial-year averages of the quarterly ONS GDP deflator (YBGB), rebased to ``base``.

    A financial year April to March is the mean of quarters Q2, Q3 and Q4 of its first calendar
    year and Q1 of the next (HM Treasury's method). Years without all four quarters are left out.
    """
    t = plain(cat, "gdp_deflator")
    q = t[t["breakdown"].isin(["Q1", "Q2", "Q3", "Q4"])]
    qv = {(int(p), b): float(v) for p, b, v in zip(q["period"], q["breakdown"], q["value"],
                                                   strict=True)}
    years = sorted({int(p) for p in q["period"]})
    fy = {}
    for y in years:
        parts = [qv.get((y, "Q2")), qv.get((y, "Q3")), qv.get((y, "Q4")), qv.get((y + 1, "Q1"))]
        if all(p is not None for p in parts):
            fy[f"{y}-{str(y + 1)[2:]}"] = sum(parts) / 4
    s = pd.Series(fy, dtype=float)
    if base not in s.index:
        raise SendReportError(f"GDP deflator: no complete financial year {base} "
                              f"(latest {s.index[-1] if len(s) else 'none'})")
    rel = ", ".join(r for _, r in cat.sources["gdp_deflator"])
    return Deflator(100 * s / s[base], base,
                    f"ONS GDP implied deflator (series YBGB), release {rel}, "
                    f"financial-year averages, {base} = 100")


def real_terms(values: pd.Series, years: pd.Series, deflator: Deflator) -> pd.Series:
    """Cash values in the deflator's base-year prices (NaN where the year has no deflator)."""
    idx = years.astype(str).map(deflator.index)
    return values * 100 / idx
