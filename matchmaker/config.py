"""Configuration from environment variables, with defaults for a local run."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]


class ConfigError(ValueError):
    """A configuration value is unusable; the message names the variable."""


def _int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from None
    if value < minimum:
        raise ConfigError(f"{name}={value} must be at least {minimum}")
    return value


def _fraction(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise ConfigError(f"{name}={value} must be between 0 and 1")
    return value


def _choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, "").strip() or default
    if value not in choices:
        raise ConfigError(f"{name}={value!r} must be one of: {', '.join(choices)}")
    return value


def _secret_key(var_dir: Path, development: bool = True) -> str:
    """SECRET_KEY from the environment; in development only, one generated once into var/ (outside git)."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    if not development:
        # A key generated per host would differ between hosts and vanish with the var dir: an operator sets it.
        raise ConfigError("SECRET_KEY must be set when MATCHMAKER_ENV=production "
                          "(e.g. SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))'))")
    path = var_dir / "secret_key"
    if not path.exists():
        # Written whole to a temporary file, then linked into place only if no other
        # process got there first: gunicorn workers starting together share one key.
        var_dir.mkdir(parents=True, exist_ok=True)
        tmp = var_dir / f".secret_key.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip()
    if raw not in ("", "0", "1"):
        raise ConfigError(f"{name}={raw!r} must be 0 or 1")
    return default if not raw else raw == "1"


def _sessions(development: bool) -> dict:
    """Server-side sessions (matchmaker/sessions.py): idle and absolute lifetimes, cookie flags."""
    idle, max_hours = _int("SESSION_IDLE_MINUTES", 120, 1), _int("SESSION_MAX_HOURS", 12, 1)
    if idle > max_hours * 60:
        raise ConfigError(f"SESSION_IDLE_MINUTES={idle} must not exceed SESSION_MAX_HOURS={max_hours} in minutes")
    return {
        "SESSION_IDLE_SECONDS": idle * 60,
        "SESSION_MAX_SECONDS": max_hours * 3600,
        "PERMANENT_SESSION_LIFETIME": max_hours * 3600,  # the cookie ends with the session's absolute timeout
        "SESSION_REFRESH_EACH_REQUEST": False,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Secure outside development; SESSION_COOKIE_SECURE overrides either way.
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", not development),
        # Strict-Transport-Security on HTTPS responses (matchmaker/headers.py); 0: never sent.
        "HSTS_SECONDS": _int("HSTS_SECONDS", 31536000),
        # Reverse proxies in front of the app that set X-Forwarded-For/-Proto (0: none). Sign-in
        # throttling counts per client address, so behind a proxy this must be set.
        "PROXY_HOPS": _int("PROXY_HOPS", 0),
    }


def load_config() -> dict:
    """The app's settings; raises ConfigError naming a bad variable."""
    env = _choice("MATCHMAKER_ENV", "production", ("development", "production"))
    development = env == "development"
    var_dir = Path(os.environ.get("VAR_DIR") or PROJECT_DIR / "var")
    home = os.environ.get("HOME_REGION", "510100").strip()
    if not (home.isdigit() and len(home) == 6):
        raise ConfigError(f"HOME_REGION={home!r} must be a 6-digit GB/T 2260 code, e.g. 510100 for Chengdu")
    return {
        "VAR_DIR": str(var_dir),  # the app's own files: secret key, staged uploads (web/imports.py)
        "MATCHMAKER_ENV": env,
        "SECRET_KEY": _secret_key(var_dir, development),
        "HOME_REGION": home,
        "MAX_CONTENT_LENGTH": _int("MAX_UPLOAD_MB", 20, 1) * 1024 * 1024,
        "STAGED_UPLOADS_TTL_SECONDS": _int("STAGED_UPLOADS_TTL_SECONDS", 3600, 1),
        # Import jobs (services/import_jobs.py, docs/OPERATIONS.md): files over IMPORT_JOB_MIN_KB import
        # on IMPORT_JOB_THREADS background threads per worker; a job silent for IMPORT_JOB_STALE_SECONDS
        # shows as interrupted.
        "IMPORT_JOB_MIN_BYTES": _int("IMPORT_JOB_MIN_KB", 256, 0) * 1024,
        "IMPORT_JOB_THREADS": _int("IMPORT_JOB_THREADS", 1, 1),
        "IMPORT_JOB_STALE_SECONDS": _int("IMPORT_JOB_STALE_SECONDS", 60, 10),
        "IMPORT_JOB_HEARTBEAT_SECONDS": 5,
        "GRAPH_BOLT_PORT": _int("GRAPH_BOLT_PORT", 0),
        "GRAPH_HEAP": os.environ.get("GRAPH_HEAP", "2g"),
        **_sessions(development),
        "PAGE_SIZE_MAX": 200,
        "MATCH_ENCODER": _choice("MATCH_ENCODER", "use", ("use", "none")),
        # One process per host builds the shared index (elected by a file lock); tests build on demand.
        "MATCH_BUILDER_THREAD": os.environ.get("MATCH_BUILDER_THREAD", "1") != "0",
        # The same for the list index (matchmaker.lists); lists answer from the graph until it is built.
        "LIST_BUILDER_THREAD": os.environ.get("LIST_BUILDER_THREAD", "1") != "0",
        # How often a worker looks for newer changes than its index holds (a write shows in every
        # worker within about this plus one feed read).
        "MATCH_REFRESH_MS": _int("MATCH_REFRESH_MS", 500),
        # The potential rate's verdicts are redone at least this often (services/potential.py): a new
        # local supplier reaches the potential of items nobody edited within this time.
        "POTENTIAL_RECHECK_SECONDS": _int("POTENTIAL_RECHECK_SECONDS", 3600, 60),
        # Demand alerts go to SMEs whose published supply items fit a new demand at least this well.
        "ALERT_MIN_FIT": _fraction("ALERT_MIN_FIT", 0.7),
        # ... found on a background thread after the response ("0": within the request).
        "ALERT_BACKGROUND": os.environ.get("ALERT_BACKGROUND", "1") != "0",
        # E-mail about engagements (matchmaker.mail): only when SMTP_HOST is set. PUBLIC_URL makes the links.
        "SMTP_HOST": os.environ.get("SMTP_HOST", "").strip(),
        "SMTP_PORT": _int("SMTP_PORT", 25, 1),
        "SMTP_USER": os.environ.get("SMTP_USER", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": os.environ.get("SMTP_STARTTLS", "") == "1",
        "MAIL_FROM": os.environ.get("MAIL_FROM", "").strip() or "noreply@localhost",
        "SMTP_TRIES": _int("SMTP_TRIES", 3, 1),
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "http://127.0.0.1:8000").strip(),  # where `make run` serves
    }
