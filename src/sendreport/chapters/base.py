"""The chapter object a notebook works with: values, chart and table specifications, prose.

A chapter module's ``build(c)`` computes everything the chapter shows, from ``measures``, into
``c.v`` (values for the prose) and named chart and table specifications (``c.add_chart``,
``c.add_table``), including every title, alt text and interpretive word. The notebook then writes
its narrative with those values and draws each chart and table by name, in the cell that carries
its Quarto label and caption.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from sendreport import charts
from sendreport.catalogue import Catalogue
from sendreport.chapters import wording as w
from sendreport.errors import SendReportError

CLAIMS_SOURCE = ("Source: NAO, Support for children and young people with special educational "
                 "needs (HC 299, October 2024), as recorded in this report's claims register "
                 "(claims.csv in this version's data); our values as computed from the sources "
                 "named in [the methods chapter](#chapter:20-methods-and-sources).")


def claims_frame(c: pd.DataFrame, figure: str = "figure") -> pd.DataFrame:
    """Claims as readers see them: the NAO's value and ours in their unit, status, where read."""
    return pd.DataFrame({
        figure: c["description"],
        "period": c["period"],
        "NAO": [w.fmt_unit(v, u) for v, u in zip(c["nao_value"], c["unit"], strict=True)],
        "ours": ["" if pd.isna(v) else w.fmt_unit(v, u, exact=True)
                 for v, u in zip(c["our_value"], c["unit"], strict=True)],
        "status": c["status"],
        "NAO figure read in": c["read_in"],
    })


@dataclass(frozen=True)
class Trend:
    """A measure before and after the NAO reported, and which way is better."""

    name: str  # "plans issued within 20 weeks"
    before: float
    after: float
    period_before: str
    period_after: str
    better: str  # "up", "down" or "neither"
    fmt: str = "pct"  # a wording formatter: pct, n, gbp

    @property
    def moved(self) -> str:
        return w.direction(self.before, self.after)

    @property
    def judgement(self) -> str:
        if self.better == "neither":
            return ""  # a measure of demand or context: it moved, but is not better or worse
        if self.moved == "was unchanged":
            return "no better or worse"
        good = (self.after > self.before) == (self.better == "up")
        return "better" if good else "worse"

    def sentence(self) -> str:
        f = getattr(w, self.fmt)
        return (f"{self.name} {self.moved} from {f(self.before)} ({self.period_before}) to "
                f"{f(self.after)} ({self.period_after})")


class Chapter:
    # formatters the notebooks use in their prose
    n, pct, pp, gbp, approx = (staticmethod(w.n), staticmethod(w.pct), staticmethod(w.pp),
                               staticmethod(w.gbp), staticmethod(w.approx))
    change, rise, count = staticmethod(w.change), staticmethod(w.rise), staticmethod(w.count)
    listing = staticmethod(w.listing)

    def __init__(self, cat: Catalogue, name: str, area: str, output_dir: str | Path,
                 params: dict | None = None):
        self.cat = cat
        self.name = name
        self.params = dict(params or {})
        self.outdir = Path(output_dir) / name
        self.area = area or "England"
        self.la_code: str | None = None
        if self.area.lower() != "england":
            from sendreport.la import resolve_names

            lk = cat.table("la_lookup")
            a = self.area.strip()
            # an area is given by name, LA number or ONS code (current or former)
            gss = lk["gss_codes"].astype(str).str.upper().str.split(";")
            by_code = lk[(lk["la_code"].astype(str) == a) | gss.map(lambda c: a.upper() in c)]
            if len(by_code):
                self.la_code = str(by_code.iloc[0]["la_code"])
            else:
                self.la_code = str(resolve_names(pd.Series([self.area]), lk,
                                                 "parameter 'area'").iloc[0])
            self.area = str(lk.set_index("la_code").loc[self.la_code, "la_name"])
        self.v = SimpleNamespace()
        self.finding: int | None = None  # the NAO finding whose claims the verdict counts
        self.recommendation: int | None = None  # the NAO recommendation the chapter follows
        self.since: Trend | None = None  # the measure the verdict judges "since" by
        self._charts: dict[str, dict] = {}
        self._tables: dict[str, dict] = {}
        self._claims = None

    @property
    def is_england(self) -> bool:
        return self.la_code is None

    @property
    def where(self) -> str:
        return "England" if self.is_england else self.area

    def source(self, *tables: str, period: str | None = None) -> str:
        """The source line (publisher, dataset, release; period) for the tables used."""
        from sendreport.chapters.sources import source

        return source(self.cat, *tables, period=period)

    def plausible(self, frame: pd.DataFrame, january: str | int,
                  placements: bool = False) -> tuple[pd.DataFrame, str]:
        """``frame`` (one row per council, ``la_code``) without the councils the data-quality
        flags keep out of distributions for ``january`` (an implausible count of plans; with
        ``placements``, no placement breakdown too), and the note that names them."""
        from sendreport import flags as F
        from sendreport.measures.base import plain

        qf = plain(self.cat, "quality_flags")
        imp = F.select(qf, flag="implausible", measure="plans", period=str(january))
        miss = F.select(qf, flag="missing breakdown", period=str(january)) if placements \
            else qf.iloc[0:0]
        small = F.select(qf, flag="small base", measure="placements",
                         period=str(january)) if placements else qf.iloc[0:0]
        out = set(imp["la_code"]) | set(miss["la_code"]) | set(small["la_code"])
        kept = frame[~frame["la_code"].astype(str).isin(out)]
        note = ""
        if len(imp):
            note += f" Left out as implausible: {F.describe(imp)}."
        if len(miss):
            note += (f" Left out because they published no placement breakdown for January "
                     f"{january}: {w.listing(F.names(miss))}.")
        if len(small):
            note += (f" Left out because they maintained fewer than {F.MIN_BASE} plans in "
                     f"January {january}, too few for shares: {w.listing(F.names(small))}.")
        if note:
            note += " See the Data quality chapter."
        return kept, note

    # ------------------------------------------------------------ specifications
    def add_chart(self, name: str, data: pd.DataFrame, **kw) -> None:
        if name in self._charts:
            raise SendReportError(f"chapter {self.name}: chart '{name}' defined twice")
        self._charts[name] = {"data": data, "name": name, **kw}

    def add_table(self, name: str, data: pd.DataFrame, **kw) -> None:
        if name in self._tables:
            raise SendReportError(f"chapter {self.name}: table '{name}' defined twice")
        self._tables[name] = {"df": data, "name": name, **kw}

    def _spec(self, kind: str, specs: dict, name: str) -> dict:
        try:
            return specs[name]
        except KeyError:
            raise SendReportError(f"chapter {self.name} has no {kind} '{name}' "
                                  f"(it has: {', '.join(specs) or 'none'})") from None

    def chart_spec(self, name: str) -> dict:
        return self._spec("chart", self._charts, name)

    def table_spec(self, name: str) -> dict:
        return self._spec("table", self._tables, name)

    def own_row(self, frame: pd.DataFrame) -> pd.Series | None:
        """This council's row of a table with one row per council (``la_code``), if any."""
        rows = frame[frame["la_code"].astype(str) == str(self.la_code)]
        return rows.iloc[0] if len(rows) else None

    # ------------------------------------------------------------ drawing (notebook side)
    def chart(self, name: str) -> charts.Rendered:
        return charts.chart(outdir=self.outdir, **self.chart_spec(name))

    def table(self, name: str, show: bool = True) -> str:
        return charts.table(outdir=self.outdir, show=show, **self.table_spec(name))

    def events(self) -> None:
        """What has happened since the NAO reported that bears on this chapter, with sources."""
        from sendreport.measures import context

        key = (f"finding {self.finding}" if self.finding is not None else
               f"recommendation {self.recommendation}" if self.recommendation is not None
               else None)
        text = context.sentence(self.cat, key) if key else ""
        if text:
            self.md(text)

    def local(self) -> None:
        """The council's own line (``v.local``), in a council edition."""
        text = getattr(self.v, "local", "")
        if text:
            self.md(text)

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
        r = self.claim(claim_id)
        return w.fmt_unit(r["nao_value"], r["unit"])

    def nao_number(self, claim_id: str) -> str:
        """The NAO's figure without its unit, e.g. '22'."""
        v = self.claim(claim_id)["nao_value"]
        return f"{v:,.0f}" if float(v).is_integer() else f"{v:g}"

    def ours(self, claim_id: str) -> str:
        r = self.claim(claim_id)
        if pd.isna(r["our_value"]):
            return "not computed from the sources this report uses"
        return w.fmt_unit(r["our_value"], r["unit"], exact=True)

    def claims_table(self, finding: int | None = None, name: str | None = None) -> str:
        """The register's rows for one finding (default: this chapter's), as a table."""
        finding = self.finding if finding is None else finding
        name = name or f"claims-finding-{finding}"
        c = self.claims[self.claims["finding"] == finding].reset_index()
        return charts.table(claims_frame(c, "claim"), name=name, source=CLAIMS_SOURCE,
                            outdir=self.outdir)

    # ------------------------------------------------------------ verdict
    def verdict_text(self) -> str:
        """'Verdict: ...' from the chapter's claims' statuses and its 'since' measure."""
        parts = []
        if self.finding is not None:
            c = self.claims[self.claims["finding"] == self.finding]["status"]
            k = c.value_counts()
            rep, total = int(k.get("reproduced", 0)), len(c)
            bits = [w.choose(rep == 0, f"none of the NAO's {w.count(total, 'figure')} in this "
                                       f"chapter could be reproduced from public data",
                             f"{w.count(rep, 'figure').split()[0]} of the NAO's "
                             f"{w.count(total, 'figure')} in this chapter reproduced from public "
                             f"data")]
            if k.get("differs", 0):
                bits.append(f"{int(k['differs'])} computed but different")
            if k.get("proxy", 0):
                bits.append(f"{int(k['proxy'])} shown by a proxy")
            if k.get("cited", 0):
                bits.append(f"{int(k['cited'])} cited (not in the sources this report uses)")
            head = ("reproduced" if rep == total else "partly reproduced" if rep else
                    "shown by proxy only" if k.get("proxy", 0) else
                    "not reproducible from the sources this report uses")
            parts.append(f"{head}: " + "; ".join(bits))
        if self.since is not None:
            s = self.since
            # "since the NAO reported" only where the comparison starts at or after the NAO's
            # reference year (2023); otherwise say how old the latest public data are
            judged = f", {s.judgement}" if s.judgement else ""
            if s.period_before[:4] >= "2023":
                parts.append(f"since the NAO reported{judged}: {s.sentence()}")
            else:
                parts.append(f"in the latest public data (to {s.period_after}){judged}: "
                             f"{s.sentence()}")
        if not parts:
            raise SendReportError(f"chapter {self.name} has no claims or trend for a verdict")
        text = "; ".join(parts)
        return "**Verdict:** " + text[0].upper() + text[1:] + "."

    def verdict(self) -> None:
        self.md(self.verdict_text())
