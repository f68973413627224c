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
    """report/index.html: every published version with its date, edition and data releases."""
    rows = []
    for m in reversed(published_versions(report_dir)):
        v = html.escape(m["version"])
        rel = "; ".join(html.escape(f"{d['dataset']} {d['release']}") for d in m["datasets"])
        rows.append(
            f"<tr><td><a href='{v}/index.html'>{v}</a></td><td>{html.escape(m['edition'])}</td>"
            f"<td>{html.escape(m['rendered_at'][:16].replace('T', ' '))} UTC</td>"
            f"<td>{html.escape(m['git_commit'])}</td><td>{rel}</td>"
            f"<td><a href='{v}/{html.escape(m['pdf'])}'>PDF</a> · <a href='{v}/data/'>data</a>"
            f"</td></tr>")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Report versions</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:Arial,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #ccc;padding:.4rem;
text-align:left;vertical-align:top}}</style></head><body>
<h1>Support for children and young people with SEN: published versions</h1>
<p>Each version is rendered from the data releases listed, and is never changed afterwards.</p>
<table><thead><tr><th>version</th><th>edition</th><th>rendered</th><th>commit</th>
<th>data releases</th><th>files</th></tr></thead><tbody>
{''.join(rows)}
</tbody></table></body></html>
"""
    out = report_dir / "index.html"
    tmp = out.with_name(f".index-{os.getpid()}.html")
    tmp.write_text(page, encoding="utf-8")
    tmp.chmod(0o644)
    os.replace(tmp, out)  # written whole or not at all
    return out


# ------------------------------------------------------------------ content
