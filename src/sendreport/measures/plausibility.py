"""Plausibility: a council's EHC plan count that moves implausibly far in a year.

Publishers' totals reconcile, so validation cannot catch a council whose own return is wrong. A
change from one January to the next below ``LOW`` times or above ``HIGH`` times the year before
(half of all council-years lie between 1.07 and 1.14), by at least ``MIN_CHANGE`` plans (so
that the smallest councils' counts of a few plans are not flagged), is flagged: the value is
marked where it is shown, left out of rankings and distributions with a note, and listed in
docs/data-quality.md.
"""

from __future__ import annotations

import pandas as pd

from sendreport.catalogue import Catalogue

LOW, HIGH = 0.75, 1.6
MIN_CHANGE = 50


def caseload_flags(cat: Catalogue) -> pd.DataFrame:
    """Council-Januaries whose EHC plan count moved implausibly from the January before."""
    h = cat.table("ehcp_caseload_harmonised")
    la = h[(h["geographic_level"] == "la") & (h["breakdown"] == "total")]
    w = la.pivot_table(index=["la_code", "la_name"], columns="period", values="value",
                       observed=True)
    w.columns = w.columns.astype(str)
    w = w[sorted(w.columns)]
    ratio = w / w.shift(axis=1)
    rows = []
    for (code, name), r in ratio.iterrows():
        for period, x in r.items():
            if pd.notna(x) and (x < LOW or x > HIGH):
                prev = w.columns[w.columns.get_loc(period) - 1]
                if abs(w.loc[(code, name), period] - w.loc[(code, name), prev]) < MIN_CHANGE:
                    continue
                rows.append({"la_code": str(code), "la_name": str(name), "january": period,
                             "plans": w.loc[(code, name), period],
                             "previous_january": prev,
                             "previous_plans": w.loc[(code, name), prev],
                             "change_pct": 100 * (x - 1)})
    return pd.DataFrame(rows, columns=["la_code", "la_name", "january", "plans",
                                       "previous_january", "previous_plans", "change_pct"])


def flagged(cat: Catalogue, january: str | int) -> pd.DataFrame:
    """The flags that bear on figures for ``january``."""
    f = caseload_flags(cat)
    return f[f["january"] == str(january)]


def describe(flags: pd.DataFrame) -> str:
    """'Newham (plans fell 54.2% from January 2024 to January 2025)'."""
    parts = []
    for r in flags.itertuples():
        word = "fell" if r.change_pct < 0 else "rose"
        parts.append(f"{r.la_name} (plans {word} {abs(r.change_pct):.0f}% from January "
                     f"{r.previous_january} to January {r.january})")
    return "; ".join(parts)
