"""Source lines for charts and tables: publisher, dataset and release of each table used."""

from __future__ import annotations

from sendreport.catalogue import Catalogue


def source(cat: Catalogue, *tables: str, period: str | None = None) -> str:
    """'Source: publisher, title (release ...); period.' for the tables a figure uses."""
    reg = cat.registry
    bits: dict[str, list[str]] = {}
    for t in tables:
        cat.table(t)
        for ds_id, rel in cat.sources[t]:
            bits.setdefault(ds_id, [])
            if rel not in bits[ds_id]:
                bits[ds_id].append(rel)
    parts = []
    for ds_id, rels in bits.items():
        d = reg.dataset(ds_id)
        word = "release" if len(rels) == 1 else "releases"
        parts.append(f"{d.publisher}, {d.title} ({word} {', '.join(rels)})")
    s = "Source: " + "; ".join(parts)
    return s + (f". Period: {period}." if period else ".")
