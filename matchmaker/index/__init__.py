"""The shared on-disk index: immutable memory-mapped segments, a manifest, one builder per host.

- `segment.py`   write a segment atomically, open it read-only (arrays, strings, CSR, vectors)
- `manifest.py`  the live segments and their deleted rows, published atomically
- `reader.py`    `IndexReader`: every worker's view, reopened on a new manifest, plus a delta
- `builder.py`   `IndexBuilder`: full build, incremental segments, compaction, consistency check
- `source.py`    the change-feed Protocol the builder and readers read from
See docs/INDEX.md for the design and the measurements.
"""
from .builder import IndexBuilder
from .hashing import row_digest
from .manifest import Manifest, SegmentEntry, read_manifest
from .reader import IndexReader
from .segment import Segment, write_segment
from .source import ChangeSource, keep_unless_deleted
from .strings import StringColumn
from .view import Hit, View

__all__ = ["ChangeSource", "Hit", "IndexBuilder", "IndexReader", "Manifest", "Segment", "SegmentEntry",
           "StringColumn", "View", "keep_unless_deleted", "read_manifest", "row_digest", "write_segment"]
