"""Every notebook runs top to bottom under papermill, with its defaults and with another
parameter set (an LA edition with an earlier DSG release), and is stored without outputs."""

import ast
import json
import re
from pathlib import Path

import nbformat
import pytest

from sendreport.render.execution import execute_notebook

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))
ALT = {"area": "Kent", "releases": "dsg-allocations=2021-22"}
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


def test_projection_runs_with_another_scenario(tmp_path):
    nb = next(p for p in NOTEBOOKS if p.stem == "18-projection")
    out = tmp_path / nb.name
    execute_notebook(nb, out, parameters={
        "scenario": "slowing", "floor_rate": 0.02, "backtest_until": 2018,
        "output_dir": str(tmp_path / "out")}, cwd=str(nb.parent), kernel_name="python3",
        progress_bar=False)
    prose = "\n".join(o.get("data", {}).get("text/markdown", "")
                      for c in nbformat.read(out, as_version=4).cells
                      for o in c.get("outputs", []))
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


@pytest.mark.parametrize("params", [{}, ALT], ids=["defaults", "kent-dsg-2021-22"])
@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(nb, params, tmp_path):
    out = tmp_path / nb.name
    execute_notebook(nb, out, parameters={**params, "output_dir": str(tmp_path / "out")},
                     cwd=str(nb.parent), kernel_name="python3", progress_bar=False)
    done = nbformat.read(out, as_version=4)
    texts = []
    for c in done.cells:
        for o in c.get("outputs", []):
            assert o.get("output_type") != "error"
            texts.append(o.get("data", {}).get("text/markdown", ""))
    prose = "\n".join(texts)
    bad = BAD.findall(prose)
    assert not bad, f"{nb.stem}: {bad[:3]} reached the prose"
    charts = list((tmp_path / "out").rglob("*.png"))
    for png in charts:  # every chart has its data beside it
        assert png.with_suffix(".csv").exists()
    if params.get("area") and nb.stem.startswith(("00", "01", "03", "06", "08")):
        assert "Kent" in prose
