"""Who is (or should be) on the proxy port: read-only psutil look-ups, best effort.

Only process names and PIDs are reported; command lines may carry secrets.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import List, Optional

# `antseed buyer start` runs under node (npm install), the Electron binary
# (desktop app) or a launcher named after the CLI.
RUNTIME_HINTS = ("node", "antseed", "electron", "bun")


@dataclass(frozen=True)
class Proc:
    pid: int
    name: str


def _is_buyer_start(cmdline: List[str]) -> bool:
    tokens = [os.path.basename(t) for t in cmdline]
    has_cli = any(t == "antseed" or t.endswith("index.js") or "cli-dist" in t for t in cmdline)
    pairs = any(a == "buyer" and b == "start" for a, b in zip(tokens, tokens[1:]))
    return has_cli and pairs


def buyer_processes() -> List[Proc]:
    """Running ``antseed buyer start`` processes."""
    import psutil

    found = []
    for proc in psutil.process_iter(["pid", "name"]):
        name = (proc.info.get("name") or "").lower()
        if not any(hint in name for hint in RUNTIME_HINTS):
            continue  # read command lines only of processes that can run the CLI
        try:
            if _is_buyer_start(proc.cmdline()):
                found.append(Proc(proc.info["pid"], proc.info.get("name") or "?"))
        except Exception:
            continue
    return found


def pid_alive(pid: object) -> bool:
    import psutil

    return isinstance(pid, int) and pid > 0 and psutil.pid_exists(pid)


def port_owner(port: int) -> Optional[Proc]:
    """The process listening on ``port``, when the OS lets us see it."""
    import psutil

    try:
        connections = psutil.net_connections(kind="tcp")
    except Exception:
        return None
    for conn in connections:
        if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port \
                and conn.pid:
            try:
                return Proc(conn.pid, psutil.Process(conn.pid).name())
            except Exception:
                return Proc(conn.pid, "?")
    return None
