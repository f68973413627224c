"""Data quality: every value the report flags, with the rule that flagged it and its effect.

Generated from the data layer's flags table (``quality_flags``, see ``sendreport.flags``); the
England edition lists every council, a council's own edition its own flags. Council editions
link here.
"""

from __future__ import annotations

import pandas as pd

from sendreport import flags as F
from sendreport.chapters import wording as w
from sendreport.chapters.base import Chapter
from sendreport.measures.base import plain
from sendreport.measures.context import lower_first

#: reading order of the flag kinds, with a heading each
KINDS = {
    "implausible": "implausible count",
    "missing breakdown": "no placement breakdown",
    "code-name mismatch": "publisher's LA number names another council",
    "series break": "series break",
    "predecessor": "series of a council's predecessor",
    "small base": "small base",
    "suppressed": "withheld (by the publisher, or by this report's validation)",
    "not close": "statistical neighbour rated not close",
}


def _spans(f: pd.DataFrame) -> pd.DataFrame:
    """Small bases of one council and measure in several periods as one row: the periods as
    a span, the latest period's words."""
    small = f[f["flag"] == "small base"].sort_values("period")
    rest = f[f["flag"] != "small base"]
    rows = []
    for _, g in small.groupby(["la_code", "measure", "table"], sort=False):
        r = g.iloc[-1].copy()
        periods = list(g["period"])
        if len(periods) > 1:
            r["period"] = F.span(periods)
            r["detail"] = (f"{r['detail']}; under {F.MIN_BASE} in each of the {len(periods)} "
                           "periods listed")
        rows.append(r)
    return pd.concat([rest, pd.DataFrame(rows, columns=f.columns)], ignore_index=True)


def _table(f: pd.DataFrame) -> pd.DataFrame:
    f = _spans(f)
    f = f.assign(order=f["flag"].map(list(KINDS).index)).sort_values(
        ["order", "la_name", "period"], kind="stable")
    return pd.DataFrame({
        "council": f["la_name"].replace("", "every council"),
        "period": f["period"].replace("", "every period"),
        "flag": f["flag"].map(KINDS),
        "what was found": f["detail"],
        "rule": f["rule"],
        "effect in this report": f["effect"],
    }).reset_index(drop=True)


def build(c: Chapter) -> None:
    v = c.v
    # the flags table, and the small bases the council panel finds when it divides (growth,
    # refusals, appeals: placements and timeliness are in the flags table already)
    from sendreport.measures import council as M

    panel = M.panel(c.cat)
    small = F.select(panel.flags, flag="small base")
    small = small[~small["key"].str.startswith(("share_", "timeliness"))]
    label = small["key"].map(lambda k: lower_first(panel.measures[k].label))
    small = small.assign(detail=small["detail"].str.replace("base of ", "", regex=False)
                         + " in the count behind " + label).drop(columns="key")
    f = pd.concat([plain(c.cat, "quality_flags"), small], ignore_index=True)
    if not c.is_england:
        f = f[(f["la_code"] == str(c.la_code)) | (f["la_code"] == "")]
    v.low, v.high, v.spike, v.min_change, v.min_base = (F.LOW, F.HIGH, F.SPIKE, F.MIN_CHANGE,
                                                        F.MIN_BASE)
    q1, q3 = F.typical_moves(plain(c.cat, "ehcp_caseload_harmonised"))
    v.iqr_low, v.iqr_high = f"{q1:.2f}", f"{q3:.2f}"
    v.counts = f.groupby("flag").size().to_dict()
    v.where = c.where
    n_councils = f.loc[f["la_code"] != "", "la_code"].nunique()
    v.total = len(f)
    v.n_councils = n_councils
    v.implausible = F.describe(f[f["flag"] == "implausible"])
    v.missing = F.describe(f[f["flag"] == "missing breakdown"])
    v.codes = "; ".join(f[f["flag"] == "code-name mismatch"]["detail"])
    main = f[~f["flag"].isin(["suppressed", "not close"])]
    src = c.source("ehcp_caseload_harmonised", "ehcp_requests", "ehcp_newplans",
                   "ehcp_timeliness", "tribunal_appeal_rates", "stat_neighbours", "la_lookup")
    c.add_table("quality-flags", _table(main),
                source=src + " Flags: this report's rules (see the text), applied to the "
                             "releases in use.")
    c.add_table("quality-suppressed", _table(f[f["flag"] == "suppressed"]), source=src)
    c.add_table("quality-neighbours", _table(f[f["flag"] == "not close"]), source=src)
    parts = [f"{KINDS[k]}, {w.n(n)}"
             for k, n in sorted(v.counts.items(), key=lambda kv: list(KINDS).index(kv[0]))]
    v.summary = (f"The releases in use carry {w.n(v.total)} flags on "
                 f"{w.count(n_councils, 'council')}: {w.listing(parts)}." if v.total else
                 f"Nothing in the releases in use is flagged for {c.where}.")
