"""Findings: the immutable values every check returns.

A finding that is not OK must say how to fix it, so the rule is enforced
when the value is built rather than hoped for in review.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping, Optional, Tuple


class Severity(enum.IntEnum):
    """How bad a finding is; ordered so ``max()`` gives the worst."""

    OK = 0
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r}") from None


@dataclass(frozen=True)
class FileEdit:
    """Exact lines to write into a file, and where."""

    path: str
    lines: Tuple[str, ...]
    where: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", tuple(self.lines))

    def as_dict(self) -> dict:
        return {"path": self.path, "where": self.where, "lines": list(self.lines)}


@dataclass(frozen=True)
class Fix:
    """What the user should do: prose, runnable commands, an exact file edit."""

    text: str
    commands: Tuple[str, ...] = ()
    file: Optional[FileEdit] = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "commands", tuple(self.commands))

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "commands": list(self.commands),
            "file": self.file.as_dict() if self.file else None,
        }


def _frozen_mapping(value: Optional[Mapping[str, Any]]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value or {}))


@dataclass(frozen=True)
class Finding:
    """One observation of one check, with a stable code users can select."""

    code: str
    severity: Severity
    title: str
    detail: str = ""
    fix: Optional[Fix] = None
    evidence: Mapping[str, Any] = field(default_factory=dict)
    check: str = ""

    def __post_init__(self) -> None:
        if not self.code:
            raise ValueError("a finding needs a stable code")
        if not isinstance(self.severity, Severity):
            object.__setattr__(self, "severity", Severity(self.severity))
        if self.severity is not Severity.OK and self.fix is None:
            raise ValueError(f"finding {self.code} is {self.severity.label} but has no fix")
        object.__setattr__(self, "evidence", _frozen_mapping(self.evidence))

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity.label,
            "title": self.title,
            "detail": self.detail,
            "fix": self.fix.as_dict() if self.fix else None,
            "evidence": dict(self.evidence),
        }


def ok(code: str, title: str, detail: str = "", **evidence: Any) -> Finding:
    return Finding(code, Severity.OK, title, detail, evidence=evidence)


def info(code: str, title: str, detail: str = "", fix: Optional[Fix] = None,
         **evidence: Any) -> Finding:
    return Finding(code, Severity.INFO, title, detail, fix, evidence)


def warning(code: str, title: str, detail: str = "", fix: Optional[Fix] = None,
            **evidence: Any) -> Finding:
    return Finding(code, Severity.WARNING, title, detail, fix, evidence)


def error(code: str, title: str, detail: str = "", fix: Optional[Fix] = None,
          **evidence: Any) -> Finding:
    return Finding(code, Severity.ERROR, title, detail, fix, evidence)
