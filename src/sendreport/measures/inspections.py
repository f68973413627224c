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
