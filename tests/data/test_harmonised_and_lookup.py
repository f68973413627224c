import numpy as np
import pandas as pd
import pytest

from sendreport.errors import DataValidationError
from sendreport.la import resolve_names


def test_groups_add_up_to_total_and_newest_release_wins(catalogue):
    h = catalogue.table("ehcp_caseload_harmonised")
    n = h[h.geographic_level == "national"]
    w = n.pivot_table(index="period", columns="breakdown", values="value", observed=True)
    groups = ["mainstream", "state_special", "independent_special", "ap_pru",
              "further_education", "neet", "other"]
    assert np.allclose(w[groups].sum(axis=1), w["total"])
    rel = n.groupby("period", observed=True)["release"].first().astype(str)
    assert (rel.loc[["2019", "2020", "2021", "2022"]] == "2025").all()
    assert rel.loc["2018"] == "2022" and list(w.index)[0] == "2010"
    # the two releases agree where they overlap (January 2022)
    old = catalogue.table("ehcp2022_caseload_estab")
    v22 = old[(old.geographic_level == "national") & (old.period == "2022")
              & (old.breakdown_topic == "Total") & (old.measure == "Total_all")]["value"]
    assert w.loc["2022", "total"] == float(v22.iloc[0])


def test_la_series_is_complete_for_current_councils(catalogue):
    h = catalogue.table("ehcp_caseload_harmonised")
    la = h[(h.geographic_level == "la") & (h.breakdown == "total")]
    per_year = la.groupby("period", observed=True)["la_code"].nunique()
    assert per_year.min() >= 150


def test_lookup_knows_reorganisations(catalogue):
    lk = catalogue.table("la_lookup").set_index("la_code")
    assert lk.loc["928", "status"] == "abolished"
    assert lk.loc["928", "successors"] == "940;941"
    assert lk.loc["909", "successors"] == "942;943"
    assert lk.loc["839", "predecessors"] == "835;836;837"
    assert "E10000002" in lk.loc["825", "gss_codes"] and lk.loc["825", "status"] == "current"


def test_resolve_names_matches_spellings_and_rejects_unknown(catalogue):
    lk = catalogue.table("la_lookup")
    codes = resolve_names(pd.Series(["Bournemouth", "Durham", "Kingston upon Hull, City of",
                                     "Westmorland & Furness"]), lk, "t.csv")
    assert list(codes) == ["837", "840", "810", "943"]
    with pytest.raises(DataValidationError, match="Atlantis"):
        resolve_names(pd.Series(["Atlantis"]), lk, "t.csv", rows=pd.Series([7]))


def test_publisher_error_flagged_not_dropped(catalogue):
    t = catalogue.table("ehcp_newplans")
    m = (t.period == "2022") & (t.measure == "new_ehc_plans") & (t.geographic_level == "la") & (
        t.breakdown_topic == "New EHC plans")
    flagged = t[m & (t.status == "x: publisher error")]
    assert len(flagged) == 15 and flagged["value"].isna().all()
    assert catalogue.notes()
