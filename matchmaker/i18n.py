"""Simplified Chinese and English: locale choice, compiled catalogues, bilingual fields."""
from __future__ import annotations

import os
import threading
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, request, session
from flask_babel import Babel, get_locale

LANGUAGES = ("zh", "en")
TRANSLATIONS = Path(__file__).parent / "translations"


def select_locale() -> str:
    """?lang= (remembered in the session), else the browser's preference, else Chinese."""
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        session["lang"] = chosen
    return session.get("lang") or request.accept_languages.best_match(LANGUAGES) or "zh"


def compile_catalogues(root: Path = TRANSLATIONS) -> None:
    """Merge each language's *.po files (one per feature) into messages.mo when stale."""
    for folder in root.glob("*/LC_MESSAGES"):
        sources = sorted(folder.glob("*.po"))
        mo_path = folder / "messages.mo"
        newest = max((p.stat().st_mtime for p in sources), default=0)
        if not sources or (mo_path.exists() and mo_path.stat().st_mtime >= newest):
            continue
        catalog = None
        for po_path in sources:
            with open(po_path, "rb") as po:
                part = read_po(po)
            if catalog is None:
                catalog = part
            else:
                for message in part:
                    if message.id:
                        catalog[message.id] = message
        # Gunicorn's workers may compile at the same time: each writes its own file, then swaps it in
        # atomically (one shared temporary name let a worker move away another's file: boot failed).
        tmp = mo_path.with_name(f"messages.{os.getpid()}.{threading.get_ident()}.tmp")
        with open(tmp, "wb") as mo:
            write_mo(mo, catalog)
        tmp.replace(mo_path)


def localized(obj: dict | None, field: str = "name") -> str:
    """obj's `<field>_zh` or `<field>_en` for the current locale, falling back to the other."""
    if not obj:
        return ""
    first, second = ("zh", "en") if str(get_locale()) == "zh" else ("en", "zh")
    return obj.get(f"{field}_{first}") or obj.get(f"{field}_{second}") or obj.get(field) or ""


def firm_name(obj: dict | None, field: str = "name") -> str:
    """An enterprise's name: its English `<field>_en` in the English UI when stored, else the Chinese one.

    Enterprise names are Chinese (`name`, the legal name) with an optional English `name_en`; items carry
    them as `enterprise_name` and `enterprise_name_en`.
    """
    if not obj:
        return ""
    if str(get_locale()) == "en" and obj.get(f"{field}_en"):
        return obj[f"{field}_en"]
    return obj.get(field) or ""


def init_app(app: Flask) -> None:
    compile_catalogues()
    Babel(app, locale_selector=select_locale, default_translation_directories=str(TRANSLATIONS))
    app.jinja_env.globals.update(localized=localized, firm_name=firm_name, region_name=region_name,
                                 current_locale=lambda: str(get_locale()))
    app.jinja_env.filters["num"] = format_number


def format_number(value, decimals: int = 0) -> str:
    """1234567.5 -> '1,234,568'; a missing value -> '—'."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return "—"
    return f"{value:,.{decimals}f}"


def region_name(code: str | None) -> str:
    """A region's full name in the current language, e.g. 四川省成都市双流区 or Shuangliu District."""
    from .regions import RegionTable

    table = RegionTable.load()
    region = table.get(code) if code else None
    if region is None:
        return code or ""
    return table.full_name(code) if str(get_locale()) == "zh" else region.name_en
