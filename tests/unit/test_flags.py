"""The data-quality flags (``sendreport.flags``) on small constructed tables, and their effect on
a rank, a median, a share and a council's own words."""

import numpy as np
import pandas as pd
import pytest

from sendreport import flags as F
from sendreport.errors import DataValidationError
from sendreport.la import reconcile_codes


def caseload(series: dict[tuple[str, str], list[float]], breakdown=None) -> pd.DataFrame:
    rows = []
    for (code, name), values in series.items():
        for year, v in zip(range(2020, 2020 + len(values)), values, strict=True):
            rows.append(("la", code, name, str(year), "total", v, "ehc_plans"))
            if breakdown is not None:
                ms = breakdown.get((code, str(year)), 0.4 * v)
                rows.append(("la", code, name, str(year), "mainstream", ms, "ehc_plans"))
    return pd.DataFrame(rows, columns=["geographic_level", "la_code", "la_name", "period",
                                       "breakdown", "value", "measure"])


def test_a_halving_is_flagged_and_ordinary_growth_is_not():
    h = caseload({("316", "Newham"): [2000, 2300, 2618, 2705, 1199],
                  ("886", "Kent"): [14000, 15500, 17000, 18700, 20500]})
    f = F.implausible_plans(h)
    assert list(f["la_name"]) == ["Newham"] and list(f["period"]) == ["2024"]
    assert f["detail"].iloc[0] == ("plans fell 56% from 2,705 in January 2023 to 1,199 in "
                                   "January 2024")
    assert F.describe(f).startswith("Newham (plans fell 56%")


def test_a_jump_is_flagged_but_tiny_councils_are_not():
    h = caseload({("420", "Isles of Scilly"): [6, 10, 7, 9, 6],
                  ("330", "Birmingham"): [10000, 11000, 19000, 20000, 21000]})
    f = F.implausible_plans(h)
    assert list(f["la_name"]) == ["Birmingham"] and list(f["period"]) == ["2022"]


def test_a_reversed_spike_is_flagged_and_a_lasting_rise_is_not():
    # Slough: 959, 1,388, 1,028 (most of the rise undone); Nottingham: 1,371, 2,115, 1,909
    # (most of the rise kept, which new plans and appeals bear out): only the first is a spike
    h = caseload({("871", "Slough"): [900, 959, 1388, 1028, 1100],
                  ("892", "Nottingham"): [1231, 1311, 1371, 2115, 1909],
                  ("316", "Newham"): [1300, 1606, 1867, 2618, 2705]})
    f = F.implausible_plans(h)
    assert list(zip(f["la_name"], f["period"], strict=False)) == [("Slough", "2022")]
    assert "then 1,028 in January 2023" in f["detail"].iloc[0]
    assert "more than half of it reversed" in f["rule"].iloc[0]


def test_missing_breakdown_is_flagged_not_zero():
    h = caseload({("873", "Cambridgeshire"): [7000, 8000], ("886", "Kent"): [100, 110]},
                 breakdown={("873", "2021"): np.nan})
    f = F.missing_breakdown(h)
    assert list(zip(f["la_name"], f["period"], strict=False)) == [("Cambridgeshire", "2021")]
    assert F.excluded(f, "placements", 2021) == {"873"}
    assert F.excluded(f, "placements", 2020) == set()


def test_suppressed_cells_are_flagged_but_not_applicable_ones_are_not():
    t = pd.DataFrame({"geographic_level": "la", "la_code": ["1", "2", "3"],
                      "la_name": ["A", "B", "C"], "period": "2024", "breakdown_topic": "T",
                      "measure": "m", "value": [np.nan, np.nan, 5.0],
                      "status": ["c: confidential", "z: not applicable", ""]})
    f = F.suppressed(t, "tab", "T", ["m"])
    assert list(f["la_name"]) == ["A"] and F.excluded(f, "m", "2024") == {"1"}


def test_small_base_and_not_close_neighbours():
    f = F.small_base(pd.Series({"420": 7.0, "886": 20000.0}), "share", "January 2025", "t",
                     {"420": "Isles of Scilly"})
    assert list(f["la_name"]) == ["Isles of Scilly"]
    sn = pd.DataFrame({"la_code": ["420", "420"], "la_name": "Isles of Scilly", "rank": [1, 2],
                       "neighbour_la_code": ["869", "825"],
                       "closeness": ["Not close", "Close"], "release": "2025-05"})
    nc = F.not_close(sn, {"869": "West Berkshire"})
    assert list(nc["measure"]) == ["neighbour 869"] and "West Berkshire" in nc["detail"].iloc[0]


def test_predecessor_areas_say_which_are_larger():
    from sendreport.la import reorganisations

    f = F.predecessors(reorganisations())
    bcp = f[f["la_name"] == "Bournemouth, Christchurch and Poole"].set_index("measure")
    assert bcp.loc["series of 835", "rule"] == "covers a larger area than the council"
    assert bcp.loc["series of 836", "rule"] == "covers part of the council's area"
    dorset = f[f["la_name"] == "Dorset"]
    assert "Bournemouth, Christchurch and Poole" in dorset["detail"].iloc[0]


LOOKUP = pd.DataFrame({"la_code": ["891", "892", "928", "835", "838"],
                       "la_name": ["Nottinghamshire", "Nottingham", "Northamptonshire",
                                   "Dorset", "Dorset"]})


def test_a_wrong_code_is_resolved_by_name_and_recorded():
    df = pd.DataFrame({"geographic_level": "la", "la_code": ["892", "891", "928", "835"],
                       "la_name": ["Northamptonshire", "Nottingham", "Nottinghamshire",
                                   "Dorset (Pre LG)"], "value": [1.0, 2.0, 3.0, 4.0]})
    out, fixes = reconcile_codes(df, LOOKUP, "tribunal")
    assert dict(zip(out["la_name"], out["la_code"], strict=True)) == {
        "Northamptonshire": "928", "Nottingham": "892", "Nottinghamshire": "891",
        "Dorset (Pre LG)": "835"}
    assert {(f["published_code"], f["la_code"]) for f in fixes} == {
        ("892", "928"), ("891", "892"), ("928", "891")}


def test_a_wrong_code_with_an_ambiguous_or_unknown_name_is_refused():
    df = pd.DataFrame({"geographic_level": "la", "la_code": ["891"], "la_name": ["Dorset"]})
    with pytest.raises(DataValidationError, match="matches several LAs"):
        reconcile_codes(df, LOOKUP, "t")
    df = pd.DataFrame({"geographic_level": "la", "la_code": ["891"], "la_name": ["Atlantis"]})
    with pytest.raises(DataValidationError, match="matches no LA"):
        reconcile_codes(df, LOOKUP, "t")


def test_the_fall_back_after_a_flagged_spike_is_not_flagged_too():
    # Slough: 959, 1,388 (a spike), 1,028: only the spike is wrong
    h = caseload({("871", "Slough"): [842, 959, 1388, 1028, 1100]})
    f = F.implausible_plans(h)
    assert list(f["period"]) == ["2022"]


def test_a_year_of_nothing_but_exceptions_is_implausible_and_a_tiny_one_is_not():
    rows = []
    for code, name, den, den_ex in (("838", "Dorset", 585, 0), ("201", "City of London", 3, 0),
                                    ("886", "Kent", 2000, 1900)):
        for m, v in (("plans_issued_den", den), ("plans_issued_den_ex", den_ex)):
            rows.append(("la", code, name, "2024", "All EHC plans issued", m, float(v)))
    t = pd.DataFrame(rows, columns=["geographic_level", "la_code", "la_name", "period",
                                    "breakdown_topic", "measure", "value"])
    f = F.exceptions_only(t)
    assert list(f["la_name"]) == ["Dorset"] and f["flag"].iloc[0] == "implausible"
    assert "585 plans issued in 2024" in f["detail"].iloc[0]


def test_cells_of_years_a_council_did_not_exist_are_not_withheld_values():
    reorg = pd.DataFrame({"old_la_code": ["837", "909"], "new_la_code": ["839", "942"],
                          "event_date": ["2019-04-01", "2023-04-01"]})
    t = pd.DataFrame({"geographic_level": "la",
                      "la_code": ["837", "837", "839", "839", "909", "886"],
                      "la_name": ["Bournemouth", "Bournemouth", "BCP", "BCP", "Cumbria", "Kent"],
                      "period": ["2018", "2020", "2018", "2020", "2023", "2024"],
                      "breakdown_topic": "T", "measure": "new_ehc_plans", "value": np.nan,
                      "status": ["x: not available", "..: not available", "..: not available",
                                 "c: confidential", "..: not available", "x: publisher error"]})
    f = F.suppressed(t, "tab", "T", ["new_ehc_plans"], reorg)
    assert list(zip(f["la_name"], f["period"], strict=True)) == [
        ("Bournemouth", "2018"), ("BCP", "2020"), ("Kent", "2024")]
    assert f["detail"].iloc[0] == "new EHC plans, 2018"  # the measure in words
    assert "validation" in f["rule"].iloc[2] and "symbol x" in f["rule"].iloc[0]


def test_appealable_decisions_filed_under_another_council_are_implausible():
    # Cambridgeshire's and Central Bedfordshire's 2024 values follow the LA number while the
    # earlier years follow the name: each council's series jumps the other's way
    rows = []
    for code, name, values in (("873", "Cambridgeshire", [7223, 7655, 4410]),
                               ("823", "Central Bedfordshire", [3078, 3711, 8246]),
                               ("886", "Kent", [9000, 9900, 10800])):
        for year, v in zip(("2022", "2023", "2024"), values, strict=True):
            rows.append(("la", code, name, year, "appealable_decisions", float(v)))
    t = pd.DataFrame(rows, columns=["geographic_level", "la_code", "la_name", "period",
                                    "measure", "value"])
    f = F.implausible_decisions(t)
    assert sorted(f["la_name"]) == ["Cambridgeshire", "Central Bedfordshire"]
    assert set(f["period"]) == {"2024"} and set(f["table"]) == {"tribunal_appeal_rates"}
    assert "appealable decisions fell 42% from 7,655 in 2023 to 4,410 in 2024" in set(f["detail"])


def test_small_counts_name_the_share_they_stop():
    t = pd.DataFrame({"geographic_level": "la", "la_code": ["201", "886"],
                      "la_name": ["City of London", "Kent"], "period": "2025",
                      "measure": "plans", "value": [26.0, 20000.0]})
    f = F.small_counts(t, "tab", "plans", flagged_as="placements", base="plans",
                       share="placement shares", when="January ")
    assert list(f["la_name"]) == ["City of London"] and f["measure"].iloc[0] == "placements"
    assert f["detail"].iloc[0] == "26 plans in January 2025: too few for placement shares"
    assert F.excluded(f, "placements", "2025") == {"201"}


def test_both_changes_of_collection_are_series_breaks():
    rows = [("national", "", "", str(y), "total", 1.0,
             "statements_and_ehc_plans" if y < 2019 else "ehc_plans") for y in range(2016, 2026)]
    h = pd.DataFrame(rows, columns=["geographic_level", "la_code", "la_name", "period",
                                    "breakdown", "value", "measure"])
    f = F.series_breaks(h)
    assert list(f["period"]) == ["2019", "2023"]
    assert "person-level" in f["detail"].iloc[1]
    assert F.series_breaks(h[h["period"] < "2023"])["period"].tolist() == ["2019"]
