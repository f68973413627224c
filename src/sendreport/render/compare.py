"""Does a render reproduce a published version? Compares the numbers, not the bytes: every
table and chart's data (data/*.csv), the claims register and the headline figures. Dates,
commits and layout may differ; numbers may not."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sendreport.errors import SendReportError
from sendreport.render.versions import published_versions


@dataclass
class Comparison:
    draft: str
    version: str
    files: int = 0
    differing: list[str] = field(default_factory=list)
    only_draft: list[str] = field(default_factory=list)
    only_published: list[str] = field(default_factory=list)
    headlines: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not (self.differing or self.only_draft or self.only_published or self.headlines)

    def report(self) -> str:
        if self.identical:
            return (f"{self.draft} reproduces version {self.version}: all {self.files} data "
                    "files (every chart's and table's numbers and the claims register) and every "
                    "headline figure are identical.")
        lines = [f"{self.draft} differs from version {self.version}:"]
        lines += [f"  headline {h}" for h in self.headlines]
        lines += [f"  numbers differ: data/{f}" for f in self.differing]
        lines += [f"  only in the render: data/{f}" for f in self.only_draft]
        lines += [f"  only in version {self.version}: data/{f}" for f in self.only_published]
        lines.append(f"  ({self.files - len(self.differing)} of {self.files} shared data files "
                     "identical)")
        return "\n".join(lines)


def _frame(p: Path) -> pd.DataFrame:
    return pd.read_csv(p, dtype=str, keep_default_na=False)


def compare(draft: Path, report_dir: Path, version: str | None = None) -> Comparison:
    """Compare a rendered folder (usually report/_draft) with a published version (default:
    the latest of the same edition)."""
    m_path = draft / "manifest.json"
    if not m_path.exists():
        raise SendReportError(f"{draft}: no manifest.json; render it first (make report)")
    mine = json.loads(m_path.read_text())
    versions = [m for m in published_versions(report_dir) if m["version"] != mine["version"]]
    if version is None:
        same = [m for m in versions if m["edition"] == mine["edition"]]
        if not same:
            raise SendReportError(f"no published {mine['edition']} version in {report_dir} to "
                                  "compare with")
        theirs = same[-1]
    else:
        match = [m for m in versions if m["version"] == version]
        if not match:
            raise SendReportError(f"no published version {version!r} in {report_dir}")
        theirs = match[0]
    pub = report_dir / theirs["version"]
    out = Comparison(draft.name, theirs["version"])
    a = {p.relative_to(draft / "data").as_posix() for p in (draft / "data").rglob("*.csv")}
    b = {p.relative_to(pub / "data").as_posix() for p in (pub / "data").rglob("*.csv")}
    out.only_draft, out.only_published = sorted(a - b), sorted(b - a)
    shared = sorted(a & b)
    out.files = len(shared)
    for rel in shared:
        fa, fb = draft / "data" / rel, pub / "data" / rel
        if fa.read_bytes() == fb.read_bytes():
            continue
        try:
            pd.testing.assert_frame_equal(_frame(fa), _frame(fb))
        except AssertionError:
            out.differing.append(rel)
    for name, h in mine.get("headlines", {}).items():
        old = theirs.get("headlines", {}).get(name)
        if old is None:
            out.headlines.append(f"{name}: new ({h['value']}, {h['period']})")
        elif (old["value"], old["period"]) != (h["value"], h["period"]):
            out.headlines.append(f"{name}: {old['value']} ({old['period']}) -> {h['value']} "
                                 f"({h['period']})")
    return out
