"""Import job rules with an in-memory job store and a clock the tests move: the state machine, the
heartbeat that turns a silent job into an interrupted one, progress throttling, who sees a job,
and the worker's pool and heartbeat."""
from __future__ import annotations

import threading
import time

import pytest

from matchmaker.errors import Invalid, NotFound, TooManyRequests, Unauthorized
from matchmaker.services import import_jobs as jobs
from matchmaker.services.import_executor import JobExecutor
from matchmaker.services.imports import ImportReport
from matchmaker.services.permissions import ANONYMOUS, Principal

OWNER = Principal("u-owner", "sme", "E-1", "o@x.cn")
OTHER_FIRM = Principal("u-other", "sme", "E-2", "p@x.cn")
SAME_FIRM = Principal("u-colleague", "sme", "E-1", "c@x.cn")
OFFICIAL = Principal("u-official", "official", None, "g@x.cn")


class FakeJobs:
    """graph.import_jobs in a dict, finished jobs frozen as there."""

    def __init__(self):
        self.jobs, self.writes = {}, []

    def create(self, job):
        self.jobs.setdefault(job["id"], dict(job))

    def get(self, job_id):
        return dict(self.jobs[job_id]) if job_id in self.jobs else None

    def update(self, job_id, changes):
        job = self.jobs.get(job_id)
        if job is None or job["state"] in jobs.FINISHED:
            return False
        self.writes.append(dict(changes))
        job.update(changes)
        return True

    def touch(self, job_ids, now):
        live = [i for i in job_ids if i in self.jobs and self.jobs[i]["state"] not in jobs.FINISHED]
        for job_id in live:
            self.jobs[job_id]["heartbeat_at"] = now
        return len(live)

    def of_owner(self, owner_id, limit):
        mine = [dict(j) for j in self.jobs.values() if j["owner_id"] == owner_id]
        return sorted(mine, key=lambda j: -j["created_at"])[:limit]


class Clock:
    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def repo():
    return FakeJobs()


def queued(repo, clock, principal=OWNER) -> dict:
    job = jobs.new_job(principal, "supply", "list.csv", "all_or_nothing", False, clock())
    repo.create(job)
    return job


def report(rows=5, written=5) -> ImportReport:
    return ImportReport("supply", "list.csv", "all_or_nothing", rows=rows, accepted=rows, written=written,
                        applied=True)


# -- the state machine ----------------------------------------------------------------------------

def test_a_job_goes_queued_validating_writing_done_and_keeps_its_report(repo, clock):
    job = queued(repo, clock)
    tracker = jobs.Tracker(repo, job, clock)

    def work(t):
        assert repo.get(job["id"])["state"] == "validating"
        t.checked(report())
        assert repo.get(job["id"])["state"] == "writing"
        clock.now += 3
        return report()

    jobs.run_job(tracker, work)
    done = repo.get(job["id"])
    assert done["state"] == "done" and done["rows_written"] == 5 and done["rows_total"] == 5
    assert done["report"]["applied"] is True and done["finished_at"] == clock.now
    assert [w["state"] for w in repo.writes if "state" in w] == ["validating", "writing", "done"]


def test_a_finished_job_cannot_move_again(repo, clock):
    tracker = jobs.Tracker(repo, queued(repo, clock), clock)
    tracker.start()
    tracker.finish(report())
    for step in (tracker.start, lambda: tracker.fail("x"), lambda: tracker.checked(report())):
        with pytest.raises(ValueError, match="cannot go from done"):
            step()


def test_a_job_cannot_skip_to_writing_from_queued(repo, clock):
    with pytest.raises(ValueError, match="from queued to writing"):
        jobs.Tracker(repo, queued(repo, clock), clock).checked(report())


def test_a_domain_error_fails_the_job_with_its_message_and_fields(repo, clock):
    job = queued(repo, clock)

    def work(_):
        raise Invalid("the file is not a CSV", {"file": ["the file is not a CSV"]})

    jobs.run_job(jobs.Tracker(repo, job, clock), work)
    failed = repo.get(job["id"])
    assert failed["state"] == "failed"
    assert failed["error"] == {"message": "the file is not a CSV", "fields": {"file": ["the file is not a CSV"]}}


@pytest.mark.parametrize("phase, message", [("validating", jobs.FAILED), ("writing", jobs.INTERRUPTED)])
def test_an_unexpected_error_fails_the_job_and_says_whether_to_import_again(repo, clock, phase, message):
    job = queued(repo, clock)

    def work(t):
        if phase == "writing":
            t.checked(report())
        raise RuntimeError("boom")

    jobs.run_job(jobs.Tracker(repo, job, clock), work)
    assert repo.get(job["id"])["error"]["message"] == message


def test_a_job_whose_outcome_cannot_be_written_is_left_to_its_heartbeat(repo, clock):
    job = queued(repo, clock)
    jobs.Tracker(repo, job, clock).start()

    def broken(job_id, changes):
        raise ConnectionError("graph down")

    repo.update = broken
    jobs.run_job(jobs.Tracker(repo, {**job, "state": "validating"}, clock), lambda t: report())  # no exception
    clock.now += jobs.STALE_AFTER + 1
    assert jobs.view(repo.get(job["id"]), clock())["state"] == "interrupted"


# -- heartbeat: a silent unfinished job is interrupted ----------------------------------------------

@pytest.mark.parametrize("state", ["queued", "validating", "writing"])
def test_an_unfinished_job_with_a_stale_heartbeat_shows_interrupted_with_the_rerun_advice(repo, clock, state):
    job = {**queued(repo, clock), "state": state}
    assert jobs.view(job, clock() + jobs.STALE_AFTER)["state"] == state
    shown = jobs.view(job, clock() + jobs.STALE_AFTER + 0.1)
    assert shown["state"] == "interrupted" and shown["finished"] is True
    assert "importing the same file again completes it" in shown["error"]["message"]
    assert "never twice" in jobs.INTERRUPTED


@pytest.mark.parametrize("state", jobs.FINISHED)
def test_a_finished_job_is_never_interrupted(repo, clock, state):
    job = {**queued(repo, clock), "state": state}
    assert jobs.view(job, clock() + 10 * jobs.STALE_AFTER)["state"] == state


def test_the_stale_limit_is_the_callers(repo, clock):
    job = queued(repo, clock)
    assert jobs.view(job, clock() + 11, stale_after=10)["state"] == "interrupted"


# -- progress throttling ----------------------------------------------------------------------------

def test_progress_is_written_at_most_once_a_second(repo, clock):
    job = queued(repo, clock)
    tracker = jobs.Tracker(repo, job, clock, every=1.0)
    tracker.start()
    before = len(repo.writes)
    for _ in range(5000):
        tracker.reading(1)
    assert len(repo.writes) == before  # all within the second of the state change
    clock.now += 1.0
    tracker.reading(1)
    assert repo.writes[-1] == {"rows_validated": 5001, "heartbeat_at": clock.now}
    tracker.checked(report(rows=5001))
    clock.now += 0.5
    tracker.writing(2000)
    assert "rows_written" not in repo.writes[-1]
    clock.now += 0.6
    tracker.writing(2000)
    assert repo.writes[-1]["rows_written"] == 4000


def test_every_progress_step_is_written_without_throttle(repo, clock):
    tracker = jobs.Tracker(repo, queued(repo, clock), clock, every=0)
    tracker.start()
    tracker.checked(report(rows=5000))
    for rows in (2000, 2000, 1000):
        tracker.writing(rows)
    assert [w["rows_written"] for w in repo.writes if "rows_written" in w] == [2000, 4000, 5000]


def test_the_stored_report_keeps_a_bounded_number_of_generated_ids():
    full = {"generated_ids": [{"row": n, "id": f"S-{n}"} for n in range(jobs.GENERATED_CAP + 10)], "rows": 1}
    kept = jobs.bounded(full)
    assert len(kept["generated_ids"]) == jobs.GENERATED_CAP and kept["generated_ids_total"] == jobs.GENERATED_CAP + 10


# -- who sees a job ----------------------------------------------------------------------------------

def test_the_owner_and_officials_see_a_job(repo, clock):
    job = queued(repo, clock)
    for principal in (OWNER, OFFICIAL, Principal("u-admin", "admin")):
        assert jobs.get_job(repo, principal, job["id"], clock())["id"] == job["id"]


@pytest.mark.parametrize("principal", [OTHER_FIRM, SAME_FIRM], ids=["other firm", "colleague"])
def test_anyone_else_is_told_there_is_no_such_job(repo, clock, principal):
    job = queued(repo, clock)
    with pytest.raises(NotFound) as refused:
        jobs.get_job(repo, principal, job["id"], clock())
    with pytest.raises(NotFound) as unknown:
        jobs.get_job(repo, principal, "J-nothing", clock())
    assert refused.value.message == unknown.value.message == jobs.UNKNOWN


@pytest.mark.parametrize("job_id", ["", "J-" + "x" * 100, "../../etc/passwd", "J-\u0000"])
def test_bad_job_ids_are_unknown_jobs(repo, clock, job_id):
    with pytest.raises(NotFound):
        jobs.get_job(repo, OWNER, job_id, clock())


def test_anonymous_callers_must_sign_in(repo, clock):
    job = queued(repo, clock)
    with pytest.raises(Unauthorized):
        jobs.get_job(repo, ANONYMOUS, job["id"], clock())
    with pytest.raises(Unauthorized):
        jobs.list_jobs(repo, ANONYMOUS, clock())


def test_the_list_is_the_callers_own_newest_first(repo, clock):
    first = queued(repo, clock)
    clock.now += 1
    second = queued(repo, clock)
    queued(repo, clock, OTHER_FIRM)
    assert [j["id"] for j in jobs.list_jobs(repo, OWNER, clock())] == [second["id"], first["id"]]
    assert jobs.list_jobs(repo, OFFICIAL, clock()) == []  # officials read any job by id; their list is their own


def test_an_account_keeps_at_most_three_unfinished_jobs_and_interrupted_ones_do_not_count(repo, clock):
    first = queued(repo, clock)
    for _ in range(jobs.MAX_UNFINISHED - 1):
        queued(repo, clock)
    queued(repo, clock, OTHER_FIRM)
    jobs.require_room(repo, OTHER_FIRM, clock())  # others' jobs are theirs
    with pytest.raises(TooManyRequests) as busy:
        jobs.require_room(repo, OWNER, clock())
    assert busy.value.message == jobs.BUSY and busy.value.status == 429
    repo.update(first["id"], {"state": "done"})
    jobs.require_room(repo, OWNER, clock())
    repo.update(first["id"], {"state": "failed"})  # finished: frozen, no change
    queued(repo, clock)
    clock.now += jobs.STALE_AFTER + 1  # all silent: interrupted
    jobs.require_room(repo, OWNER, clock())


@pytest.mark.parametrize("size, asked, expected", [(10, None, False), (300, None, True), (10, True, True),
                                                   (300, False, False), (256, None, False)])
def test_a_file_runs_as_a_job_when_asked_or_over_the_threshold(size, asked, expected):
    assert jobs.runs_as_job(size, 256, asked) is expected


# -- the worker's pool and heartbeat -----------------------------------------------------------------

def test_one_thread_runs_jobs_in_turn_and_the_heartbeat_covers_the_queued_ones_too():
    beats, release, order = [], threading.Event(), []
    executor = JobExecutor(lambda ids: beats.append(ids), threads=1, interval=0.02)
    first = executor.submit("J-1", lambda: (release.wait(5), order.append("J-1")))
    second = executor.submit("J-2", lambda: order.append("J-2"))
    deadline = time.time() + 5
    while not any(ids == ["J-1", "J-2"] for ids in beats) and time.time() < deadline:
        time.sleep(0.01)
    assert ["J-1", "J-2"] in beats and order == []
    release.set()
    first.result(5), second.result(5)
    assert order == ["J-1", "J-2"] and executor.live() == []
    executor.shutdown()


def test_a_failing_heartbeat_does_not_stop_the_jobs():
    def beat(ids):
        raise ConnectionError("graph down")

    executor = JobExecutor(beat, threads=1, interval=0.01)
    done = executor.submit("J-1", lambda: time.sleep(0.05))
    done.result(5)
    assert executor.live() == []
    executor.shutdown()
