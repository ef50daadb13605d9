"""The user's doctor settings: finding codes to silence, each with a reason and an expiry.

File: ``$ANTSEED_DOCTOR_CONFIG``, else ``$XDG_CONFIG_HOME/antseed-doctor/config.toml``
(``~/.config/antseed-doctor/config.toml``). Either form works::

    [[silence]]
    code = "CDX021"
    reason = "our gateway needs this header"
    until = 2027-01-31          # optional; after it the finding counts again

    [tool.antseed-doctor]       # the same list, pyproject-style
    silence = [{code = "ANT031", reason = "CI never runs --live"}]

Silenced findings stay in every output, marked, with their reason.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, List, Mapping, Optional

from .context import Context
from .finding import Finding, Fix, info, ok, warning
from .plugin import check

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass(frozen=True)
class Silence:
    code: str
    reason: str
    until: Optional[dt.date] = None

    def active(self, today: dt.date) -> bool:
        return self.until is None or today <= self.until


@dataclass(frozen=True)
class Settings:
    path: Path
    exists: bool
    silences: List[Silence] = field(default_factory=list)
    problems: List[str] = field(default_factory=list)


def settings_path(env: Mapping[str, str], home: Path) -> Path:
    explicit = env.get("ANTSEED_DOCTOR_CONFIG", "").strip()
    if explicit:
        return Path(explicit).expanduser()
    base = env.get("XDG_CONFIG_HOME", "").strip()
    return (Path(base) if base else home / ".config") / "antseed-doctor" / "config.toml"


def _date(value: Any) -> Optional[dt.date]:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def load(env: Mapping[str, str], home: Path) -> Settings:
    path = settings_path(env, home)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings(path, False)
    except OSError as exc:
        return Settings(path, True, problems=[f"cannot be read: {exc.strerror or exc}"])
    try:
        data = tomllib.loads(raw[: 1024 * 1024].decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError) as exc:
        return Settings(path, True, problems=[f"is not valid TOML: {exc}"])
    tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
    section = tool.get("antseed-doctor") if isinstance(tool.get("antseed-doctor"), dict) else {}
    entries = [*_list(data.get("silence")), *_list(section.get("silence"))]
    silences, problems = [], []
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("code"), str) \
                or not entry["code"].strip():
            problems.append(f"silence entry {number} has no code")
            continue
        reason = entry.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            problems.append(f"silence entry {number} ({entry['code']}) has no reason")
            continue
        try:
            until = _date(entry["until"]) if entry.get("until") is not None else None
        except (TypeError, ValueError):
            problems.append(f"silence entry {number} ({entry['code']}): until must be a date "
                            "like 2027-01-31")
            continue
        silences.append(Silence(entry["code"].strip(), reason.strip(), until))
    return Settings(path, True, silences, problems)


def _list(value: Any) -> List[Any]:
    return value if isinstance(value, list) else []


@check("doctor.settings", "Doctor settings (silenced findings)", order=1000,
       codes={"DOC000": "the settings file is valid",
              "DOC001": "the settings file, or an entry in it, is invalid and ignored",
              "DOC002": "a silence has expired, so its finding counts again"})
def settings_check(ctx: Context) -> List[Finding]:
    settings = load(ctx.env, ctx.home)
    findings: List[Finding] = []
    for problem in settings.problems:
        findings.append(warning("DOC001", f"{settings.path} {problem}", "",
                                Fix("Each [[silence]] needs code and reason; until is "
                                    "optional (a date).", (f'sed -n "1,40p" "{settings.path}"',))))
    today = dt.date.today()
    for silence in settings.silences:
        if not silence.active(today):
            findings.append(info("DOC002", f"the silence of {silence.code} expired on "
                                           f"{silence.until}", f"reason was: {silence.reason}",
                                 Fix(f"Remove it from {settings.path}, or move `until` later.")))
    if not findings:
        findings.append(ok("DOC000", f"{len(settings.silences)} silence(s) from {settings.path}"))
    return findings
