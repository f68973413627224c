"""Parsers of the sources added in November 2026, on small constructed inputs: inspection
report text, the ONS time series, key stage 4 destinations."""

import pandas as pd
import pytest

from sendreport.errors import DataValidationError
from sendreport.loaders import ks4_destinations, ofsted_reports, ons_timeseries

HEAD = ("time_period,time_identifier,geographic_level,institution_group,institution_type,"
        "breakdown_topic,breakdown,data_type,cohort,overall,education,appren,all_work,"
        "all_notsust,all_unknown")


@pytest.mark.parametrize("text,expected", [
    ("Inspection dates: 11 to 15 March 2024 Dates of", ("2024-03-11", "2024-03-15")),
    ("Inspection dates: 29 January 2024 to 02 February 2024", ("2024-01-29", "2024-02-02")),
    ("Inspection dates: 27 November 2023 to 1 December 2023", ("2023-11-27", "2023-12-01")),
])
def test_inspection_dates_parse(text, expected):
    s, e = ofsted_reports.parse_dates(text, "x.pdf")
    assert (str(s.date()), str(e.date())) == expected


def test_outcome_must_be_exactly_one_finding():
    both = ("Inspection outcome The arrangements lead to inconsistent experiences and outcomes "
            "and there are widespread and/or systemic failings. Information about the local "
            "area partnership")
    with pytest.raises(DataValidationError, match="exactly one"):
        ofsted_reports.parse_outcome(both, "x.pdf")
    with pytest.raises(DataValidationError, match="Inspection outcome"):
        ofsted_reports.parse_outcome("No such heading here", "x.pdf")


def test_damaged_pdf_is_a_clear_error(tmp_path):
    p = tmp_path / "kent_urn1_published-2024-01-01.pdf"
    p.write_bytes(b"%PDF-1.4 this is not really a pdf")
    with pytest.raises(DataValidationError, match="kent_urn1"):
        ofsted_reports.load(p, "r")


def _ons_csv(tmp_path, rows, cdid="YBGB"):
    head = ['"Title","GDP deflator"', f'"CDID","{cdid}"', '"Source dataset ID","UKEA"']
    body = [f'"{p}","{v}"' for p, v in rows]
    p = tmp_path / "defl.csv"
    p.write_text("\n".join(head + body) + "\n")
    return p


def test_deflator_reads_annual_and_quarterly(tmp_path):
    rows = [("2022", "100.0"), ("2023", "106.0"), ("2022 Q1", "99"), ("2022 Q2", "100"),
            ("2022 Q3", "100.5"), ("2022 Q4", "100.5"), ("2023 Q1", "105")]
    t = ons_timeseries.load(_ons_csv(tmp_path, rows), "r")["gdp_deflator"]
    assert len(t) == 7
    assert set(t["breakdown"].astype(str)) == {"Year", "Q1", "Q2", "Q3", "Q4"}


@pytest.mark.parametrize("rows,cdid,match", [
    ([("2022", "100.0"), ("2022 Q1", "99"), ("2022 Q3", "100")], "YBGB", "gap"),
    ([("2022", "100.0"), ("2022 Q1", "90"), ("2022 Q2", "91"), ("2022 Q3", "92"),
      ("2022 Q4", "93")], "YBGB", "outside its quarters"),
    ([("2022", "100.0")], "ABMI", "not a registered ONS series"),
    ([("2022", "101.0")], "YBGB", "2022 = 100"),
    ([("2022", "100.0"), ("2023", "n/a")], "YBGB", "not a number"),
])
def test_deflator_rejects_bad_series(tmp_path, rows, cdid, match):
    with pytest.raises(DataValidationError, match=match):
        ons_timeseries.load(_ons_csv(tmp_path, rows, cdid), "r")


def test_destinations_percentages_checked_against_counts(tmp_path):
    good = [HEAD,
            "202122,Academic year,National,Total,Total,SEN Provision,EHC plan,Number of pupils,"
            "1000,900,800,50,50,80,20",
            "202122,Academic year,National,Total,Total,SEN Provision,EHC plan,Percentage,"
            "1000,90.0,80.0,5.0,5.0,8.0,2.0"]
    p = tmp_path / "d.csv"
    p.write_text("\n".join(good) + "\n")
    t = ks4_destinations.load(p, "r")["ks4_destinations"]
    v = t.set_index("measure")["value"]
    assert v["overall"] == 900 and v["overall_pct"] == 90.0
    p.write_text("\n".join(good).replace("90.0,80.0", "95.0,80.0") + "\n")
    with pytest.raises(DataValidationError, match="overall"):
        ks4_destinations.load(p, "r")


def test_previous_inspection_is_read_when_named():
    p = ofsted_reports.parse_previous
    assert p("Inspection dates: 11 to 15 March 2024 Dates of previous inspection: 23 to 27 "
             "January 2017 Inspection outcome", "x.pdf") == pd.Timestamp("2017-01-23")
    assert p("Date of previous inspection: Not previously inspected", "x.pdf") is None
    assert p("no such line", "x.pdf") is None
