"""Every notebook runs top to bottom through the production engine (warm kernels, as
``sendreport render`` runs them), with its defaults and with another parameter set (an LA edition
with an earlier DSG release), and is stored without outputs."""

import ast
import json
import re
from pathlib import Path

import nbformat
import pytest

from sendreport.render.execution import job_for
from sendreport.render.kernels import KernelPool

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))
ALT = {"area": "Kent", "releases": "dsg-allocations=2021-22"}
ROOT = Path(__file__).resolve().parents[2]


def run_all(params_sets: dict[str, tuple[dict, list[Path]]],
            tmp: Path) -> dict[tuple[str, str], tuple]:
    """Notebooks under parameter sets, in one pool of warm kernels (the production engine):
    (set, notebook) -> (executed notebook, outputs folder, error or None)."""
    jobs = []
    for name, (params, notebooks) in params_sets.items():
        for nb in notebooks:
            jobs.append(job_for(nb, params, ROOT, tmp / name / nb.stem, tag=(name, nb.stem)))
    out = KernelPool(2, log_dir=tmp).run(jobs)
    return {r.job.tag: (r.job.output, r.job.output.parent / "outputs", r.error) for r in out}


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("executed")
    projection = [nb for nb in NOTEBOOKS if nb.stem == "18-projection"]
    return run_all({"defaults": ({}, NOTEBOOKS), "kent-dsg-2021-22": (ALT, NOTEBOOKS),
                    "slowing": ({"scenario": "slowing", "floor_rate": 0.02,
                                 "backtest_until": 2018}, projection)}, tmp)
#: what must never reach a reader: missing or infinite numbers, booleans
BAD = re.compile(r"(?<![A-Za-z])(nan|NaN|inf|True|False)(?![A-Za-z])")


def test_every_notebook_is_a_chapter_in_quarto_order():
    import yaml

    cfg = yaml.safe_load((NOTEBOOKS[0].parents[1] / "_quarto.yml").read_text())
    chapters = [Path(c).stem for c in cfg["book"]["chapters"] if c.endswith(".ipynb")]
    # every notebook but the council edition (rendered once per council) is a book chapter
    assert sorted(chapters) == [p.stem for p in NOTEBOOKS if p.stem != "council-edition"]
    assert len(chapters) == 22  # overview, 8 findings, 9 recommendations, projection, 3 annexes
    assert chapters == sorted(chapters)  # numbered in reading order
    assert chapters[0] == "00-overview" and chapters[-1] == "21-data-quality"


def _prose(notebook: Path) -> str:
    return "\n".join(o.get("data", {}).get("text/markdown", "")
                     for c in nbformat.read(notebook, as_version=4).cells
                     for o in c.get("outputs", []))


def test_projection_runs_with_another_scenario(executed):
    out, _, error = executed[("slowing", "18-projection")]
    assert error is None, error
    prose = _prose(out)
    assert "scenario 'slowing'" in prose and "2.0%" in prose


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_without_outputs_and_one_scalar_parameters_cell(nb):
    doc = json.loads(nb.read_text())
    tagged = [c for c in doc["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    tree = ast.parse("".join(tagged[0]["source"]))
    values = {}
    for node in tree.body:
        assert isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        values[node.targets[0].id] = node.value.value
    # the chapter is found from the notebook's name
    assert values["chapter"] == nb.stem
    for c in doc["cells"]:
        if c["cell_type"] == "code":
            assert c.get("outputs") == [] and c.get("execution_count") is None


@pytest.mark.parametrize("params", ["defaults", "kent-dsg-2021-22"])
@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(nb, params, executed):
    out, outputs, error = executed[(params, nb.stem)]
    assert error is None, f"{nb.stem}: {error}"
    done = nbformat.read(out, as_version=4)
    for c in done.cells:
        for o in c.get("outputs", []):
            assert o.get("output_type") != "error"
    prose = _prose(out)
    bad = BAD.findall(prose)
    assert not bad, f"{nb.stem}: {bad[:3]} reached the prose"
    charts = list(outputs.rglob("*.png"))
    for png in charts:  # every chart has its data beside it
        assert png.with_suffix(".csv").exists()
    if params != "defaults" and nb.stem.startswith(("00", "01", "03", "06", "08")):
        assert "Kent" in prose
