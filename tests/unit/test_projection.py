import pandas as pd
import pytest

from sendreport.errors import SendReportError
from sendreport.projection import Assumptions, backtest, cagr, project

H = pd.Series({2019: 100.0, 2020: 110.0, 2021: 121.0, 2022: 133.1, 2023: 146.41})


def test_cagr_recovers_a_constant_rate():
    assert cagr(H, 4) == pytest.approx(0.10)
    with pytest.raises(SendReportError):
        cagr(H, 5)


def test_trend_continues_the_rate():
    p = project(H, Assumptions(scenario="trend", trend_years=4, horizon=2025))
    proj = p[p.kind == "projected"].set_index("year")["plans"]
    assert proj.loc[2025] == pytest.approx(146.41 * 1.1 ** 2)


def test_slowing_reaches_the_floor_and_stays():
    a = Assumptions(scenario="slowing", trend_years=4, floor_rate=0.02, slow_until=2026,
                    horizon=2028)
    p = project(H, a)
    g = p[p.kind == "projected"].set_index("year")["growth"]
    assert g.loc[2024] < 0.10 and g.loc[2026] == pytest.approx(0.02)
    assert g.loc[2028] == pytest.approx(0.02)
    assert (g.diff().dropna() <= 1e-12).all()


def test_dfe_path_hits_its_target():
    a = Assumptions(scenario="dfe", dfe_base_year=2019, dfe_target=200.0, dfe_target_year=2029,
                    horizon=2029)
    p = project(H, a)
    last = p[(p.kind == "projected") & (p.year == 2029)]["plans"].iloc[0]
    assert last == pytest.approx(200.0)


def test_backtest_measures_error_against_actuals():
    bt = backtest(H, Assumptions(trend_years=2), fit_until=2021)
    assert list(bt["year"]) == [2022, 2023]
    assert bt["error"].abs().max() == pytest.approx(0, abs=1e-9)  # constant growth: exact


def test_unknown_scenario_is_refused():
    with pytest.raises(SendReportError, match="scenario"):
        project(H, Assumptions(scenario="magic"))
