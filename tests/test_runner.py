"""The runner: concurrency, requirements, crashes and the deadline."""

import threading
import time

from doctor.context import Context
from doctor.finding import Fix, error, ok
from doctor.plugin import check
from doctor.runner import Status, run_checks


@check("t.ok", "passes")
def passes(ctx):
    return [ok("T000", "fine")]


@check("t.bad", "fails")
def fails(ctx):
    return [error("T001", "broken", fix=Fix("mend it"))]


@check("t.boom", "raises")
def raises(ctx):
    raise RuntimeError("kaboom")


@check("t.sleepy", "sleeps", timeout=30)
def sleeps(ctx):
    time.sleep(20)
    return [ok("T002", "woke")]


@check("t.after-bad", "needs t.bad", requires=("t.bad",))
def after_bad(ctx):
    return [ok("T003", "ran")]


@check("t.after-ok", "needs t.ok", requires=("t.ok",))
def after_ok(ctx):
    return [ok("T004", "ran")]


def test_a_check_that_raises_becomes_crashed_and_the_run_completes():
    run = run_checks([passes, raises, fails], Context(env={}), timeout=5)
    by = run.by_id()
    assert by["t.boom"].status is Status.CRASHED
    assert "RuntimeError: kaboom" in by["t.boom"].reason
    assert "Traceback" in by["t.boom"].traceback
    assert by["t.ok"].status is Status.OK
    assert by["t.bad"].status is Status.ERROR
    assert not run.deadline_hit


def test_the_deadline_holds_with_a_check_that_sleeps():
    began = time.monotonic()
    run = run_checks([passes, sleeps], Context(env={}), timeout=0.5)
    elapsed = time.monotonic() - began
    assert elapsed < 2.0, elapsed
    by = run.by_id()
    assert run.deadline_hit
    assert by["t.sleepy"].status is Status.TIMEOUT
    assert by["t.ok"].status is Status.OK


def test_a_checks_own_timeout_marks_it_without_ending_the_run():
    slow = check("t.slow", "slow", timeout=0.2)(lambda ctx: time.sleep(3) or [])
    run = run_checks([slow, passes], Context(env={}), timeout=5)
    assert run.by_id()["t.slow"].status is Status.TIMEOUT
    assert "0.2 s" in run.by_id()["t.slow"].reason
    assert not run.deadline_hit


def test_requirements_skip_dependents_of_failed_checks_with_a_reason():
    run = run_checks([fails, after_bad, passes, after_ok], Context(env={}), timeout=5)
    by = run.by_id()
    assert by["t.after-bad"].status is Status.SKIPPED
    assert by["t.after-bad"].reason == "requires t.bad, which failed"
    assert by["t.after-ok"].status is Status.OK


def test_checks_run_concurrently():
    barrier = threading.Barrier(3, timeout=2)

    def meet(ctx):
        barrier.wait()
        return [ok("T010", "met")]

    trio = [check(f"t.meet{i}", "meet")(meet) for i in range(3)]
    run = run_checks(trio, Context(env={}), timeout=5)
    assert [r.status for r in run.results] == [Status.OK] * 3


def test_wrong_return_types_and_undeclared_codes_are_crashes():
    bad_type = check("t.type", "returns str")(lambda ctx: ["not a finding"])
    undeclared = check("t.codes", "declares T100", codes={"T100": "x"})(
        lambda ctx: [ok("T999", "other")])
    by = run_checks([bad_type, undeclared], Context(env={}), timeout=5).by_id()
    assert by["t.type"].status is Status.CRASHED
    assert by["t.codes"].status is Status.CRASHED
    assert "undeclared code T999" in by["t.codes"].reason


def test_context_memo_computes_once_across_threads():
    calls = []

    def expensive(ctx):
        calls.append(1)
        time.sleep(0.05)
        return 42

    ctx = Context(env={})
    threads = [threading.Thread(target=lambda: ctx.memo(expensive)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert ctx.memo(expensive) == 42
    assert len(calls) == 1
