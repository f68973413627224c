"""Bad input gets a clear error naming file, column and row, and changes nothing."""

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from sendreport.cli import main
from sendreport.errors import ChecksumError, DataValidationError
from sendreport.loaders import dsg, ehcp
from sendreport.raw import ensure_file
from sendreport.registry import FileEntry
from tests.conftest import snapshot

ZIP22 = "dfe/education-health-and-care-plans/2022/education-health-and-care-plans_2022.zip"
DSG23 = "esfa/dedicated-schools-grant/2022-23/dedicated-schools-grant_2023_07_20.ods"


def rezip(src: Path, dest: Path, member: str, edit) -> Path:
    """Copy a release zip, passing one member's text through ``edit``; drop other big CSVs."""
    keep = {"data/sen2_mi.csv", "data/sen2_estab_caseload.csv", "data/sen2_age_caseload.csv"}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for n in zin.namelist():
            if n not in keep:
                continue
            data = zin.read(n)
            if n.endswith(member):
                data = edit(data.decode("utf-8-sig")).encode()
            zout.writestr(n, data)
    return dest


def lines_edit(fn):
    def edit(text):
        lines = text.splitlines()
        fn(lines)
        return "\n".join(lines) + "\n"
    return edit


@pytest.fixture
def mi_zip(tmp_path, mirror):
    def make(fn):
        return rezip(mirror / ZIP22, tmp_path / "ehcp.zip", "sen2_mi.csv", lines_edit(fn))
    return make


def test_missing_column(mi_zip):
    def drop(lines):
        for i, line in enumerate(lines):
            cells = line.split(",")
            lines[i] = ",".join(cells[:-1])  # drops NewEHCTribunal_pc ... and keeps others
    def drop_inreq(lines):
        head = lines[0].split(",")
        j = head.index("InreqEHC")
        for i, line in enumerate(lines):
            c = line.split(",")
            lines[i] = ",".join(c[:j] + c[j + 1:])
    with pytest.raises(DataValidationError) as e:
        ehcp.load_2022(mi_zip(drop_inreq), "t")
    assert "sen2_mi.csv" in str(e.value) and "'InreqEHC'" in str(e.value)
    assert "missing" in str(e.value)


def test_renamed_column(mi_zip):
    def rename(lines):
        lines[0] = lines[0].replace("AssRefusedEHC,", "AssRefusedEHCP,", 1)
    with pytest.raises(DataValidationError, match=r"AssRefusedEHC.*renamed\?"):
        ehcp.load_2022(mi_zip(rename), "t")


def test_text_in_numeric_column_names_row(mi_zip):
    def bad(lines):
        c = lines[5].split(",")
        head = lines[0].split(",")
        c[head.index("InreqEHC")] = "lots"
        lines[5] = ",".join(c)
    with pytest.raises(DataValidationError) as e:
        ehcp.load_2022(mi_zip(bad), "t")
    msg = str(e.value)
    assert "column 'InreqEHC'" in msg and "row 6" in msg and "'lots'" in msg


def test_duplicated_la_row(mi_zip):
    def dup(lines):
        la = next(i for i, line in enumerate(lines) if ",Local authority," in line)
        lines.insert(la + 1, lines[la])
    with pytest.raises(DataValidationError, match="duplicated row"):
        ehcp.load_2022(mi_zip(dup), "t")


def test_la_total_that_does_not_reconcile(mi_zip):
    def inflate(lines):
        head = lines[0].split(",")
        j = head.index("InreqEHC")
        la = next(i for i, line in enumerate(lines) if ",Local authority," in line)
        c = lines[la].split(",")
        c[j] = str(int(c[j]) + 5000)
        lines[la] = ",".join(c)
    with pytest.raises(DataValidationError, match="do not reconcile") as e:
        ehcp.load_2022(mi_zip(inflate), "t")
    assert "InreqEHC" in str(e.value)


def test_unit_error_caught_year_on_year(mi_zip):
    def thousand(lines):
        head = lines[0].split(",")
        j = head.index("NewallEHC")
        for i, line in enumerate(lines):
            c = line.split(",")
            if len(c) > j and c[0] == "2020":
                c[j] = str(int(c[j]) * 1000) if c[j].isdigit() else c[j]
                lines[i] = ",".join(c)
    with pytest.raises(DataValidationError, match="implausibly|reconcile"):
        ehcp.load_2022(mi_zip(thousand), "t")


def test_truncated_zip(tmp_path, mirror):
    data = (mirror / ZIP22).read_bytes()
    p = tmp_path / "trunc.zip"
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataValidationError, match="release zip|truncated|corrupt"):
        ehcp.load_2022(p, "t")


def test_empty_file(tmp_path):
    p = tmp_path / "empty.zip"
    p.write_bytes(b"")
    with pytest.raises(DataValidationError, match="empty"):
        ehcp.load_2022(p, "t")


def test_csv_or_workbook_where_zip_expected(tmp_path, mirror):
    csv = tmp_path / "caseload.csv"
    csv.write_text("time_period,x\n2024,1\n")
    with pytest.raises(DataValidationError, match="not a release zip"):
        ehcp.load_2023(csv, "t")
    with pytest.raises(DataValidationError, match="workbooks|no file"):
        ehcp.load_2023(mirror / DSG23, "t")


def test_workbook_without_high_needs_sheet(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Allocations_summary"
    p = tmp_path / "dsg.xlsx"
    wb.save(p)
    with pytest.raises(DataValidationError) as e:
        dsg.load(p, "2023-24")
    assert "high_needs_block" in str(e.value) and "Allocations_summary" in str(e.value)


def test_zip_given_where_workbook_expected(mirror):
    with pytest.raises(DataValidationError, match="not a workbook|is a zip"):
        dsg.load(mirror / ZIP22, "t")


def test_checksum_mismatch_names_file_and_both_hashes(tmp_project, mirror):
    entry = FileEntry(ZIP22, "0" * 64, 1, "ehcp-2022")
    with pytest.raises(ChecksumError) as e:
        ensure_file(tmp_project, entry)
    msg = str(e.value)
    assert ZIP22 in msg and "0" * 64 in msg
    assert "49dc932e15a616dc" in msg  # the file's real hash
    assert not (tmp_project.raw / ZIP22).exists()  # nothing half-written


@pytest.mark.parametrize("kind", ["truncated", "csv", "empty", "no-sheet"])
def test_data_add_rejects_bad_files_and_changes_nothing(tmp_project, mirror, tmp_path, kind,
                                                        capsys):
    if kind == "truncated":
        p = tmp_path / "dsg.ods"
        data = (mirror / DSG23).read_bytes()
        p.write_bytes(data[: len(data) // 3])
    elif kind == "csv":
        p = tmp_path / "dsg.ods"
        p.write_text("a,b\n1,2\n")
    elif kind == "empty":
        p = tmp_path / "dsg.ods"
        p.write_bytes(b"")
    else:
        wb = openpyxl.Workbook()
        wb.active.title = "Allocations_summary"
        p = tmp_path / "dsg.xlsx"
        wb.save(p)
    before = snapshot(tmp_project)
    rc = main(["--root", str(tmp_project.root), "--mirror", str(mirror), "data", "add", str(p),
               "--dataset", "dsg-allocations", "--release", "2023-24"])
    assert rc == 2
    assert "error:" in capsys.readouterr().err
    assert snapshot(tmp_project) == before


def io_unused():  # keep io imported for editors; not a test
    return io
