"""Local authority lookup: LA number, old and new ONS codes, name, region and reorganisations.

Built from the ONS population file (every LA with its codes, 2012 onwards) and the package's
compiled table of reorganisations (``reference/la_reorganisations.csv``, with legislation as
source). Councils that were split or merged are kept and flagged, never silently dropped.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

import numpy as np
import pandas as pd

from sendreport.errors import DataValidationError


def reorganisations() -> pd.DataFrame:
    """The compiled reorganisations table (a copy: callers may change it)."""
    return _reorganisations().copy()


@functools.cache
def _reorganisations() -> pd.DataFrame:
    """Read once per process: every table read and every council resolved consults it."""
    with resources.files("sendreport.reference").joinpath("la_reorganisations.csv").open() as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


def name_key(name: str) -> str:
    """Normalise an LA name for matching across publishers' spellings."""
    s = str(name).lower().replace("&", " and ")
    s = re.sub(r"\b(city of|county of|council|borough|the|royal borough of)\b", " ", s)
    s = re.sub(r"[^a-z]", "", s)
    aliases = {"durham": "countydurham", "hull": "kingstonuponhull"}
    return aliases.get(s, s)


def build_lookup(population: pd.DataFrame, reorg: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per LA number ever seen, with its codes, region, years and reorganisation."""
    reorg = reorganisations() if reorg is None else reorg
    la = population[population["geographic_level"] == "la"]
    la = la[["period", "la_code", "gss_code", "la_name", "region_name"]].astype(str)
    rows = []
    for code, g in la.groupby("la_code"):
        g = g.sort_values("period")
        last = g.iloc[-1]
        gss_all = list(dict.fromkeys(g["gss_code"]))
        rows.append({
            "la_code": code, "la_name": last["la_name"], "region_name": last["region_name"],
            "gss_code": last["gss_code"], "gss_codes": ";".join(gss_all),
            "first_year": g["period"].iloc[0], "last_year": last["period"],
        })
    lk = pd.DataFrame(rows)
    # LAs abolished before the population series starts would be added here from reorg
    known = set(lk["la_code"])
    for _, r in reorg.iterrows():
        if r["old_la_code"] not in known:
            lk = pd.concat([lk, pd.DataFrame([{
                "la_code": r["old_la_code"], "la_name": r["old_name"], "region_name": "",
                "gss_code": r["old_gss_code"], "gss_codes": r["old_gss_code"],
                "first_year": "", "last_year": r["event_date"][:4],
            }])], ignore_index=True)
            known.add(r["old_la_code"])
    succ = reorg[reorg.old_la_code != reorg.new_la_code].groupby("old_la_code")
    pred = reorg[reorg.old_la_code != reorg.new_la_code].groupby("new_la_code")
    lk["successors"] = lk["la_code"].map(succ["new_la_code"].agg(";".join)).fillna("")
    lk["predecessors"] = lk["la_code"].map(pred["old_la_code"].agg(";".join)).fillna("")
    ev = reorg.groupby("old_la_code").agg(date=("event_date", "first"), change=("change", "first"))
    lk["reorganised"] = lk["la_code"].map(ev["date"]).fillna("")
    lk["change"] = lk["la_code"].map(ev["change"]).fillna("")
    newc = reorg[reorg.old_la_code != reorg.new_la_code].groupby("new_la_code")["event_date"]
    lk["created"] = lk["la_code"].map(newc.first()).fillna("")
    # add the old gss codes that reorganisation records but the population file never shows
    for _, r in reorg.iterrows():
        m = lk["la_code"] == r["old_la_code"]
        codes = lk.loc[m, "gss_codes"].iloc[0].split(";")
        if r["old_gss_code"] not in codes:
            lk.loc[m, "gss_codes"] = ";".join([r["old_gss_code"], *codes])
    lk["status"] = np.where(lk["successors"] != "", "abolished", "current")
    lk["name_key"] = lk["la_name"].map(name_key)
    return lk.sort_values("la_code").reset_index(drop=True)


def resolve_names(names: pd.Series, lookup: pd.DataFrame, file: str,
                  rows: pd.Series | None = None) -> pd.Series:
    """Map LA names to LA numbers; an unmatched name is an error naming its row."""
    keymap = dict(zip(lookup["name_key"], lookup["la_code"], strict=True))
    for _, r in reorganisations().iterrows():
        keymap.setdefault(name_key(r["old_name"].split(" (")[0]), r["old_la_code"])
    keys = names.astype(str).map(name_key)
    codes = keys.map(keymap)
    if codes.isna().any():
        i = int(np.flatnonzero(codes.isna().to_numpy())[0])
        raise DataValidationError(
            file, "local authority name not found in the LA lookup", column="la_name",
            row=int(rows.iloc[i]) if rows is not None else None,
            expected="a name of an English LA (see `sendreport data show la_lookup`)",
            found=names.iloc[i],
        )
    return codes


def check_codes(codes: pd.Series, lookup: pd.DataFrame, file: str) -> None:
    """Every LA number in a table must be known to the lookup (current or abolished)."""
    known = set(lookup["la_code"])
    c = codes.astype(str)
    bad = ~c.isin(known) & c.ne("")
    if bad.any():
        raise DataValidationError(file, "unknown LA number", column="la_code",
                                  expected="an LA number in the lookup",
                                  found=sorted(set(c[bad]))[:5])


def _bare(name: str) -> str:
    """A publisher's LA name without notes in brackets ('Dorset (Pre LG)') or footnote digits."""
    return name_key(re.sub(r"\(.*?\)", " ", str(name)).rstrip("0123456789 ,"))


def reconcile_codes(df: pd.DataFrame, lookup: pd.DataFrame, table: str
                    ) -> tuple[pd.DataFrame, list[dict]]:
    """Check every LA row's code against its name in the LA lookup.

    A code whose lookup name is not the row's name is a publisher defect: where the name
    belongs to exactly one LA number, the row takes that number and the fix is returned (one
    dict per code and name, for the data-quality flags); a name that matches no LA, or
    several, is an error naming the table, the code and the name. Returns the table and the
    fixes.
    """
    if "la_code" not in df or "la_name" not in df:
        return df, []
    la = (df["geographic_level"].astype(str) == "la") if "geographic_level" in df else \
        pd.Series(True, index=df.index)
    if not la.any():
        return df, []
    keys = dict(zip(lookup["la_code"].astype(str), lookup["la_name"].map(_bare), strict=True))
    lk_names = dict(zip(lookup["la_code"].astype(str), lookup["la_name"], strict=True))
    by_key: dict[str, list[str]] = {}
    for code, k in keys.items():
        by_key.setdefault(k, []).append(code)
    for _, r in reorganisations().iterrows():
        k = _bare(r["old_name"])
        if r["old_la_code"] not in by_key.get(k, []):
            by_key.setdefault(k, []).append(r["old_la_code"])
    pairs = df.loc[la, ["la_code", "la_name"]].astype(str).drop_duplicates()
    remap: dict[tuple[str, str], str] = {}
    fixes: list[dict] = []
    for code, name in pairs.itertuples(index=False):
        if code == "" or code not in keys:
            continue  # no code (matched by name elsewhere) or unknown (check_codes says so)
        k = _bare(name)
        if keys[code] == k or code in by_key.get(k, []):
            continue
        hits = by_key.get(k, [])
        if len(hits) != 1:
            raise DataValidationError(
                table, f"LA number {code} is {lk_names[code]} in the LA lookup, but the row "
                f"names {name!r}, which " + ("matches no LA" if not hits else
                                              f"matches several LAs ({', '.join(hits)})"),
                column="la_code", expected=f"the LA number of {name!r}", found=code)
        remap[(code, name)] = hits[0]
        fixes.append({"table": table, "la_code": hits[0], "la_name": lk_names.get(hits[0], name),
                      "published_code": code, "published_code_names": lk_names[code],
                      "published_name": name})
    if not remap:
        return df, []
    df = df.copy()
    orig = df["la_code"].astype(str)
    codes = orig.copy()
    names = df["la_name"].astype(str)
    for (code, name), new in remap.items():
        codes[la & (orig == code) & (names == name)] = new
    df["la_code"] = codes.astype("category") if isinstance(
        df["la_code"].dtype, pd.CategoricalDtype) else codes
    return df, fixes
