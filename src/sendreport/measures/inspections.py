"""Area SEND inspections: outcomes under the 2016 and 2023 frameworks (Ofsted and CQC)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sendreport.catalogue import Catalogue
from sendreport.measures.base import Figure, provenance


@dataclass(frozen=True)
class Framework2016:
    """Inspections under the 2016 framework and how many required a written statement."""

    inspections: int
    wsoa_required: int
    first: pd.Timestamp
    last: pd.Timestamp
    by_year: pd.DataFrame  # year, inspections, wsoa_required, wsoa_share_pct

    @property
    def share_pct(self) -> float:
        return 100 * self.wsoa_required / self.inspections


def framework_2016(cat: Catalogue) -> Framework2016:
    """Every local area inspection of May 2016 to August 2022 (one per area in the file)."""
    o = cat.table("ofsted_area_send")
    o = o.assign(year=o["inspection_start"].dt.year.astype("Int64").astype(str))
    g = o.groupby("year")
    yes = g["wsoa_required"].apply(lambda s: (s == "Yes").sum())
    by_year = pd.DataFrame({"inspections": g.size(),
                            "wsoa_required": yes})
    by_year["wsoa_share_pct"] = 100 * by_year["wsoa_required"] / by_year["inspections"]
    return Framework2016(len(o), int((o["wsoa_required"] == "Yes").sum()),
                         o["inspection_start"].min(), o["inspection_start"].max(),
                         by_year.reset_index())


def ofsted_summary(cat: Catalogue) -> pd.DataFrame:
    """Inspections under the 2016 framework by the year they began."""
    return framework_2016(cat).by_year


def outcomes_2023(cat: Catalogue) -> pd.DataFrame:
    """Inspections under the 2023 framework, one row per report, with the council's LA number."""
    from sendreport.la import resolve_names

    t = cat.table("area_send_reports_2023").copy()
    t.insert(0, "la_code", resolve_names(t["area"], cat.table("la_lookup"),
                                         "area SEND inspection reports").to_numpy())
    return t.sort_values("inspection_start").reset_index(drop=True)


def systemic_share_2023(cat: Catalogue, start: str = "2023-01", end: str = "2024-03") -> Figure:
    """Share of inspections starting from ``start`` to ``end`` (months, inclusive) whose outcome
    was widespread and/or systemic failings: the NAO's '31% of 35 inspections'."""
    t = outcomes_2023(cat)
    m = t["inspection_start"].dt.strftime("%Y-%m")
    sel = t[(m >= start) & (m <= end)]
    share = 100 * (sel["outcome"] == "systemic").sum() / len(sel)
    p = provenance(cat, "area_send_reports_2023")
    return Figure(share, f"% of {len(sel)} inspections", f"{start} to {end}", "England", **p)


def history(cat: Catalogue, la_code: str, predecessors: tuple[tuple[str, str], ...] = ()
            ) -> pd.DataFrame:
    """Every area SEND inspection event of a council and of the councils it replaced, oldest
    first: inspections and revisits (2016 framework) and inspections (2023 framework).

    Columns: date (the event's start), published, area (the council inspected), own (False
    for a predecessor's event), framework, event ("inspection" or "revisit") and outcome (in
    words)."""
    lk = cat.table("la_lookup")
    lk = lk.set_index(lk["la_code"].astype(str))
    rows = []
    areas = [(str(la_code), True), *[(str(p), False) for p, _ in predecessors]]
    try:
        new = outcomes_2023(cat)
    except Exception:  # noqa: BLE001 - a missing table means no event of that framework
        new = pd.DataFrame(columns=["la_code"])
    old = cat.table("ofsted_area_send")
    for code, own in areas:
        name = str(lk.loc[code, "la_name"]) if code in lk.index else code
        for r in new[new["la_code"].astype(str) == code].itertuples():
            rows.append({"date": pd.Timestamp(r.inspection_start),
                         "published": pd.Timestamp(r.published), "area": name, "own": own,
                         "framework": "2023", "event": "inspection",
                         "outcome": str(r.outcome_label)})
        gss = {g for g in str(lk["gss_codes"].get(code, "")).split(";") if g} if \
            "gss_codes" in lk else set()
        for r in old[old["gss_code"].astype(str).isin(gss)].itertuples():
            rows.append({"date": pd.Timestamp(r.inspection_start),
                         "published": pd.Timestamp(r.inspection_published), "area": name,
                         "own": own, "framework": "2016", "event": "inspection",
                         "outcome": "a written statement of action was required"
                         if r.wsoa_required == "Yes" else
                         "no written statement of action was required"})
            if pd.notna(r.revisit_start):
                progress = str(r.revisit_sufficient_progress or "").strip()
                said = {"Yes": "sufficient progress on every weakness",
                        "No": "insufficient progress on every weakness",
                        "Some": "sufficient progress on some weaknesses"}.get(
                    progress, "progress not recorded")
                if pd.notna(r.n_weaknesses_progress) and pd.notna(r.n_weaknesses_no_progress):
                    said += (f" ({int(r.n_weaknesses_progress)} of "
                             f"{int(r.n_weaknesses_progress + r.n_weaknesses_no_progress)} "
                             "weaknesses)")
                rows.append({"date": pd.Timestamp(r.revisit_start),
                             "published": pd.Timestamp(r.revisit_published), "area": name,
                             "own": own, "framework": "2016", "event": "revisit",
                             "outcome": said})
    # a previous inspection a 2023-framework report names but the published outcomes do not
    # hold (Dorset's of January 2017): an event with its date, its outcome said to be unknown
    for code, own in areas[:1]:
        name = str(lk.loc[code, "la_name"]) if code in lk.index else code
        if "previous_start" not in new:
            break
        for r in new[new["la_code"].astype(str) == code].itertuples():
            prev = r.previous_start
            if pd.isna(prev) or any(abs((x["date"] - prev).days) <= 31 for x in rows):
                continue
            rows.append({"date": pd.Timestamp(prev), "published": pd.NaT,
                         "area": name, "own": own, "framework": "2016",
                         "event": "inspection",
                         "outcome": f"outcome not in the published outcomes this report uses "
                                    f"(named as the previous inspection in the report "
                                    f"published {pd.Timestamp(r.published).day} "
                                    f"{pd.Timestamp(r.published):%B %Y})"})
    out = pd.DataFrame(rows, columns=["date", "published", "area", "own", "framework", "event",
                                      "outcome"])
    return out.sort_values("date", kind="stable").reset_index(drop=True)
