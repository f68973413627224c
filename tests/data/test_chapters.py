"""Chapters: back-tests against recorded snapshots, and every title, count and correlation
word checked against the data its chart plots (computed independently here)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sendreport.chapters import CHAPTERS, open_chapter
from sendreport.chapters import wording as w
from sendreport.chapters.snapshot import snapshot

EXPECTED = Path(__file__).resolve().parents[1] / "expected"
AREAS = ["England", "Kent", "Manchester", "Cornwall"]
_BUILT: dict = {}


@pytest.fixture
def build(catalogue, tmp_path_factory):
    def _build(chapter: str, area: str = "England"):
        key = (chapter, area)
        if key not in _BUILT:
            out = tmp_path_factory.mktemp("chapters")
            _BUILT[key] = open_chapter(chapter, area=area, output_dir=str(out), cat=catalogue)
        return _BUILT[key]
    return _build


@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize("chapter", list(CHAPTERS))
def test_chapter_matches_its_recorded_snapshot(build, chapter, area):
    """Values, tables, chart wording and verdict, compared whole. After an intended change, run
    scripts/update_expected.py and review the diff."""
    got = snapshot(build(chapter, area)).reset_index(drop=True)
    want = pd.read_csv(EXPECTED / f"{chapter}--{area.lower()}.csv", dtype=str,
                       keep_default_na=False)
    pd.testing.assert_frame_equal(got, want)


def test_age_title_names_groups_in_the_order_of_their_growth(build):
    c = build("10-rec2-root-causes")
    spec = c.chart_spec("rec2-age")
    d = spec["data"]
    wide = d.pivot_table(index="age_group", columns="january", values="plans")
    growth = (wide[int(c.v.last)] / wide[2015] - 1).sort_values(ascending=False)
    from sendreport.chapters.r2_root_causes import WORDS

    first, second = (WORDS[g] for g in growth.index[:2])
    assert f"fastest among {first}, then {second}" in spec["title"]
    # the prose's largest contribution is the data's largest, and 16-25 is counted together
    contrib = c.v.contrib["share_of_growth_pct"]
    assert c.v.top_share == pytest.approx(contrib.max())
    young = contrib[["Age 16 to 19", "Age 20 to 25"]].sum()
    assert c.v.young_share == pytest.approx(young)
    assert c.v.young_is_largest == (young > contrib.max())


def test_correlation_words_in_title_and_prose_agree_with_r(build):
    c = build("14-rec6-inclusion")
    spec = c.chart_spec("rec6-inclusion-outcomes")
    d = spec["data"]
    r = np.corrcoef(d["mainstream_share_pct"], d["attainment8_ehcp"])[0, 1]
    assert f"(r = {r:+.2f})" in spec["title"]
    assert w.correlation(r) in spec["title"] and c.v.link == w.correlation(r)
    if abs(r) >= 0.3:
        assert "not clearly" not in spec["title"]


def test_flagged_councils_count_and_labels_agree(build):
    c = build("12-rec4-financial-position")
    spec = c.chart_spec("rec4-scatter")
    fp = c.table_spec("rec4-financial-position")["df"]
    y0, y1 = c.v.years[0], c.v.years[-1]
    flagged = fp[(fp[y1] <= -5) & (fp[y1] < fp[y0]) & (fp["plans_outpaced_funding_pp"] > 0)]
    assert c.v.flagged == len(flagged)
    assert spec["title"].lower().startswith(w.count(len(flagged), "council"))
    # every label names a flagged council that is on the chart, at its own point
    plotted = spec["data"]
    assert set(spec["annotate"]) <= set(flagged["la_name"]) & set(plotted["la_name"])
    if "all named" in spec["title"]:
        assert len(spec["annotate"]) == len(flagged)
    else:
        assert w.count(len(spec["annotate"]), "x").split()[0] in spec["title"]


def test_inspection_counts_agree_between_chapters(build, catalogue):
    f8, r3 = build("08-health-and-whole-system"), build("11-rec3-integrated-system")
    o = catalogue.table("ofsted_area_send")
    assert f8.v.f16.inspections == r3.v.f16.inspections == len(o)
    assert f8.v.f16.wsoa_required == int((o["wsoa_required"] == "Yes").sum())
    # the per-council view accounts for every inspected area
    assert r3.v.inspected_councils + r3.v.gap == len(o)
    assert len(r3.v.abolished_inspected) == r3.v.gap


def test_recommendation_1_uses_one_baseline_in_prose_and_table(build):
    c = build("09-rec1-whole-system")
    t = c.table_spec("rec1-trends")["df"].set_index("measure")
    for row in ["Plans issued within 20 weeks", "SEND tribunal appeal rate"]:
        assert t.loc[row, "earlier"].startswith(f"{c.v.base_year}:")


def test_deficit_counts_in_titles_match_the_plotted_data(build):
    c = build("01-deficits-and-override")
    spec = c.chart_spec("deficit-distribution")
    d = spec["data"]
    assert spec["title"].startswith(f"{int((d['balance_pct'] < 0).sum())} of {len(d)} councils")


@pytest.mark.parametrize("finding", range(1, 9))
def test_verdict_counts_the_chapters_claims(build, finding):
    stem = next(k for k in CHAPTERS if k.startswith(f"0{finding}-"))
    c = build(stem)
    text = c.verdict_text()
    assert text.startswith("**Verdict:**")
    k = c.claims[c.claims["finding"] == finding]["status"].value_counts()
    total = int(k.sum())
    assert f"the NAO's {w.count(total, 'figure')}" in text
    if k.get("cited", 0):
        assert f"{int(k['cited'])} cited" in text


@pytest.mark.parametrize("chapter", list(CHAPTERS))
def test_tables_shown_to_readers_use_words_not_column_names(build, chapter):
    c = build(chapter)
    for name, spec in c._tables.items():
        if spec.get("source") == "(full table)":
            continue  # data files beside the report keep machine-readable names
        cols = [str(col) for col in spec["df"].columns]
        assert not [col for col in cols if "_" in col], (name, cols)
        shown = spec["df"].astype(str)
        assert not shown.isin(["True", "False", "nan", "inf"]).any().any() or spec.get(
            "formats"), name
