"""Runs the built-in Codex checks in-process against a real temporary home."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional

from doctor.context import Context
from doctor.registry import Registry
from doctor.report import build
from doctor.runner import run_checks
from tests.homes import Home


@dataclass
class Diagnosis:
    report: Dict[str, Any]

    def codes(self, severity: Optional[str] = None) -> List[str]:
        return [f["code"] for c in self.report["checks"].values() for f in c["findings"]
                if severity is None or f["severity"] == severity]

    def finding(self, code: str) -> Dict[str, Any]:
        for c in self.report["checks"].values():
            for f in c["findings"]:
                if f["code"] == code:
                    return f
        raise AssertionError(f"no {code} in {self.codes()}")

    def status(self, check_id: str) -> str:
        return self.report["checks"][check_id]["status"]

    @property
    def verdict(self) -> Dict[str, Any]:
        return self.report["verdict"]

    @property
    def reaches(self) -> bool:
        return self.verdict["codex_reaches_antseed"]


REGISTRY = Registry.from_entry_points()


def diagnose(home: Home, version: Optional[str] = "0.169.0", profile: Optional[str] = "antseed",
             cwd: Optional[Path] = None, **env: str) -> Diagnosis:
    options = {"codex_version": version, "profile": profile, "no_profile": profile is None}
    ctx = Context(env=home.env(**env), cwd=cwd or home.work, options=options)
    checks = [c for c in REGISTRY.checks.values() if c.id.startswith("codex.")]
    run = run_checks(checks, ctx, timeout=10)
    return Diagnosis(build(ctx, REGISTRY, run))
