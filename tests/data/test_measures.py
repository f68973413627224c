"""Headline figures, each checked against values computed independently here from the raw
tidy rows (or read from the DfE file), so a change in a finding function is caught."""

import pytest

from sendreport.measures import ehcp, finance, placements, requests, tribunals


def test_ehcp_total_and_growth(catalogue):
    jan24 = ehcp.ehcp_total(catalogue, 2024)
    assert jan24.value == 576474 and "release 2025" in jan24.source
    g = ehcp.ehcp_growth(catalogue, 2015, 2024)
    assert g.value == pytest.approx(100 * (576474 / 240183 - 1))
    assert round(g.value) == 140  # the NAO's 140%, reproduced from the DfE series


def test_timeliness(catalogue):
    t19 = requests.timeliness_20wk(catalogue, 2019)
    assert t19.value == pytest.approx(100 * 29895 / 49519)
    t18 = requests.timeliness_20wk(catalogue, 2018)
    assert "ehcp2022_mi" in t18.source and 55 < t18.value < 65
    t23 = requests.timeliness_20wk(catalogue, 2023)
    assert 45 < t23.value < 55  # the NAO: "50% in 2023"
    mean = requests.timeliness_20wk_mean(catalogue, 2018, 2021)
    assert 55 < mean.value < 65  # the NAO: "around 60% from 2018 to 2021"


def test_appeal_rates(catalogue):
    assert tribunals.appeal_rate(catalogue, 2018).value == pytest.approx(100 * 6023 / 376254)
    assert round(tribunals.appeal_rate(catalogue, 2018).value, 1) == 1.6
    assert round(tribunals.appeal_rate(catalogue, 2023).value, 1) == 2.5


def test_mainstream_share_proxy(catalogue):
    s = placements.mainstream_share_sen2(catalogue, 2024)
    # of plans with a known placement (Hackney and Peterborough published none for January
    # 2024): 43.3%, not DfE's national rows' 248,016 / 576,474 = 43.0% of all plans
    assert round(s.value, 1) == 43.3 and s.value != pytest.approx(100 * 248016 / 576474)
    assert placements.all_plans_share(catalogue, 2024) == pytest.approx(100 * 248016 / 576474)
    by_la = placements.mainstream_share_by_la(catalogue, 2024)
    share = by_la["mainstream_share_pct"]
    assert len(by_la) >= 150 and share.dropna().between(0, 100).all()
    # an LA without a mainstream count is shown as missing, never as 0%
    missing = by_la[share.isna()]["la_code"]
    h = catalogue.table("ehcp_caseload_harmonised")
    st = h[(h.period == "2024") & h.la_code.isin(missing) & (h.breakdown == "mainstream")]
    assert len(missing) <= 3 and (st["status"].astype(str) != "").all()


def test_dsg_deficit_share(catalogue):
    d = finance.dsg_deficit_by_year(catalogue)
    assert list(d["period"].astype(str)) == ["2019-20", "2020-21", "2021-22"]
    bal = catalogue.table("dsg_balance")
    la = bal[(bal.geographic_level == "la") & (bal.measure == "balance_pct_of_income")
             & (bal.period == "2021-22")]
    row = d[d.period == "2021-22"].iloc[0]
    assert row["las_in_deficit"] == int((la["value"] < 0).sum())
    assert row["england_balance_pct_of_income"] == pytest.approx(-2.26)
