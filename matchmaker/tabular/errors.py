"""Errors raised or reported by the tabular file layer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["ErrorLog", "FileFormatError", "RowError"]


class FileFormatError(ValueError):
    """The file as a whole cannot be read; the message tells the user what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class RowError:
    """One rejected cell: spreadsheet row number, column name and a fixable reason."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.reason}"


class ErrorLog:
    """The row errors of one file: the first `cap` kept in order, the rest only counted.

    So a file where every row is wrong costs the memory of `cap` errors, and its report the size.
    """

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.kept: list[RowError] = []
        self.total = 0
        self._rows: set[int] = set()  # at most TableLimits.max_rows numbers

    def add(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.total += 1
            self._rows.add(error.row)
            if len(self.kept) < self.cap:
                self.kept.append(error)

    @property
    def full(self) -> bool:
        return self.total >= self.cap

    @property
    def omitted(self) -> int:
        return self.total - len(self.kept)

    @property
    def rejected_rows(self) -> int:
        """Rows with at least one error, kept or not."""
        return len(self._rows)
