"""`python -m matchmaker --help` shows the platform's commands, not Flask's options that do not apply."""
from __future__ import annotations

from click.testing import CliRunner

from matchmaker.__main__ import cli
from matchmaker.cli.serve_cmd import GUNICORN_OPTIONS


def test_help_lists_commands_without_flask_options():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "serve" in result.output and "import" in result.output
    for flask_only in ("--env-file", "--app", "--debug", "--version", "python-dotenv"):
        assert flask_only not in result.output


def test_gunicorn_runs_without_a_control_socket_in_the_home_directory():
    assert "--no-control-socket" in GUNICORN_OPTIONS
