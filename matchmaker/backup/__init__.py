"""Backup and restore of a platform instance: the whole graph and the text vectors in one file.

archive.py  the file: a gzip'd tar whose manifest records each member's sha256
backup.py   graph and vectors into an archive (`python -m matchmaker backup FILE`)
restore.py  an archive back into an empty graph (`python -m matchmaker restore FILE`)

docs/OPERATIONS.md says how and when to use them.
"""
