"""The graph connection of the app: created lazily, one per process."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from graph.db import GraphDB
from graph.server import EmbeddedServer
from graph.settings import GraphSettings, data_dir, external_settings

from . import warmup
from .lists import ListIndexes
from .services.graph_items import GraphItemRepository
from .services.item_port import ItemRepository


def graph_settings(app: Flask) -> GraphSettings:
    """NEO4J_* when set; otherwise the embedded server of GRAPH_DATA_DIR, which must be running."""
    return external_settings() or embedded_server(app).settings()


def embedded_server(app: Flask) -> EmbeddedServer:
    return EmbeddedServer(data_dir(), bolt_port=app.config["GRAPH_BOLT_PORT"],
                          heap=app.config["GRAPH_HEAP"])


def init_app(app: Flask) -> None:
    if "GRAPH_DB" in app.config:  # tests hand in a GraphDB of their own
        app.extensions["graph"] = app.config["GRAPH_DB"]
    else:
        app.extensions["graph"] = GraphDB(lambda: graph_settings(app))
    # The process's list index (readers, elected builder); nothing starts until first use.
    app.extensions["lists"] = ListIndexes(app.extensions["graph"], Path(app.config["VAR_DIR"]),
                                          builder_thread=app.config["LIST_BUILDER_THREAD"])
    # The item service's port (matchmaker.services.item_port); tests may hand in a fake.
    app.extensions["item_repository"] = app.config.get("ITEM_REPOSITORY") or GraphItemRepository(
        app.extensions["graph"], app.extensions["lists"])
    warmup.init_app(app)


def get_graph() -> GraphDB:
    return current_app.extensions["graph"]


def init_matching(app: Flask) -> None:
    """The process's matching runtime (index readers, builder, encoder); nothing starts until first use."""
    from .matching.encoder_choice import encoder_from_config
    from .matching import warm
    from .matching.runtime import MatchRuntime
    from .services.potential import PotentialKeeper

    runtime = app.extensions["matching"] = MatchRuntime(
        app.extensions["graph"], Path(app.config["VAR_DIR"]), encoder_from_config(app.config["MATCH_ENCODER"]),
        builder_thread=app.config["MATCH_BUILDER_THREAD"], refresh_ms=app.config["MATCH_REFRESH_MS"],
        refresh_thread=not app.testing)  # a test process makes many apps: their threads would outlive them
    keeper = PotentialKeeper(app.extensions["graph"], runtime, runtime.directory / "potential",
                             app.config["POTENTIAL_RECHECK_SECONDS"])
    runtime.background.append(keeper.run)
    warm.install(app)  # item writes and imports in a request store their texts' vectors


def get_lists() -> ListIndexes:
    return current_app.extensions["lists"]


def get_matching():
    return current_app.extensions["matching"]


def get_item_repository() -> ItemRepository:
    return current_app.extensions["item_repository"]
