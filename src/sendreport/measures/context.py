"""What happened after the NAO reported: dated events from the compiled reference table
``data/reference/since_the_nao.csv`` (each row with its source), by the chapter they bear on."""

from __future__ import annotations

import pandas as pd

from sendreport.catalogue import Catalogue
from sendreport.errors import DataValidationError

COLUMNS = ["date", "event", "short", "bears_on", "source", "source_url"]


def events(cat: Catalogue, bears_on: str | None = None) -> pd.DataFrame:
    """Events in date order; with ``bears_on`` ('finding 1', 'recommendation 4'), only those."""
    path = cat.paths.root / "data" / "reference" / "since_the_nao.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise DataValidationError(path.name, "events table lacks a column", column=missing[0])
    for i, r in df.iterrows():
        if not (r["source"] and r["source_url"].startswith("http")):
            raise DataValidationError(path.name, "every event needs a source and its address",
                                      row=i + 2, column="source_url")
    df["when"] = df["date"].map(_when)
    df = df.sort_values("date").reset_index(drop=True)
    if bears_on:
        df = df[df["bears_on"].str.split("; ").map(lambda xs: bears_on in xs)]
    return df.reset_index(drop=True)


def _when(date: str) -> str:
    d = pd.Timestamp(date)
    return f"{d.day} {d:%B %Y}" if len(date) == 10 else f"{d:%B %Y}"


def lower_first(text: str) -> str:
    """'The Schools...' -> 'the Schools...'; 'SEND tribunal' stays as it is."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def override_end(cat: Catalogue) -> tuple[str, str]:
    """The statutory override's end as last announced, and when it was announced."""
    e = events(cat, "finding 1")
    ext = e[e["event"].str.contains("override") & e["event"].str.contains("extended")]
    if ext.empty:
        return "March 2026", ""
    return "the end of 2027-28", ext["when"].iloc[-1]


def sentence(cat: Catalogue, bears_on: str) -> str:
    """'Since the NAO reported: on 20 June 2025, ... (source).' for a chapter's events."""
    e = events(cat, bears_on)
    if e.empty:
        return ""
    parts = [f"{'on' if len(r.date) == 10 else 'in'} {r.when}, {lower_first(r.event)} "
             f"([{r.source}]({r.source_url}))" for r in e.itertuples()]
    return "**Since the NAO reported.** " + "; ".join(parts)[0].upper() + "; ".join(parts)[1:] + "."
