"""The Flask application factory."""
from __future__ import annotations

from flask import Flask
from flask.templating import Environment as FlaskEnvironment
from werkzeug.middleware.proxy_fix import ProxyFix

from .compile_lock import COMPILE_LOCK
from .config import PROJECT_DIR, load_config


class Environment(FlaskEnvironment):
    """Flask's Jinja environment, compiling one template at a time (matchmaker/compile_lock.py)."""

    def _compile(self, source: str, filename: str):
        with COMPILE_LOCK:
            return super()._compile(source, filename)


class App(Flask):
    jinja_environment = Environment


def create_app(test_config: dict | None = None) -> Flask:
    app = App(__name__, template_folder=str(PROJECT_DIR / "templates"),
              static_folder=str(PROJECT_DIR / "matchmaker" / "static"))
    app.config.update(load_config())
    if test_config:
        app.config.update(test_config)
    if app.config["PROXY_HOPS"]:  # behind a reverse proxy: the client's address and scheme from X-Forwarded-*
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_HOPS"], x_proto=app.config["PROXY_HOPS"])

    from . import cli, errors, extensions, headers, i18n, import_jobs_runtime, logs, security
    from .api import api_bp
    from .web import web_bp

    logs.init_app(app)  # first: every later hook's log lines carry the request id
    extensions.init_app(app)
    extensions.init_matching(app)
    import_jobs_runtime.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    headers.init_app(app)
    cli.init_app(app)
    app.register_blueprint(api_bp)
    app.register_blueprint(web_bp)
    return app
