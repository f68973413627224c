from sendreport.cli import main


def test_check_passes_on_every_mirror_file(paths, mirror, capsys):
    rc = main(["--root", str(paths.root), "--mirror", str(mirror), "data", "check"])
    out = capsys.readouterr().out
    assert rc == 0, out
    assert out.count("\nok ") + out.startswith("ok ") >= 16
    assert "all registered files passed validation" in out
    assert "publisher error" in out  # the known defect is reported, not hidden


def test_tables_and_show_csv(paths, capsys):
    assert main(["--root", str(paths.root), "data", "tables"]) == 0
    out = capsys.readouterr().out
    assert "ehcp_caseload_harmonised" in out and "2010 to 2025" in out
    assert main(["--root", str(paths.root), "data", "show", "ehcp_caseload_harmonised",
                 "--format", "csv", "--where", "geographic_level=national",
                 "--where", "breakdown=total"]) == 0
    csv = capsys.readouterr().out.splitlines()
    assert csv[0].startswith("period,") and len(csv) == 1 + 16
    assert any(line.startswith("2024,") and ",576474.0," in line for line in csv)


def test_unknown_table_is_a_clear_error(paths, capsys):
    assert main(["--root", str(paths.root), "data", "show", "nope"]) == 2
    assert "no table 'nope'" in capsys.readouterr().err
