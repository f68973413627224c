import pandas as pd
import pytest

from sendreport.charts import PALETTE, ChartError, chart, table

BASE = dict(kind="line", x="year", y="v", name="t", title="A title that states the finding",
            subtitle="measure, period", alt="alt text", source="Source: somewhere (release 1)")


def test_chart_writes_images_and_exactly_the_plotted_data(tmp_path):
    df = pd.DataFrame({"year": ["2020", "2021"], "v": [1.0, 2.0], "unused": [9, 9]})
    r = chart(df, outdir=tmp_path, show=False, **BASE)
    assert r.png.exists() and r.svg.exists()
    back = pd.read_csv(r.csv, dtype={"year": str})
    assert list(back.columns) == ["year", "v"] and back["v"].tolist() == [1.0, 2.0]
    assert "alt text" in r.svg.read_text()  # SVG carries the description


@pytest.mark.parametrize("missing", ["title", "subtitle", "alt", "source"])
def test_chart_refuses_without_title_subtitle_alt_or_source(tmp_path, missing):
    df = pd.DataFrame({"year": ["2020"], "v": [1.0]})
    kw = {**BASE, missing: ""}
    with pytest.raises(ChartError, match=missing):
        chart(df, outdir=tmp_path, show=False, **kw)


def test_chart_refuses_more_than_four_categories(tmp_path):
    df = pd.DataFrame({"year": ["2020"] * 5, "v": range(5), "g": list("abcde")})
    with pytest.raises(ChartError, match="at most 4"):
        chart(df, outdir=tmp_path, show=False, hue="g", **BASE)


def test_palette_is_the_analysis_function_palette():
    assert PALETTE[:4] == ["#12436D", "#28A197", "#801650", "#F46A25"]


def test_table_has_source_line_and_csv(tmp_path):
    md = table(pd.DataFrame({"a": [1.5]}), name="tab", source="Source: X (release 2)",
               outdir=tmp_path, formats={"a": "{:.0f}"}, show=False)
    assert md.rstrip().endswith("*Source: X (release 2)*")
    assert "|   2 |" in md  # formatted as asked
    assert (tmp_path / "tab.csv").read_text().startswith("a\n1.5")
    with pytest.raises(ChartError, match="source"):
        table(pd.DataFrame({"a": [1]}), name="t", source="", outdir=tmp_path, show=False)
