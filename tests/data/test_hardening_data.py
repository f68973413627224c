"""Hostile and damaged inputs against the real registry and data: labels used as paths, a
format from another dataset, damaged caches, a changed reference table, --where without '='."""

import shutil

import pandas as pd

from sendreport.catalogue import Catalogue
from sendreport.cli import main
from sendreport.render.execution import reference_hash
from tests.conftest import PROJECT, snapshot

DSG = "esfa/dedicated-schools-grant/2023-24/dedicated-schools-grant_2024_07_20.ods"
PDF = ("ofsted/area-send-inspection-reports/2023-01-to-2024-03/"
       "bexley_urn80488_published-2024-02-23.pdf")


def test_a_release_label_cannot_be_a_path(tmp_project, mirror, capsys):
    before = snapshot(tmp_project)
    rc = main(["--root", str(tmp_project.root), "data", "add", str(mirror / DSG),
               "--dataset", "dsg-allocations", "--release", "../../x"])
    assert rc == 2 and "not allowed" in capsys.readouterr().err
    assert snapshot(tmp_project) == before
    assert not (tmp_project.root.parent / "x").exists()


def test_a_bad_release_date_is_refused(tmp_project, mirror, capsys):
    before = snapshot(tmp_project)
    rc = main(["--root", str(tmp_project.root), "data", "add", str(mirror / DSG),
               "--dataset", "dsg-allocations", "--release", "2099-00",
               "--release-date", "banana"])
    assert rc == 2 and "not a date" in capsys.readouterr().err
    assert snapshot(tmp_project) == before


def test_a_format_from_another_dataset_is_refused(tmp_project, mirror, capsys):
    before = snapshot(tmp_project)
    rc = main(["--root", str(tmp_project.root), "data", "add", str(mirror / PDF),
               "--dataset", "dsg-allocations", "--release", "2099-00",
               "--format", "ofsted-area-send-pdf"])
    assert rc == 2 and "does not belong to dataset" in capsys.readouterr().err
    assert snapshot(tmp_project) == before


def test_where_without_equals_is_a_message(paths, capsys):
    rc = main(["--root", str(paths.root), "data", "show", "gdp_deflator", "--where", "period"])
    assert rc == 2 and "COLUMN=VALUE" in capsys.readouterr().err


def test_a_damaged_parse_cache_entry_is_rebuilt_not_trusted(tmp_project, mirror, capsys):
    shutil.rmtree(tmp_project.cache, ignore_errors=True)
    cat = Catalogue(tmp_project)
    good = cat.table("gdp_deflator").copy()
    entries = [p for p in tmp_project.cache.rglob("gdp_deflator.parquet")]
    assert len(entries) == 1
    data = bytearray(entries[0].read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped bit's worth of damage
    entries[0].write_bytes(bytes(data))
    again = Catalogue(tmp_project).table("gdp_deflator")
    pd.testing.assert_frame_equal(again.reset_index(drop=True), good.reset_index(drop=True))
    assert "damaged" in capsys.readouterr().err


def test_a_changed_reference_table_changes_the_execution_key(tmp_project):
    shutil.copytree(PROJECT / "data" / "reference", tmp_project.root / "data" / "reference")
    before = reference_hash(tmp_project.root)
    claims = tmp_project.root / "data" / "reference" / "nao_claims.csv"
    claims.write_text(claims.read_text().replace("576000", "577000"))
    assert reference_hash(tmp_project.root) != before
