"""Placements and settings: where children and young people with EHC plans are educated."""

from __future__ import annotations

import pandas as pd

from sendreport.catalogue import Catalogue
from sendreport.errors import SendReportError
from sendreport.measures.base import Figure, figure, geo, national_value, plain, rate

GROUP_LABELS = {
    "mainstream": "Mainstream schools",
    "state_special": "State special schools",
    "independent_special": "Independent and non-maintained special",
    "further_education": "Further education",
    "ap_pru": "Alternative provision",
    "neet": "Not in education, employment or training",
    "other": "Other arrangements",
}

def known_base(cat: Catalogue) -> pd.DataFrame:
    """England's plans by placement group over the councils that published a breakdown, January
    each year (period x breakdown): this report's base for placement shares, in which a council
    with no breakdown is in neither the numerator nor the denominator (the data-quality flag
    ``missing breakdown``). DfE's own published percentages use a base that differs between
    years."""
    h = cat.table("ehcp_caseload_harmonised")
    la = h[h["geographic_level"] == "la"]
    w = la.pivot_table(index=["period", "la_code"], columns="breakdown", values="value",
                       observed=True, aggfunc="first")
    w = w[w["mainstream"].notna() & w["total"].notna()]
    out = w.groupby(level="period", observed=True).sum(min_count=1)
    out.index = out.index.astype(str)
    return out


def matched_shares(cat: Catalogue, years: tuple[str, str],
                   group: str = "mainstream") -> tuple[float, float, int]:
    """England's share of plans in ``group`` in two Januaries over the same councils: those
    that published a breakdown in both (a change between two sets of councils is not
    compared as like with like). Returns both shares and the number of councils."""
    h = cat.table("ehcp_caseload_harmonised")
    la = h[(h["geographic_level"] == "la") & h["period"].astype(str).isin(years)]
    w = la.pivot_table(index=["la_code", "period"], columns="breakdown", values="value",
                       observed=True, aggfunc="first")
    w = w[w[group].notna() & w["total"].notna()].reset_index()
    w["period"] = w["period"].astype(str)
    both = set.intersection(*(set(w[w["period"] == y]["la_code"]) for y in years))
    w = w[w["la_code"].isin(both)]
    s = w.groupby("period")[[group, "total"]].sum()
    return (float(100 * s.loc[years[0], group] / s.loc[years[0], "total"]),
            float(100 * s.loc[years[1], group] / s.loc[years[1], "total"]), len(both))


def all_plans_share(cat: Catalogue, year: int | str, group: str = "mainstream") -> float:
    """England's share of plans in ``group`` from DfE's national counts: the group's count over
    all plans, those of councils that published no breakdown included."""
    h = cat.table("ehcp_caseload_harmonised")
    n = h[(h["geographic_level"] == "national") & (h["period"].astype(str) == str(year))]
    v = n.groupby("breakdown", observed=True)["value"].sum(min_count=1)
    return float(100 * v.get(group, float("nan")) / v.get("total", float("nan")))


def left_out(cat: Catalogue, year: int | str) -> list[str]:
    """The councils left out of January ``year``'s placement shares (no breakdown)."""
    from sendreport import flags as F

    qf = cat.table("quality_flags").astype(str)
    return F.names(F.select(qf, flag="missing breakdown", period=str(year)))


def placement_shares(cat: Catalogue, la_code: str | None = None) -> pd.DataFrame:
    """Plans by placement group (count and share of plans with a known placement), January
    each year. England's counts are the national figures; its shares are of the plans of the
    councils that published a breakdown (``known_base``)."""
    h = geo(cat.table("ehcp_caseload_harmonised"), la_code)
    w = h.pivot_table(index="period", columns="breakdown", values="value", observed=True)
    w.index = w.index.astype(str)
    base = known_base(cat).reindex(w.index) if la_code is None else w
    out = []
    for g, label in GROUP_LABELS.items():
        if g in w:
            out.append(pd.DataFrame({"january": w.index, "group": label,
                                     "plans": w[g].to_numpy(),
                                     "share_pct": (100 * base[g] / base["total"]).to_numpy()}))
    return pd.concat(out, ignore_index=True)

def mainstream_share_sen2(cat: Catalogue, year: int | str) -> Figure:
    """Share of EHC plans (ages 0-25, SEN2) placed in mainstream schools, England, of the plans
    with a known placement (councils without a breakdown are left out).

    A public proxy for the NAO's school-census measure (pupils with EHC plans in state-funded
    mainstream schools), which has a different denominator.
    """
    t = "ehcp_caseload_harmonised"
    df = cat.table(t)
    national_value(df, t, period=year, breakdown="mainstream")  # published, not suppressed
    k = known_base(cat).loc[str(year)]
    return figure(cat, t, 100 * k["mainstream"] / k["total"], "%", f"January {year}")

def mainstream_share_by_la(cat: Catalogue, year: int | str) -> pd.DataFrame:
    """Per-LA share of EHC plans placed in mainstream schools (SEN2), January ``year``."""
    df = cat.table("ehcp_caseload_harmonised")
    la = df[(df["geographic_level"] == "la") & (df["period"].astype(str) == str(year))]
    w = la.pivot_table(index=["la_code", "la_name"], columns="breakdown", values="value",
                       observed=True)
    out = (100 * w["mainstream"] / w["total"]).rename("mainstream_share_pct").reset_index()
    out["total_plans"] = w["total"].to_numpy()
    return out.sort_values("mainstream_share_pct").reset_index(drop=True)

def census_mainstream_share(cat: Catalogue, year: int) -> Figure:
    """Share of pupils with EHC plans in state-funded mainstream schools (school census).

    From the reference table of published DfE counts by type of school.
    """
    path = cat.paths.root / "data" / "reference" / "school_census_ehcp_by_school_type.csv"
    t = pd.read_csv(path)
    row = t[t["january"] == int(year)]
    if row.empty:
        raise SendReportError(f"{path.name}: no row for January {year}")
    r = row.iloc[0]
    ms = r["state_funded_nursery"] + r["state_funded_primary"] + r["state_funded_secondary"]
    return Figure(100 * ms / r["total_all_schools"], "%", f"January {year}", "England",
                  dataset=f"reference table {path.name}", release=str(r["dataset"]),
                  table=path.name, publisher=f"{r['publisher']}, from {r['source_url']}")

def independent_special_by_la(cat: Catalogue, year: str) -> pd.DataFrame:
    h = cat.table("ehcp_caseload_harmonised")
    la = h[(h["geographic_level"] == "la") & (h["period"].astype(str) == str(year))]
    w = la.pivot_table(index=["la_code", "la_name"], columns="breakdown", values="value",
                       observed=True).reset_index()
    w.columns.name = None
    w["independent_special_share_pct"] = 100 * w["independent_special"] / w["total"]
    return w[["la_code", "la_name", "total", "independent_special",
              "independent_special_share_pct"]].sort_values(
        "independent_special_share_pct", ascending=False).reset_index(drop=True)

def new_plans_mainstream_share(cat: Catalogue, la_code: str | None = None) -> pd.DataFrame:
    df = geo(cat.table("ehcp_newplans"), la_code)
    df = df[df["breakdown_topic"] == "New EHC plans"]
    return rate(df, {"new_ehc_plans": "new_plans", "mainstream_total": "in_mainstream"},
                 "in_mainstream", "new_plans", "mainstream_share_pct")

def new_plan_settings(cat: Catalogue, la_code: str | None = None) -> pd.DataFrame:
    df = geo(plain(cat, "ehcp_newplans"), la_code)
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
    mi = geo(plain(cat, "ehcp2022_mi"), None)
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


def specialist_capacity(cat: Catalogue, what: str) -> Figure:
    """DfE's specialist provision capacity, England, May 2023, from the compiled reference table
    (published figures with their source): ``places``, ``pupils_on_roll``, ``special_schools``
    or ``over_capacity`` (pupils on roll less places)."""
    path = cat.paths.root / "data" / "reference" / "specialist_provision_capacity_2023.csv"
    t = pd.read_csv(path)
    row = t[(t["geography"] == "England") & (t["phase"] == "Total")]
    if len(row) != 1:
        raise SendReportError(f"{path.name}: expected one England total row, found {len(row)}")
    r = row.iloc[0]
    units = {"places": "places", "pupils_on_roll": "pupils", "special_schools": "schools",
             "over_capacity": "pupils"}
    if what not in units:
        raise SendReportError(f"specialist_capacity: '{what}' is not one of {sorted(units)}")
    v = r["pupils_on_roll"] - r["places"] if what == "over_capacity" else r[what]
    return Figure(float(v), units[what], str(r["period"]), "England",
                  dataset=f"reference table {path.name}", release=str(r["period"]),
                  table=path.name, publisher=f"{r['source']}, {r['source_url']}")


def specialist_capacity_by_phase(cat: Catalogue) -> pd.DataFrame:
    """The compiled capacity table, England, by phase (primary, secondary, total)."""
    path = cat.paths.root / "data" / "reference" / "specialist_provision_capacity_2023.csv"
    t = pd.read_csv(path)
    return t[t["geography"] == "England"][["phase", "special_schools", "places",
                                            "pupils_on_roll"]].reset_index(drop=True)
