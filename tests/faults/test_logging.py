"""Structured logs: every line written while handling a request carries that request's id."""
from __future__ import annotations

import io
import json
import logging
import logging.config

import pytest

from matchmaker import logs


@pytest.fixture
def lines(app):
    """The JSON lines the app logs during the test, parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    handler.addFilter(logs.RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.INFO)

    @app.before_request
    def say_something():  # a line written by the app in the middle of a request
        app.logger.warning("handling it")

    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(previous)


def test_each_line_of_a_request_carries_the_id_of_its_response(client, lines):
    response = client.get("/api/v1/chains")
    request_id = response.headers[logs.HEADER]
    written = lines()
    assert {line["message"] for line in written} >= {"handling it", "GET /api/v1/chains 200"}
    assert all(line["request_id"] == request_id for line in written)
    access = next(line for line in written if line["logger"] == "matchmaker.access")
    assert (access["method"], access["path"], access["status"]) == ("GET", "/api/v1/chains", 200)
    assert access["duration_ms"] >= 0
    assert {"timestamp", "level", "logger"} <= set(access)


def test_a_valid_incoming_id_is_kept(client, lines):
    response = client.get("/api/v1/chains", headers={logs.HEADER: "proxy-1234abcd"})
    assert response.headers[logs.HEADER] == "proxy-1234abcd"
    assert {line["request_id"] for line in lines()} == {"proxy-1234abcd"}


@pytest.mark.parametrize("bad", ["short", "x" * 65, "abc def ghi", 'evil"\n{"level":"ERROR"}', "ids;rm -rf /x",
                                 "中文请求编号一二三四"])
def test_a_bad_incoming_id_is_replaced(client, lines, bad):
    # Straight into the WSGI environ: the test client refuses to build some of these headers itself.
    response = client.get("/api/v1/chains", environ_overrides={"HTTP_X_REQUEST_ID": bad})
    request_id = response.headers[logs.HEADER]
    assert request_id != bad and len(request_id) == 32
    assert {line["request_id"] for line in lines()} == {request_id}


def test_two_requests_get_two_ids_and_lines_outside_requests_none(client, lines):
    first = client.get("/api/v1/chains").headers[logs.HEADER]
    second = client.get("/api/v1/chains").headers[logs.HEADER]
    logging.getLogger("matchmaker").warning("between requests")
    assert first != second
    outside = [line for line in lines() if line["message"] == "between requests"]
    assert outside[0]["request_id"] == logs.NO_REQUEST


def test_an_error_answer_has_an_id_too(client, lines):
    response = client.get("/api/v1/no-such-route")
    assert response.status_code == 404
    request_id = response.headers[logs.HEADER]
    assert any(line.get("status") == 404 and line["request_id"] == request_id for line in lines())


def test_gunicorn_config_writes_json_lines_with_the_request_id(capsys):
    config = logs.logging_config("json")
    logging.config.dictConfig(config)
    try:
        token = logs.current_request_id.set("r-12345678")
        logging.getLogger("gunicorn.error").info("Booting worker with pid: %s", 42)
        logs.current_request_id.reset(token)
        line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    finally:
        root = logging.getLogger()
        for handler in list(root.handlers):
            if isinstance(handler.formatter, logs.JsonFormatter):
                root.removeHandler(handler)
        logging.getLogger("gunicorn.error").handlers.clear()
    assert config["loggers"]["gunicorn.access"]["level"] == "WARNING"  # the app writes the access line
    assert line["message"] == "Booting worker with pid: 42"
    assert (line["logger"], line["level"], line["request_id"]) == ("gunicorn.error", "INFO", "r-12345678")


@pytest.mark.parametrize("value,expected", [("", "json"), ("text", "text"), ("JSON", "json"), ("yaml", "json")])
def test_log_format_setting(monkeypatch, value, expected):
    monkeypatch.setenv("LOG_FORMAT", value)
    assert logs.log_format(default="json") == expected


def test_text_format_names_the_request_id():
    record = logging.LogRecord("matchmaker", logging.INFO, __file__, 1, "hello", None, None)
    logs.RequestIdFilter().filter(record)
    text = logging.Formatter(logs.TEXT_FORMAT).format(record)
    assert "[-] hello" in text
