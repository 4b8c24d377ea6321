"""Errors the graph layer raises; callers never see driver exceptions."""
from __future__ import annotations


class GraphError(Exception):
    """Base class of graph-layer errors."""


class GraphUnavailable(GraphError):
    """The graph server cannot be reached or refused us; the message says why."""


class GraphServerError(GraphUnavailable):
    """The embedded graph server could not be started, or is not running."""


class DuplicateKey(GraphError):
    """A uniqueness constraint refused a write."""


class SchemaTooNew(GraphError):
    """The database was migrated by a newer version of the platform."""
