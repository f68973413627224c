"""The plausibility flag on councils' EHC plan counts, on a small constructed caseload."""

import pandas as pd

from sendreport.measures import plausibility


class FakeCatalogue:
    def __init__(self, rows):
        self.df = pd.DataFrame(rows, columns=["geographic_level", "la_code", "la_name", "period",
                                              "breakdown", "value"])

    def table(self, name):
        assert name == "ehcp_caseload_harmonised"
        return self.df


def caseload(series: dict[str, list[float]]):
    rows = []
    for (code, name), values in series.items():
        for year, v in zip(range(2020, 2020 + len(values)), values, strict=True):
            rows.append(("la", code, name, str(year), "total", v))
    return FakeCatalogue(rows)


def test_a_halving_is_flagged_and_ordinary_growth_is_not():
    cat = caseload({("316", "Newham"): [2000, 2300, 2618, 2705, 1199],
                    ("886", "Kent"): [14000, 15500, 17000, 18700, 20500]})
    f = plausibility.caseload_flags(cat)
    assert list(f["la_name"]) == ["Newham"] and list(f["january"]) == ["2024"]
    assert round(f["change_pct"].iloc[0]) == -56
    assert "Newham (plans fell 56% from January 2023 to January 2024)" == \
        plausibility.describe(plausibility.flagged(cat, 2024))


def test_a_jump_is_flagged_but_tiny_councils_are_not():
    cat = caseload({("420", "Isles of Scilly"): [6, 10, 7, 9, 6],
                    ("330", "Birmingham"): [10000, 11000, 19000, 20000, 21000]})
    f = plausibility.caseload_flags(cat)
    assert list(f["la_name"]) == ["Birmingham"] and list(f["january"]) == ["2022"]
    assert plausibility.flagged(cat, 2023).empty
