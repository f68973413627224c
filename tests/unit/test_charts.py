import pandas as pd
import pytest

from sendreport.charts import ChartError, chart, table

BASE = dict(kind="line", x="year", y="v", name="t", title="A title that states the finding",
            subtitle="measure, period", alt="alt text", source="Source: somewhere (release 1)")


def test_chart_writes_images_and_exactly_the_plotted_data(tmp_path):
    df = pd.DataFrame({"year": [2020, 2021], "v": [1.0, 2.0], "unused": [9, 9]})
    r = chart(df, outdir=tmp_path, show=False, **BASE)
    assert r.png.exists() and r.svg.exists()
    back = pd.read_csv(r.csv)
    assert list(back.columns) == ["year", "v"] and back["v"].tolist() == [1.0, 2.0]
    assert "alt text" in r.svg.read_text()  # SVG carries the description


@pytest.mark.parametrize("missing", ["title", "subtitle", "alt", "source"])
def test_chart_refuses_without_title_subtitle_alt_or_source(tmp_path, missing):
    df = pd.DataFrame({"year": [2020], "v": [1.0]})
    kw = {**BASE, missing: ""}
    with pytest.raises(ChartError, match=missing):
        chart(df, outdir=tmp_path, show=False, **kw)


def test_chart_refuses_more_than_four_categories(tmp_path):
    df = pd.DataFrame({"year": [2020] * 5, "v": range(5), "g": list("abcde")})
    with pytest.raises(ChartError, match="at most 4"):
        chart(df, outdir=tmp_path, show=False, hue="g", **BASE)


@pytest.mark.parametrize("years,match", [
    (["2016", "2024", "2014"], "are text"),
    (["2020-21", "2019-20"], "not in sorted order"),
])
def test_line_chart_refuses_a_time_axis_that_is_not_numeric_and_sorted(tmp_path, years, match):
    df = pd.DataFrame({"year": years, "v": range(len(years))})
    with pytest.raises(ChartError, match=match):
        chart(df, outdir=tmp_path, show=False, **BASE)
    # the same years as numbers are accepted, whatever their order in the data
    if years[0].isdigit():
        ok = df.assign(year=df["year"].astype(int))
        chart(ok, outdir=tmp_path, show=False, **BASE)


def test_table_never_shows_nan_inf_or_booleans(tmp_path):
    df = pd.DataFrame({"a": [float("nan"), float("inf"), 2.0], "b": [True, False, True]})
    md = table(df, name="t", source="Source: X", outdir=tmp_path, show=False,
               formats={"a": "{:.0f}%"})
    body = md.split("*Source")[0]
    for word in ("nan", "inf", "True", "False"):
        assert word not in body
    assert "2%" in body and "yes" in body and "no" in body


def test_table_has_source_line_and_csv(tmp_path):
    md = table(pd.DataFrame({"a": [1.5]}), name="tab", source="Source: X (release 2)",
               outdir=tmp_path, formats={"a": "{:.0f}"}, show=False)
    assert md.rstrip().endswith("*Source: X (release 2)*")
    assert "|   2 |" in md  # formatted as asked
    assert (tmp_path / "tab.csv").read_text().startswith("a\n1.5")
    with pytest.raises(ChartError, match="source"):
        table(pd.DataFrame({"a": [1]}), name="t", source="", outdir=tmp_path, show=False)


def test_narrow_svg_exists_keeps_text_as_text_and_legend_has_no_column_names(tmp_path):
    import re

    df = pd.DataFrame({"year": [2010, 2011, 2012, 2013] * 2, "plans": [1, 2, 3, 4, 2, 3, 4, 5],
                       "age_group": ["Under 5"] * 4 + ["Age 5 to 10"] * 4,
                       "collection": ["old", "old", "new", "new"] * 2})
    r = chart(df, kind="line", x="year", y="plans", hue="age_group", breaks="collection",
              name="ages", title="T", subtitle="S", alt="A", source="Source: s",
              outdir=tmp_path, show=False)
    for f in (r.svg, r.narrow):
        svg = f.read_text()
        assert "Under 5" in svg and "Age 5 to 10" in svg  # legend entries, as text
        assert ">age_group<" not in svg and ">collection<" not in svg
    wide = float(re.search(r'width="([\d.]+)pt"', r.svg.read_text()).group(1))
    narrow_svg = r.narrow.read_text()
    narrow = float(re.search(r'width="([\d.]+)pt"', narrow_svg).group(1))
    assert narrow < 0.6 * wide
    # no text on the phone-shaped chart under 9 pt (12 CSS pixels at its own size)
    assert min(float(x) for x in re.findall(r"font-size: ?([\d.]+)px", narrow_svg)) >= 9


def test_flagged_points_are_marked_and_named_in_the_legend(tmp_path):
    df = pd.DataFrame({"year": [2022, 2023, 2024, 2022, 2023, 2024],
                       "v": [10.0, 30.0, 12.0, 11.0, 12.0, 13.0],
                       "series": ["Nottingham"] * 3 + ["England"] * 3,
                       "flag": ["", "implausible", "", "", "", ""]})
    r = chart(df, outdir=tmp_path, show=False, hue="series", flagged="flag",
              **{**BASE, "y": "v"})
    for f in (r.svg, r.narrow):
        svg = f.read_text()
        assert "flagged as implausible" in svg
        assert ">flag<" not in svg  # the column's name is not a legend entry
    assert pd.read_csv(r.csv, keep_default_na=False)["flag"].tolist()[1] == "implausible"
    unflagged = chart(df.assign(flag=""), outdir=tmp_path / "u", show=False, hue="series",
                      flagged="flag", **{**BASE, "y": "v"})
    assert "flagged as" not in unflagged.svg.read_text()
    with pytest.raises(ChartError, match="line charts only"):
        chart(df, outdir=tmp_path, show=False, hue="series", flagged="flag",
              **{**BASE, "kind": "bar", "y": "v"})


def test_year_ticks_are_whole_and_bar_labels_wrap(tmp_path):
    import re

    df = pd.DataFrame({"year": list(range(2013, 2026)), "v": [float(i) for i in range(13)]})
    svg = chart(df, outdir=tmp_path, show=False, **BASE).narrow.read_text()
    assert not re.search(r">20\d\d\.\d<", svg)
    bars = pd.DataFrame({"placement": ["Mainstream", "State special", "Independent special"],
                         "share": [40.0, 30.0, 5.0]})
    r = chart(bars, outdir=tmp_path / "b", show=False,
              **{**BASE, "kind": "bar", "x": "placement", "y": "share"})
    narrow = r.narrow.read_text()
    assert ">Independent special<" not in narrow and ">Independent<" in narrow
