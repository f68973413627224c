"""Errors that name what went wrong, where, and what was expected."""

from __future__ import annotations


class SendReportError(Exception):
    """Base class: every error the command line reports without a traceback."""


class RegistryError(SendReportError):
    """The sources registry is malformed or a requested dataset/release does not exist."""


class SourceNotFoundError(SendReportError):
    """A registered file could not be found in data/raw, the mirror, or at its URL."""


class ChecksumError(SendReportError):
    def __init__(self, path: str, expected: str, actual: str, where: str = ""):
        self.path, self.expected, self.actual = path, expected, actual
        loc = f" ({where})" if where else ""
        super().__init__(
            f"{path}{loc}: checksum mismatch: registry expects sha256 {expected}, "
            f"file has {actual}. Refusing to use it."
        )


class DataValidationError(SendReportError):
    """A source file failed validation. The message names file, column, row and expectation."""

    def __init__(
        self,
        file: str,
        problem: str,
        *,
        column: str | None = None,
        row: int | str | None = None,
        expected: str | None = None,
        found: object = None,
    ):
        self.file, self.problem, self.column, self.row = file, problem, column, row
        self.expected, self.found = expected, found
        parts = [str(file)]
        if column is not None:
            parts.append(f"column '{column}'")
        if row is not None:
            parts.append(f"row {row}")
        msg = ", ".join(parts) + f": {problem}"
        if expected is not None:
            msg += f"; expected {expected}"
        if found is not None:
            msg += f"; found {found!r}"
        super().__init__(msg)
