"""The figure record every measure returns, and the selection helpers measures share."""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import pandas as pd

from sendreport.catalogue import Catalogue, by_identity
from sendreport.errors import SendReportError


@dataclass(frozen=True)
class Figure:
    """One computed number with everything needed to cite it."""

    value: float
    unit: str  # "plans", "%", "£", "pp", ...
    period: str  # "January 2024", "2023", "2023-24"
    geography: str  # "England" or a council's name
    dataset: str  # registry id(s), e.g. "ehcp" or "dsg-allocations; ehcp"
    release: str  # release label(s) as used, e.g. "2025"
    table: str  # tidy table(s) it was computed from
    publisher: str = ""  # publisher and title, for the source line

    @property
    def source(self) -> str:
        what = self.publisher or self.dataset
        return f"{what}, release {self.release} (table {self.table})"

    def __str__(self) -> str:
        if self.unit == "%":
            return f"{self.value:.1f}%"
        return f"{self.value:,.0f}"


def provenance(cat: Catalogue, *tables: str) -> dict[str, str]:
    """Dataset ids, release labels, tables and publisher titles of the tables a figure uses."""
    ds, rels, pubs = [], [], []
    for t in tables:
        cat.table(t)
        for d, r in cat.sources[t]:
            if d not in ds:
                ds.append(d)
                entry = cat.registry.dataset(d)
                pubs.append(f"{_short(entry.publisher)}, {entry.title}")
            if r not in rels:
                rels.append(r)
    return {"dataset": "; ".join(ds), "release": ", ".join(rels), "table": ", ".join(tables),
            "publisher": "; ".join(pubs)}


_SHORT = {"Department for Education": "DfE", "Office for National Statistics": "ONS",
          "Education and Skills Funding Agency": "ESFA"}


def _short(publisher: str) -> str:
    return _SHORT.get(publisher, publisher)


def figure(cat: Catalogue, tables: str | tuple[str, ...], value: float, unit: str, period: str,
           geography: str = "England", release: str | None = None) -> Figure:
    """A Figure whose provenance is read from the catalogue (the releases actually in use)."""
    tables = (tables,) if isinstance(tables, str) else tables
    p = provenance(cat, *tables)
    if release is not None:
        p["release"] = release
    return Figure(float(value), unit, period, geography, **p)


#: plain copies of tidy tables, by the identity of the table they were made from (a warm
#: kernel keeps parsed tables for its life, so chapter after chapter reuses one conversion);
#: an entry goes when its table does
_PLAIN: dict[tuple, tuple[weakref.ref, pd.DataFrame]] = {}


def plain(cat: Catalogue, name: str) -> pd.DataFrame:
    """A tidy table with plain string columns (categoricals make pivots awkward).

    The conversion of a large table takes seconds, so it is made once per table object and
    each caller gets a shallow copy (adding a column to it leaves the shared one alone)."""
    df = cat.table(name)
    cats = [c for c in df.columns if isinstance(df[c].dtype, pd.CategoricalDtype)]
    if not cats:
        return df
    converted = by_identity(_PLAIN, df, lambda d: d.astype({c: str for c in cats}))
    return converted.copy(deep=False)


def geo(df: pd.DataFrame, la_code: str | None) -> pd.DataFrame:
    """England's rows, or one council's."""
    if la_code is None:
        return df[df["geographic_level"] == "national"]
    return df[(df["geographic_level"] == "la") & (df["la_code"].astype(str) == str(la_code))]


def values(df: pd.DataFrame, index: str = "period") -> pd.Series:
    """The value column indexed by period (as text), sorted."""
    s = df.set_index(df[index].astype(str))["value"].astype(float)
    return s.sort_index()


def rate(df: pd.DataFrame, columns: dict[str, str], num: str, den: str,
         pct: str) -> pd.DataFrame:
    """Two measures as columns (named by ``columns``: measure -> column) and num/den in %."""
    out = pd.DataFrame({col: values(df[df["measure"] == m]) for m, col in columns.items()})
    out = out.dropna()
    out[pct] = 100 * out[num] / out[den]
    return out.rename_axis("year").reset_index()


def national_value(df: pd.DataFrame, table: str, **filters) -> float:
    """The one national value matching ``filters``; an error if absent, repeated or suppressed."""
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
