"""codex.sessions: running Codex processes with stale config, and where the last session went.

Codex reads its config once at launch, so a session started before the last
config change still uses the old provider. Its session files record the
provider each session used: the routing evidence users otherwise hunt for.
Everything here is read-only (the SQLite file is opened immutable).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional

from doctor.context import Context
from doctor.finding import Finding, Fix, ok, warning
from doctor.plugin import check

from . import effects, layout
from .effective import effective
from .provider import target_provider

CODES = {
    "CDX070": "no stale Codex process; the last session used the AntSeed provider",
    "CDX071": "Codex processes started before the last config change (restart them)",
    "CDX072": "the newest Codex session went to another provider",
}

FIRST_LINE_LIMIT = 4 * 1024 * 1024
# Codex runs as the native binary ("codex") or as its npm launcher under a JS runtime.
CANDIDATE_NAMES = ("codex", "node", "nodejs", "bun", "deno")


@dataclass(frozen=True)
class LastSession:
    provider: str
    model: str
    when: str
    cli_version: str
    source: str


def _newest_rollout(sessions: Path) -> Optional[Path]:
    """Walk YYYY/MM/DD from the newest down; file names carry the timestamp."""
    def newest_dirs(path: Path) -> List[Path]:
        try:
            return sorted((p for p in path.iterdir() if p.is_dir() and p.name.isdigit()),
                          key=lambda p: p.name, reverse=True)
        except OSError:
            return []

    for year in newest_dirs(sessions):
        for month in newest_dirs(year):
            for day in newest_dirs(month):
                files = sorted(day.glob("rollout-*.jsonl"), key=lambda p: p.name, reverse=True)
                if files:
                    return files[0]
    return None


def _from_rollout(path: Path) -> Optional[LastSession]:
    try:
        with open(path, "rb") as handle:
            first = handle.readline(FIRST_LINE_LIMIT)
        record = json.loads(first.decode("utf-8", "replace"))
    except (OSError, ValueError):
        return None
    payload = record.get("payload") if isinstance(record, dict) else None
    if not isinstance(payload, dict) or record.get("type") != "session_meta":
        return None
    provider = payload.get("model_provider")
    if not isinstance(provider, str):
        return None
    return LastSession(provider, str(payload.get("model") or ""),
                       str(payload.get("timestamp") or record.get("timestamp") or ""),
                       str(payload.get("cli_version") or ""), str(path))


def _from_state_db(path: Path) -> Optional[LastSession]:
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True, timeout=0.5)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("SELECT model_provider, model, cli_version FROM threads "
                           "ORDER BY rowid DESC LIMIT 1").fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    if not row or not isinstance(row[0], str):
        return None
    return LastSession(row[0], str(row[1] or ""), "", str(row[2] or ""), str(path))


def last_session(ctx: Context) -> Optional[LastSession]:
    home = ctx.memo(layout.codex_home).path
    rollout = _newest_rollout(home / "sessions")
    found = _from_rollout(rollout) if rollout else None
    return found or _from_state_db(home / "state_5.sqlite")


def _config_mtime(ctx: Context) -> Optional[float]:
    paths = [ctx.memo(layout.user_config).path]
    pfile = ctx.memo(layout.profile_file)
    if pfile is not None:
        paths.append(pfile.path)
    paths.extend(f.path for f in ctx.memo(layout.project_files))
    times = []
    for path in paths:
        try:
            times.append(path.stat().st_mtime)
        except OSError:
            continue
    return max(times) if times else None


def _looks_like_codex(info: Dict[str, Any]) -> bool:
    cmdline = info.get("cmdline") or []
    if info.get("name") == "codex":
        return True
    if cmdline and os.path.basename(cmdline[0]) == "codex":
        return True
    return any(str(arg).endswith(("/@openai/codex/bin/codex.js", "/bin/codex.js"))
               for arg in cmdline[:3])


def stale_processes(ctx: Context, changed: float) -> List[Dict[str, Any]]:
    import psutil  # only this check needs it

    stale = []
    for proc in psutil.process_iter(["pid", "name"]):
        info = dict(proc.info)
        if info.get("pid") == os.getpid() or info.get("name") not in CANDIDATE_NAMES:
            continue  # the command line is read only for processes that might be Codex
        try:
            info["cmdline"] = proc.cmdline()
            info["create_time"] = proc.create_time()
        except Exception:  # gone, or not ours to inspect
            continue
        if not _looks_like_codex(info):
            continue
        created = info.get("create_time") or 0
        if created and created < changed:
            stale.append({"pid": info["pid"],
                          "started": dt.datetime.fromtimestamp(created).isoformat(
                              timespec="seconds")})
    return stale


@check("codex.sessions", "Running Codex sessions and the last one's provider",
       requires=("codex.install", "codex.home"), codes=CODES, order=10)
def codex_sessions_check(ctx: Context) -> List[Finding]:
    findings: List[Finding] = []
    changed = _config_mtime(ctx)
    if changed is not None:
        stale = stale_processes(ctx, changed)
        if stale:
            pids = [str(p["pid"]) for p in stale]
            when = dt.datetime.fromtimestamp(changed).isoformat(timespec="seconds")
            findings.append(warning(
                "CDX071", f"{len(stale)} Codex process(es) started before your last config "
                          f"change ({when}): PID {', '.join(pids)}",
                "Codex reads its config once at launch; these sessions still use the old "
                "settings.",
                Fix("Quit these Codex sessions and start them again.",
                    (f"ps -o pid,lstart,args -p {','.join(pids)}",)),
                effect=effects.NONE, processes=stale))
    session = last_session(ctx)
    pid = target_provider(ctx.memo(effective))
    if session is not None and session.provider != pid:
        findings.append(warning(
            "CDX072", f"your last Codex session went to `{session.provider}`, not `{pid}`",
            f"recorded in {layout.display(ctx, Path(session.source))}"
            + (f" at {session.when}" if session.when else "")
            + (f" by Codex {session.cli_version}" if session.cli_version else "")
            + ". Sessions started after the fixes above will use the new route.",
            Fix(f"Start a new session with `{layout.launch_command(ctx)}`; resuming an old one "
                "keeps its provider."),
            effect=effects.NONE, provider=session.provider))
    if not findings:
        detail = (f"last session: provider {session.provider}" if session
                  else "no recorded session yet")
        findings.append(ok("CDX070", "no stale Codex process", detail))
    return findings
