"""The claims register: required claims reproduce, values are right, and a changed input moves a
claim to 'differs'."""

import io
from contextlib import redirect_stdout

import pandas as pd
import pytest

from sendreport.catalogue import Catalogue
from sendreport.claims import OUTPUT_COLUMNS, evaluate, load_register
from sendreport.cli import main
from sendreport.errors import DataValidationError

REQUIRED = ["ehcp-total-2024", "ehcp-growth-2015-2024", "timeliness-20wk-2023",
            "timeliness-20wk-2018-2021", "appeal-rate-2018", "appeal-rate-2023",
            "mainstream-share-ehcp", "ofsted-systemic-failings", "sen-pupils-share",
            "special-school-places", "special-school-roll"]


@pytest.fixture(scope="module")
def result(catalogue):
    return evaluate(catalogue).set_index("id")


def nat(df, **kw):
    m = df["geographic_level"] == "national"
    for k, v in kw.items():
        m &= df[k].astype(str) == str(v)
    return float(df[m]["value"].iloc[0])


def test_required_claims_are_reproduced(result):
    for cid in REQUIRED:
        assert result.loc[cid, "status"] == "reproduced", (cid, result.loc[cid, "note"])


def test_reproduced_values_match_independent_computation(result, catalogue):
    h = catalogue.table("ehcp_caseload_harmonised")
    j24 = nat(h, period="2024", breakdown="total")
    j15 = nat(h, period="2015", breakdown="total")
    assert result.loc["ehcp-total-2024", "our_value"] == j24 == 576474
    assert result.loc["ehcp-growth-2015-2024", "our_value"] == pytest.approx(
        100 * (j24 / j15 - 1))
    t = catalogue.table("ehcp_timeliness")
    t = t[t.breakdown_topic == "All EHC plans issued"]
    assert result.loc["timeliness-20wk-2023", "our_value"] == pytest.approx(
        100 * nat(t, period=2023, measure="plans_issued_20_weeks_ex")
        / nat(t, period=2023, measure="plans_issued_den_ex"))
    a = catalogue.table("tribunal_appeal_rates")
    for y in (2018, 2023):
        assert result.loc[f"appeal-rate-{y}", "our_value"] == pytest.approx(
            100 * nat(a, period=y, measure="appeals_registered")
            / nat(a, period=y, measure="appealable_decisions"))
    assert result.loc["mainstream-share-ehcp", "our_value"] == pytest.approx(
        100 * (831 + 136642 + 99825) / 434354)


def test_every_claim_has_status_and_source(result, paths):
    # each status agrees with the value and the register's tolerance
    reg = load_register(paths.root / "data/reference/nao_claims.csv").set_index("id")
    for cid, r in result.iterrows():
        if r["status"] in ("reproduced", "differs"):
            within = abs(r["our_value"] - r["nao_value"]) <= float(reg.loc[cid, "tolerance"])
            assert within == (r["status"] == "reproduced"), cid
        if r["status"] == "cited":
            assert pd.isna(r["our_value"]) and reg.loc[cid, "note"], cid
    assert result["source"].str.len().gt(0).all()
    assert (result.loc[result["status"] == "proxy", "our_value"].notna()).all()
    assert result.loc["mainstream-share-ehcp-2019", "status"] == "proxy"
    assert result.loc["ehcp-2022-23", "status"] == "differs"  # 518,000 vs 517,048, explained
    assert "517,048" in result.loc["ehcp-2022-23", "note"]


class Shifted(Catalogue):
    """The same data with January 2024's England total raised by 1%."""

    def table(self, name):
        df = super().table(name)
        if name == "ehcp_caseload_harmonised":
            df = df.copy()
            m = ((df.geographic_level == "national") & (df.period == "2024")
                 & (df.breakdown == "total"))
            df.loc[m, "value"] = df.loc[m, "value"] * 1.01
        return df


def test_changed_input_moves_claims_to_differs(paths):
    res = evaluate(Shifted(paths)).set_index("id")
    assert res.loc["ehcp-total-2024", "status"] == "differs"
    assert res.loc["ehcp-growth-2015-2024", "status"] == "differs"
    assert "above the NAO's" in res.loc["ehcp-total-2024", "note"]
    assert res.loc["appeal-rate-2023", "status"] == "reproduced"  # untouched input


def test_register_errors_name_the_row(tmp_path, paths):
    reg = pd.read_csv(paths.root / "data/reference/nao_claims.csv", dtype=str,
                      keep_default_na=False)
    bad = reg.copy()
    bad.loc[3, "basis"] = "guessed"
    p = tmp_path / "claims.csv"
    bad.to_csv(p, index=False)
    with pytest.raises(DataValidationError, match=r"row 5.*basis"):
        load_register(p)
    bad = reg.copy()
    bad.loc[0, "nao_source"] = ""
    bad.to_csv(p, index=False)
    with pytest.raises(DataValidationError, match="NAO source"):
        load_register(p)


def test_claims_cli_csv(paths):
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main(["--root", str(paths.root), "claims", "--format", "csv"]) == 0
    df = pd.read_csv(io.StringIO(buf.getvalue()), dtype=str, keep_default_na=False)
    assert list(df.columns) == OUTPUT_COLUMNS
    reg = pd.read_csv(paths.root / "data/reference/nao_claims.csv", dtype=str)
    assert list(df["id"]) == list(reg["id"])
    assert df["status"].ne("").all() and df["source"].ne("").all()


def test_every_claim_says_where_the_nao_figure_was_read(result):
    from sendreport.claims import READ_IN

    assert result["read_in"].isin(READ_IN).all()
    assert (result["status"] == "reproduced").sum() >= 12
    assert not result["note"].str.contains("not public", case=False).any()
