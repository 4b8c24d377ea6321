"""What an import says when the graph server goes away in the middle of writing it.

Rows are written in batches, one transaction each, and upserted by id: the batches committed
before the failure stay, the rest were never written, and running the same import again writes
every row (again, for those already there) and so completes it (docs/OPERATIONS.md).
"""
from __future__ import annotations

from graph.errors import GraphUnavailable


class ImportInterrupted(GraphUnavailable):
    """A GraphUnavailable (pages and the API answer 503) that knows how far the import got."""

    def __init__(self, written: int, total: int, cause: GraphUnavailable):
        super().__init__(f"import interrupted after {written} of {total} rows: {cause}")
        self.written, self.total, self.cause = written, total, cause

    def advice(self) -> str:
        return (f"the graph server stopped answering during the import: at least {self.written} of {self.total} rows "
                f"were written before it did ({self.cause}). Start it again, then run the same command again: "
                "rows are written by id, so the rows already written are written once more, not twice, "
                "and the import completes.")
