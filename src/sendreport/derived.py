"""Derived tables: built from other tidy tables (the LA lookup, the harmonised EHC plan
caseload) and cached by their input files."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sendreport.catalogue import Catalogue


def _la_lookup(cat: Catalogue):
    from sendreport.la import build_lookup

    pop = cat.table("population_0_17")
    return build_lookup(pop), list(cat.sources["population_0_17"])


def _harmonised(cat: Catalogue):
    from sendreport.harmonise import harmonised_caseload

    parts = []
    if "ehcp2022_caseload_estab" in cat._registered_tables:
        for _ds, rel, df in cat._items("ehcp2022_caseload_estab"):
            parts.append((rel, "ehcp-2022", df))
    if "ehcp_caseload" in cat._registered_tables:
        for _ds, rel, df in cat._items("ehcp_caseload"):
            parts.append((rel, "ehcp-2023", df))
    parts.sort(key=lambda x: x[0].sort_key())
    src = [("ehcp", p[0].label) for p in parts]
    return harmonised_caseload(parts), src


#: tables whose publisher gives LA names but not (always) LA numbers
NAME_KEYED = {"dsg_balance", "tribunal_appeal_rates", "tribunal_appeal_rates_moj"}


#: the tidy tables each derived table is built from
DERIVED_INPUTS = {
    "la_lookup": ["population_0_17"],
    "ehcp_caseload_harmonised": ["ehcp2022_caseload_estab", "ehcp_caseload"],
}


DERIVED = {
    "la_lookup": _la_lookup,
    "ehcp_caseload_harmonised": _harmonised,
}
