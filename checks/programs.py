"""Running the user's programs (codex, node, antseed) read-only and never for long.

Every call has a timeout inside the run's deadline, no standard input, the
user's environment, and decodes output leniently.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from typing import Optional, Sequence

from doctor.context import Context


@dataclass(frozen=True)
class Ran:
    """What a bounded run produced; ``failure`` says why there is no output."""

    returncode: Optional[int] = None
    stdout: str = ""
    stderr: str = ""
    failure: str = ""  # "", "timeout", or the OS error


def find(ctx: Context, name: str) -> Optional[str]:
    return shutil.which(name, path=ctx.env.get("PATH", ""))


def run(ctx: Context, argv: Sequence[str], timeout: float) -> Ran:
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, errors="replace",
                              stdin=subprocess.DEVNULL, env=dict(ctx.env),
                              timeout=max(0.1, ctx.time_left(timeout)))
    except subprocess.TimeoutExpired:
        return Ran(failure="timeout")
    except OSError as exc:
        return Ran(failure=str(exc.strerror or exc))
    return Ran(done.returncode, done.stdout, done.stderr)


def first_line_of_version(ctx: Context, name: str, timeout: float = 1.0) -> Optional[str]:
    """``NAME --version``'s first line; None when NAME is not on PATH."""
    exe = find(ctx, name)
    if not exe:
        return None
    ran = run(ctx, [exe, "--version"], timeout)
    if ran.failure:
        return f"unknown ({ran.failure})"
    return (ran.stdout.strip().splitlines() or ["unknown"])[0][:60]
