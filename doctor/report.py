"""Turns a run into the report data every renderer shares.

Text, JSON and later formats all render this one structure, so a finding can
never be present in one output and missing from another.
"""

from __future__ import annotations

import datetime as _dt
import platform
import sys
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence

from . import __version__
from .context import Context
from .finding import Finding, Severity
from .plugin import VerdictResult
from .registry import Registry
from .runner import CheckResult, Run, Status, status_of

SCHEMA_VERSION = 1
TOOL_NAME = "antseed-doctor"


@dataclass(frozen=True)
class Silencer:
    """Codes (or prefixes) silenced by ``--ignore`` or by the settings file (with a reason)."""

    codes: Sequence[str] = ()
    rules: Sequence[Any] = ()  # doctor.settings.Silence values in force

    def rule(self, finding: Finding) -> Optional[Dict[str, Any]]:
        if any(finding.code.startswith(c) for c in self.codes if c):
            return {"reason": "--ignore", "until": None}
        for rule in self.rules:
            if finding.code.startswith(rule.code):
                return {"reason": rule.reason,
                        "until": rule.until.isoformat() if rule.until else None}
        return None

    def __call__(self, finding: Finding) -> bool:
        return self.rule(finding) is not None


def effective_status(result: CheckResult, silenced: Silencer) -> Status:
    if result.status in (Status.SKIPPED, Status.TIMEOUT, Status.CRASHED):
        return result.status
    return status_of([f for f in result.findings if not silenced(f)])


def overall_status(statuses: Sequence[Status]) -> str:
    if any(s in (Status.ERROR, Status.CRASHED, Status.TIMEOUT) for s in statuses):
        return "error"
    if Status.WARNING in statuses:
        return "warning"
    return "ok"


def environment(ctx: Context, registry: Registry) -> Dict[str, Any]:
    env: Dict[str, Any] = {
        "os": platform.platform(),
        "python": platform.python_version(),
        "executable": sys.executable,
    }
    for inventory in registry.inventories:
        try:
            env.update(inventory.func(ctx))
        except Exception as exc:  # inventory is best effort; say why it is missing
            env.setdefault("inventory_errors", []).append(f"{type(exc).__name__}: {exc}")
    return env


def compute_verdict(ctx: Context, registry: Registry, run: Run) -> Optional[Dict[str, Any]]:
    results = run.by_id()
    for verdict in registry.verdicts:
        try:
            answer: Optional[VerdictResult] = verdict.func(ctx, results)
        except Exception as exc:
            return {verdict.key: None, "because": f"verdict failed: {type(exc).__name__}: {exc}",
                    "codes": [], "headline": ""}
        if answer is not None:
            return {verdict.key: answer.value, "because": answer.because,
                    "codes": list(answer.codes), "headline": answer.headline or answer.because}
    return None


def _finding_entry(finding: Finding, silenced: Silencer) -> Dict[str, Any]:
    entry = dict(finding.as_dict(), silenced=False)
    rule = silenced.rule(finding)
    if rule is not None:
        entry["silenced"] = True
        entry["silence"] = rule
    return entry


def build(
    ctx: Context,
    registry: Registry,
    run: Run,
    silenced: Silencer = Silencer(),
    debug: bool = False,
    now: Optional[_dt.datetime] = None,
) -> Dict[str, Any]:
    """The full report as plain data (the JSON contract, schema_version 1)."""
    checks: Dict[str, Any] = {}
    statuses: List[Status] = []
    for result in run.results:
        status = effective_status(result, silenced)
        statuses.append(status)
        entry: Dict[str, Any] = {
            "title": result.check.title,
            "status": status.value,
            "duration_ms": result.duration_ms,
            "findings": [_finding_entry(f, silenced) for f in result.findings],
        }
        if result.reason:
            entry["reason"] = result.reason
        if debug and result.traceback:
            entry["traceback"] = result.traceback
        checks[result.id] = entry
    for err in registry.load_errors:
        statuses.append(Status.CRASHED)
        checks[f"plugin:{err.plugin}"] = {
            "title": f"Load plugin {err.plugin}", "status": Status.CRASHED.value,
            "duration_ms": 0, "findings": [], "reason": err.reason,
        }
    stamp = (now or _dt.datetime.now(_dt.timezone.utc)).replace(microsecond=0)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": __version__},
        "generated_at": stamp.isoformat().replace("+00:00", "Z"),
        "status": overall_status(statuses),
        "verdict": compute_verdict(ctx, registry, run),
        "environment": environment(ctx, registry),
        "run": {"duration_ms": run.duration_ms, "deadline_hit": run.deadline_hit,
                "options": {k: v for k, v in ctx.options.items() if v is not None}},
        "checks": checks,
    }


def worst_unsilenced(report: Mapping[str, Any]) -> Severity:
    worst = Severity.OK
    for entry in report["checks"].values():
        for f in entry["findings"]:
            if not f.get("silenced"):
                worst = max(worst, Severity.parse(f["severity"]))
    return worst


def incomplete(report: Mapping[str, Any]) -> bool:
    """Whether the doctor itself failed somewhere (crash, timeout, deadline)."""
    if report["run"]["deadline_hit"]:
        return True
    return any(e["status"] in ("crashed", "timeout") for e in report["checks"].values())


def exit_code(report: Mapping[str, Any], fail_on: Severity) -> int:
    """0 healthy, 1 findings at/above ``fail_on``, 3 the doctor failed (2 is click's usage)."""
    if worst_unsilenced(report) >= fail_on and fail_on > Severity.OK:
        return 1
    if incomplete(report):
        return 3
    return 0
