"""Command-line interface: `python -m matchmaker <command>` or `flask --app wsgi <command>`."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from .backup_cmd import backup_command, restore_command
    from .graph_cmd import graph_group, init_db_command
    from .import_cmd import import_command
    from .index_cmd import index_group
    from .jobs_cmd import jobs_command
    from .locality_cmd import recompute_local_command
    from .seed_cmd import seed_group
    from .serve_cmd import serve_command
    from .officials_cmd import official_chains_command
    from .rates_cmd import snapshot_rates_command
    from .user_cmd import create_user_command

    for command in (graph_group, init_db_command, seed_group, serve_command, create_user_command,
                    import_command, recompute_local_command, index_group, official_chains_command,
                    snapshot_rates_command, backup_command, restore_command, jobs_command):
        app.cli.add_command(command)
