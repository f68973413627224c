"""Ofsted and CQC area SEND inspection reports (PDF), framework introduced January 2023.

Each report is one PDF. The loader extracts the text of its first pages and reads three things:
the local area partnership's name ("Area SEND inspection of <name> Local Area Partnership"), the
inspection dates ("Inspection dates: 11 to 15 March 2024"), the inspection outcome, which is
one of three fixed findings, and the start of the previous inspection where the report names one
("Dates of previous inspection: 23 to 27 January 2017"). A report in which none, or more than
one, of the findings is found is an error: the framework has exactly three outcomes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from sendreport.errors import DataValidationError
from sendreport.loaders.common import check_file

#: the three outcomes of the 2023 framework: code, the words that identify it in the report
OUTCOMES = {
    "positive": ("typically lead to positive experiences and outcomes",
                 "Typically positive experiences and outcomes"),
    "inconsistent": ("inconsistent experiences and outcomes",
                     "Inconsistent experiences and outcomes"),
    "systemic": ("widespread and/or systemic failings",
                 "Widespread and/or systemic failings"),
}
OUTCOME_LABELS = {k: v[1] for k, v in OUTCOMES.items()}

_MONTHS = ("January February March April May June July August September October November "
           "December").split()
_DATE = r"(\d{1,2})(?:\s+(" + "|".join(_MONTHS) + r"))?(?:\s+(\d{4}))?"
_DATES_RE = re.compile(r"Inspection dates?:?\s*" + _DATE + r"\s+(?:to|-|–)\s+" + _DATE)
_PREVIOUS_RE = re.compile(r"Dates? of previous inspection:?\s*(?:(Not previously inspected)|"
                          + _DATE + r"\s+(?:to|-|–)\s+" + _DATE + ")", re.I)
_NAME_RE = re.compile(r"Area SEND inspection of\s+(.+?)\s+Local Area Partnership", re.I)
_FILE_RE = re.compile(r"^(?P<slug>.+)_urn(?P<urn>\d+)_published-(?P<pub>\d{4}-\d{2}-\d{2})\.pdf$")


def pdf_text(path: Path, pages: int = 3) -> str:
    """The text of a PDF's first pages, whitespace collapsed."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        text = " ".join((p.extract_text() or "") for p in reader.pages[:pages])
    except (PdfReadError, ValueError, KeyError, OSError) as e:
        raise DataValidationError(Path(path).name, f"cannot be read as a PDF: {e}",
                                  expected="an Ofsted area SEND inspection report") from e
    return re.sub(r"\s+", " ", text).replace("\u2019", "'")


def parse_dates(text: str, file: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    m = _DATES_RE.search(text)
    if not m:
        raise DataValidationError(file, "no inspection dates found", column="Inspection dates",
                                  expected="a line like 'Inspection dates: 11 to 15 March 2024'")
    d1, m1, y1, d2, m2, y2 = m.groups()
    if not (m2 and y2):
        raise DataValidationError(file, "inspection end date without month or year",
                                  column="Inspection dates", found=m.group(0))
    end = pd.Timestamp(f"{d2} {m2} {y2}")
    start = pd.Timestamp(f"{d1} {m1 or m2} {y1 or y2}")
    if start > end or (end - start).days > 14:
        raise DataValidationError(file, "inspection dates out of order or over two weeks apart",
                                  column="Inspection dates", found=m.group(0),
                                  expected="a start date up to 14 days before the end date")
    return start, end


def parse_previous(text: str, file: str) -> pd.Timestamp | None:
    """The start of the previous area SEND inspection the report names ('Dates of previous
    inspection: 23 to 27 January 2017'); None if it says 'Not previously inspected' or names
    none (older reports do not have the line)."""
    m = _PREVIOUS_RE.search(text)
    if not m or m.group(1):
        return None
    d1, m1, y1, d2, m2, y2 = m.groups()[1:]
    if not (m2 and y2):
        raise DataValidationError(file, "previous inspection's end date without month or year",
                                  column="Dates of previous inspection", found=m.group(0))
    return pd.Timestamp(f"{d1} {m1 or m2} {y1 or y2}")


def parse_outcome(text: str, file: str) -> str:
    """The outcome code, read from the 'Inspection outcome' paragraph."""
    i = text.find("Inspection outcome")
    if i < 0:
        raise DataValidationError(file, "no 'Inspection outcome' section",
                                  column="Inspection outcome",
                                  expected="the heading 'Inspection outcome'")
    j = text.find("Information about the local area partnership", i)
    para = text[i: j if j > 0 else i + 1500]
    found = [k for k, (words, _) in OUTCOMES.items() if words in para]
    if len(found) != 1:
        raise DataValidationError(
            file, "inspection outcome is not exactly one of the framework's three findings",
            column="Inspection outcome", expected="; ".join(OUTCOME_LABELS.values()),
            found=", ".join(found) or para[:160])
    return found[0]


def clean_area(name: str) -> str:
    """'the Greenwich' -> 'Greenwich'; 'Stoke-on- Trent' (a line break in the PDF) -> joined."""
    name = re.sub(r"\s*-\s*", "-", name.strip())
    return re.sub(r"^the\s+", "", name, flags=re.I)


def load(path: Path, release: str) -> dict[str, pd.DataFrame]:
    path = Path(path)
    check_file(path)
    lab = path.name
    fm = _FILE_RE.match(lab)
    if not fm:
        raise DataValidationError(lab, "file name not in the registered pattern",
                                  expected="<area>_urn<URN>_published-<YYYY-MM-DD>.pdf")
    text = pdf_text(path)
    nm = _NAME_RE.search(text)
    if not nm:
        raise DataValidationError(lab, "no local area partnership named", column="title",
                                  expected="'Area SEND inspection of <area> Local Area "
                                           "Partnership'")
    start, end = parse_dates(text, lab)
    published = pd.Timestamp(fm["pub"])
    if not (start <= published <= start + pd.Timedelta(days=190)):
        raise DataValidationError(lab, "publication date not within six months after the "
                                  "inspection", column="published", found=fm["pub"],
                                  expected=f"a date after {start.date()}")
    outcome = parse_outcome(text, lab)
    df = pd.DataFrame([{
        "area": clean_area(nm.group(1)), "urn": fm["urn"], "inspection_start": start,
        "inspection_end": end, "published": published, "outcome": outcome,
        "outcome_label": OUTCOME_LABELS[outcome], "file": lab, "release": release,
        "previous_start": parse_previous(text, lab),
    }])
    df["previous_start"] = pd.to_datetime(df["previous_start"])
    return {"area_send_reports_2023": df}
