"""The one chart and table helper every notebook uses.

No chart leaves here without a title that states the finding, a subtitle with the measure and
period, alt text, a source line (publisher, dataset, release) and the Analysis Function palette,
and the exact plotted data is written as a CSV beside the image. Tables likewise get a source
line and a CSV.
"""

from __future__ import annotations

import io
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker as mticker  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

#: Government Analysis Function categorical palette
PALETTE = ["#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1"]
MAX_CATEGORIES = 4


class ChartError(ValueError):
    """A chart was asked for without something every chart must have."""


@dataclass
class Rendered:
    name: str
    png: Path
    svg: Path
    csv: Path
    alt: str
    title: str
    source: str
    narrow: Path | None = None

    def _ipython_display_(self) -> None:
        """The chart is displayed when drawn; the returned record shows nothing more."""


def _slug(name: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if not s:
        raise ChartError("a chart needs a name for its files")
    return s


def _require(**kw):
    for k, v in kw.items():
        if not v or not str(v).strip():
            raise ChartError(f"a chart needs a non-empty {k}")


def _number_points(ax, plotted, x, y, label, annotate, subtitle: str,
                   fontsize: float = 8) -> str:
    """Number the named points beside their own dots (above, else below, right or left where
    another number is near) and return the subtitle with a key of the numbers: names in the
    plot overlap where points cluster."""
    named = plotted[plotted[label].isin(annotate)].sort_values(x)
    key: list[str] = []
    used: list[tuple[float, float]] = []
    to_px = ax.transData.transform
    for k, (_, r) in enumerate(named.iterrows(), start=1):
        ax.scatter([r[x]], [r[y]], s=46, color=PALETTE[3], zorder=3, edgecolor="white",
                   linewidth=0.6)
        px, py = to_px((r[x], r[y]))
        for dx, dy in ((0, 9), (0, -11), (10, -1), (-10, -1), (0, 20), (0, -22)):
            if all(abs(px + dx - ux) > 9 or abs(py + dy - uy) > 9 for ux, uy in used):
                break
        used.append((px + dx, py + dy))
        ax.annotate(str(k), (r[x], r[y]), xytext=(dx, dy), textcoords="offset points",
                    ha="center", va="center", fontsize=fontsize, fontweight="bold", color="#3D3D3D",
                    zorder=4)
        key.append(f"{k}\u00a0{r[label]}")
    return f"{subtitle}. Numbered (orange): " + "; ".join(key) if key else subtitle


def _record(outdir: Path, slug: str, **words: str) -> None:
    """Keep each chart's title, subtitle and alt text in the chapter's _charts.json, so that a
    published version's manifest records the words of every chart (and "What changed" can
    compare them between versions)."""
    import json

    path = outdir / "_charts.json"
    doc = json.loads(path.read_text()) if path.exists() else {}
    doc[slug] = words
    path.write_text(json.dumps(doc, indent=1))


def _check_time_axis(plotted: pd.DataFrame, x: str, name: str) -> None:
    """A line chart's x axis is time: numeric years, or labels (2020-21) in sorted order.

    Years given as text would be placed as categories in order of appearance, so a series that
    starts with a later year puts 2014 after 2024; such a chart is refused.
    """
    xs = plotted[x]
    if pd.api.types.is_numeric_dtype(xs):
        return
    text = xs.astype(str)
    if text.str.fullmatch(r"\d{4}").all():
        raise ChartError(f"chart '{name}': years on the time axis '{x}' are text; give them as "
                         f"numbers so that the axis is numeric and sorted")
    order = list(dict.fromkeys(text))
    if order != sorted(order):
        raise ChartError(f"chart '{name}': the time axis '{x}' is not in sorted order "
                         f"({', '.join(order[:4])}...)")


def _style(ax):
    sns.despine(ax=ax)
    ax.grid(axis="y", color="#d9d9d9", linewidth=0.8)
    ax.set_axisbelow(True)


def chart(
    data: pd.DataFrame,
    *,
    kind: str,
    x: str,
    y: str,
    name: str,
    title: str,
    subtitle: str,
    alt: str,
    source: str,
    outdir: str | Path,
    hue: str | None = None,
    breaks: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    percent: bool = False,
    thousands: bool = False,
    highlight: str | None = None,
    label: str | None = None,
    annotate: list[str] | None = None,
    limits: pd.DataFrame | None = None,
    flagged: str | None = None,
    show: bool = True,
) -> Rendered:
    """Draw, save (PNG at 200 dpi and SVG) and write the plotted data as CSV.

    kind: "line", "bar" (vertical), "barh" (horizontal, for rankings), "hist" or "scatter".
    highlight: for bar/barh, a category on ``x`` (or ``y`` for barh) drawn in the accent colour.
    breaks: for line charts, the column naming the collection of each value: the two sides of a
    series break are drawn as separate lines in different dash styles, never joined.
    label, annotate: for scatter, the column naming each point and the points to name on the chart.
    flagged: for line charts, a column of data-quality flags (text; empty where the value is not
    flagged): flagged points are drawn as a cross over the line, with a legend entry saying so,
    so that a chart never shows a flagged value as an ordinary one.
    """
    _require(title=title, subtitle=subtitle, alt=alt, source=source)
    if kind not in {"line", "bar", "barh", "hist", "scatter"}:
        raise ChartError(f"unknown chart kind '{kind}'")
    if flagged is not None and kind != "line":
        raise ChartError(f"chart '{name}': flagged points are drawn on line charts only")
    cols = [c for c in (label, x, y, hue, breaks, flagged) if c]
    missing = [c for c in cols if c not in data.columns]
    if missing:
        raise ChartError(f"chart '{name}': no column(s) {missing} in the data")
    plotted = data[cols].copy()
    for c in cols:  # categorical dtypes carry unused categories into legends and palettes
        if not pd.api.types.is_numeric_dtype(plotted[c]):
            plotted[c] = plotted[c].fillna("").astype(str)
    if plotted.empty:
        raise ChartError(f"chart '{name}': nothing to plot")
    if kind == "line":
        _check_time_axis(plotted, x, name)
    if hue is not None and plotted[hue].nunique() > MAX_CATEGORIES:
        raise ChartError(f"chart '{name}': {plotted[hue].nunique()} categories in '{hue}'; "
                         f"at most {MAX_CATEGORIES} in one chart")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    slug = _slug(name)

    kw = dict(kind=kind, x=x, y=y, hue=hue, breaks=breaks, xlabel=xlabel, ylabel=ylabel,
              percent=percent, thousands=thousands, highlight=highlight, label=label,
              annotate=annotate, limits=limits, title=title, subtitle=subtitle, source=source,
              flagged=flagged)
    svg, narrow = outdir / f"{slug}.svg", outdir / f"{slug}-narrow.svg"
    png, csv = outdir / f"{slug}.png", outdir / f"{slug}.csv"
    meta = {"Title": title, "Description": alt, "Date": None}
    with plt.rc_context(SVG_RC):
        fig, drawn_subtitle = _draw(plotted, WIDE, **kw)
        fig.savefig(svg, metadata=meta)
        _compact(svg)
        buf = io.BytesIO()
        # a PNG for the notebook's own display (and for anyone who wants a bitmap)
        fig.savefig(buf, format="png", dpi=110)
        png.write_bytes(buf.getvalue())
        plt.close(fig)
        fig, _ = _draw(plotted, NARROW, **kw)
        fig.savefig(narrow, metadata=meta)
        _compact(narrow)
        plt.close(fig)
    plotted.to_csv(csv, index=False)
    _record(outdir, slug, title=title, subtitle=drawn_subtitle, alt=alt)
    if show:
        from IPython.display import Image, display

        # the image's metadata names the chart, so that a render can put its vector versions
        # (wide for print and desktop, narrow for phones) in place of this preview
        display(Image(data=buf.getvalue(), format="png", metadata={"alt": alt, "chart": slug}))
    return Rendered(slug, png, svg, csv, alt, title, source, narrow)


@dataclass(frozen=True)
class Layout:
    """Sizes of one version of a chart: inches, points and characters per wrapped line."""
    figsize: tuple[float, float]
    title: float
    subtitle: float
    source: float
    ticks: float
    legend: float
    wrap_title: int
    wrap_subtitle: int
    wrap_source: int
    legend_chars: int  # legend entries side by side while their labels are shorter than this


#: print and desktop: 7 inches wide, the PDF's text width, so that type is printed near size
WIDE = Layout((7.0, 4.2), 12, 9, 8, 9, 8.5, 66, 100, 112, 70)
#: phones: 3.6 inches (about 345 CSS pixels), shown at its own size on a 390 px screen, so no
#: text is smaller than 9 points (12 CSS pixels)
NARROW = Layout((3.6, 3.3), 11, 9.5, 9, 9.5, 9, 38, 44, 50, 30)
#: text in SVGs stays text (smaller files, selectable, read by screen readers and search);
#: ids and dates are fixed so that the same data draw the same file
SVG_RC = {"svg.fonttype": "none", "svg.hashsalt": "sendreport",
          "font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"]}


def _draw(plotted, L: Layout, *, kind, x, y, hue, breaks, xlabel, ylabel, percent, thousands,
          highlight, label, annotate, limits, title, subtitle, source, flagged=None):
    """Draw one version of a chart; returns the figure and the subtitle as drawn."""
    fig, ax = plt.subplots(figsize=L.figsize, dpi=100)
    if kind == "line":
        # ``breaks``: a column naming the collection each value comes from; each collection is
        # drawn as its own line (solid, then dashed), so a series break is never joined
        # the older collection solid, the newer dashed, whatever order the rows come in
        order = (list(plotted.groupby(breaks)[x].min().sort_values().index) if breaks
                 else None)
        sns.lineplot(data=plotted, x=x, y=y, hue=hue, style=breaks, style_order=order,
                     ax=ax, marker="o",
                     linewidth=2, palette=PALETTE[: plotted[hue].nunique()] if hue else None,
                     color=None if hue else PALETTE[0])
        if flagged is not None:
            marked = plotted[plotted[flagged].astype(str) != ""]
            for word, part in marked.groupby(flagged, sort=True):
                ax.scatter(part[x], part[y], marker="X", s=110, color="#D4351C",
                           edgecolor="white", linewidth=0.8, zorder=5,
                           label=f"flagged as {word}")
    elif kind in ("bar", "barh"):
        cat_axis = x if kind == "bar" else y  # the axis of categories
        colors = None
        if highlight is not None and hue is None:
            colors = [PALETTE[3] if str(v) == str(highlight) else PALETTE[0]
                      for v in plotted[cat_axis]]
        sns.barplot(data=plotted, x=x, y=y, hue=hue if hue else (cat_axis if colors else None),
                    ax=ax, orient="v" if kind == "bar" else "h",
                    palette=colors if colors else (PALETTE[: plotted[hue].nunique()]
                                                   if hue else None),
                    color=None if (hue or colors) else PALETTE[0], legend=bool(hue))
    elif kind == "scatter" and limits is not None:
        # a funnel plot: the points, the centre line and control limits that narrow as the
        # denominator grows (columns x, centre and one lower_/upper_ pair per level)
        sns.scatterplot(data=plotted, x=x, y=y, ax=ax, s=24, alpha=0.8, color=PALETTE[0])
        lim = limits.sort_values("x")
        ax.plot(lim["x"], lim["centre"], color=PALETTE[4], lw=1, label="England")
        for col, style in (("95", ":"), ("99.8", "--")):
            if f"lower_{col}" in lim:
                ax.plot(lim["x"], lim[f"lower_{col}"], color=PALETTE[4], lw=0.9, ls=style,
                        label=f"{col}% limits")
                ax.plot(lim["x"], lim[f"upper_{col}"], color=PALETTE[4], lw=0.9, ls=style)
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
        lo, hi = plotted[y].min(), plotted[y].max()
        pad = 0.15 * (hi - lo)
        ax.set_ylim(max(0, lo - pad), hi + pad)  # limits for tiny councils run off the chart
        ax.legend(frameon=False, loc="lower left", bbox_to_anchor=(0, 1.0),
                  ncol=3 if L.legend_chars > 40 else 2, fontsize=L.legend)
        if label and annotate:
            subtitle = _number_points(ax, plotted, x, y, label, annotate, subtitle,
                                      L.legend)
    elif kind == "scatter":
        sns.scatterplot(data=plotted, x=x, y=y, hue=hue, ax=ax, s=28, alpha=0.8,
                        color=None if hue else PALETTE[0],
                        palette=PALETTE[: plotted[hue].nunique()] if hue else None)
        if label and annotate:
            subtitle = _number_points(ax, plotted, x, y, label, annotate, subtitle,
                                      L.legend)
    else:  # hist of x
        sns.histplot(data=plotted, x=x, hue=hue, ax=ax, bins=25,
                     color=PALETTE[0] if not hue else None,
                     palette=PALETTE[: plotted[hue].nunique()] if hue else None)
    _style(ax)
    if kind == "line" and pd.api.types.is_integer_dtype(plotted[x]):
        # years are whole numbers: never a tick at 2012.5
        ax.xaxis.set_major_locator(mticker.MaxNLocator(integer=True, nbins="auto"))
    if kind == "bar":
        # category labels wrapped to the width each bar group has, so that they never overprint
        n = max(plotted[x].nunique(), 1)
        width = max(8, int(L.figsize[0] * 72 / n / (0.62 * L.ticks)))
        ax.set_xticks(ax.get_xticks())
        ax.set_xticklabels([textwrap.fill(t.get_text(), width) for t in ax.get_xticklabels()])
    value_axis = ax.xaxis if kind == "barh" else ax.yaxis
    if percent:
        value_axis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:g}%"))
    elif thousands:
        value_axis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_xlabel(xlabel if xlabel is not None else x)
    ax.set_ylabel(ylabel if ylabel is not None else ("" if kind == "barh" else y))
    legend_height = 0.0
    if ax.get_legend() is not None:
        # legend above the plot, never over the data; the figure grows by its rows, so a long
        # legend on a narrow chart does not squeeze the plot
        # seaborn heads each group of entries with its column's name: those are dropped
        pairs = [(h, lb) for h, lb in zip(*ax.get_legend_handles_labels(), strict=True)
                 if lb not in {hue, breaks, flagged}]
        handles, labels = [h for h, _ in pairs], [lb for _, lb in pairs]
        k = len(labels)
        chars = sum(len(str(v)) + 4 for v in labels)
        widest = max(len(str(v)) + 4 for v in labels)
        ncol = k if chars < L.legend_chars else (2 if 2 * widest < L.legend_chars else 1)
        lines = -(-k // ncol)
        if ncol == 1:
            # a label longer than the chart is wide wraps, never runs off the figure
            labels = [textwrap.fill(str(lb), L.legend_chars - 6) for lb in labels]
            lines = sum(lb.count("\n") + 1 for lb in labels)
        ax.legend(handles, labels, title=None, frameon=False, loc="lower left",
                  bbox_to_anchor=(0, 1.0), ncol=ncol, fontsize=L.legend, borderaxespad=0.3)
        legend_height = lines * L.legend * 1.35 / 72
    if kind in {"line", "bar"} and pd.to_numeric(plotted[y]).min() >= 0:
        ax.set_ylim(bottom=0)  # counts and shares start at zero
    if kind == "barh" and plotted[x].min() >= 0:
        ax.set_xlim(left=0)
    ax.tick_params(labelsize=L.ticks)
    ax.xaxis.label.set_size(L.ticks)
    ax.yaxis.label.set_size(L.ticks)
    title_lines = textwrap.wrap(title, L.wrap_title)
    sub_lines = textwrap.wrap(subtitle, L.wrap_subtitle)
    source_lines = textwrap.wrap(source, L.wrap_source)
    # the figure is as tall as its plot plus its text: wrapped lines add height, never squeeze
    # the plot (inches per line: 1.2 x the font size in points / 72)
    pad = 0.08
    head = (1.2 * L.title * len(title_lines) + 1.2 * L.subtitle * len(sub_lines)) / 72 + 3 * pad
    foot = 1.2 * L.source * len(source_lines) / 72 + 2 * pad
    height = L.figsize[1] + head + foot + legend_height
    fig.set_figheight(height)
    top = 1 - pad / height
    fig.text(0.01, top, "\n".join(title_lines), fontsize=L.title, fontweight="bold", ha="left",
             va="top", linespacing=1.15)
    sub_top = top - (1.2 * L.title * len(title_lines) / 72 + pad) / height
    fig.text(0.01, sub_top, "\n".join(sub_lines), fontsize=L.subtitle, color="#3D3D3D",
             ha="left", va="top", linespacing=1.15)
    fig.text(0.01, pad / height, "\n".join(source_lines), fontsize=L.source, color="#3D3D3D",
             ha="left", va="bottom", linespacing=1.15)
    fig.tight_layout(rect=(0, foot / height, 1, 1 - head / height))
    return fig, subtitle


_LONG_DECIMAL = re.compile(r"(?<=\d\.\d\d)\d+")


def _compact(svg: Path) -> None:
    """Coordinates to 1/100 of a point (matplotlib writes six decimals): a third smaller, and
    no difference a reader can see."""
    svg.write_text(_LONG_DECIMAL.sub("", svg.read_text(encoding="utf-8")), encoding="utf-8")


def _blank(v) -> bool:
    try:
        return v is None or bool(pd.isna(v)) or v in (float("inf"), float("-inf"))
    except (TypeError, ValueError):
        return False


def _cell(v):
    """A table cell as a reader should see it: blanks for missing, words for booleans."""
    if isinstance(v, bool | np.bool_):
        return "yes" if v else "no"
    if _blank(v):
        return ""
    return v


def _column_width(col: pd.Series, header: str) -> int:
    """A column's share of the width, in characters: at least its longest unbreakable word
    (so that no word overruns its cell), at most 40 (long text wraps)."""
    # a Markdown link counts by its text, not its address
    cells = [re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", str(v)) for v in col] + [header]
    longest_word = max((len(w) for c in cells for w in c.split()), default=1)
    return max(longest_word, min(40, max(len(c) for c in cells)), 3)


def _pipe_table(df: pd.DataFrame, shown: pd.DataFrame) -> str:
    """A pipe table whose numbers are right-aligned (by the column's type before formatting)
    and whose separator row sets relative column widths, which pandoc carries into the HTML and
    the PDF; the widths leave room for every column's longest word."""
    right = ["right" if pd.api.types.is_numeric_dtype(df[c]) and not
             pd.api.types.is_bool_dtype(df[c]) else "left" for c in df.columns]
    widths = [_column_width(shown[c], str(c)) for c in shown.columns]
    md = shown.to_markdown(index=False, colalign=right)
    lines = md.splitlines()
    # a separator wider than pandoc's 72 columns makes pandoc take relative widths from it
    scale = max(1.0, 80 / sum(widths))
    sep = "|" + "|".join((":" if a == "left" else "-") + ("-" * max(3, round(w * scale)))
                         + (":" if a == "right" else "-")
                         for w, a in zip(widths, right, strict=True)) + "|"
    lines[1] = sep
    return "\n".join(lines)


def table(
    df: pd.DataFrame,
    *,
    name: str,
    source: str,
    outdir: str | Path,
    formats: dict[str, str] | None = None,
    show: bool = True,
) -> str:
    """Display a table as Markdown with its source line beneath; write it as CSV too."""
    _require(source=source)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    df.to_csv(outdir / f"{_slug(name)}.csv", index=False)
    shown = df.copy()
    for c, f in (formats or {}).items():
        shown[c] = shown[c].map(lambda v, f=f: "" if _blank(v) else f.format(v))
    for c in shown.columns:  # no nan, inf, True or False ever reaches a reader
        shown[c] = shown[c].map(_cell)
    md = _pipe_table(df, shown)
    md += f"\n\n*{source}*\n"
    if show:
        from IPython.display import Markdown, display

        display(Markdown(md))
    return md
