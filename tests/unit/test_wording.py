"""Words that depend on the data: each is checked against the numbers it describes."""

import math

import pandas as pd
import pytest

from sendreport.chapters import Trend, parse_releases
from sendreport.chapters import wording as w
from sendreport.errors import SendReportError


@pytest.mark.parametrize("r,expected", [
    (0.05, "not clearly linked"), (-0.05, "not clearly linked"),
    (0.2, "weakly positively linked"), (-0.25, "weakly negatively linked"),
    (0.49, "moderately positively linked"), (0.7, "strongly positively linked"),
    (-0.9, "strongly negatively linked"), (float("nan"), "cannot be assessed"),
])
def test_correlation_words_follow_the_size_and_sign_of_r(r, expected):
    assert w.correlation(r) == expected


def test_a_moderate_correlation_is_never_called_unlinked():
    # the contradiction once published: "not clearly linked (r = +0.49)"
    for r in [0.1, 0.3, 0.49, -0.3]:
        assert "not clearly" not in w.correlation(r)


def test_ranked_order_is_the_data_order():
    growth = pd.Series({"Under 5": 143.1, "Age 5 to 10": 133.9, "Age 16 to 19": 400.8})
    assert w.ranked(growth) == ["Age 16 to 19", "Under 5", "Age 5 to 10"]
    assert w.in_order(w.ranked(growth)[:2]) == "Age 16 to 19, then Under 5"


@pytest.mark.parametrize("k,noun,expected", [
    (7, "council", "seven councils"), (1, "council", "one council"),
    (0, "council", "no councils"), (12, "council", "12 councils"),
])
def test_count_words(k, noun, expected):
    assert w.count(k, noun) == expected


def test_change_and_direction():
    assert w.change(100, 112.34) == "rose by 12.3%"
    assert w.change(100, 96) == "fell by 4.0%"
    assert w.change(100, 100.01) == "was unchanged"
    assert w.change(float("nan"), 3) == "cannot be compared"
    assert w.direction(1, 2) == "rose" and w.direction(2, 1) == "fell"


@pytest.mark.parametrize("fmt", [w.n, w.pct, w.gbp, w.approx])
def test_missing_values_never_print_nan(fmt):
    for x in (float("nan"), None, math.inf):
        out = fmt(x)
        assert "nan" not in out and "inf" not in out


def test_trend_judgement_respects_which_way_is_better():
    worse = Trend("timeliness", 50.3, 46.4, "2023", "2024", better="up")
    assert worse.judgement == "worse"
    assert "fell from 50.3% (2023) to 46.4% (2024)" in worse.sentence()
    better = Trend("appeal rate", 3.2, 2.5, "2023", "2024", better="down")
    assert better.judgement == "better"
    assert Trend("requests", 1, 2, "2023", "2024", better="neither").judgement == ""


def test_parse_releases():
    assert parse_releases("") == {}
    assert parse_releases("ehcp=2022, dsg-allocations=2022-23") == {
        "ehcp": "2022", "dsg-allocations": "2022-23"}
    assert parse_releases("ehcp=latest") == {}
    with pytest.raises(SendReportError, match="DATASET=RELEASE"):
        parse_releases("ehcp")
