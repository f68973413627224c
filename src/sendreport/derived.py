"""Derived tables: built from other tidy tables (the LA lookup, the harmonised EHC plan
caseload) and cached by their input files."""

from __future__ import annotations

from typing import Any, Protocol


class Catalogue(Protocol):
    """What a derived table reads of the catalogue (``sendreport.catalogue.Catalogue``, which
    imports this module: a protocol, not an import, so that the two make no circle)."""

    registry: Any
    sources: dict
    code_fixes: dict
    registered_tables: set[str]

    def table(self, name: str) -> Any: ...

    def items(self, name: str) -> list: ...


def _la_lookup(cat: Catalogue):
    from sendreport.la import build_lookup

    pop = cat.table("population_0_17")
    return build_lookup(pop), list(cat.sources["population_0_17"])


def _harmonised(cat: Catalogue):
    from sendreport.harmonise import harmonised_caseload

    parts = []
    if "ehcp2022_caseload_estab" in cat.registered_tables:
        for _ds, rel, df in cat.items("ehcp2022_caseload_estab"):
            parts.append((rel, "ehcp-2022", df))
    if "ehcp_caseload" in cat.registered_tables:
        for _ds, rel, df in cat.items("ehcp_caseload"):
            parts.append((rel, "ehcp-2023", df))
    parts.sort(key=lambda x: x[0].sort_key())
    src = [("ehcp", p[0].label) for p in parts]
    return harmonised_caseload(parts), src


def _quality_flags(cat: Catalogue):
    """Every data-quality flag (``flags.py``) on the tables the editions show."""
    import pandas as pd

    from sendreport import flags as F
    from sendreport.la import reorganisations

    h = cat.table("ehcp_caseload_harmonised")
    lk = cat.table("la_lookup")
    names = dict(zip(lk["la_code"].astype(str), lk["la_name"].astype(str), strict=True))
    parts = [F.implausible_plans(h), F.missing_breakdown(h), F.series_breaks(h)]
    for t, (topic, measures) in F.SUPPRESSION_WATCH.items():
        parts.append(F.suppressed(cat.table(t), t, topic, measures, reorganisations()))
    tl = cat.table("ehcp_timeliness")
    every = F.exceptions_only(tl)
    parts.append(every)
    parts.append(F.implausible_decisions(cat.table("tribunal_appeal_rates")))
    # shares of small counts: placements (of plans) and 20-week timeliness (of plans issued);
    # a year whose every plan was an exception is flagged above instead
    tot = h[h["breakdown"].astype(str) == "total"].assign(measure="plans")
    parts.append(F.small_counts(tot, "ehcp_caseload_harmonised", "plans",
                                flagged_as="placements", base="plans",
                                share="placement shares", when="January "))
    small_tl = F.small_counts(tl, "ehcp_timeliness", "plans_issued_den_ex",
                              flagged_as="plans_issued_den_ex",
                              base="plans issued (excluding exceptions)",
                              share="20-week timeliness", topic="All EHC plans issued")
    keep = ~small_tl.set_index(["la_code", "period"]).index.isin(
        every.set_index(["la_code", "period"]).index)
    parts.append(small_tl[keep])
    parts.append(F.not_close(cat.table("stat_neighbours"), names))
    parts.append(F.predecessors(reorganisations()))
    fixes = []
    for t in CODE_CHECKED:
        df = cat.table(t)
        for f in cat.code_fixes.get(t, []):
            rows = df[(df["la_code"].astype(str) == f["la_code"])
                      & (df["la_name"].astype(str) == f["published_name"])]
            if "value" in rows:
                rows = rows[rows["value"].notna()]  # the periods with figures
            periods = sorted(rows["period"].astype(str).unique()) if "period" in rows else []
            fixes.append({
                "table": t, "la_code": f["la_code"], "la_name": f["la_name"],
                "period": F.span(periods), "measure": "la_code",
                "flag": "code-name mismatch",
                "rule": "the publisher's LA number belongs to another council in the LA lookup",
                "detail": f"{_where_published(cat, t, rows)}, in its table of "
                          f"{t.replace('_', ' ')}, gives {f['published_name']} the LA "
                          f"number {f['published_code']}, which is "
                          f"{f['published_code_names']}'s",
                "effect": F.EFFECTS["code-name mismatch"]})
    parts.append(F.frame(fixes))
    out = pd.concat(parts, ignore_index=True)
    src = sorted({s for t in QUALITY_INPUTS for s in cat.sources.get(t, [])})
    return out, src


def _where_published(cat: Catalogue, table: str, rows) -> str:
    """'DfE's EHC plans release 2025 (file x.zip)': the release and file a table's rows come
    from, so that a reader can find the publisher's defect."""
    from sendreport.formats import FORMAT_TABLES

    used = dict(cat.sources.get(table, []))
    if "release" in rows and rows["release"].astype(str).ne("").any():
        labels = set(rows["release"].astype(str))
    else:
        labels = set(used.values())
    out = []
    for ds, rel, f in cat.registry.all_files():
        if ds.id in used and rel.label in labels and table in FORMAT_TABLES.get(f.format, []):
            out.append(f"{ds.publisher}'s {ds.title} release {rel.label} (file {f.name})")
    return "; ".join(dict.fromkeys(out)) or f"the publisher's table {table}"


#: council-level tables whose LA numbers are checked against their names when read, and whose
#: fixes the flags table lists
CODE_CHECKED = ["ehcp_caseload", "ehcp_requests", "ehcp_newplans", "ehcp_timeliness",
                "tribunal_appeal_rates", "stat_neighbours", "dsg_balance", "dsg_high_needs",
                "hn_benchmarking", "ehcp2022_caseload_estab"]
QUALITY_INPUTS = sorted({*CODE_CHECKED, "ehcp_caseload_harmonised", "la_lookup"})


#: tables whose publisher gives LA names but not (always) LA numbers
NAME_KEYED = {"dsg_balance", "tribunal_appeal_rates", "tribunal_appeal_rates_moj"}


#: the tidy tables each derived table is built from
DERIVED_INPUTS = {
    "la_lookup": ["population_0_17"],
    "ehcp_caseload_harmonised": ["ehcp2022_caseload_estab", "ehcp_caseload"],
    "quality_flags": sorted({*CODE_CHECKED, "population_0_17"}),
}


DERIVED = {
    "la_lookup": _la_lookup,
    "ehcp_caseload_harmonised": _harmonised,
    "quality_flags": _quality_flags,
}
