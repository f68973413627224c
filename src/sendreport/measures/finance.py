"""Council finance: DSG balances, safety valve agreements and councils' financial position."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sendreport.catalogue import Catalogue
from sendreport.measures.base import geo, plain
from sendreport.measures.ehcp import ehcp_growth_by_la, ehcp_series
from sendreport.measures.funding import FY_JANUARY


def dsg_balance_by_la(cat: Catalogue) -> pd.DataFrame:
    """Cumulative DSG balance as % of DSG income, one row per LA, one column per year."""
    df = cat.table("dsg_balance")
    df = df[(df["geographic_level"] == "la") & (df["measure"] == "balance_pct_of_income")]
    w = df.pivot_table(index=["la_code", "la_name"], columns="period", values="value",
                       observed=True).reset_index()
    w.columns.name = None
    lk = cat.table("la_lookup").set_index("la_code")["region_name"]
    w.insert(2, "region", w["la_code"].astype(str).map(lk).fillna(""))
    return w

def dsg_balance_series(cat: Catalogue, la_code: str | None = None) -> pd.DataFrame:
    df = cat.table("dsg_balance")
    df = geo(df[df["measure"] == "balance_pct_of_income"], la_code)
    return pd.DataFrame({"financial_year": df["period"].astype(str).to_numpy(),
                         "balance_pct_of_income": df["value"].to_numpy()})

def dsg_deficit_by_year(cat: Catalogue) -> pd.DataFrame:
    """Share of LAs with a cumulative DSG deficit, and the England balance, by financial year."""
    df = cat.table("dsg_balance")
    df = df[df["measure"] == "balance_pct_of_income"]
    la = df[df["geographic_level"] == "la"]
    g = la.groupby("period", observed=True)["value"]
    out = pd.DataFrame({
        "las": g.count(),
        "las_in_deficit": g.apply(lambda s: int((s < 0).sum())),
    })
    out["share_in_deficit_pct"] = 100 * out["las_in_deficit"] / out["las"]
    nat = df[df["geographic_level"] == "national"].set_index("period")["value"]
    out["england_balance_pct_of_income"] = nat.reindex(out.index).to_numpy()
    return out.reset_index()

def safety_valve_councils(cat: Catalogue) -> pd.DataFrame:
    from sendreport.la import resolve_names

    path = cat.paths.root / "data" / "reference" / "safety_valve_agreements.csv"
    sv = pd.read_csv(path, dtype=str, keep_default_na=False)
    sv.insert(0, "la_code", resolve_names(sv["la_name"], cat.table("la_lookup"), path.name,
                                          rows=pd.Series(range(2, len(sv) + 2))).to_numpy())
    return sv

def safety_valve_comparison(cat: Catalogue, start: str = "2019") -> pd.DataFrame:
    """Per LA: in a safety valve agreement or not, DSG balance and EHC plan growth."""
    end = ehcp_series(cat)["january"].max()
    sv = set(safety_valve_councils(cat)["la_code"])
    bal = dsg_balance_by_la(cat)
    last_fy = [c for c in bal.columns if c[:2] == "20"][-1]
    g = ehcp_growth_by_la(cat, start, end)
    out = g.merge(bal[["la_code", "region", last_fy]], on="la_code", how="outer")
    out["la_name"] = out["la_name"].astype(str)
    out["group"] = np.where(out["la_code"].isin(sv), "Safety valve", "Other councils")
    out = out.rename(columns={last_fy: f"balance_pct_{last_fy}"})
    # councils abolished before the balance series have no current row: leave them out openly
    return out[out["la_code"].isin(cat.table("la_lookup").query("status == 'current'")
                                   ["la_code"])].reset_index(drop=True)

@dataclass(frozen=True)
class FinancialPosition:
    """Councils' DSG balances and funding against plan growth, ranked by balance."""

    frame: pd.DataFrame
    years: list[str]
    fy: tuple[str, str]
    january: tuple[str, str]


def financial_position(cat: Catalogue) -> FinancialPosition:
    """Per LA: DSG balance as % of income each year, its change, and growth in the high needs
    block against growth in EHC plans over the registered DSG years; ranked by latest balance."""
    bal = dsg_balance_by_la(cat)
    years = [c for c in bal.columns if c[:2] == "20"]
    hnb = plain(cat, "dsg_high_needs")
    hnb = hnb[(hnb["geographic_level"] == "la") & (hnb["measure"] == "hnb_before_deductions")]
    fys = sorted(hnb["period"].astype(str).unique())
    f0, f1 = fys[0], fys[-1]
    hw = hnb.pivot_table(index="la_code", columns="period", values="value", observed=True)
    h = plain(cat, "ehcp_caseload_harmonised")
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
    return FinancialPosition(out, years, (f0, f1), (j0, j1))
