"""Registry, pull, cache and the maintainer's path: register a new release and rebuild."""

import yaml

from sendreport.catalogue import Catalogue
from sendreport.cli import main
from sendreport.errors import ChecksumError
from sendreport.registry import Registry

DSG = "esfa/dedicated-schools-grant/2022-23/dedicated-schools-grant_2023_07_20.ods"


def test_registry_covers_every_mirror_file(paths, mirror):
    reg = Registry.load(paths.registry)
    registered = {f.path: f.sha256 for _, _, f in reg.all_files()}
    sums = {}
    for line in (mirror / "SHA256SUMS").read_text().splitlines():
        h, p = line.split(maxsplit=1)
        sums[p.removeprefix("./")] = h
    assert registered == sums
    for d in reg.datasets.values():
        assert d.publisher and d.title and d.landing_page and d.licence
        for r in d.releases:
            assert r.release_date and all(f.size > 0 and f.format for f in r.files)


def test_pull_reports_each_file(tmp_project, mirror, capsys):
    rc = main(["--root", str(tmp_project.root), "--mirror", str(mirror), "data", "pull"])
    out = capsys.readouterr().out
    n = len(Registry.load(tmp_project.registry).all_files())
    assert rc == 0 and out.count("copied from mirror") == n
    main(["--root", str(tmp_project.root), "--mirror", str(mirror), "data", "pull"])
    assert capsys.readouterr().out.count("present") == n


def test_add_new_dsg_release_end_to_end(tmp_project, mirror, capsys):
    # start from a registry that has only the 2020-21 and 2021-22 workbooks
    doc = yaml.safe_load(tmp_project.registry.read_text())
    for d in doc["datasets"]:
        if d["id"] == "dsg-allocations":
            d["releases"] = [r for r in d["releases"] if r["label"] in ("2020-21", "2021-22")]
    tmp_project.registry.write_text(yaml.safe_dump(doc, sort_keys=False))
    cat = Catalogue(tmp_project)
    t = cat.table("dsg_high_needs")
    assert sorted(t["period"].astype(str).unique()) == ["2020-21", "2021-22"]

    rc = main(["--root", str(tmp_project.root), "--mirror", str(mirror), "data", "add",
               str(mirror / DSG), "--dataset", "dsg-allocations", "--release", "2022-23",
               "--release-date", "2023-07-20"])
    assert rc == 0, capsys.readouterr().err
    reg = Registry.load(tmp_project.registry)
    rel = reg.dataset("dsg-allocations").latest()
    assert rel.label == "2022-23" and rel.files[0].path.endswith("2022-23/"
                                                                 "dedicated-schools-grant_2023_07_20.ods")
    assert (tmp_project.raw / rel.files[0].path).exists()

    t = Catalogue(tmp_project).table("dsg_high_needs")
    assert sorted(t["period"].astype(str).unique()) == ["2020-21", "2021-22", "2022-23"]
    eng = t[(t.period == "2022-23") & (t.geographic_level == "national")
            & (t.measure == "hnb_before_deductions")]
    assert float(eng["value"].iloc[0]) == 8_988_258_915
    # a second add of the same label is refused and changes nothing
    before = tmp_project.registry.read_text()
    assert main(["--root", str(tmp_project.root), "data", "add", str(mirror / DSG),
                 "--dataset", "dsg-allocations", "--release", "2022-23"]) == 2
    assert tmp_project.registry.read_text() == before


def test_pinned_release_rebuilds_the_past(paths):
    cat = Catalogue(paths, releases={"ehcp": "2022"})
    h = cat.table("ehcp_caseload_harmonised")
    assert h["period"].astype(str).max() == "2022"
    assert set(h["release"].astype(str)) == {"2022"}


def test_cache_is_used_and_never_stale(tmp_project, mirror):
    a = Catalogue(tmp_project)
    reg = a.registry
    ds = reg.dataset("ons-population")
    rel = ds.latest()
    first = a.load_file(ds, rel, rel.files[0])
    assert not first.cached
    b = Catalogue(tmp_project)
    second = b.load_file(ds, rel, rel.files[0])
    assert second.cached
    assert second.tables["population_0_17"].equals(first.tables["population_0_17"])
    # a raw file that no longer matches its checksum is refused, not served from cache
    raw = tmp_project.raw / rel.files[0].path
    raw.chmod(0o644)
    raw.write_text(raw.read_text().replace("12183016", "12183017"))
    c = Catalogue(tmp_project)
    try:
        c.load_file(ds, rel, rel.files[0])
    except ChecksumError as e:
        assert rel.files[0].sha256 in str(e)
    else:
        raise AssertionError("a changed raw file was served")
