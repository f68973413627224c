"""A new data release re-executes exactly the chapters that read it."""

import yaml

from sendreport.registry import Registry
from sendreport.render.execution import execute_all
from tests.e2e.test_render import make_root

CHAPTERS = ["02-ehcp-growth-and-high-needs", "19-reproduction-scorecard"]


def test_new_release_reexecutes_only_its_readers(tmp_path, mirror):
    paths = make_root(tmp_path, mirror)
    # a private execution cache (parsed tables still shared), so the first run really executes
    shared = (paths.root / "data" / "cache").resolve()
    (paths.root / "data" / "cache").unlink()
    (paths.root / "data" / "cache").mkdir()
    for entry in shared.iterdir():
        if entry.name != "executed":
            (paths.root / "data" / "cache" / entry.name).symlink_to(entry)
    nbs = [paths.root / "notebooks" / f"{c}.ipynb" for c in CHAPTERS]
    params = {"area": "England"}

    # before: the registry lacks the newest (2023-24) DSG workbook
    doc = yaml.safe_load(paths.registry.read_text())
    full = yaml.safe_dump(doc, sort_keys=False)
    for d in doc["datasets"]:
        if d["id"] == "dsg-allocations":
            d["releases"] = [r for r in d["releases"] if r["label"] != "2023-24"]
    paths.registry.write_text(yaml.safe_dump(doc, sort_keys=False))
    first = execute_all(nbs, params, paths, registry=Registry.load(paths.registry),
                        echo=lambda *_: None)
    read = {r.name: {i["dataset"] for i in r.inputs} for r in first}
    assert "dsg-allocations" in read["02-ehcp-growth-and-high-needs"]
    assert "dsg-allocations" not in read["19-reproduction-scorecard"]

    # unchanged: nothing runs
    lines = []
    execute_all(nbs, params, paths, registry=Registry.load(paths.registry), echo=lines.append)
    assert all("cached" in line for line in lines) and len(lines) == 2

    # the new release is registered: only the chapter that reads DSG allocations re-runs
    paths.registry.write_text(full)
    lines = []
    res = execute_all(nbs, params, paths, registry=Registry.load(paths.registry),
                      echo=lines.append)
    ran = {line.split()[1] for line in lines if line.strip().startswith("executed")}
    kept = {line.split()[1] for line in lines if line.strip().startswith("cached")}
    assert ran == {"02-ehcp-growth-and-high-needs"}
    assert kept == {"19-reproduction-scorecard"}
    new = next(r for r in res if r.name.startswith("02"))
    assert "2023-24" in {i["release"] for i in new.inputs if i["dataset"] == "dsg-allocations"}
