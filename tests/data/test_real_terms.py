"""Real terms: the ONS GDP deflator's financial-year averages, checked against the raw CSV."""

import csv

import pytest

from sendreport.measures import funding

DEFLATOR = "ons/gdp-deflator/2025-06-30/gdp_deflators.csv"


def quarters(mirror):
    out = {}
    with open(mirror / DEFLATOR, encoding="utf-8-sig") as fh:
        for row in csv.reader(fh):
            if len(row) == 2 and " Q" in row[0]:
                year, q = row[0].split(" ")
                out[(int(year), q)] = float(row[1])
    return out


def test_financial_year_average_and_rebasing(catalogue, mirror):
    q = quarters(mirror)

    def fy(y):  # April to March: Q2, Q3, Q4 of y and Q1 of y + 1
        return (q[(y, "Q2")] + q[(y, "Q3")] + q[(y, "Q4")] + q[(y + 1, "Q1")]) / 4

    d = funding.gdp_deflator_fy(catalogue)
    assert d.base == "2024-25" and d.index["2024-25"] == pytest.approx(100)
    assert d.index["2023-24"] == pytest.approx(100 * fy(2023) / fy(2024))
    assert d.index["2020-21"] == pytest.approx(100 * fy(2020) / fy(2024))
    assert "YBGB" in d.series and "2025-06-30" in d.series
    # a year without its four quarters has no average
    assert "2025-26" not in d.index


def test_real_terms_block_per_plan(catalogue):
    hp = funding.high_needs_per_plan(catalogue).set_index("financial_year")
    d = funding.gdp_deflator_fy(catalogue)
    for fy in hp.index:
        assert hp.loc[fy, "hnb_per_plan_real"] == pytest.approx(
            hp.loc[fy, "hnb_per_plan"] * 100 / d.index[fy])
    assert "2023-24" in hp.index  # the finance data reach 2023-24
