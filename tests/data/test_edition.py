"""An edition is one checked value: its releases, projection and area are resolved against the
registry and the data at the door, and a bad one is refused before anything executes."""

import pytest

from sendreport.errors import SendReportError
from sendreport.render.editions import Edition, load_edition


def edition(**params) -> Edition:
    return Edition("x", "X", {"area": "England", "releases": "", **params})


@pytest.mark.parametrize("params,match", [
    ({"releases": "ehpc=2022"}, "unknown dataset 'ehpc' \\(did you mean 'ehcp'\\?\\)"),
    ({"releases": "ehcp=2099"}, "no release '2099'"),
    ({"area": "Kentt"}, "no council 'Kentt'.*nearest: Kent"),
    ({"area": "Narnia"}, "no council 'Narnia'"),
    ({"scenario": "bogus"}, "scenario"),
])
def test_a_bad_edition_is_refused_with_the_nearest_names(paths, catalogue, params, match):
    with pytest.raises(SendReportError, match=match):
        edition(**params).resolve(paths, catalogue.registry)


def test_one_council_however_named_is_one_edition(paths, catalogue):
    got = [edition(area=a).resolve(paths, catalogue.registry)
           for a in ("Kent", "kent", " KENT ", "886", "E10000016")]
    assert {e.la_code for e in got} == {"886"}
    assert all(e.parameters == got[0].parameters for e in got)
    assert got[0].parameters["area"] == "Kent" and not got[0].is_england
    eng = edition(area="england", releases=" ehcp=2022 ").resolve(paths, catalogue.registry)
    assert eng.is_england and eng.parameters["area"] == "England"
    assert eng.parameters["releases"] == "ehcp=2022" and eng.pins == {"ehcp": "2022"}


def test_render_refuses_before_any_kernel_starts(tmp_path, paths, monkeypatch):
    from sendreport.render import build

    def boom(*a, **k):
        raise AssertionError("a notebook was executed for a bad edition")

    monkeypatch.setattr(build, "execute_all", boom)
    p = tmp_path / "bad.yml"
    p.write_text("edition: bad\nlabel: Bad\nparameters:\n  area: England\n"
                 "  releases: ehcp=2099\n")
    with pytest.raises(SendReportError, match="no release '2099'"):
        build.render(paths, params_file=p, draft=True, echo=lambda *_: None)
    with pytest.raises(SendReportError, match="no council 'Atlantis'"):
        build.render(paths, params_file=None, draft=True, councils=True, only="Kent,Atlantis",
                     echo=lambda *_: None)
    assert load_edition(p).parameters["releases"] == "ehcp=2099"  # read, then refused
