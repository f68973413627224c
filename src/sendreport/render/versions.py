"""Published versions: names, the commit they were built from, and report/index.html."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import subprocess
from pathlib import Path

from sendreport.render.editions import Edition


def git_commit(root: Path) -> str:
    try:
        sha = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=root, check=True,
                             capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--",
                                ".", ":!report"], cwd=root, capture_output=True,
                               text=True).stdout.strip()
        return sha + ("+uncommitted" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def releases_text(manifest: dict) -> str:
    """'dsg-allocations 2020-21, 2021-22; ehcp 2022, 2025; ...': a version's data releases."""
    return "; ".join(f"{d['dataset']} {d['release']}" for d in manifest["datasets"])


# ------------------------------------------------------------------ versions
def published_versions(report_dir: Path) -> list[dict]:
    out = []
    for d in sorted(report_dir.iterdir()) if report_dir.exists() else []:
        m = d / "manifest.json"
        if d.is_dir() and not d.name.startswith((".", "_")) and m.exists():
            out.append(json.loads(m.read_text()))
    return sorted(out, key=lambda m: m["rendered_at"])


def default_version(report_dir: Path, edition: Edition) -> str:
    base = dt.date.today().isoformat() + ("" if edition.name == "england" else f"-{edition.name}")
    v, k = base, 1
    while (report_dir / v).exists():
        k += 1
        v = f"{base}.{k}"
    return v


def write_index(report_dir: Path) -> Path:
    """report/index.html: every published version, newest first, the latest marked, each with
    its date, edition, data releases and a one-line summary of what it changed."""
    import pandas as pd

    from sendreport.render.changes import change_summary

    register = report_dir.parent / "data" / "reference" / "nao_claims.csv"
    described = (pd.read_csv(register, usecols=["id", "description"]) if register.exists()
                 else None)

    def claims_of(m):
        f = report_dir / m["version"] / "data" / "claims.csv"
        if not f.exists():
            return None
        c = pd.read_csv(f)
        if "description" not in c and described is not None:  # name claims by what they are
            c = c.merge(described, on="id", how="left")
        return c

    versions = published_versions(report_dir)
    summaries, last_of = {}, {}
    for m in versions:
        prev = last_of.get(m["edition"])
        # versions published before summaries were recorded get theirs from their manifests
        # and claims registers
        summaries[m["version"]] = m.get("summary") or change_summary(
            prev, m, claims_of(m), claims_of(prev) if prev else None)
        last_of[m["edition"]] = m
    latest = {m["version"] for m in last_of.values()}
    rows = []
    for m in reversed(versions):
        v = html.escape(m["version"])
        rel = "; ".join(html.escape(f"{d['dataset']} {d['release']}") for d in m["datasets"])
        mark = ' <strong class="latest">latest</strong>' if m["version"] in latest else ""
        rows.append(
            f"<tr><th scope='row'><a href='{v}/index.html'>{v}</a>{mark}</th>"
            f"<td>{html.escape(m['edition'])}</td>"
            f"<td>{html.escape(m['rendered_at'][:16].replace('T', ' '))} UTC</td>"
            f"<td>{html.escape(summaries[m['version']])}</td>"
            f"<td>{rel}</td><td>{html.escape(m['git_commit'])}</td>"
            f"<td><a href='{v}/{html.escape(m['pdf'])}'>PDF</a> · "
            f"<a href='{v}/manifest.json'>manifest</a></td></tr>")
    newest = [m for m in reversed(versions) if m["version"] in latest]
    lead = "".join(
        f"<p class='lead'>Latest {html.escape(m['edition'])} edition: "
        f"<a href='{html.escape(m['version'])}/index.html'>version {html.escape(m['version'])}"
        f"</a> (<a href='{html.escape(m['version'])}/{html.escape(m['pdf'])}'>PDF</a>)</p>"
        for m in newest)
    page = f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Published versions</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:Arial,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;
color:#0b0c0c;line-height:1.5}}a{{color:#1d5d9b}}
.scroll{{overflow-x:auto}}table{{border-collapse:collapse;width:100%;font-size:.9rem}}
td,th{{border-bottom:1px solid #ccc;padding:.4rem;text-align:left;vertical-align:top}}
thead th{{background:#f3f2f1}}.latest{{background:#12436D;color:#fff;padding:0 .35rem;
border-radius:3px;font-size:.8rem}}.lead{{font-size:1.1rem}}</style></head><body>
<main>
<h1>Special educational needs in England, re-derived: published versions</h1>
{lead}
<p>Each version is rendered from the data releases listed, and is never changed afterwards.
An independent reproduction, not a publication of the NAO or DfE.</p>
<div class="scroll" role="region" tabindex="0" aria-label="Published versions (scrolls sideways)">
<table><thead><tr><th scope="col">Version</th><th scope="col">Edition</th>
<th scope="col">Rendered</th><th scope="col">What changed</th><th scope="col">Data releases</th>
<th scope="col">Commit</th><th scope="col">Files</th></tr></thead><tbody>
{''.join(rows)}
</tbody></table></div></main></body></html>
"""
    out = report_dir / "index.html"
    tmp = out.with_name(f".index-{os.getpid()}.html")
    tmp.write_text(page, encoding="utf-8")
    tmp.chmod(0o644)
    os.replace(tmp, out)  # written whole or not at all
    return out


# ------------------------------------------------------------------ content
