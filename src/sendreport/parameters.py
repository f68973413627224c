"""The editions' parameters: what every chapter notebook takes, the projection's, and how the
``releases`` parameter ("ehcp=2022,dsg-allocations=2022-23"; empty for the newest of every
dataset) is read. Light on purpose: the render command reads them before it imports the
chapters, pandas or the data layer."""

from __future__ import annotations

from sendreport.errors import SendReportError

#: the projection chapter's parameters, with their defaults
PROJECTION_PARAMETERS = {"scenario": "trend", "trend_years": 5, "floor_rate": 0.03,
                         "slow_until": 2030, "horizon": 2033, "dfe_base_year": 2023,
                         "dfe_target": 1_000_000, "dfe_target_year": 2033,
                         "backtest_until": 2019}

#: parameters every chapter notebook takes (scalars and paths only), with their defaults
COMMON_PARAMETERS = {"chapter": "", "area": "England", "releases": "", "data_root": "",
                     "output_dir": "_outputs"}


def parse_releases(text: str | None) -> dict[str, str]:
    """'ehcp=2022, dsg-allocations=2022-23' -> {'ehcp': '2022', 'dsg-allocations': '2022-23'}.

    Empty text (or 'latest' for a dataset) means the newest registered release.
    """
    out: dict[str, str] = {}
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if "=" not in part:
            raise SendReportError(f"parameter 'releases': '{part}' is not DATASET=RELEASE "
                                  f"(for example ehcp=2022)")
        k, v = (x.strip() for x in part.split("=", 1))
        if not k or not v:
            raise SendReportError(f"parameter 'releases': '{part}' lacks a dataset or release")
        if v != "latest":
            out[k] = v
    return out
