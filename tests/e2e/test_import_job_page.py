"""A large file imports as a background job: the browser lands on the job page, which refreshes itself
(no script) until the report, in both languages, at desk and phone width. Screenshots are kept in
test-artifacts/e2e/import-job-<lang>-<width>-<step>.png."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.pages import sign_in
from tests.helpers import gen_enterprise, gen_user, uid

pytestmark = pytest.mark.e2e
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
ROWS = 4000        # about 330 KB: over the page's IMPORT_JOB_MIN_KB (256), so it becomes a job
FINISHED = {"zh": "已完成", "en": "Finished"}


def _csv(owner: str) -> bytes:
    lines = ["id,enterprise_id,name,description,capacity,unit"]
    lines += [f"{uid('S')},{owner},铝合金压铸壳体 {i},电驱动总成用铝合金压铸壳体，A380材料,{1000 + i},件"
              for i in range(ROWS)]
    return ("\n".join(lines) + "\n").encode()


def _wait_until_finished(page, lang: str, seconds: int = 120) -> None:
    """The page reloads itself every 2 s while the job runs; done, it says so and refreshes no more.
    Read both in one evaluation of a loaded document (a reload may start between two calls)."""
    done = ("() => document.readyState === 'complete' && !document.querySelector('meta[http-equiv=refresh]')"
            f" && (document.querySelector('main') || {{innerText: ''}}).innerText.includes({FINISHED[lang]!r})")
    for _ in range(seconds):
        page.wait_for_timeout(1000)
        try:
            if page.evaluate(done):
                return
        except Exception:  # noqa: BLE001 - the document went away in a reload: look again
            continue
    raise AssertionError("the job page kept refreshing")


@pytest.mark.parametrize("lang, width", [("zh", 390), ("en", 1366)])
def test_a_large_file_becomes_a_job_whose_page_shows_progress_then_the_report(new_page, db, lang, width):
    firm = gen_enterprise(db, role="sme")
    user = gen_user(db, "sme", enterprise_id=firm["id"])
    page = new_page({"width": width, "height": 900}, "zh-CN" if lang == "zh" else "en-US")
    sign_in(page, user["email"], user["password"], lang)
    page.goto("/imports")
    form = page.locator("main form").first
    form.locator("select[name=kind]").select_option("supply")
    form.locator("input[type=file]").set_input_files({"name": "list.csv", "mimeType": "text/csv", "buffer": _csv(firm["id"])})
    with page.expect_navigation():
        form.locator("button[value=import]").click()
    job_path = re.search(r"/imports/jobs/J-[^/?#]+", page.url)
    assert job_path, page.url
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"import-job-{lang}-{width}-1-running.png"), full_page=True)
    assert page.locator("script:not([src])").count() == 0        # CSP: no inline script, a meta refresh
    _wait_until_finished(page, lang)
    page.screenshot(path=str(ARTIFACTS / f"import-job-{lang}-{width}-2-done.png"), full_page=True)
    assert FINISHED[lang] in page.inner_text("main")
    assert f"{ROWS:,}" in page.inner_text("main") or str(ROWS) in page.inner_text("main")
    scroll, inner = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
    assert scroll <= inner, f"the job page is {scroll}px wide in a {inner}px viewport"
    page.goto("/imports")
    assert page.locator(f"a[href='{job_path.group(0)}']").count() == 1   # the account's recent jobs
