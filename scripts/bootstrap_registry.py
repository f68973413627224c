# ruff: noqa: E501  (a table of long paths and URLs, clearer unwrapped)
"""One-off: write data/sources.yml from the mirror's files and the metadata in SOURCES.md.

Kept for transparency about how the first registry was compiled; later releases are added with
`sendreport data add`. Run: python scripts/bootstrap_registry.py ../shared/data
"""

import sys
from pathlib import Path

from sendreport.raw import sha256_file
from sendreport.registry import Dataset, FileEntry, Registry, Release

OGL = "Open Government Licence v3.0"
EES = "https://explore-education-statistics.service.gov.uk/find-statistics/"
DATASETS = [
    ("ehcp", "Department for Education", "Education, health and care plans",
     EES + "education-health-and-care-plans", "dfe/education-health-and-care-plans", "latest",
     [("2022", "2022-06", [("2022/education-health-and-care-plans_2022.zip", "ehcp-2022")]),
      ("2025", "2025-06", [("2025/education-health-and-care-plans_2025.zip", "ehcp-2023")])]),
    ("dsg-allocations", "Education and Skills Funding Agency", "Dedicated schools grant (DSG)",
     "https://www.gov.uk/government/publications/dedicated-schools-grant-dsg-2022-to-2023",
     "esfa/dedicated-schools-grant", "all",
     [("2020-21", "2021-11-18", [("2020-21/dedicated-schools-grant_2021_11_18.ods", "dsg-workbook")]),
      ("2021-22", "2022-07-18", [("2021-22/dedicated-schools-grant_2022_07_18.ods", "dsg-workbook")]),
      ("2022-23", "2023-07-20", [("2022-23/dedicated-schools-grant_2023_07_20.ods", "dsg-workbook")])]),
    ("dsg-balance", "Department for Education",
     "DSG cumulative balance as a % of DSG income (derived from section 251 outturn line 1.9.3)",
     EES + "la-and-school-expenditure", "dfe/dsg-balance", "latest",
     [("2024", "2024", [("dsg_deficit_derived.xlsx", "dsg-balance-xlsx")])]),
    ("hn-benchmarking", "Department for Education", "High needs benchmarking tool (extract)",
     "https://www.gov.uk/government/publications/high-needs-benchmarking-tool",
     "dfe/high-needs-benchmarking", "all",
     [("2021-22", "2022", [("2021-22/high_needs_outturn_data_202122.xlsx", "hn-benchmarking-xlsx")])]),
    ("lait", "Department for Education", "Local Authority Interactive Tool (LAIT)",
     "https://www.gov.uk/government/publications/local-authority-interactive-tool-lait",
     "dfe/lait", "latest",
     [("2026-04", "2026-04", [("2026-04/bds_long_0.parquet", "lait-parquet"),
                              ("2026-04/lait_data_dictionary.csv", "lait-dictionary"),
                              ("2026-04/la_code_list.xlsx", "lait-la-list")])]),
    ("stat-neighbours", "Department for Education", "Children's services statistical neighbours",
     "https://www.gov.uk/government/publications/local-authority-interactive-tool-lait",
     "dfe", "latest",
     [("2021-04", "2021-04", [("statistical-neighbours/New_Statistical_Neighbour_Groupings_April_2021.csv", "stat-neighbours")]),
      ("2025-05", "2025-05", [("lait/2026-04/sn_may_2025.xlsx", "stat-neighbours")])]),
    ("send-tribunal", "Ministry of Justice and Department for Education",
     "SEND tribunal appeal rate by local authority",
     "https://www.gov.uk/government/statistics/tribunal-statistics-quarterly",
     "moj/send-tribunal", "latest",
     [("2022", "2022", [("2022/send_appeal_rate_table_2022.ods", "moj-appeal-rate-ods")])]),
    ("ofsted-area-send", "Ofsted and CQC", "Area SEND inspections and outcomes in England",
     "https://www.gov.uk/government/statistical-data-sets/area-send-inspections-and-outcomes-in-england",
     "ofsted/area-send-inspections", "latest",
     [("2022-08", "2022-11-17", [("Area_SEND_inspection_data_01_May_2016_to_31_August_2022.ods", "ofsted-area-send-ods")])]),
    ("ons-population", "Office for National Statistics",
     "Mid-year population estimates, children aged 0 to 17 (EES format)",
     "https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/populationestimates",
     "ons/mid-year-population-0-17", "latest",
     [("2025", "2025", [("ons_mid-year_population_estimates_2012_to_2024.csv", "ons-population-ees")])]),
    ("ons-ltla-utla", "Office for National Statistics",
     "Lower tier to upper tier local authority lookup", "https://geoportal.statistics.gov.uk/",
     "ons/lookups", "latest",
     [("2023-04", "2023-04", [("LTLA-UTLA_Apr23_Lookup_England-Wales.csv", "ons-ltla-utla")])]),
]


def main(mirror: str) -> None:
    m = Path(mirror)
    ds = []
    for did, pub, title, page, folder, combine, rels in DATASETS:
        releases = []
        for label, date, files in rels:
            fe = []
            for rel, fmt in files:
                p = f"{folder}/{rel}"
                fe.append(FileEntry(p, sha256_file(m / p), (m / p).stat().st_size, fmt))
            releases.append(Release(label, date, fe, dataset=did))
        ds.append(Dataset(did, pub, title, page, OGL, folder, releases, combine))
    Registry(ds).save("data/sources.yml")


if __name__ == "__main__":
    main(sys.argv[1])
