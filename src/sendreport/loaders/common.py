"""Helpers shared by the loaders: reading members of release zips, column checks, EES to tidy."""

from __future__ import annotations

import difflib
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sendreport.errors import DataValidationError
from sendreport.symbols import parse_numeric

#: columns of every tidy long table of numbers
TIDY_COLUMNS = [
    "period",
    "period_type",
    "geographic_level",
    "region_code",
    "region_name",
    "la_code",
    "gss_code",
    "la_name",
    "breakdown_topic",
    "breakdown",
    "measure",
    "value",
    "status",
    "release",
]
GEO_LEVELS = {"National": "national", "Regional": "regional", "Local authority": "la"}
CATEGORICAL = [c for c in TIDY_COLUMNS if c not in ("value",)]


@dataclass
class Parsed:
    """What a loader returns when it has data-quality notes besides its tables."""

    tables: dict[str, pd.DataFrame]
    notes: list[dict] = field(default_factory=list)


def label(path: Path, member: str | None = None) -> str:
    return f"{Path(path).name}:{member}" if member else Path(path).name


def check_file(path: Path) -> None:
    path = Path(path)
    if not path.exists():
        raise DataValidationError(str(path), "file does not exist")
    if path.stat().st_size == 0:
        raise DataValidationError(path.name, "file is empty", expected="a published data file")


#: a release zip may expand to at most this, at a compression ratio under MAX_RATIO (a zip bomb
#: is refused before anything is read)
MAX_UNZIPPED = 1024 * 2**20
MAX_RATIO = 200


def open_release_zip(path: Path) -> zipfile.ZipFile:
    path = Path(path)
    check_file(path)
    if not zipfile.is_zipfile(path):
        with open(path, "rb") as fh:
            head = fh.read(8)
        kind = "a workbook" if head.startswith(b"PK") else (
            "a CSV or text file" if head[:1].isascii() else "not a zip"
        )
        raise DataValidationError(
            path.name,
            "is not a release zip (it may be truncated, or a single file given in place of the"
            " 'download all data' zip)",
            expected="the EES 'download all data' zip",
            found=kind,
        )
    try:
        zf = zipfile.ZipFile(path)
        bad = zf.testzip()
    except (zipfile.BadZipFile, EOFError, OSError) as e:
        raise DataValidationError(path.name, f"zip archive is corrupt or truncated: {e}") from e
    if bad is not None:
        raise DataValidationError(path.name, f"zip member {bad} is corrupt (CRC check failed)")
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    packed = max(sum(i.compress_size for i in infos), 1)
    if total > MAX_UNZIPPED or (total > 100 * 2**20 and total / packed > MAX_RATIO):
        raise DataValidationError(
            path.name, f"zip would expand to {total / 2**20:,.0f} MB ({total / packed:,.0f} times "
            f"its size): refused", expected=f"at most {MAX_UNZIPPED // 2**20:,} MB and a "
            f"compression ratio under {MAX_RATIO}")
    names = zf.namelist()
    if any(n.lower().endswith((".xlsx", ".ods")) for n in names) and not any(
        n.lower().endswith(".csv") for n in names
    ):
        raise DataValidationError(path.name, "zip holds workbooks, not EES CSV files")
    return zf


def find_member(zf: zipfile.ZipFile, zip_path: Path, name: str) -> str:
    for n in zf.namelist():
        if n == name or n.endswith("/" + name):
            return n
    raise DataValidationError(
        Path(zip_path).name,
        f"release zip has no file '{name}'",
        expected=f"a member named {name}",
        found=sorted(n for n in zf.namelist() if n.endswith(".csv")),
    )


def read_zip_csv(zf: zipfile.ZipFile, zip_path: Path, name: str, **kw) -> tuple[pd.DataFrame, str]:
    member = find_member(zf, zip_path, name)
    lab = label(zip_path, member)
    raw = zf.read(member)
    if not raw.strip():
        raise DataValidationError(lab, "file is empty")
    try:
        df = pd.read_csv(
            io.BytesIO(raw), dtype=str, keep_default_na=False, encoding="utf-8-sig", **kw
        )
    except (pd.errors.ParserError, UnicodeDecodeError) as e:
        raise DataValidationError(lab, f"cannot be read as CSV: {e}") from e
    df.columns = [str(c).strip() for c in df.columns]
    return df, lab


def require_columns(df: pd.DataFrame, columns: Iterable[str], file: str) -> None:
    have = list(df.columns)
    for col in columns:
        if col not in have:
            close = difflib.get_close_matches(col, have, n=1, cutoff=0.6)
            hint = f" (a column '{close[0]}' is present: renamed?)" if close else ""
            raise DataValidationError(
                file,
                f"required column is missing{hint}",
                column=col,
                expected=f"a column named '{col}'",
            )


def check_unique(df: pd.DataFrame, key: list[str], file: str, rows: pd.Series | None = None):
    dup = df.duplicated(subset=key, keep=False)
    if dup.any():
        idx = np.flatnonzero(dup.to_numpy())
        first, second = idx[0], idx[1]
        r = rows.to_numpy() if rows is not None else np.arange(len(df)) + 2
        desc = ", ".join(f"{k}={df.iloc[first][k]!r}" for k in key)
        raise DataValidationError(
            file,
            f"duplicated row: the key ({desc}) appears more than once (also at row {r[second]})",
            row=int(r[first]),
            expected=f"one row per {', '.join(key)}",
        )


def ees_period(time_period: pd.Series, time_identifier: pd.Series, snapshot: bool):
    """Map EES time codes to (period, period_type).

    ``snapshot``: the table is a January census; academic year 202324 means January 2024.
    """
    tp = time_period.astype(str)
    ti = time_identifier.astype(str)
    period = tp.copy()
    ptype = pd.Series("calendar_year", index=tp.index)
    acad = ti.str.lower().str.startswith("academic") & (tp.str.len() == 6)
    if snapshot:
        period = period.where(~acad, "20" + tp.str[-2:])
        ptype[:] = "january"
    else:
        period = period.where(~acad, tp.str[:4] + "/" + tp.str[-2:])
        ptype = ptype.where(~acad, "academic_year")
        fin = ti.str.lower().str.startswith("financial") & (tp.str.len() == 6)
        period = period.where(~fin, tp.str[:4] + "-" + tp.str[-2:])
        ptype = ptype.where(~fin, "financial_year")
    return period, ptype


def ees_to_tidy(
    df: pd.DataFrame,
    file: str,
    measures: list[str],
    *,
    release: str,
    snapshot: bool,
    topic_col: str | None = None,
    breakdown_col: str | None = None,
    topic_value: str = "Total",
) -> pd.DataFrame:
    """Turn an EES open-data CSV (wide measures) into the tidy long table."""
    base = ["time_period", "time_identifier", "geographic_level", "la_name", "region_name"]
    needed = base + ["region_code", "old_la_code", "new_la_code"] + measures
    needed += [c for c in (topic_col, breakdown_col) if c]
    require_columns(df, needed, file)
    rows = pd.Series(np.arange(len(df)) + 2, index=df.index)  # line 1 is the header
    unknown_geo = ~df["geographic_level"].isin(GEO_LEVELS)
    if unknown_geo.any():
        i = int(np.flatnonzero(unknown_geo.to_numpy())[0])
        raise DataValidationError(
            file, "unknown geographic level", column="geographic_level", row=int(rows.iloc[i]),
            expected=", ".join(GEO_LEVELS), found=df["geographic_level"].iloc[i],
        )
    period, ptype = ees_period(df["time_period"], df["time_identifier"], snapshot)
    ids = pd.DataFrame(
        {
            "period": period.to_numpy(),
            "period_type": ptype.to_numpy(),
            "geographic_level": df["geographic_level"].map(GEO_LEVELS).to_numpy(),
            "region_code": df["region_code"].to_numpy(),
            "region_name": df["region_name"].to_numpy(),
            "la_code": df["old_la_code"].to_numpy(),
            "gss_code": df["new_la_code"].to_numpy(),
            "la_name": df["la_name"].to_numpy(),
            "breakdown_topic": df[topic_col].to_numpy() if topic_col else topic_value,
            "breakdown": df[breakdown_col].to_numpy() if breakdown_col else "Total",
            "source_row": rows.to_numpy(),
        }
    )
    check_unique(
        ids, ["period", "geographic_level", "region_code", "region_name", "la_code", "la_name",
              "breakdown_topic",
              "breakdown"], file, rows
    )
    parts = []
    for m in measures:
        vals, status = parse_numeric(df[m], file=file, column=m, rows=rows.to_numpy())
        part = ids.copy()
        part["measure"] = m
        part["value"] = vals
        part["status"] = status
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out["release"] = release
    return out


def finalise(df: pd.DataFrame) -> pd.DataFrame:
    """Column order, dtypes and categoricals for caching; drops the source_row helper column."""
    for c in TIDY_COLUMNS:
        if c not in df.columns:
            df[c] = ""
    out = df[TIDY_COLUMNS].copy()
    for c in CATEGORICAL:
        out[c] = out[c].fillna("").astype(str).astype("category")
    out["value"] = out["value"].astype("float64")
    return out.reset_index(drop=True)


def read_csv(path: Path, **kw) -> pd.DataFrame:
    check_file(path)
    with open(path, "rb") as fh:
        if fh.read(2) == b"PK":
            raise DataValidationError(Path(path).name, "is a zip or workbook, not a CSV file",
                                      expected="a CSV file")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", **kw)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as e:
        raise DataValidationError(Path(path).name, f"cannot be read as CSV: {e}") from e
    df.columns = [str(c).strip() for c in df.columns]
    return df
