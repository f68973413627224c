"""What a notebook needs in one object: the data, prose and number formatting, charts, sources.

Notebooks call ``setup(...)`` with their parameters and then use the returned ``Chapter``:

    ch = setup(data_root, releases={"ehcp": release_ehcp}, area=area, output_dir=output_dir,
               chapter="02-ehcp-growth")
    ch.md(f"In January 2024 there were {ch.n(fig.value)} EHC plans.")
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pandas as pd

from sendreport import charts
from sendreport.config import Paths
from sendreport.errors import SendReportError
from sendreport.tables import Catalogue


def n(x: float) -> str:
    """A count with thousands separators."""
    return f"{x:,.0f}"


def pct(x: float, dp: int = 1) -> str:
    return f"{x:.{dp}f}%"


def gbp(x: float) -> str:
    """Money in the largest sensible unit: £8.99 billion, £45.2 million."""
    if abs(x) >= 1e9:
        return f"£{x / 1e9:,.2f} billion"
    if abs(x) >= 1e6:
        return f"£{x / 1e6:,.1f} million"
    return f"£{x:,.0f}"


def change(a: float, b: float) -> str:
    """'rose by 12.3%' / 'fell by 4.0%' from a to b."""
    c = 100 * (b / a - 1)
    return f"{'rose' if c >= 0 else 'fell'} by {abs(c):.1f}%"


def approx(v: float) -> str:
    """A rounded count for headlines: 'about 1.41 million', 'about 930,000'."""
    if abs(v) >= 1e6:
        return f"about {v / 1e6:.2f} million"
    return f"about {round(v, -4):,.0f}"


def rise(a: float, b: float) -> str:
    """'a rise of 12.3%' / 'a fall of 4.0%' from a to b."""
    c = 100 * (b / a - 1)
    return f"a {'rise' if c >= 0 else 'fall'} of {abs(c):.1f}%"


def choose(condition: bool, if_true: str, if_false: str) -> str:
    """Pick the wording that the data support, so that no interpretation is typed in."""
    return if_true if condition else if_false


def fmt_unit(v: float, unit: str, exact: bool = False) -> str:
    """Format a claim value in its unit: '43%', '£4.6 billion', '576,000 plans'."""
    unit = str(unit)
    if unit.startswith("%"):
        return f"{v:.1f}%" if exact else f"{v:g}%"
    if unit.startswith("£ billion"):
        return f"£{v:g} billion" + unit[len("£ billion"):]
    if unit.startswith("of "):
        return f"{v:g} {unit}"
    return f"{v:,.0f} {unit}" if abs(v) >= 1000 else f"{v:g} {unit}"


class Chapter:
    def __init__(self, cat: Catalogue, area: str, output_dir: Path, chapter: str):
        self.cat = cat
        self.area = area
        self.outdir = Path(output_dir) / chapter
        self.chapter = chapter
        self.n, self.pct, self.gbp, self.change = n, pct, gbp, change
        self.rise, self.choose, self.approx = rise, choose, approx
        self.la_code = None
        self._claims = None
        if area and area.lower() != "england":
            from sendreport.la import resolve_names

            lk = cat.table("la_lookup")
            self.la_code = str(resolve_names(pd.Series([area]), lk, "parameter 'area'").iloc[0])
            self.area = lk.set_index("la_code").loc[self.la_code, "la_name"]

    @property
    def is_england(self) -> bool:
        return self.la_code is None

    # ------------------------------------------------------------ prose
    def md(self, text: str) -> None:
        from IPython.display import Markdown, display

        display(Markdown(textwrap.dedent(text).strip()))

    # ------------------------------------------------------------ claims
    @property
    def claims(self) -> pd.DataFrame:
        if self._claims is None:
            from sendreport.claims import evaluate

            self._claims = evaluate(self.cat).set_index("id")
        return self._claims

    def claim(self, claim_id: str) -> pd.Series:
        try:
            return self.claims.loc[claim_id]
        except KeyError:
            raise SendReportError(f"no claim '{claim_id}' in the claims register") from None

    def nao(self, claim_id: str) -> str:
        """The NAO's figure for a claim, formatted with its unit, read from the register."""
        return fmt_unit(self.claim(claim_id)["nao_value"], self.claim(claim_id)["unit"])

    def nao_number(self, claim_id: str) -> str:
        """The NAO's figure without its unit, e.g. '22'."""
        v = self.claim(claim_id)["nao_value"]
        return f"{v:,.0f}" if float(v).is_integer() else f"{v:g}"

    def ours(self, claim_id: str) -> str:
        r = self.claim(claim_id)
        if pd.isna(r["our_value"]):
            return "not computable from public data"
        return fmt_unit(r["our_value"], r["unit"], exact=True)

    def claims_table(self, finding: int, name: str) -> None:
        """The register's rows for one finding, as a table with its source line."""
        c = self.claims[self.claims["finding"] == finding].reset_index()
        t = pd.DataFrame({
            "claim": c["description"],
            "period": c["period"],
            "NAO": [fmt_unit(v, u) for v, u in zip(c["nao_value"], c["unit"], strict=True)],
            "ours": ["" if pd.isna(v) else fmt_unit(v, u, exact=True)
                     for v, u in zip(c["our_value"], c["unit"], strict=True)],
            "status": c["status"],
        })
        self.table(t, name=name, source="Source: NAO, Support for children and young "
                          "people with special educational needs (HC 299, October 2024), as "
                          "recorded in the claims register (data/reference/nao_claims.csv); "
                          "our values as computed from the sources named in chapter 10.")

    # ------------------------------------------------------------ sources
    def source(self, *tables: str, period: str | None = None) -> str:
        """'Source: publisher, title (release ...); period.' for the tables a figure uses."""
        reg = self.cat.registry
        bits: dict[str, list[str]] = {}
        for t in tables:
            self.cat.table(t)
            for ds_id, rel in self.cat.sources[t]:
                bits.setdefault(ds_id, [])
                if rel not in bits[ds_id]:
                    bits[ds_id].append(rel)
        parts = []
        for ds_id, rels in bits.items():
            d = reg.dataset(ds_id)
            word = "release" if len(rels) == 1 else "releases"
            parts.append(f"{d.publisher}, {d.title} ({word} {', '.join(rels)})")
        s = "Source: " + "; ".join(parts)
        return s + (f". Period: {period}." if period else ".")

    # ------------------------------------------------------------ charts and tables
    def chart(self, data: pd.DataFrame, **kw) -> charts.Rendered:
        return charts.chart(data, outdir=self.outdir, **kw)

    def table(self, df: pd.DataFrame, **kw) -> None:
        charts.table(df, outdir=self.outdir, **kw)


def setup(
    data_root: str = "",
    *,
    releases: dict[str, str] | None = None,
    area: str = "England",
    output_dir: str = "_outputs",
    chapter: str = "chapter",
) -> Chapter:
    """Open the tidy tables for a notebook with its parameters applied."""
    import matplotlib

    matplotlib.use("Agg")
    paths = Paths.discover(root=data_root or None)
    if not paths.registry.exists():
        raise SendReportError(f"no sources registry at {paths.registry}: set data_root")
    trace = Path(output_dir) / chapter / "_inputs.json"

    def record(used: dict) -> None:
        """Write the files this chapter has read so far (the render cache keys on them)."""
        trace.parent.mkdir(parents=True, exist_ok=True)
        trace.write_text(json.dumps(sorted(used.values(), key=lambda u: u["path"]), indent=1))

    cat = Catalogue(paths, releases=releases, on_load=record)
    return Chapter(cat, area, Path(output_dir), chapter)
