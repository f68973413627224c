"""The sources added in November 2026, read from the mirror: area SEND inspection reports
(PDF), the ONS GDP deflator, key stage 4 destinations and the 2023-24 DSG workbook."""

import re

import pandas as pd
import pytest
from pypdf import PdfReader

REPORTS = "ofsted/area-send-inspection-reports/2023-01-to-2024-03"

def test_inspection_outcomes_agree_with_an_independent_reading(catalogue, mirror):
    """The loader reads the 'Inspection outcome' paragraph; here each PDF's whole first page is
    searched for the three outcome phrases, a different route to the same answer."""
    t = catalogue.table("area_send_reports_2023").set_index("file")
    phrases = {"systemic": "systemic failings", "inconsistent": "inconsistent experiences",
               "positive": "positive experiences"}
    counts = dict.fromkeys(phrases, 0)
    files = sorted((mirror / REPORTS).glob("*.pdf"))
    assert len(files) == len(t) == 35
    for f in files:
        text = re.sub(r"\s+", " ", PdfReader(str(f)).pages[0].extract_text())
        # the outcome paragraph is on page 1 in every report: the first phrase found there
        pos = {k: text.find(p) for k, p in phrases.items() if text.find(p) >= 0}
        first = min(pos, key=pos.get)
        counts[first] += 1
        assert t.loc[f.name, "outcome"] == first, f.name
    got = t["outcome"].value_counts().to_dict()
    assert got == {k: v for k, v in counts.items() if v}
    # the NAO: widespread and/or systemic failings in 31% of 35 inspections
    assert round(100 * counts["systemic"] / 35) == 31


def test_inspection_dates_precede_publication(catalogue):
    t = catalogue.table("area_send_reports_2023")
    assert (t["inspection_start"] <= t["inspection_end"]).all()
    assert (t["inspection_end"] < t["published"]).all()
    assert t["inspection_start"].min() >= pd.Timestamp("2023-01-01")
    assert t["inspection_start"].max() < pd.Timestamp("2024-04-01")
    assert not t["area"].str.contains(r"^the |- ", regex=True).any()


def test_real_deflator_file(catalogue):
    t = catalogue.table("gdp_deflator")
    ann = t[t["breakdown"] == "Year"].set_index("period")["value"]
    assert ann["2022"] == pytest.approx(100.0)
    q = t[t["breakdown"] != "Year"]
    assert q["period"].astype(str).max() == "2025"  # 2025 Q1, which 2024-25 needs


def test_real_destinations_by_sen_provision(catalogue):
    t = catalogue.table("ks4_destinations")
    sel = t[(t["breakdown_topic"] == "State-funded mainstream schools: SEN Provision")
            & (t["measure"] == "overall_pct") & (t["period"] == "2021/22")]
    v = sel.set_index("breakdown")["value"]
    # pupils with EHC plans are less often in a sustained destination than pupils without SEN
    assert v["Statement of SEN/Education Health and Care plan"] < v["No identified SEN"]


def test_dsg_reaches_2023_24(catalogue):
    t = catalogue.table("dsg_high_needs")
    assert "2023-24" in set(t["period"].astype(str))
