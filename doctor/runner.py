"""Runs every check at once, each in its own thread, inside one deadline.

Checks start together (as Flutter's doctor does); a check waits only for the
checks it requires. A check that raises becomes a ``crashed`` result; one that
outlives its own timeout or the global deadline becomes ``timeout`` and the run
returns without it. Worker threads are daemons, so a stuck check can never
keep the process alive.
"""

from __future__ import annotations

import enum
import threading
import time
from dataclasses import dataclass, replace
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from .context import Context
from .finding import Finding, Severity
from .plugin import Check


class Status(str, enum.Enum):
    OK = "ok"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"
    SKIPPED = "skipped"
    TIMEOUT = "timeout"
    CRASHED = "crashed"

    @classmethod
    def from_severity(cls, severity: Severity) -> Status:
        return cls(severity.label)

    @property
    def passed(self) -> bool:
        """Whether checks that require this one may run."""
        return self in (Status.OK, Status.INFO, Status.WARNING)


@dataclass(frozen=True)
class CheckResult:
    check: Check
    status: Status
    findings: Tuple[Finding, ...] = ()
    duration_ms: int = 0
    reason: str = ""
    traceback: str = ""

    @property
    def id(self) -> str:
        return self.check.id


@dataclass(frozen=True)
class Run:
    results: Tuple[CheckResult, ...]
    duration_ms: int
    deadline_hit: bool

    def by_id(self) -> Dict[str, CheckResult]:
        return {r.id: r for r in self.results}


def status_of(findings: Sequence[Finding]) -> Status:
    worst = max((f.severity for f in findings), default=Severity.OK)
    return Status.from_severity(worst)


def with_requirements(checks: Mapping[str, Check], wanted: Iterable[str]) -> List[Check]:
    """The wanted checks plus everything they require, in registry order."""
    keep = set()
    stack = [w for w in wanted if w in checks]
    while stack:
        cid = stack.pop()
        if cid in keep:
            continue
        keep.add(cid)
        stack.extend(r for r in checks[cid].requires if r in checks)
    return [c for cid, c in checks.items() if cid in keep]


class _Board:
    """Shared state between the workers and the waiting main thread."""

    def __init__(self, checks: Sequence[Check]) -> None:
        self.cond = threading.Condition(threading.RLock())
        self.results: Dict[str, CheckResult] = {}
        self.started: Dict[str, float] = {}
        self.done = {c.id: threading.Event() for c in checks}

    def start(self, check_id: str) -> None:
        with self.cond:
            self.started[check_id] = time.monotonic()
            self.cond.notify_all()

    def finish(self, result: CheckResult) -> bool:
        """Record the first result for a check; later ones are ignored."""
        with self.cond:
            if result.id in self.results:
                return False
            self.results[result.id] = result
            self.done[result.id].set()
            self.cond.notify_all()
            return True


def _collect(check: Check, produced: object) -> Tuple[Finding, ...]:
    if produced is None:
        return ()
    if isinstance(produced, Finding):
        produced = [produced]
    findings = []
    for item in produced:  # type: ignore[union-attr]
        if not isinstance(item, Finding):
            raise TypeError(f"check returned {type(item).__name__}, not a Finding")
        if check.codes and item.code not in check.codes:
            raise ValueError(f"check emitted undeclared code {item.code}")
        findings.append(replace(item, check=check.id))
    return tuple(findings)


def _work(check: Check, ctx: Context, board: _Board, deadline: float) -> None:
    for required in check.requires:
        event = board.done.get(required)
        if event is None:
            continue
        if not event.wait(max(0.0, deadline - time.monotonic())):
            return  # the main thread marks us as timed out
        req = board.results[required]
        if not req.status.passed:
            board.finish(CheckResult(check, Status.SKIPPED,
                                     reason=f"requires {required}, which {_verb(req.status)}"))
            return
    board.start(check.id)
    began = time.monotonic()
    try:
        findings = _collect(check, check.func(ctx))
    except Exception as exc:
        import traceback  # only a crash pays for it

        board.finish(CheckResult(
            check, Status.CRASHED, duration_ms=_ms(began),
            reason=f"{type(exc).__name__}: {exc}", traceback=traceback.format_exc()))
        return
    board.finish(CheckResult(check, status_of(findings), findings, _ms(began)))


def _verb(status: Status) -> str:
    return {
        Status.ERROR: "failed",
        Status.SKIPPED: "was skipped",
        Status.TIMEOUT: "timed out",
        Status.CRASHED: "crashed",
    }.get(status, f"is {status.value}")


def _ms(since: float) -> int:
    return round((time.monotonic() - since) * 1000)


def run_checks(checks: Sequence[Check], ctx: Context, timeout: Optional[float] = None) -> Run:
    """Run ``checks`` concurrently; return within ``timeout`` seconds (default: ctx deadline)."""
    began = time.monotonic()
    deadline = began + timeout if timeout is not None else ctx.deadline
    board = _Board(checks)
    for check in checks:
        threading.Thread(target=_work, args=(check, ctx, board, deadline),
                         name=f"check:{check.id}", daemon=True).start()

    deadline_hit = False
    with board.cond:
        while len(board.results) < len(checks):
            now = time.monotonic()
            expiries = [deadline]
            for check in checks:
                if check.id in board.results or check.id not in board.started:
                    continue
                own = board.started[check.id] + check.timeout
                if own <= now:  # the condition's lock is re-entrant
                    board.finish(CheckResult(
                        check, Status.TIMEOUT, duration_ms=_ms(board.started[check.id]),
                        reason=f"did not finish within its {check.timeout:g} s timeout"))
                else:
                    expiries.append(own)
            if len(board.results) >= len(checks):
                break
            if now >= deadline:
                deadline_hit = True
                break
            board.cond.wait(max(0.0, min(expiries) - now))

    for check in checks:
        board.finish(CheckResult(
            check, Status.TIMEOUT, duration_ms=_ms(board.started.get(check.id, began)),
            reason="unfinished when the run's deadline passed"))
    ordered = tuple(board.results[c.id] for c in checks)
    return Run(ordered, _ms(began), deadline_hit)
