"""Every user-visible string ships with a Simplified Chinese translation.

The msgids are extracted the way Babel would (Jinja templates under templates/, Python under
matchmaker/), the zh fragments are merged by the same code the app runs at start-up
(matchmaker.i18n.compile_catalogues), and a msgid counts as translated only if it is in the
resulting messages.mo (so empty and fuzzy entries count as missing, as they do at run time).

`.venv/bin/python -m tests.unit.test_translations` prints the missing msgids as a .po skeleton.
"""
from __future__ import annotations

import re
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from babel.support import Translations

from matchmaker.i18n import compile_catalogues

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
PACKAGE = ROOT / "matchmaker"
ZH = PACKAGE / "translations" / "zh" / "LC_MESSAGES"
PO_FILES = sorted(ZH.glob("*.po"))

# The gettext functions of flask-babel and of Jinja's i18n extension (which flask-babel installs), and
# N_ (gettext_noop, matchmaker.errors): fixed messages of services and schemas, which pages translate.
KEYWORDS = {"_": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2), "lazy_ngettext": (1, 2),
            "N_": None}
JINJA_OPTIONS = {"encoding": "utf-8", "silent": "false", "newstyle_gettext": "true"}

# msgids whose Chinese text is, correctly, the English one (product codes, file formats ...).
SAME_IN_CHINESE: frozenset[str] = frozenset()

_PLACEHOLDER = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?"
                          r"(?P<type>[diouxXeEfFgGcrsa%])")
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def extract_msgids() -> dict[str | tuple[str, str], list[str]]:
    """msgid (or (singular, plural)) -> ['templates/x.html:12', ...] for templates and Python code."""
    sources = [("jinja2.ext:babel_extract", p, JINJA_OPTIONS) for p in sorted(TEMPLATES.rglob("*.html"))]
    sources += [("python", p, {"encoding": "utf-8"}) for p in sorted(PACKAGE.rglob("*.py"))]
    found: dict[str | tuple[str, str], list[str]] = defaultdict(list)
    for method, path, options in sources:
        for lineno, message, _comments, _context in extract_from_file(method, path, keywords=KEYWORDS,
                                                                       options=options):
            if isinstance(message, (tuple, list)):  # ngettext; a non-literal argument comes back as None
                message = tuple(message) if all(message) else None
            if message:
                found[message].append(f"{path.relative_to(ROOT)}:{lineno}")
    return dict(found)


def merged_catalogue(tmp_path: Path) -> dict:
    """The zh messages.mo the app would compile from all the fragments, as gettext's catalogue dict."""
    folder = tmp_path / "zh" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    for po in PO_FILES:
        shutil.copy(po, folder / po.name)
    compile_catalogues(tmp_path)
    with open(folder / "messages.mo", "rb") as mo:
        return Translations(mo)._catalog


def translation_of(catalogue: dict, msgid: str | tuple[str, str]) -> str | None:
    key = (msgid[0], 0) if isinstance(msgid, tuple) else msgid
    return catalogue.get(key)


def is_untranslated(msgid: str | tuple[str, str], msgstr: str | None) -> bool:
    if not msgstr or not msgstr.strip():
        return True
    english = msgid[0] if isinstance(msgid, tuple) else msgid
    return msgstr == english and english not in SAME_IN_CHINESE and not _CJK.search(english)


def missing_msgids(catalogue: dict) -> dict[str | tuple[str, str], list[str]]:
    return {m: where for m, where in extract_msgids().items() if is_untranslated(m, translation_of(catalogue, m))}


def describe(missing: dict[str | tuple[str, str], list[str]]) -> str:
    rows = sorted(missing.items(), key=lambda item: (item[1][0].rsplit(":", 1)[0], int(item[1][0].rsplit(":", 1)[1])))
    return "\n".join(f"  {m!r}  ({', '.join(where)})" for m, where in rows)


def placeholders(text: str) -> Counter:
    """%(n)d, %(name)s, %s ... as (name, type) pairs; '%%' is not a placeholder."""
    return Counter((m["name"], m["type"]) for m in _PLACEHOLDER.finditer(text) if m["type"] != "%")


class _AnyValue(dict):
    def __missing__(self, key):
        return 1


def formats(text: str) -> bool:
    """Whether `text % {...}` works, as Jinja's newstyle gettext always applies it."""
    try:
        text % _AnyValue()
    except (ValueError, TypeError, KeyError):
        return False
    return True


# -- the tests ---------------------------------------------------------------

def test_there_are_fragments_and_msgids():
    assert (ZH / "messages.po") in PO_FILES
    assert len(extract_msgids()) > 100  # the extraction itself works (templates and Python)


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: p.name)
def test_fragment_parses_with_the_common_header(po_path):
    with open(po_path, "rb") as po:
        catalog = read_po(po, abort_invalid=True)  # raises PoFileError on malformed entries
    assert catalog.charset.lower() == "utf-8", f"{po_path.name}: header must say charset=UTF-8"
    assert str(catalog.locale) == "zh", f"{po_path.name}: header must say Language: zh"
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not fuzzy, f"{po_path.name}: fuzzy entries are left out of messages.mo: {fuzzy}"


def test_every_msgid_has_a_chinese_translation(tmp_path):
    missing = missing_msgids(merged_catalogue(tmp_path))
    assert not missing, (f"{len(missing)} msgid(s) have no Chinese translation in any "
                         f"{ZH.relative_to(ROOT)}/*.po fragment:\n{describe(missing)}")


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: p.name)
def test_translations_keep_the_placeholders(po_path):
    with open(po_path, "rb") as po:
        catalog = read_po(po)
    wrong = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        english = message.id[-1] if isinstance(message.id, tuple) else message.id  # zh has one plural form
        for chinese in message.string if isinstance(message.string, tuple) else (message.string,):
            if not chinese:
                continue
            if placeholders(chinese) != placeholders(english):
                wrong.append(f"  {message.id!r}: {sorted(placeholders(english))} -> {chinese!r}")
            elif formats(english) and not formats(chinese):
                wrong.append(f"  {message.id!r}: translation is not a valid %-format string: {chinese!r}")
    assert not wrong, f"{po_path.name}: translations must keep the msgid's placeholders exactly:\n" + "\n".join(wrong)


def test_fragments_do_not_translate_a_msgid_differently():
    """compile_catalogues lets the alphabetically last fragment win, silently; keep them in agreement."""
    seen: dict[str, dict[str, object]] = defaultdict(dict)
    for po_path in PO_FILES:
        with open(po_path, "rb") as po:
            for message in read_po(po):
                if message.id and message.string:
                    seen[str(message.id)][po_path.name] = message.string
    conflicts = [f"  {msgid!r}: {by_file}" for msgid, by_file in seen.items()
                 if len(set(map(str, by_file.values()))) > 1]
    assert not conflicts, "the same msgid is translated differently in two fragments:\n" + "\n".join(conflicts)


if __name__ == "__main__":  # print the missing msgids as a .po skeleton
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for msgid, where in missing_msgids(merged_catalogue(Path(tmp))).items():
            escaped = (msgid[0] if isinstance(msgid, tuple) else msgid).replace("\\", "\\\\").replace('"', '\\"')
            print(f"#: {' '.join(where)}\nmsgid \"{escaped}\"\nmsgstr \"\"\n")


def test_workers_compiling_the_catalogues_at_once_all_succeed(tmp_path):
    """Gunicorn's workers boot together and each compiles a stale catalogue: none may fail or leave
    a temporary file behind (a shared temporary name once made a worker's boot fail)."""
    import multiprocessing
    folder = tmp_path / "zh" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    for po in PO_FILES:
        shutil.copy(po, folder / po.name)
    context = multiprocessing.get_context("fork")
    for _ in range(3):
        (folder / "messages.mo").unlink(missing_ok=True)
        workers = [context.Process(target=compile_catalogues, args=(tmp_path,)) for _ in range(6)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(60)
        assert [w.exitcode for w in workers] == [0] * 6
        assert sorted(p.name for p in folder.iterdir() if not p.name.endswith(".po")) == ["messages.mo"]
    with open(folder / "messages.mo", "rb") as mo:
        assert Translations(mo)._catalog
