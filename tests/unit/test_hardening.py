"""Hostile and damaged inputs that need no data: labels, dates, parameters, markup, zip bombs,
the registry lock, version names."""

import threading
import time
import zipfile
from pathlib import Path

import pytest

from sendreport.errors import DataValidationError, RegistryError, SendReportError
from sendreport.loaders.common import open_release_zip
from sendreport.projection import Assumptions
from sendreport.registry import check_date, check_label, locked
from sendreport.render.editions import load_edition

PROJECT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("label", ["../../x", "a/b", "latest", " 2026", "2026 ", "", "x" * 41,
                                   "..", "<b>"])
def test_release_labels_that_are_not_a_safe_folder_name_are_refused(label):
    with pytest.raises(RegistryError, match="not allowed"):
        check_label(label)


def test_ordinary_labels_and_dates_pass():
    assert check_label("2026-27") == "2026-27" and check_label("2023-01-to-2024-03")
    assert check_date("2025-06") and check_date("2025-06-30") and check_date("2024")


@pytest.mark.parametrize("date", ["banana", "2025-13", "2025-02-30", "2999-01-01", "25-06-2025"])
def test_release_dates_must_be_real_past_dates(date):
    with pytest.raises(RegistryError, match="not a date"):
        check_date(date)


def test_the_registry_lock_serialises_writers(tmp_path):
    reg = tmp_path / "sources.yml"
    reg.write_text("datasets: []\n")
    waited = []

    def first():
        with locked(reg):
            time.sleep(0.4)

    def second():
        time.sleep(0.05)
        t0 = time.perf_counter()
        with locked(reg):
            waited.append(time.perf_counter() - t0)

    a, b = threading.Thread(target=first), threading.Thread(target=second)
    a.start(), b.start()
    a.join(), b.join()
    assert waited and waited[0] > 0.25


def test_markup_in_data_text_is_never_live_html(tmp_path):
    from sendreport.render.pandoc import markdown_json, run_pandoc

    doc = markdown_json("**Kent<script>alert(1)</script>** and <img src=x onerror=alert(1)>",
                         tmp_path, "t")
    import json

    (tmp_path / "t2.json").write_text(json.dumps(doc))
    run_pandoc(["-f", "json", "t2.json", "-t", "html5", "-o", "t.html"], cwd=tmp_path)
    html = (tmp_path / "t.html").read_text()
    assert "<script" not in html and "<img" not in html and "&lt;script&gt;" in html


def test_a_zip_bomb_is_refused_before_it_is_read(tmp_path):
    bomb = tmp_path / "release.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data/caseload.csv", b"0" * (150 * 2**20))
    assert bomb.stat().st_size < 2**20
    with pytest.raises(DataValidationError, match="refused"):
        open_release_zip(bomb)


@pytest.mark.parametrize("text,match", [
    ("parameters:\n  aera: Kent\n", "did you mean 'area'"),
    ("parameters: [1, 2]\n", "mapping"),
    ("- just\n- a list\n", "mapping"),
    ("parameters:\n  area: [Kent]\n", "scalars"),
    ("parameters:\n  releases: ehcp\n", "DATASET=RELEASE"),
    ("edition: x\n  bad: : yaml\n", "YAML"),
    ("area: Kent\nparameters:\n  releases: ''\n", "put it under 'parameters:'"),
    ("edition: x\nlabels: X\n", "did you mean 'label'"),
])
def test_bad_parameter_files_get_a_message(tmp_path, text, match):
    p = tmp_path / "ed.yml"
    p.write_text(text)
    with pytest.raises(SendReportError, match=match):
        load_edition(p)


@pytest.mark.parametrize("kw,match", [
    ({"scenario": "bogus"}, "scenario"), ({"floor_rate": -5}, "floor_rate"),
    ({"horizon": 1990}, "horizon"), ({"trend_years": 0}, "trend_years"),
])
def test_projection_parameters_out_of_range_are_refused(kw, match):
    with pytest.raises(SendReportError, match=match):
        Assumptions(**kw).check()


@pytest.mark.parametrize("version", ["<b>x</b>", "v" * 300, "../up", ".hidden", "a b"])
def test_version_names_are_checked_before_anything_runs(version):
    from sendreport.config import Paths
    from sendreport.render import render

    with pytest.raises(SendReportError, match="not a valid version name"):
        render(Paths.discover(root=PROJECT), params_file=PROJECT / "params" / "england.yml",
               version=version, echo=lambda *_: None)


def test_a_january_missing_from_the_middle_is_refused():
    import pandas as pd

    from sendreport.validate import check_contiguous

    df = pd.DataFrame({"geographic_level": "national", "measure": "ehcplans",
                       "breakdown_topic": "Total", "breakdown": "Total",
                       "period": ["2019", "2020", "2022", "2023"], "value": 1.0})
    with pytest.raises(DataValidationError, match="lacks January 2021"):
        check_contiguous(df, "f.csv", "ehcplans")
    check_contiguous(df[df["period"] != "2019"].assign(period=["2021", "2022", "2023"]),
                     "f.csv", "ehcplans")


def test_a_partial_dsg_parse_is_refused():
    import pandas as pd

    from sendreport.loaders.dsg import _complete

    few = pd.DataFrame({"geographic_level": "la", "la_code": [str(i) for i in range(100, 130)],
                        "breakdown_topic": "Total", "breakdown": "Total", "measure": "x"})
    with pytest.raises(DataValidationError, match="only 30 local authority rows"):
        _complete(few, "dsg.ods")
    many = pd.DataFrame({"geographic_level": "la", "la_code": [str(i) for i in range(200, 350)],
                         "breakdown_topic": "Total", "breakdown": "Total", "measure": "x"})
    with pytest.raises(DataValidationError, match="only 1 measure columns"):
        _complete(many, "dsg.ods", 32)


def test_every_format_belongs_to_one_dataset():
    from sendreport.formats import FORMAT_DATASET, LOADERS

    assert set(FORMAT_DATASET) == set(LOADERS)


def test_a_kernel_start_race_is_retried_but_another_error_is_not(monkeypatch):
    import jupyter_client.manager as jm

    from sendreport.render import kernels

    calls = []

    def flaky(*a, **k):
        calls.append(1)
        if len(calls) < 3:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return "km", "kc"

    monkeypatch.setattr(jm, "start_new_kernel", flaky)
    monkeypatch.setattr(kernels.time, "sleep", lambda s: None)
    k = kernels.WarmKernel()
    assert len(calls) == 3 and (k.km, k.kc) == ("km", "kc")

    def broken(*a, **k):
        calls.append(1)
        raise RuntimeError("No such kernel named python3")

    calls.clear()
    monkeypatch.setattr(jm, "start_new_kernel", broken)
    with pytest.raises(RuntimeError, match="No such kernel"):
        kernels.WarmKernel()
    assert len(calls) == 1
