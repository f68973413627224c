"""National values pinned to the DfE/ESFA files themselves (read by eye from the published CSVs
and workbooks), so that a loader that shifts a column or drops rows fails here."""

import pytest


def nat(df, **kw):
    m = df["geographic_level"] == "national"
    for k, v in kw.items():
        m &= df[k].astype(str) == str(v)
    out = df[m]
    assert len(out) == 1, (kw, len(out))
    return float(out["value"].iloc[0])


def test_statements_and_plans_january_2015(catalogue):
    t = catalogue.table("ehcp2022_caseload_estab")
    assert nat(t, period="2015", breakdown_topic="Total", breakdown="Total",
               measure="Total_all") == 240183
    h = catalogue.table("ehcp_caseload_harmonised")
    assert nat(h, period="2015", breakdown="total") == 240183


def test_ehc_plans_january_2024_in_2025_release(catalogue):
    t = catalogue.table("ehcp_caseload")
    assert nat(t, period="2024", breakdown_topic="All EHC plans", measure="ehcplans") == 576474
    h = catalogue.table("ehcp_caseload_harmonised")
    assert nat(h, period="2024", breakdown="total") == 576474
    row = h[(h.geographic_level == "national") & (h.period == "2024") & (h.breakdown == "total")]
    assert row["release"].astype(str).iloc[0] == "2025"


def test_high_needs_block_2022_23_sums_to_england_row(catalogue):
    t = catalogue.table("dsg_high_needs")
    sel = t[(t.period == "2022-23") & (t.measure == "hnb_before_deductions")]
    england = float(sel[sel.geographic_level == "national"]["value"].iloc[0])
    assert england == 8_988_258_915
    assert sel[sel.geographic_level == "la"]["value"].sum() == pytest.approx(england, abs=2)


def test_timeliness_and_appeal_rate(catalogue):
    t = catalogue.table("ehcp_timeliness")
    t = t[t.breakdown_topic == "All EHC plans issued"]
    assert nat(t, period="2019", measure="plans_issued_den_ex") == 49519
    assert nat(t, period="2019", measure="plans_issued_20_weeks_ex") == 29895
    a = catalogue.table("tribunal_appeal_rates")
    assert nat(a, period="2018", measure="appeals_registered") == 6023
    assert nat(a, period="2018", measure="appealable_decisions") == 376254


def test_every_table_lists_its_releases(catalogue):
    s = catalogue.summary()
    assert (s["rows"] > 0).all()
    assert s["releases"].str.len().gt(0).all()
