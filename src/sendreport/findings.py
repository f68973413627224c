"""Headline figures computed from the tidy tables, each with its period and source.

These are the building blocks of the findings chapters and the claims register (issue 3): every
figure is a ``Figure`` that carries the table, dataset release and period it was computed from,
so that prose and charts can cite it without typing a number.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sendreport.errors import SendReportError
from sendreport.tables import Catalogue


@dataclass(frozen=True)
class Figure:
    value: float
    unit: str
    period: str
    source: str  # publisher dataset, release and table

    def __str__(self) -> str:
        if self.unit == "%":
            return f"{self.value:.1f}%"
        return f"{self.value:,.0f}"


def _source(cat: Catalogue, table: str) -> str:
    cat.table(table)
    rel = ", ".join(f"{d} release {r}" for d, r in cat.sources[table])
    return f"{rel} (table {table})"


def national_value(df: pd.DataFrame, table: str, **filters) -> float:
    m = df["geographic_level"] == "national"
    for k, v in filters.items():
        m &= df[k].astype(str) == str(v)
    sel = df[m]
    if len(sel) != 1:
        raise SendReportError(f"{table}: expected one national row for {filters}, "
                              f"found {len(sel)}")
    if sel["status"].astype(str).iloc[0] not in ("",):
        raise SendReportError(f"{table}: national value for {filters} is "
                              f"{sel['status'].iloc[0]}")
    return float(sel["value"].iloc[0])


def ehcp_total(cat: Catalogue, year: int | str) -> Figure:
    """EHC plans (statements and plans before 2019) in January of ``year``, England."""
    t = "ehcp_caseload_harmonised"
    df = cat.table(t)
    v = national_value(df, t, period=year, breakdown="total")
    rel = df[(df["geographic_level"] == "national") & (df["period"].astype(str) == str(year))
             & (df["breakdown"] == "total")]["release"].astype(str).iloc[0]
    return Figure(v, "plans", f"January {year}",
                  f"DfE, Education, health and care plans, release {rel} (table {t})")


def ehcp_growth(cat: Catalogue, start: int | str, end: int | str) -> Figure:
    a, b = ehcp_total(cat, start), ehcp_total(cat, end)
    return Figure(100 * (b.value / a.value - 1), "%", f"January {start} to January {end}",
                  b.source)


def timeliness_20wk(cat: Catalogue, year: int | str) -> Figure:
    """Share of EHC plans issued within 20 weeks, excluding exceptions, calendar ``year``.

    From the person-level collection (2019 onwards) where it covers the year, else from the
    2022 release's management information (2014 to 2021). Computed from counts, not the
    published rounded rate.
    """
    y = str(year)
    new = cat.table("ehcp_timeliness")
    topic = "All EHC plans issued"
    nt = new[new["breakdown_topic"] == topic]
    if y in set(nt["period"].astype(str)):
        num = national_value(nt, "ehcp_timeliness", period=y, measure="plans_issued_20_weeks_ex")
        den = national_value(nt, "ehcp_timeliness", period=y, measure="plans_issued_den_ex")
        return Figure(100 * num / den, "%", y, _source(cat, "ehcp_timeliness"))
    old = cat.table("ehcp2022_mi")
    num = national_value(old, "ehcp2022_mi", period=y, measure="NoExc20weekEHC")
    den = national_value(old, "ehcp2022_mi", period=y, measure="TotNoExcEHC")
    return Figure(100 * num / den, "%", y, _source(cat, "ehcp2022_mi"))


def timeliness_20wk_mean(cat: Catalogue, start: int, end: int) -> Figure:
    figs = [timeliness_20wk(cat, y) for y in range(start, end + 1)]
    srcs = "; ".join(dict.fromkeys(f.source for f in figs))
    return Figure(sum(f.value for f in figs) / len(figs), "%", f"{start} to {end} (mean)", srcs)


def appeal_rate(cat: Catalogue, year: int | str) -> Figure:
    """SEND tribunal appeals registered as a share of appealable decisions, England."""
    t = "tribunal_appeal_rates"
    df = cat.table(t)
    num = national_value(df, t, period=year, measure="appeals_registered")
    den = national_value(df, t, period=year, measure="appealable_decisions")
    return Figure(100 * num / den, "%", str(year), _source(cat, t))


def mainstream_share_sen2(cat: Catalogue, year: int | str) -> Figure:
    """Share of all EHC plans (ages 0-25, SEN2) placed in mainstream schools, England.

    A public proxy for the NAO's school-census measure (pupils with EHC plans in state-funded
    mainstream schools), which has a different denominator.
    """
    t = "ehcp_caseload_harmonised"
    df = cat.table(t)
    ms = national_value(df, t, period=year, breakdown="mainstream")
    tot = national_value(df, t, period=year, breakdown="total")
    return Figure(100 * ms / tot, "%", f"January {year}", _source(cat, t))


def mainstream_share_by_la(cat: Catalogue, year: int | str) -> pd.DataFrame:
    """Per-LA share of EHC plans placed in mainstream schools (SEN2), January ``year``."""
    df = cat.table("ehcp_caseload_harmonised")
    la = df[(df["geographic_level"] == "la") & (df["period"].astype(str) == str(year))]
    w = la.pivot_table(index=["la_code", "la_name"], columns="breakdown", values="value",
                       observed=True)
    out = (100 * w["mainstream"] / w["total"]).rename("mainstream_share_pct").reset_index()
    out["total_plans"] = w["total"].to_numpy()
    return out.sort_values("mainstream_share_pct").reset_index(drop=True)


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
