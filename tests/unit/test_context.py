"""Events since the NAO reported, from the compiled table in data/reference."""

from pathlib import Path
from types import SimpleNamespace

import pytest

from sendreport.errors import DataValidationError
from sendreport.measures import context

ROOT = Path(__file__).resolve().parents[2]


def cat(root=ROOT):
    return SimpleNamespace(paths=SimpleNamespace(root=root))


def test_events_are_dated_sourced_and_filtered():
    e = context.events(cat())
    assert list(e["date"]) == sorted(e["date"])
    assert e["source_url"].str.startswith("http").all()
    f1 = context.events(cat(), "finding 1")
    assert len(f1) and f1["bears_on"].str.contains("finding 1").all()
    assert context.override_end(cat()) == ("the end of 2027-28", "20 June 2025")
    s = context.sentence(cat(), "recommendation 4")
    assert s.startswith("**Since the NAO reported.**") and "2027-28" in s and "](http" in s


def test_an_event_without_a_source_is_refused(tmp_path):
    (tmp_path / "data" / "reference").mkdir(parents=True)
    (tmp_path / "data" / "reference" / "since_the_nao.csv").write_text(
        "date,event,short,bears_on,source,source_url\n2025-01-01,Something,it,finding 1,,\n")
    with pytest.raises(DataValidationError, match="source"):
        context.events(cat(tmp_path))
