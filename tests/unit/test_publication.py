"""Publication finish without the data: table layout, versions index, what changed, compare."""

import json
from pathlib import Path

import pandas as pd
import pytest

from sendreport.charts import _pipe_table, table
from sendreport.render import changes, compare, pandoc, versions


def test_pipe_table_right_aligns_numbers_and_sets_widths_from_words():
    df = pd.DataFrame({"council": ["Kensington and Chelsea", "Bury"], "plans": [1234.0, 5.0],
                       "source": ["[a very long link text](https://x.example/" + "y" * 80 + ")",
                                  "none"]})
    shown = df.assign(plans=df["plans"].map("{:,.0f}".format))
    md = _pipe_table(df, shown)
    sep = md.splitlines()[1].strip("|").split("|")
    assert sep[0].startswith(":") and sep[1].endswith(":") and sep[2].startswith(":")
    # the link's address does not count towards its column's width
    assert len(sep[2]) < 2 * len(sep[0])
    out = table(df, name="t", source="Source: test", outdir=Path("/tmp/sendreport-unit-t"),
                formats={"plans": "{:,.0f}"}, show=False)
    assert "1,234" in out and "Source: test" in out


def _table_json(header, rows):
    def cell(text):
        return [["", [], []], {"t": "AlignDefault"}, 1, 1,
                [{"t": "Plain", "c": [{"t": "Str", "c": w} if i % 2 == 0 else {"t": "Space"}
                                      for i, w in enumerate(" ".join(text.split()).replace(
                                          " ", "  ").split(" "))]}]]

    def row(r):
        return [["", [], []], [cell(c) for c in r]]

    cols = [[{"t": "AlignDefault"}, {"t": "ColWidthDefault"}] for _ in header]
    return {"t": "Table", "c": [["", [], []], [None, []], cols, [["", [], []], [row(header)]],
                                [[["", [], []], 0, [], [row(r) for r in rows]]],
                                [["", [], []], []]]}


def test_pdf_table_columns_are_never_narrower_than_their_longest_word():
    t = _table_json(["date", "what happened", "source"],
                    [["15 January 2025", "words " * 60, "Committee"]] * 3)
    breakable, size = pandoc._table_layout(t)
    widths = [c[1]["c"] for c in t["c"][2]]
    assert abs(sum(widths) - 1) < 1e-9
    capacity = pandoc.LINE_CHARS
    assert widths[0] * capacity >= len("January") and widths[2] * capacity >= len("Committee")
    assert widths[1] > widths[0] and size == 8.2 and not breakable


def test_pdf_table_too_wide_for_its_words_is_set_smaller_and_tall_ones_may_break():
    wide = _table_json([f"column{i}" for i in range(12)], [[f"value{i:04d}" for i in range(12)]])
    _, size = pandoc._table_layout(wide)
    assert size < 8.2
    tall = _table_json(["a", "b"], [["x", "y"]] * 60)
    assert pandoc._table_layout(tall)[0] is True


def _manifest(version, when, headlines, datasets=(("ehcp", "2025"),), edition="England"):
    return {"version": version, "edition": edition, "rendered_at": when, "git_commit": "abc",
            "pdf": "report.pdf", "datasets": [{"dataset": d, "release": r} for d, r in datasets],
            "headlines": {k: {"value": v, "period": "January 2025", "datasets": ["ehcp"]}
                          for k, v in headlines.items()}, "chapters": [], "charts": {}}


def test_what_changed_gives_old_and_new_values_and_the_reason():
    a = _manifest("v1", "2026-01-01T00:00:00", {"EHC plans": 100.0})
    b = _manifest("v2", "2026-02-01T00:00:00", {"EHC plans": 120.0},
                  datasets=(("ehcp", "2026"),))
    claims = pd.DataFrame({"id": ["x"], "description": ["Plans in 2024"], "our_value": [5.0],
                           "status": ["reproduced"], "source": ["DfE ehcp"]})
    md = changes.what_changed(a, claims.assign(our_value=4.0), b, claims)
    assert "ehcp: 2025 to 2026" in md
    assert "| EHC plans" in md and "100 (January 2025)" in md and "120 (January 2025)" in md
    assert "new data release (ehcp 2026)" in md
    assert "Plans in 2024" in md  # a claim is named by what it is, not its id
    same = changes.what_changed(a, claims, _manifest("v2", "x", {"EHC plans": 100.0}), claims)
    assert "No headline figure and no figure in the claims register changed value" in same
    assert "same data" in same
    fixed = pd.DataFrame({"corrects_version": ["v1"], "chapter": ["council-edition"],
                          "item": [""], "previously": ["x"], "reason": ["y"]})
    assert "Council editions" in changes.what_changed(
        a, claims, _manifest("v2", "x", {"EHC plans": 100.0}), claims, fixed)
    assert changes.change_summary(a, b, claims, claims, fixed).endswith(
        "1 statement of version v1 corrected (see What changed).")
    assert changes.change_summary(a, b, claims, claims.assign(our_value=4.0)).startswith(
        "New data: ehcp 2026. 2 figures changed")


def test_versions_index_marks_the_latest_and_summarises_each(tmp_path):
    for m in (_manifest("v1", "2026-01-01T00:00:00", {"EHC plans": 100.0}),
              _manifest("v2", "2026-02-01T00:00:00", {"EHC plans": 120.0})):
        (tmp_path / m["version"]).mkdir()
        (tmp_path / m["version"] / "manifest.json").write_text(json.dumps(m))
    page = versions.write_index(tmp_path).read_text()
    assert page.count('class="latest"') == 1
    assert page.index("v2/index.html") < page.index("v1/index.html")
    row_v2 = page[page.index("v2/index.html"):page.index("v1/index.html")]
    assert "latest" in row_v2 and "1 figure changed: EHC plans" in row_v2
    assert "First published version." in page
    assert "<main>" in page


def test_compare_says_identical_or_lists_the_differences(tmp_path):
    report = tmp_path / "report"
    for name, value in (("v1", "1"), ("_draft", "1")):
        d = report / name / "data" / "ch"
        d.mkdir(parents=True)
        (d / "t.csv").write_text(f"a,b\nx,{value}\n")
        m = _manifest(name, f"2026-0{1 + (name == '_draft')}-01", {"EHC plans": 100.0})
        (report / name / "manifest.json").write_text(json.dumps(m))
    same = compare.compare(report / "_draft", report)
    assert same.identical and "reproduces version v1" in same.report()
    (report / "_draft" / "data" / "ch" / "t.csv").write_text("a,b\nx,2\n")
    (report / "_draft" / "data" / "new.csv").write_text("a\n1\n")
    diff = compare.compare(report / "_draft", report)
    assert not diff.identical
    assert diff.differing == ["ch/t.csv"] and diff.only_draft == ["new.csv"]
    with pytest.raises(Exception, match="no published version 'nope'"):
        compare.compare(report / "_draft", report, "nope")


def test_chapter_references_become_numbers_or_keep_their_words():
    chapters = [pandoc.Chapter(1, "00-overview", "Overview", [], heading_id="overview"),
                pandoc.Chapter(2, "15-rec7-implementation", "Rec 7", [], heading_id="rec-7")]

    def link(stem):
        return {"t": "Link", "c": [["", [], []], [{"t": "Str", "c": "the"}, {"t": "Space"},
                                                   {"t": "Str", "c": "chapter"}],
                                   [f"#chapter:{stem}", ""]]}

    blocks = [{"t": "Para", "c": [link("15-rec7-implementation"), link("20-methods")]}]
    pandoc._chapter_references(blocks, chapters)
    first, second = blocks[0]["c"]
    assert pandoc.stringify(first) == "chapter 2" and first["c"][2][0] == "#rec-7"
    assert second["t"] == "Span" and pandoc.stringify(second) == "the chapter"
