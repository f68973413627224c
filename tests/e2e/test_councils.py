"""Council editions end to end: a split council, a merged one, a small one and an ordinary
one, rendered through the warm kernels; their headline values checked against values computed
here, independently, from the DfE file itself."""

import csv
import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from sendreport import render as R
from sendreport.errors import SendReportError
from sendreport.flags import MIN_BASE
from tests.e2e.test_render import edition, make_root

FOUR = {"940": "north-northamptonshire",  # split from Northamptonshire in 2021
        "839": "bournemouth-christchurch-and-poole",  # merged in 2019
        "420": "isles-of-scilly",  # the smallest council
        "886": "kent"}  # an ordinary one
EHCP_2025 = "dfe/education-health-and-care-plans/2025/education-health-and-care-plans_2025.zip"


@pytest.fixture(scope="module")
def councils(tmp_path_factory, mirror):
    tmp = tmp_path_factory.mktemp("councils")
    paths = make_root(tmp, mirror)
    lines = []
    out = R.render(paths, params_file=edition(tmp), draft=True, councils=True,
                   only="North Northamptonshire,839,E06000053,Kent", echo=lines.append)
    return paths, out / "councils", lines


def _dfe_caseload(mirror: Path) -> dict[str, dict]:
    """January 2025 from the DfE's own caseload.csv: plans and plans in mainstream, by LA."""
    with zipfile.ZipFile(mirror / EHCP_2025) as z, z.open("data/caseload.csv") as f:
        rows = csv.DictReader(io.TextIOWrapper(f, encoding="utf-8-sig"))
        return {r["old_la_code"]: {"plans": int(r["ehcplans"]),
                                   "mainstream": int(r["mainstream_total"])}
                for r in rows if r["time_period"] == "202425"
                and r["geographic_level"] == "Local authority"
                and r["breakdown_topic"] == "All EHC plans" and r["old_la_code"] in FOUR}


def test_four_editions_have_a_page_a_pdf_and_an_index_entry(councils):
    _, out, lines = councils
    for s in FOUR.values():
        assert (out / s / "index.html").exists() and (out / s / "report.pdf").exists(), s
    index = (out / "index.html").read_text()
    for s in FOUR.values():
        assert f'href="{s}/index.html"' in index and f'href="{s}/report.pdf"' in index
    assert 'type="search"' in index
    assert any("4 of 4 rendered" in ln for ln in lines)
    assert any("left" in ln and "[" in ln for ln in lines)  # the progress bar with its estimate


def test_headline_values_match_the_dfe_file(councils, mirror):
    _, out, _ = councils
    dfe = _dfe_caseload(mirror)
    for code, s in FOUR.items():
        t = pd.read_csv(out / s / "data" / "council-measures.csv", dtype=str)
        name = [c for c in t.columns if c not in ("measure", "period", "rank among councils",
                                                  "neighbours' median", "region's median",
                                                  "England")][0]
        row = t.set_index("measure")[name]
        want = dfe[code]
        assert row["EHC plans"] == f"{want['plans']:,}", s
        share = 100 * want["mainstream"] / want["plans"]
        shown = row["Share of plans in mainstream schools"]
        if want["plans"] < MIN_BASE:  # a share of a small count is not shown
            assert shown.startswith(f"not shown: fewer than {MIN_BASE}"), s
        else:
            assert shown == f"{share:.1f}%", s


def test_reorganised_councils_show_their_predecessors_and_say_so(councils):
    _, out, _ = councils
    nn = pd.read_csv(out / "north-northamptonshire" / "data" / "council-plans.csv")
    before = nn[nn["series"].str.startswith("To January 2021: Northamptonshire")]
    assert len(before) and before["year"].max() <= 2021
    assert nn[nn["series"] == "North Northamptonshire"]["year"].min() == 2022
    page = (out / "north-northamptonshire" / "index.html").read_text()
    assert ("was created on 1 April 2021: Northamptonshire also covered what became West "
            "Northamptonshire") in page
    assert "To January 2021: Northamptonshire, a larger area" in set(before["series"])
    bcp = (out / "bournemouth-christchurch-and-poole" / "index.html").read_text()
    assert "Poole and Bournemouth became part of it whole; Dorset (county) covered a larger " \
        "area, of which only Christchurch became part of" in bcp


def test_small_council_gets_words_not_nan(councils):
    _, out, _ = councils
    page = (out / "isles-of-scilly" / "index.html").read_text()
    t = pd.read_csv(out / "isles-of-scilly" / "data" / "council-measures.csv", dtype=str,
                    keep_default_na=False)
    cells = " ".join(t.astype(str).to_numpy().ravel())
    assert "nan" not in cells.lower().split() and "nan%" not in cells
    assert f"fewer than {MIN_BASE}" in cells  # shares of tiny counts are not shown
    assert "99.8% limits" in page  # the funnel limits for a council of its size


def test_pages_are_stamped_and_link_the_manifest(councils):
    _, out, _ = councils
    page = (out / "kent" / "index.html").read_text()
    assert "Version _draft" in page and 'href="../../manifest.json"' in page
    assert json.loads((out.parent / "manifest.json").read_text())["version"] == "_draft"


def test_unknown_council_says_how_to_list_them(councils):
    paths, _, _ = councils
    with pytest.raises(SendReportError, match="sendreport councils list"):
        R.render(paths, params_file=edition(paths.root), draft=True, councils=True,
                 only="Atlantis", echo=lambda *_: None)


def test_one_failure_is_reported_and_does_not_stop_the_others(councils, monkeypatch):
    from sendreport.render import councils as C

    paths, out, _ = councils
    real = C._render_one

    def flaky(ex, r, *a, **k):
        if r.la_code == "420":
            raise RuntimeError("disk on fire")
        return real(ex, r, *a, **k)

    monkeypatch.setattr(C, "_render_one", flaky)
    monkeypatch.setattr(C, "_render_key", lambda *a: "fresh")  # render, not copy
    lines = []
    with pytest.raises(SendReportError, match="some council editions failed"):
        R.render(paths, params_file=edition(paths.root), draft=True, councils=True,
                 only="Kent,Isles of Scilly", echo=lines.append)
    assert any("Isles of Scilly (LA 420): render: disk on fire" in ln for ln in lines), lines[-4:]
    assert (out / "kent" / "index.html").exists()
