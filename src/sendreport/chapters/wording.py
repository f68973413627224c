"""Words and number formats that depend on the data.

A title, alt text or sentence that interprets a result (rose or fell, fastest, linked or not,
"seven councils") is produced here from the same values a chart plots, so it cannot claim an
order, a count or a correlation the data do not show. Tests check each against its data.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from sendreport.numbers import gbp, missing, n, pct, pp  # noqa: F401 - the chapters' formats

_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def approx(v: float) -> str:
    """A rounded count for headlines: 'about 1.41 million', 'about 930,000'."""
    if missing(v):
        return "not available"
    if abs(v) >= 1e6:
        return f"about {v / 1e6:.2f} million"
    return f"about {round(v, -4):,.0f}"


def count(k: int, noun: str, plural: str | None = None) -> str:
    """'seven councils', 'one council', '12 councils'."""
    k = int(k)
    word = _WORDS[k] if 0 <= k < len(_WORDS) else f"{k:,}"
    return f"{word} {noun if k == 1 else (plural or noun + 's')}"


def agree(k: int, singular: str, plural: str) -> str:
    """'1 stands', '3 stand': a count with its verb in agreement."""
    return f"{int(k)} {singular if int(k) == 1 else plural}"


def change(a: float, b: float) -> str:
    """'rose by 12.3%' / 'fell by 4.0%' / 'was unchanged' from a to b."""
    if missing(a) or missing(b) or a == 0:
        return "cannot be compared"
    c = 100 * (b / a - 1)
    if round(c, 1) == 0:
        return "was unchanged"
    return f"{'rose' if c > 0 else 'fell'} by {abs(c):.1f}%"


def rise(a: float, b: float) -> str:
    """'a rise of 12.3%' / 'a fall of 4.0%' from a to b."""
    if missing(a) or missing(b) or a == 0:
        return "no comparable change"
    c = 100 * (b / a - 1)
    return f"a {'rise' if c >= 0 else 'fall'} of {abs(c):.1f}%"


def direction(a: float, b: float, up: str = "rose", down: str = "fell",
              flat: str = "was unchanged") -> str:
    if missing(a) or missing(b) or a == b:
        return flat
    return up if b > a else down


def choose(condition: bool, if_true: str, if_false: str) -> str:
    """Pick the wording that the data support, so that no interpretation is typed in."""
    return if_true if condition else if_false


def correlation(r: float) -> str:
    """How strongly two measures go together, in words, by the size of Pearson's r.

    Under 0.1: no clear link; 0.1 to 0.3: weak; 0.3 to 0.5: moderate; 0.5 and over: strong.
    """
    if missing(r):
        return "cannot be assessed"
    a = abs(r)
    if a < 0.1:
        return "not clearly linked"
    strength = "weakly" if a < 0.3 else "moderately" if a < 0.5 else "strongly"
    return f"{strength} {'positively' if r > 0 else 'negatively'} linked"


def in_order(names: Sequence[str]) -> str:
    """'A, then B, then C'."""
    names = list(names)
    return ", then ".join(names)


def listing(names: Sequence[str]) -> str:
    """'A, B and C'."""
    names = [str(x) for x in names]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def ranked(values: pd.Series, ascending: bool = False) -> list[str]:
    """The index labels of a series, largest first (or smallest first)."""
    return [str(i) for i in values.sort_values(ascending=ascending).index]


def times(a: float, b: float) -> str:
    """'2.4 times' (b relative to a)."""
    if missing(a) or missing(b) or a == 0:
        return "not comparable"
    return f"{b / a:.1f} times"


def fmt_unit(v: float, unit: str, exact: bool = False) -> str:
    """Format a claim value in its unit: '43%', '£4.6 billion', '576,000 plans'."""
    if missing(v):
        return "not computed"
    unit = str(unit)
    if unit.startswith("%"):
        return f"{v:.1f}%" if exact else f"{v:g}%"
    if unit.startswith("£ billion"):
        return f"£{v:g} billion" + unit[len("£ billion"):]
    if unit.startswith("of "):
        return f"{v:g} {unit}"
    return f"{v:,.0f} {unit}" if abs(v) >= 1000 else f"{v:g} {unit}"


def ordinal(k: int) -> str:
    """1 -> 'first', 2 -> 'second', ... 12 -> '12th'."""
    words = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth"]
    if 1 <= k <= len(words):
        return words[k - 1]
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def date(d) -> str:
    """'2021-04-01' -> '1 April 2021'."""
    import pandas as pd

    t = pd.Timestamp(d)
    return f"{t.day} {t:%B %Y}"
