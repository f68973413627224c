"""Install what the browser tests need, or stop with one line saying what to install.

* Debian's Chromium (Playwright cannot download its own browser here): installed with apt-get
  where this user may (root, or sudo without a password); otherwise one line says how.
* axe-core, the accessibility engine, from the npm registry: a pinned release, checked against
  its sha512 integrity, unpacked into .venv/axe-core/ (no Node.js needed).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import urllib.request
from pathlib import Path

AXE_VERSION = "4.14.1"
AXE_URL = f"https://registry.npmjs.org/axe-core/-/axe-core-{AXE_VERSION}.tgz"
AXE_SHA512 = ("FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37Og"
              "udVGtQ==")
ROOT = Path(__file__).resolve().parents[1]
AXE_DIR = ROOT / ".venv" / "axe-core"


def stop(message: str) -> None:
    print(f"make test: {message}", file=sys.stderr)
    sys.exit(1)


def chromium() -> None:
    if shutil.which("chromium") or shutil.which("chromium-browser"):
        return
    if os.geteuid() == 0:
        sudo = []
    elif shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"],
                                                 capture_output=True).returncode == 0:
        sudo = ["sudo", "-n"]
    else:
        stop("the browser tests need Debian's Chromium: run 'sudo apt-get install chromium', "
             "then make test again")
    print("installing Debian's chromium for the browser tests (apt-get) ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        r = subprocess.run([*sudo, *cmd], env=env, capture_output=True, text=True)
        if r.returncode != 0:
            stop(f"'{' '.join(cmd)}' failed ({r.stderr.strip().splitlines()[-1:]}); install "
                 "Debian's chromium by hand, then make test again")


def axe() -> None:
    target = AXE_DIR / "axe.min.js"
    if target.exists():
        return
    try:
        with urllib.request.urlopen(AXE_URL, timeout=60) as r:
            blob = r.read()
    except OSError as e:
        stop(f"could not download axe-core {AXE_VERSION} from the npm registry ({e}); "
             f"put axe.min.js from that package at {target}")
    digest = base64.b64encode(hashlib.sha512(blob).digest()).decode()
    if digest != AXE_SHA512:
        stop(f"axe-core {AXE_VERSION} from {AXE_URL} does not match its pinned sha512")
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as tar:
        member = tar.extractfile("package/axe.min.js")
        if member is None:
            stop(f"{AXE_URL} has no package/axe.min.js")
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".part")
        tmp.write_bytes(member.read())
        tmp.replace(target)
    print(f"axe-core {AXE_VERSION} from the npm registry -> {target}")


if __name__ == "__main__":
    chromium()
    axe()
