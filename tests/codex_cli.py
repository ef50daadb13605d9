"""Installs pinned releases of the real Codex CLI from the npm registry, cached.

The cache lives outside the repository (``$ANTSEED_DOCTOR_CODEX_CACHE`` or
``~/.cache/antseed-doctor/codex``); each version is installed once with
``npm install --prefix <cache>/<version> @openai/codex@<version>``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Optional, Tuple

PINNED = ("0.94.0", "0.128.0", "0.133.0", "0.169.0")
INSTALL_TIMEOUT = 600


def cache_dir() -> Path:
    raw = os.environ.get("ANTSEED_DOCTOR_CODEX_CACHE")
    return Path(raw) if raw else Path.home() / ".cache" / "antseed-doctor" / "codex"


def codex_bin_dir(version: str) -> Tuple[Optional[Path], str]:
    """(directory holding the ``codex`` launcher, or None with the reason)."""
    prefix = cache_dir() / version
    bin_dir = prefix / "node_modules" / ".bin"
    if (bin_dir / "codex").exists():
        return bin_dir, ""
    npm = shutil.which("npm")
    if not npm:
        return None, "npm is not installed, so the real Codex CLI cannot be installed"
    prefix.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix",
             str(prefix), f"@openai/codex@{version}"],
            capture_output=True, text=True, timeout=INSTALL_TIMEOUT, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"npm install @openai/codex@{version} failed: {exc}"
    if done.returncode != 0 or not (bin_dir / "codex").exists():
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        return None, f"npm install @openai/codex@{version} failed: {' | '.join(tail)}"
    return bin_dir, ""
