"""The key per-LA tables (recommendations 2, 4 and 8), checked for three councils against values
computed here directly from the tidy tables."""

import pytest

from sendreport.measures import ehcp, finance, funding

COUNCILS = ["886", "330", "878"]  # Kent, Birmingham, Devon


def value(df, **kw):
    m = df["geographic_level"] == "la"
    for k, v in kw.items():
        m &= df[k].astype(str) == str(v)
    sel = df[m]
    assert len(sel) == 1, kw
    return float(sel["value"].iloc[0])


@pytest.mark.parametrize("la", COUNCILS)
def test_rate_per_1000(catalogue, la):
    r = ehcp.rate_per_1000(catalogue, "2025").frame.set_index("la_code")
    plans = value(catalogue.table("ehcp_caseload_harmonised"), la_code=la, period="2025",
                  breakdown="total")
    kids = value(catalogue.table("population_0_17"), la_code=la, period="2024")
    assert r.loc[la, "per_1000"] == pytest.approx(1000 * plans / kids)
    assert r.loc[la, "plans"] == plans


@pytest.mark.parametrize("la", COUNCILS)
def test_financial_position(catalogue, la):
    fp = finance.financial_position(catalogue).frame.set_index("la_code")
    bal = catalogue.table("dsg_balance")
    b22 = value(bal, la_code=la, period="2021-22", measure="balance_pct_of_income")
    b20 = value(bal, la_code=la, period="2019-20", measure="balance_pct_of_income")
    assert fp.loc[la, "2021-22"] == pytest.approx(b22)
    assert fp.loc[la, "balance_change_2019-20_2021-22_pp"] == pytest.approx(b22 - b20)
    hnb = catalogue.table("dsg_high_needs")
    h0 = value(hnb, la_code=la, period="2020-21", measure="hnb_before_deductions")
    last = sorted(hnb["period"].astype(str).unique())[-1]  # newest registered workbook
    h1 = value(hnb, la_code=la, period=last, measure="hnb_before_deductions")
    assert fp.loc[la, f"hnb_growth_2020-21_{last}_pct"] == pytest.approx(100 * (h1 / h0 - 1))
    h = catalogue.table("ehcp_caseload_harmonised")
    jan = str(int(last[:4]) + 1)  # the January within the financial year
    p0 = value(h, la_code=la, period="2021", breakdown="total")
    p1 = value(h, la_code=la, period=jan, breakdown="total")
    assert fp.loc[la, f"plan_growth_2021_{jan}_pct"] == pytest.approx(100 * (p1 / p0 - 1))
    flagged = b22 <= -5 and b22 < b20 and (p1 / p0) > (h1 / h0)
    assert bool(fp.loc[la, "at_risk"]) == flagged


@pytest.mark.parametrize("la", COUNCILS)
def test_benchmarks(catalogue, la):
    bm = funding.benchmarks(catalogue, "2022-23").frame.set_index("la_code")
    hnb = value(catalogue.table("dsg_high_needs"), la_code=la, period="2022-23",
                measure="hnb_before_deductions")
    plans = value(catalogue.table("ehcp_caseload_harmonised"), la_code=la, period="2023",
                  breakdown="total")
    kids = value(catalogue.table("population_0_17"), la_code=la, period="2022")
    assert bm.loc[la, "per_plan"] == pytest.approx(hnb / plans)
    assert bm.loc[la, "per_child"] == pytest.approx(hnb / kids)
    sn = catalogue.table("stat_neighbours")
    nbrs = list(sn[sn["la_code"] == la]["neighbour_la_code"])
    assert len(nbrs) == 10
    med = bm.loc[[n for n in nbrs if n in bm.index], "per_plan"].median()
    assert bm.loc[la, "per_plan_sn_median"] == pytest.approx(med)
