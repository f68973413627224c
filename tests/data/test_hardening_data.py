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


EHCP25 = "dfe/education-health-and-care-plans/2025/education-health-and-care-plans_2025.zip"
EHCP22 = "dfe/education-health-and-care-plans/2022/education-health-and-care-plans_2022.zip"


def _edit_caseload(src, dest, edit):
    import csv
    import io
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for n in zin.namelist():
            data = zin.read(n)
            if n.endswith("data/caseload.csv"):
                rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
                edit(rows)
                buf = io.StringIO()
                csv.writer(buf, lineterminator="\n").writerows(rows)
                data = buf.getvalue().encode()
            zout.writestr(n, data)
    return dest


def _bump(level: str, by: int):
    def edit(rows):
        h = rows[0]
        lvl, topic, col = (h.index("geographic_level"), h.index("breakdown_topic"),
                           h.index("ehcplans"))
        tp = h.index("time_period")
        for r in rows[1:]:
            if r[lvl] == level and r[topic] == "All EHC plans" and r[tp] == "202425":
                r[col] = str(int(r[col]) + by)
                return
        raise AssertionError("no row to edit")
    return edit


import pytest  # noqa: E402


@pytest.mark.parametrize("level,by", [("Local authority", 1), ("National", 12000)])
def test_caseload_reconciles_exactly(mirror, tmp_path, level, by):
    from sendreport.errors import DataValidationError
    from sendreport.loaders import ehcp

    bad = _edit_caseload(mirror / EHCP25, tmp_path / "e.zip", _bump(level, by))
    with pytest.raises(DataValidationError, match="do not reconcile"):
        ehcp.load_2023(bad, "test")


def test_a_release_that_would_shorten_the_series_is_refused(tmp_project, mirror, capsys):
    import yaml

    doc = yaml.safe_load(tmp_project.registry.read_text())
    for d in doc["datasets"]:
        if d["id"] == "ehcp":  # the 2022 publication, offered again as if it were the newest
            d["releases"] = [r for r in d["releases"] if r["label"] != "2022"]
    tmp_project.registry.write_text(yaml.safe_dump(doc, sort_keys=False))
    before = snapshot(tmp_project)
    rc = main(["--root", str(tmp_project.root), "--mirror", str(mirror), "data", "add",
               str(mirror / EHCP22), "--dataset", "ehcp", "--release", "2026",
               "--release-date", "2026-06-25", "--format", "ehcp-2022"])
    err = capsys.readouterr().err
    assert rc == 2 and "shorten the series" in err, err
    assert snapshot(tmp_project) == before


def test_an_unreadable_file_is_a_message_not_a_traceback(tmp_project, tmp_path, capsys):
    import os

    if os.geteuid() == 0:  # root reads anything: simulate the refusal instead
        import builtins

        real_open = builtins.open

        def refuse(f, *a, **k):
            if str(f).endswith("locked.csv"):
                raise PermissionError(13, "Permission denied", str(f))
            return real_open(f, *a, **k)

        builtins.open = refuse
    src = tmp_path / "locked.csv"
    src.write_text("x\n")
    src.chmod(0)
    try:
        rc = main(["--root", str(tmp_project.root), "data", "add", str(src), "--dataset",
                   "ons-gdp-deflator", "--release", "2099-01-01", "--release-date", "2025-07"])
    finally:
        if os.geteuid() == 0:
            builtins.open = real_open
    assert rc == 2 and "permission denied" in capsys.readouterr().err
