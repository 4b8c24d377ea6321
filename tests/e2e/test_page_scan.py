"""Every page, walked as each kind of user at 360 px: no horizontal overflow, and in Chinese no
sentence of the catalogue left in English (a template or a message that skipped translation).

The pages are all the web blueprint's GET routes (so a new page is scanned without being listed
here), with ids taken from the demo data plus an engagement, a round and an edition.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from matchmaker.services import accounts
from matchmaker.services.seeding import seed_demo
from tests.engagement_helpers import write_engagement
from tests.helpers import bearer, gen_token, gen_user

pytestmark = pytest.mark.e2e
PHONE_360 = {"width": 360, "height": 780}
CATALOGUES = Path(__file__).resolve().parents[2] / "matchmaker" / "translations" / "zh" / "LC_MESSAGES"
SKIPPED = {"web.favicon", "web.chain_gap_map_svg", "web.dashboard_export", "web.plans_export", "web.import_template",
           "web.login", "web.signup"}  # files, not pages; the sign-in pages are walked signed out below
ROLES_PAGES = ("official", "sme", "leader", "anonymous")
# Text shown on every page whose English form is also its Chinese one (a brand, the language switch).
SAME_IN_BOTH = {"EN", "中文"}


def _catalogue() -> dict[str, str]:
    """English msgid -> Chinese msgstr of every catalogued sentence (no placeholders: those are filled in)."""
    out = {}
    for po in CATALOGUES.glob("*.po"):
        with open(po, "rb") as fh:
            for message in read_po(fh):
                if isinstance(message.id, str) and message.id and message.string and "%(" not in message.id \
                        and message.id != message.string and re.search(r"[A-Za-z]{3,}", message.id):
                    out[message.id] = message.string
    return out


def _world(db, client) -> dict:
    """Demo data, one account per role linked to demo firms, an engagement, a round and an edition."""
    seed_demo(db, "510100")
    # A sign-up waiting with a long claimed firm, so the approval cards are on the page too.
    accounts.sign_up(db, email="founder@scan.example.cn", password="long-enough-pw-1", role="sme",
                     name="成都市双流区精密传动与智能制造科技有限公司", enterprise_id="91110000802100433B",
                     region="成都市双流区")
    ids = _demo_ids(client)
    official = gen_user(db, "official")
    users = {"official": official, "sme": gen_user(db, "sme", ids["sme"]),
             "leader": gen_user(db, "leader", ids["leader"])}
    engagement = write_engagement(db, ids["demand"], ids["sme"], value=1e6, quantity=100, status="accepted")
    token = gen_token(db, official)
    made = client.post("/api/v1/rounds", headers=bearer(token),
                       json={"title": "新能源汽车对接会", "date": "2027-03-01", "chains": ["nev"]})
    assert made.status_code == 201, made.get_json()
    edition = client.post("/api/v1/editions", headers=bearer(token), json={"chain": "nev", "kind": "supply"})
    assert edition.status_code == 201, edition.get_json()
    return {"users": users, "ids": {**ids, "engagement_id": engagement, "round_id": made.get_json()["data"]["id"],
                                    "edition_id": edition.get_json()["data"]["id"], "job_id": _import_job(db, official)}}


def _import_job(db, official: dict) -> str:
    """A finished import job of the official's, with a report (others see the job page's 404)."""
    import time

    from graph import import_jobs as job_repo
    from matchmaker.services import import_jobs
    from matchmaker.services.imports import ImportReport
    from matchmaker.services.permissions import Principal

    report = ImportReport("supply", "供应清单.csv", "valid_rows", rows=2, accepted=1, written=1, applied=True,
                          generated_ids=[(2, "S-scan-1")])
    job = {**import_jobs.new_job(Principal.of(official), "supply", "供应清单.csv", "valid_rows", False, time.time()),
           "state": "done", "finished_at": time.time(), "rows_total": 2, "rows_written": 1,
           "report": import_jobs.bounded(report.as_dict())}
    job_repo.create(db, job)
    return job["id"]


def _demo_ids(client) -> dict:
    """A published demand item of a leader and a supply item of a local SME, from the public API."""
    demand = client.get("/api/v1/demand-items?per_page=1").get_json()["data"][0]
    supply = client.get("/api/v1/supply-items?per_page=50").get_json()["data"]
    sme_item = next(s for s in supply if s.get("local"))
    return {"demand": demand["id"], "leader": demand["enterprise_id"], "supply": sme_item["id"],
            "sme": sme_item["enterprise_id"], "category_id": demand.get("category_id") or "nev.electrical-parts"}


def _paths(app, ids: dict) -> list[str]:
    values = {"kind": "demand", "item_id": ids["demand"], "enterprise_id": ids["leader"], "chain_id": "nev",
              "category_id": ids["category_id"], "engagement_id": ids["engagement_id"],
              "round_id": ids["round_id"], "edition_id": ids["edition_id"], "job_id": ids["job_id"]}
    paths = set()
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("web.") or "GET" not in rule.methods or rule.endpoint in SKIPPED:
            continue
        path = rule.rule
        for name in rule.arguments:
            path = re.sub(rf"<(?:[^:>]+:)?{name}>", values[name], path)
        paths.add(path)
    paths |= {"/supply", f"/supply/{ids['supply']}", f"/enterprises/{ids['sme']}"}
    return sorted(paths)


def _sign_in(page, user: dict) -> None:
    page.goto("/login?lang=zh")
    page.fill("input[name=email]", user["email"])
    page.fill("input[name=password]", user["password"])
    with page.expect_navigation():
        page.locator("form button[type=submit], form button").last.click()


_TEXTS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, parent = node.parentElement;
    if (!parent || parent.closest('pre, code, script, style')) continue;
    const text = node.textContent.trim();
    if (text) out.push(text);
  }
  document.querySelectorAll('[placeholder], [title], [aria-label]').forEach(el => {
    for (const name of ['placeholder', 'title', 'aria-label']) if (el.getAttribute(name)) out.push(el.getAttribute(name).trim());
  });
  return out;
}"""


# The innermost elements reaching past the viewport's right edge, to name what overflows.
_WIDE = """() => [...document.body.querySelectorAll('*')]
  .filter(el => el.getBoundingClientRect().right > innerWidth + 1 && el.children.length === 0)
  .slice(0, 4).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') + ' '
                    + JSON.stringify((el.textContent || '').trim().slice(0, 40)))"""


def _problems(page, path: str, catalogue: dict[str, str]) -> list[str]:
    response = page.goto(f"{path}{'&' if '?' in path else '?'}lang=zh")
    found = []
    if response is None or response.status >= 500:
        return [f"{path}: HTTP {response.status if response else 'no answer'}"]
    width, inner = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
    if width > inner:
        found.append(f"{path}: {width}px wide at {inner}px; too wide: {page.evaluate(_WIDE)}")
    for text in page.evaluate(_TEXTS):
        if text in catalogue and text not in SAME_IN_BOTH:
            found.append(f"{path}: English left in the Chinese page: {text!r}")
    return found


@pytest.mark.parametrize("role", ROLES_PAGES)
def test_every_page_fits_360px_and_speaks_chinese(new_page, live_server, db, client, app, role):
    world = _world(db, client)
    page = new_page(PHONE_360)
    page.set_default_navigation_timeout(30_000)
    if role != "anonymous":
        _sign_in(page, world["users"][role])
    catalogue = _catalogue()
    problems = []
    for path in _paths(app, world["ids"]) + (["/login", "/signup"] if role == "anonymous" else []):
        problems += _problems(page, path, catalogue)
    assert not problems, "\n".join(problems)
