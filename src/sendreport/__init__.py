"""sendreport: a reproducible re-derivation of the NAO's 2024 SEND report from public data."""

__version__ = "0.1.0"
