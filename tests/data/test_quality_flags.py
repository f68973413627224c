"""The flags table on the registered releases, and its effect on what council editions show:
no unflagged code-name mismatch in any council-level table, no withheld value as 0, an
implausible count in no rank or median, shares on DfE's base."""

import numpy as np
import pandas as pd
import pytest

from sendreport import flags as F
from sendreport.la import _bare
from sendreport.measures import council as M
from sendreport.measures import placements


def test_no_code_name_mismatch_goes_unflagged(catalogue):
    """Every council-level table with LA numbers and names: after reading, each row's number
    is the council it names, and every number the publisher got wrong is in the flags."""
    lk = catalogue.table("la_lookup")
    keys = dict(zip(lk["la_code"].astype(str), lk["la_name"].map(_bare), strict=True))
    flags = catalogue.table("quality_flags")
    flagged = set(zip(flags.loc[flags["flag"] == "code-name mismatch", "table"],
                      flags.loc[flags["flag"] == "code-name mismatch", "la_code"], strict=True))
    checked = 0
    for name in catalogue.names():
        if name in ("population_0_17", "la_lookup", "quality_flags"):
            continue
        df = catalogue.table(name)
        if "la_code" not in df or "la_name" not in df:
            continue
        la = df if "geographic_level" not in df else df[df["geographic_level"] == "la"]
        pairs = la[["la_code", "la_name"]].astype(str).drop_duplicates()
        checked += 1
        for code, nm in pairs.itertuples(index=False):
            if code in keys and keys[code] != _bare(nm):
                # only councils of the same name (Dorset before and after 2019) may differ
                assert _bare(nm) in {keys[c] for c in keys if c != code}, (name, code, nm)
        for f in catalogue.code_fixes.get(name, []):
            if name in {t for t, _ in flagged} or name not in flags["table"].unique():
                continue
            raise AssertionError(f"{name}: fix {f} is not in the flags table")
    assert checked >= 10
    # the tribunal file's swapped numbers are found and resolved by name
    tr = catalogue.table("tribunal_appeal_rates")
    tr = tr[tr["geographic_level"] == "la"]
    names = dict(zip(tr["la_code"].astype(str), tr["la_name"].astype(str), strict=False))
    assert names["892"] == "Nottingham" and names["928"] == "Northamptonshire"
    assert {("tribunal_appeal_rates", c) for c in ("892", "891", "928", "823", "873")} <= flagged


def test_the_flags_find_the_known_defects(catalogue):
    f = catalogue.table("quality_flags").astype(str)
    got = set(zip(f["flag"], f["la_name"], f["period"], strict=True))
    assert ("implausible", "Newham", "2025") in got
    assert ("implausible", "Slough", "2017") in got
    assert not any(k == "implausible" and n == "Nottingham" for k, n, _ in got)  # a real rise
    assert ("missing breakdown", "Cambridgeshire", "2025") in got
    assert ("missing breakdown", "Hackney", "2024") in got
    assert {"suppressed", "not close", "predecessor", "series break"} <= set(f["flag"])
    assert not f[["flag", "rule", "detail", "effect"]].eq("").any().any()


@pytest.fixture(scope="module")
def panel(catalogue):
    return M.panel(catalogue)


def test_a_missing_breakdown_is_never_zero_nor_in_a_median(catalogue, panel):
    regions = M.region_of(catalogue)
    cambs = M.resolve(catalogue, "Cambridgeshire")
    r = M.compare(panel, cambs, "share_mainstream", regions)
    assert r.state == "missing breakdown" and r.value is None and r.rank is None
    assert panel.values.loc["873", "share_mainstream"] != 0
    assert "873" in panel.excluded("share_mainstream")
    # a council whose neighbours include Cambridgeshire: its median leaves it out
    sn = catalogue.table("stat_neighbours")
    has = str(sn[sn["neighbour_la_code"].astype(str) == "873"]["la_code"].iloc[0])
    other = M.resolve(catalogue, has)
    col = panel.values["share_mainstream"]
    kept = [n for n in other.neighbours if n != "873" and n not in panel.excluded(
        "share_mainstream")]
    assert M.compare(panel, other, "share_mainstream", regions).neighbours == \
        pytest.approx(col.reindex(kept).median())


def test_an_implausible_count_is_shown_unranked_and_out_of_medians(catalogue, panel):
    regions = M.region_of(catalogue)
    newham = M.resolve(catalogue, "Newham")
    for key in ("plans", "per_1000", "growth_5y", "share_mainstream"):
        r = M.compare(panel, newham, key, regions)
        assert r.state == "implausible" and r.rank is None and r.value is not None, key
        assert "316" in panel.excluded(key)
    # Newham's region median of plans leaves Newham out
    plans = panel.values["plans"]
    london = [c for c in plans.index if regions.get(c) == newham.region and c != "316"
              and c not in panel.excluded("plans")]
    assert M.compare(panel, newham, "plans", regions).region == pytest.approx(
        plans.reindex(london).median())
    assert M.own_projection(panel, newham) is None


def test_ranks_count_only_unflagged_values(catalogue, panel):
    r = M.compare(panel, M.resolve(catalogue, "Kent"), "plans", M.region_of(catalogue))
    assert r.of == panel.values["plans"].drop(index=list(panel.excluded("plans"))).notna().sum()


def test_england_shares_use_the_known_breakdown_base(catalogue):
    assert round(placements.mainstream_share_sen2(catalogue, 2024).value, 1) == 43.3
    assert placements.left_out(catalogue, 2024) == ["Hackney", "Peterborough"]
    h = catalogue.table("ehcp_caseload_harmonised")
    la = h[(h["geographic_level"] == "la") & (h["period"].astype(str) == "2025")]
    w = la.pivot_table(index="la_code", columns="breakdown", values="value", observed=True)
    known = w["mainstream"].notna()
    expect = 100 * w.loc[known, "mainstream"].sum() / w.loc[known, "total"].sum()
    assert placements.mainstream_share_sen2(catalogue, 2025).value == pytest.approx(expect)


def test_neighbours_rated_not_close_are_not_comparators(catalogue, panel):
    city = M.resolve(catalogue, "City of London")
    assert city.neighbours == () and len(city.distant) == 10
    r = M.compare(panel, city, "per_1000", M.region_of(catalogue))
    assert np.isnan(r.neighbours)


def test_predecessors_and_inspection_history(catalogue, panel):
    bcp = M.resolve(catalogue, "Bournemouth, Christchurch and Poole")
    whole, larger = M.predecessor_areas(panel, bcp)
    assert [n for _, n in larger] == ["Dorset (county)"]
    assert sorted(n for _, n in whole) == ["Bournemouth", "Poole"]
    brum = M.inspection_history(catalogue, M.resolve(catalogue, "Birmingham"))
    assert list(brum["event"]) == ["inspection", "revisit"]
    assert "revisit" in M.latest_inspection(catalogue, M.resolve(catalogue, "Birmingham"))
    cumb = M.inspection_history(catalogue, M.resolve(catalogue, "Cumberland"))
    assert list(cumb["area"]) == ["Cumbria"] and not cumb["own"].any()


def test_the_council_chapter_says_so(tmp_path):
    from sendreport.chapters import open_chapter

    c = open_chapter("council-edition", area="Newham", output_dir=str(tmp_path))
    assert c.v.caveat.startswith("**Caution: Newham's count of EHC plans for January 2025")
    t = c.table_spec("council-measures")["df"].set_index("measure")
    assert t.loc["EHC plans", "Newham"] == "1,199 (implausible)"
    assert t.loc["EHC plans", "rank among councils"].startswith("not ranked: implausible")
    c = open_chapter("council-edition", area="Cambridgeshire", output_dir=str(tmp_path))
    t = c.table_spec("council-measures")["df"].set_index("measure")
    assert "no placement breakdown" in t.loc["Share of plans in mainstream schools",
                                             "Cambridgeshire"]
    assert not pd.Series(t.to_numpy().ravel()).astype(str).str.contains("0.0%|nan").any()
    bcp = open_chapter("council-edition", area="839", output_dir=str(tmp_path))
    series = set(bcp.chart_spec("council-plans")["data"]["series"])
    assert "To January 2019: Poole and Bournemouth combined, part of its area" in series
    assert not any("Dorset" in s for s in series)


def test_a_per_plan_figure_on_a_flagged_count_is_in_no_median_or_outlier(catalogue,
                                                                          monkeypatch):
    from sendreport.measures import funding

    real = funding.plain
    jan = funding.benchmarks(catalogue).january

    def with_kent_flagged(cat, name):  # Kent's count for that January flagged implausible
        df = real(cat, name)
        if name != "quality_flags":
            return df
        row = F.frame([{"table": "ehcp_caseload_harmonised", "la_code": "886",
                        "la_name": "Kent", "period": jan, "measure": "plans",
                        "flag": "implausible", "rule": "r", "detail": "d", "effect": "e"}])
        return pd.concat([df, row], ignore_index=True)

    monkeypatch.setattr(funding, "plain", with_kent_flagged)
    fr = funding.benchmarks(catalogue).frame.set_index("la_code")
    assert fr.loc["886", "plans_flag"] == "implausible"
    assert fr.loc["886", "per_plan_outlier"] == ""
    assert np.isnan(fr.loc["886", "per_plan_vs_sn_pct"])
    ok = fr[fr["plans_flag"] == ""]
    assert "886" not in ok.index
    assert fr.loc["886", "per_plan_region_median"] == pytest.approx(
        ok[ok["region"] == fr.loc["886", "region"]]["per_plan"].median())


def test_timeliness_with_every_plan_an_exception_is_implausible_not_zero(catalogue, panel):
    f = catalogue.table("quality_flags")
    hit = F.select(f, flag="implausible", measure="plans_issued_den_ex")
    assert ("Dorset", "2024") in set(zip(hit["la_name"], hit["period"], strict=True))
    r = M.compare(panel, M.resolve(catalogue, "Dorset"), "timeliness", M.region_of(catalogue))
    if panel.measures["timeliness"].period == "2024":
        assert r.state == "implausible" and r.value is None and r.rank is None


def test_tiny_councils_get_no_share_rank_or_timeliness_line(catalogue, panel, tmp_path):
    from sendreport.chapters import open_chapter

    city = M.resolve(catalogue, "City of London")
    for key in ("share_mainstream", "share_independent_special", "appeal_rate", "growth_5y"):
        r = M.compare(panel, city, key, M.region_of(catalogue))
        assert r.state == "small" and r.rank is None, key
    c = open_chapter("council-edition", area="City of London", output_dir=str(tmp_path))
    tl = c.chart_spec("council-timeliness")["data"]
    assert tl[tl["series"] == "City of London"].empty  # a handful of plans a year: not drawn
    assert "median" not in c.chart_spec("council-rate")["alt"]  # no close neighbours
    suppressed = F.select(catalogue.table("quality_flags"), flag="suppressed")
    # a council's cells from before it existed are not withheld values
    assert suppressed[suppressed["la_name"] == "Cumberland"].empty


def test_charts_mark_the_flagged_year(tmp_path):
    from sendreport.chapters import open_chapter

    c = open_chapter("council-edition", area="Newham", output_dir=str(tmp_path))
    for chart in ("council-plans", "council-rate"):
        spec = c.chart_spec(chart)
        d = spec["data"]
        mine = d[d["series"] == "Newham"].set_index("year")["flag"]
        assert mine[2025] == "implausible" and mine.drop(2025).eq("").all(), chart
        assert spec["flagged"] == "flag"


def test_a_previous_inspection_named_in_a_report_is_in_the_history(catalogue):
    dorset = M.resolve(catalogue, "Dorset")
    h = M.inspection_history(catalogue, dorset)
    assert [d.strftime("%Y-%m") for d in h["date"]] == ["2017-01", "2024-03"]
    assert "not in the published outcomes" in h["outcome"].iloc[0]
    assert M.earlier_inspections(catalogue, dorset)[0].startswith("Outcome not in the published")
    nn = M.inspection_history(catalogue, M.resolve(catalogue, "North Northamptonshire"))
    assert len(nn) == 1  # its report says: not previously inspected


def test_a_flag_on_timeliness_is_not_worded_as_a_count_of_plans(tmp_path):
    from sendreport.chapters import open_chapter

    c = open_chapter("council-edition", area="Dorset", output_dir=str(tmp_path))
    assert "count of EHC plans" not in c.v.caveat
    assert "one of Dorset's published figures for 2024 looks wrong" in c.v.caveat
    d = c.chart_spec("council-plans")["data"]
    assert d["flag"].eq("").all()  # its plan counts are not flagged


def test_the_england_edition_leaves_out_what_council_editions_hide(tmp_path):
    from sendreport.chapters import open_chapter

    f5 = open_chapter("05-special-school-capacity", output_dir=str(tmp_path / "f5"))
    shown = set(f5.table_spec("independent-special-by-la")["df"].astype(str).to_numpy().ravel())
    assert "City of London" not in shown and "Isles of Scilly" not in shown
    r6 = open_chapter("14-rec6-inclusion", output_dir=str(tmp_path / "r6"))
    changes = r6.table_spec("rec6-largest-changes")["df"]
    assert not {"City of London", "Isles of Scilly"} & set(changes["council"])
    # councils created since 2019 have no share in both years: not in the count of changes
    assert r6.v.n_since < r6.v.n_all


def test_own_flags_are_said_at_the_top_and_the_break_is_drawn(tmp_path):
    from sendreport.chapters import open_chapter

    hackney = open_chapter("council-edition", area="Hackney", output_dir=str(tmp_path / "h"))
    assert "The publisher withheld some of Hackney's figures" in hackney.v.caveat
    assert "no placement breakdown for January 2024" in hackney.v.caveat
    spec = hackney.chart_spec("council-plans")
    assert spec["breaks"] == "collection"
    assert set(spec["data"]["collection"]) == {"to 2018: statements and EHC plans",
                                               "from 2019: EHC plans only"}
    assert " in 2019 to " in hackney.chart_spec("council-rate")["title"]  # within a collection
    cambs = open_chapter("council-edition", area="Cambridgeshire", output_dir=str(tmp_path))
    r = cambs.v.comps["appeal_rate"]
    assert r.state == "implausible" and r.rank is None
    assert "appealable decisions fell 42%" in cambs.v.caveat
    assert "gives Cambridgeshire the LA number 823" in cambs.v.caveat  # the publisher's defect


def test_series_over_time_is_numbers_with_their_kinds(catalogue, panel):
    bcp = M.resolve(catalogue, "Bournemouth, Christchurch and Poole")
    d = M.series_over_time(panel, bcp, "plans")
    assert set(d["line"]) == {"own", "neighbours", "england", "whole"}
    whole = d[d["line"] == "whole"].set_index("year")["value"]
    plans = panel.series["plans"]
    assert whole[2019] == plans.loc[["836", "837"], "2019"].sum()  # Poole and Bournemouth
    assert whole.index.max() == M.last_january_before(bcp.created) == 2019
