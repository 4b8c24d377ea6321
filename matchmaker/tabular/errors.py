"""Errors raised or reported by the tabular file layer."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FileFormatError", "RowError"]


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
