"""Write tests/expected/<chapter>--<area>.csv: the back-test snapshots of every chapter.

Run after an intended change in a number, a table or a title, and review the diff before
committing it: `python scripts/update_expected.py` (needs the data mirror).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AREAS = ["England", "Kent", "Manchester", "Cornwall"]


def main() -> int:
    from sendreport.catalogue import Catalogue
    from sendreport.chapters import CHAPTERS, open_chapter
    from sendreport.chapters.snapshot import snapshot
    from sendreport.config import Paths

    out = ROOT / "tests" / "expected"
    out.mkdir(parents=True, exist_ok=True)
    cat = Catalogue(Paths.discover(root=ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        for area in AREAS:
            for chapter in CHAPTERS:
                c = open_chapter(chapter, area=area, output_dir=tmp, cat=cat)
                path = out / f"{chapter}--{area.lower()}.csv"
                snapshot(c).to_csv(path, index=False)
                print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
