"""Measures: the one place a number is computed.

One module per topic, one function per figure or table. A single number is a ``Figure`` (value,
unit, period, geography, dataset, release and tidy table); a table is a DataFrame, with its
metadata in a small record where it has any. The claims register, the chapters, the manifest's
headline figures and "What changed" all read their numbers from here.
"""

from sendreport.measures.base import Figure, figure

__all__ = ["Figure", "figure"]
