"""The supply and demand lists: filters, word search and sorts over the shared list index.

- `columns.py`  what each item's list fields become in the index's segments
- `text.py`     word and certification search over the mapped utf-8 bytes
- `select.py`   one query over a view: filter, search, page
- `sorting.py`  the order of the matching rows (numbers; names by head, key, whole name)
- `catalog.py`  one kind's queries for the services (Cypher until the index is built)
- `source.py`   the change source over graph/item_feed.py
- `runtime.py`  `ListIndexes`: the process's readers and builder (app.extensions["lists"])
See docs/ARCHITECTURE.md, "The list index".
"""
from .catalog import ListCatalog
from .runtime import ListIndexes

__all__ = ["ListCatalog", "ListIndexes"]
