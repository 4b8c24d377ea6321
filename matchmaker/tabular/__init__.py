"""Pure file layer of bulk import/export: read, validate and write tabular files.

No database and no Flask here: the service layer resolves regions, chains and
categories and performs the upserts.

>>> table = read_table(b"id,name,role,region\\r\\nE1,Acme,leader,510116\\r\\n", "firms.csv")
>>> result = parse_rows("enterprises", table)
>>> result.valid[0][1]["role"], result.errors
('leader', [])
"""

from .columns import COLUMNS, Column
from .errors import FileFormatError, RowError
from .reader import Table, read_table
from .rows import ParseResult, parse_rows
from .writer import write_csv, write_xlsx

__all__ = [
    "COLUMNS", "Column", "FileFormatError", "ParseResult", "RowError", "Table",
    "parse_rows", "read_table", "write_csv", "write_xlsx",
]
