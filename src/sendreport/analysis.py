"""Chapter-level analyses: the tables behind each finding's charts, computed from tidy tables.

Every function takes the ``Catalogue`` (and optionally an LA number for an area edition) and
returns a plain DataFrame; notebooks only format and plot them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sendreport.errors import SendReportError
from sendreport.tables import Catalogue

FY_JANUARY = {"2019-20": "2020", "2020-21": "2021", "2021-22": "2022", "2022-23": "2023",
              "2023-24": "2024", "2024-25": "2025", "2025-26": "2026"}


def _geo(df: pd.DataFrame, la_code: str | None) -> pd.DataFrame:
    if la_code is None:
        return df[df["geographic_level"] == "national"]
    return df[(df["geographic_level"] == "la") & (df["la_code"].astype(str) == str(la_code))]


def _vals(df: pd.DataFrame, index: str = "period") -> pd.Series:
    s = df.set_index(df[index].astype(str))["value"].astype(float)
    return s.sort_index()


# ------------------------------------------------------------------ finding 1
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
    df = _geo(df[df["measure"] == "balance_pct_of_income"], la_code)
    return pd.DataFrame({"financial_year": df["period"].astype(str).to_numpy(),
                         "balance_pct_of_income": df["value"].to_numpy()})


# ------------------------------------------------------------------ finding 2
def ehcp_series(cat: Catalogue, la_code: str | None = None) -> pd.DataFrame:
    """Statements and EHC plans in January, with the release and definition of each value."""
    h = cat.table("ehcp_caseload_harmonised")
    h = _geo(h[h["breakdown"] == "total"], la_code)
    out = pd.DataFrame({
        "january": h["period"].astype(str).to_numpy(),
        "plans": h["value"].to_numpy(),
        "definition": np.where(h["measure"].astype(str) == "ehc_plans", "EHC plans",
                               "Statements and EHC plans"),
        "release": h["release"].astype(str).to_numpy(),
    })
    return out.sort_values("january").reset_index(drop=True)


def high_needs_block(cat: Catalogue, la_code: str | None = None) -> pd.DataFrame:
    df = _geo(cat.table("dsg_high_needs"), la_code)
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
    return hnb


def timeliness_series(cat: Catalogue, la_code: str | None = None) -> pd.DataFrame:
    """Share of plans issued within 20 weeks (excluding exceptions), 2014 to latest year.

    2019 onwards from the person-level collection; earlier years from the 2022 release.
    """
    new = _geo(cat.table("ehcp_timeliness"), la_code)
    new = new[new["breakdown_topic"] == "All EHC plans issued"]
    num = _vals(new[new["measure"] == "plans_issued_20_weeks_ex"])
    den = _vals(new[new["measure"] == "plans_issued_den_ex"])
    rows = [(p, 100 * num[p] / den[p], "2025-format") for p in den.index if p in num.index]
    old = _geo(cat.table("ehcp2022_mi"), la_code)
    onum = _vals(old[old["measure"] == "NoExc20weekEHC"])
    oden = _vals(old[old["measure"] == "TotNoExcEHC"])
    have = {r[0] for r in rows}
    rows += [(p, 100 * onum[p] / oden[p], "2022-format") for p in oden.index
             if p in onum.index and p not in have and oden[p] > 0]
    out = pd.DataFrame(rows, columns=["year", "pct_within_20_weeks", "collection"])
    return out.sort_values("year").reset_index(drop=True)


def _rate(df: pd.DataFrame, columns: dict[str, str], num: str, den: str,
          pct: str) -> pd.DataFrame:
    """Two measures as columns (named by ``columns``: measure -> column) and num/den in %."""
    out = pd.DataFrame({col: _vals(df[df["measure"] == m]) for m, col in columns.items()})
    out = out.dropna()
    out[pct] = 100 * out[num] / out[den]
    return out.rename_axis("year").reset_index()


def appeal_rate_series(cat: Catalogue, la_code: str | None = None) -> pd.DataFrame:
    df = _geo(cat.table("tribunal_appeal_rates"), la_code)
    return _rate(df, {"appeals_registered": "appeals",
                      "appealable_decisions": "appealable_decisions"},
                 "appeals", "appealable_decisions", "appeal_rate_pct")


# ------------------------------------------------------------------ finding 3
def safety_valve_councils(cat: Catalogue) -> pd.DataFrame:
    from sendreport.la import resolve_names

    path = cat.paths.root / "data" / "reference" / "safety_valve_agreements.csv"
    sv = pd.read_csv(path, dtype=str, keep_default_na=False)
    sv.insert(0, "la_code", resolve_names(sv["la_name"], cat.table("la_lookup"), path.name,
                                          rows=pd.Series(range(2, len(sv) + 2))).to_numpy())
    return sv


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


# ------------------------------------------------------------------ finding 4
def demand_series(cat: Catalogue, la_code: str | None = None) -> pd.DataFrame:
    """Requests for assessment, refusals to assess and new plans, by calendar year."""
    rows = {}
    old = _geo(cat.table("ehcp2022_mi"), la_code)
    for m, col in [("InreqEHC", "requests"), ("AssRefusedEHC", "refused_to_assess"),
                   ("NewallEHC", "new_plans")]:
        for p, v in _vals(old[old["measure"] == m]).items():
            rows.setdefault(p, {})[col] = v
    req = _geo(cat.table("ehcp_requests"), la_code)
    req = req[req["breakdown_topic"] == "All requests for EHC needs assessments"]
    for m, col in [("requests_received_in_year", "requests"),
                   ("requests_decided_not_to_assess", "refused_to_assess")]:
        for p, v in _vals(req[req["measure"] == m]).items():
            rows.setdefault(p, {})[col] = v
    new = _geo(cat.table("ehcp_newplans"), la_code)
    new = new[(new["breakdown_topic"] == "New EHC plans") & (new["measure"] == "new_ehc_plans")]
    for p, v in _vals(new).items():
        rows.setdefault(p, {})["new_plans"] = v
    out = pd.DataFrame.from_dict(rows, orient="index").rename_axis("year").reset_index()
    return out.sort_values("year").reset_index(drop=True)


# ------------------------------------------------------------------ finding 5 and 6
GROUP_LABELS = {
    "mainstream": "Mainstream schools",
    "state_special": "State special schools",
    "independent_special": "Independent and non-maintained special",
    "further_education": "Further education",
    "ap_pru": "Alternative provision",
    "neet": "Not in education, employment or training",
    "other": "Other arrangements",
}


def placement_shares(cat: Catalogue, la_code: str | None = None) -> pd.DataFrame:
    """Plans by placement group (count and share of all plans), January each year."""
    h = _geo(cat.table("ehcp_caseload_harmonised"), la_code)
    w = h.pivot_table(index="period", columns="breakdown", values="value", observed=True)
    out = []
    for g, label in GROUP_LABELS.items():
        if g in w:
            out.append(pd.DataFrame({"january": w.index.astype(str), "group": label,
                                     "plans": w[g].to_numpy(),
                                     "share_pct": (100 * w[g] / w["total"]).to_numpy()}))
    return pd.concat(out, ignore_index=True)


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


# ------------------------------------------------------------------ finding 7
LAIT_GROUPS = {
    "Age19_NoNSEN_L2EM": "No SEN", "Age19_SENwoS_L2EM": "SEN support",
    "Age19_SEN-S_L2EM": "EHC plan or statement",
    "SEN_NoID_AVG_Attain8_Score": "No SEN", "SEN_WoStat_AVG_Attain8_Score": "SEN support",
    "SEN_Stat_AVG_Attain8_Score": "EHC plan or statement",
}


def lait_outcome(cat: Catalogue, measures: list[str], la_code: str | None = None):
    df = cat.table("lait_send")
    df = _geo(df[df["measure"].astype(str).isin(measures) & (df["breakdown"] == "Total")],
              la_code)
    out = pd.DataFrame({"year": df["period"].astype(str).to_numpy(),
                        "group": df["measure"].astype(str).map(LAIT_GROUPS).to_numpy(),
                        "value": df["value"].to_numpy(), "status": df["status"].astype(str)})
    return out.sort_values(["group", "year"]).reset_index(drop=True)


def new_plans_mainstream_share(cat: Catalogue, la_code: str | None = None) -> pd.DataFrame:
    df = _geo(cat.table("ehcp_newplans"), la_code)
    df = df[df["breakdown_topic"] == "New EHC plans"]
    return _rate(df, {"new_ehc_plans": "new_plans", "mainstream_total": "in_mainstream"},
                 "in_mainstream", "new_plans", "mainstream_share_pct")


# ------------------------------------------------------------------ finding 8
def dmo_dco_share(cat: Catalogue) -> pd.DataFrame:
    """Share of councils reporting a designated medical / clinical officer in post, by year."""
    df = cat.table("ehcp_dmo_dco")
    df = df[(df["geographic_level"] == "la")
            & df["measure"].astype(str).isin(["des_med_off", "des_clin_off"])
            & df["status"].eq("")]
    g = df.groupby(["period", "measure"], observed=True)["value"]
    out = pd.DataFrame({"councils": g.count(), "in_post": g.sum()}).reset_index()
    out["share_pct"] = 100 * out["in_post"] / out["councils"]
    out["role"] = out["measure"].map({"des_med_off": "Designated medical officer",
                                      "des_clin_off": "Designated clinical officer"})
    return out.rename(columns={"period": "year"})[["year", "role", "councils", "in_post",
                                                   "share_pct"]]


def dmo_dco_for(cat: Catalogue, la_code: str) -> pd.DataFrame:
    df = cat.table("ehcp_dmo_dco")
    df = df[(df["geographic_level"] == "la") & (df["la_code"].astype(str) == str(la_code))]
    out = df[["period", "measure", "breakdown"]].astype(str)
    return out.rename(columns={"period": "year", "breakdown": "answer"}).reset_index(drop=True)


def ofsted_summary(cat: Catalogue) -> pd.DataFrame:
    o = cat.table("ofsted_area_send")
    o = o.assign(year=o["inspection_start"].dt.year.astype("Int64").astype(str))
    g = o.groupby("year")
    out = pd.DataFrame({"inspections": g.size(),
                        "wsoa_required": g["wsoa_required"].apply(lambda s: (s == "Yes").sum())})
    out["wsoa_share_pct"] = 100 * out["wsoa_required"] / out["inspections"]
    return out.reset_index()


# ------------------------------------------------------------------ a tracker for readers
def tracker(cat: Catalogue) -> pd.DataFrame:
    """Measures a reader can follow between releases: latest value, the year before, direction
    and which direction would be better."""
    from sendreport.notebook import n as fmt_n
    from sendreport.notebook import pct as fmt_p

    nd = demand_series(cat).set_index("year")
    timely = timeliness_series(cat).set_index("year")["pct_within_20_weeks"]
    appeals = appeal_rate_series(cat).set_index("year")["appeal_rate_pct"]
    dmo = dmo_dco_share(cat)
    dmo = dmo[dmo["role"] == "Designated medical officer"].set_index("year")["share_pct"]
    series = ehcp_series(cat).set_index("january")["plans"]
    ms = placement_shares(cat)
    ms = ms[ms["group"] == "Mainstream schools"].set_index("january")["share_pct"]
    rows = []
    for name, s, fmt, better in [
        ("EHC plans (January)", series, fmt_n, "context"),
        ("Requests for assessment", nd["requests"].dropna(), fmt_n, "context"),
        ("Share of requests refused", (100 * nd["refused_to_assess"] / nd["requests"]).dropna(),
         fmt_p, "context"),
        ("Plans issued within 20 weeks", timely, fmt_p, "up"),
        ("SEND tribunal appeal rate", appeals, lambda v: fmt_p(v, 2), "down"),
        ("Share of plans in mainstream schools (January)", ms, fmt_p, "context"),
        ("Councils with a designated medical officer", dmo, fmt_p, "up"),
    ]:
        a, b = s.iloc[-2], s.iloc[-1]
        direction = "up" if b > a else "down" if b < a else "flat"
        rows.append((name, str(s.index[-1]), fmt(b), f"{fmt(a)} ({s.index[-2]})", direction,
                     better))
    return pd.DataFrame(rows, columns=["measure", "latest year", "latest", "year before",
                                       "direction", "better if"])
