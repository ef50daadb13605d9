"""Every ``codex`` on PATH, its version and its npm layout, read without starting Node.

The first ``codex`` on PATH is the one that runs; an older one earlier on PATH
shadowing a newer install is a classic trap. Versions come from the npm
package metadata when possible (``@openai/codex/package.json``, or
``vendor/<triple>/codex-package.json`` from 0.133), else from
``codex --version`` (``codex-cli X.Y.Z`` on stdout) under a timeout.
"""

from __future__ import annotations

import json
import os
import platform
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from doctor.context import Context

from ..programs import run
from .versions import LATEST_KNOWN, Version

VERSION_TIMEOUT = 1.5  # below a check's 2 s timeout


@dataclass(frozen=True)
class Install:
    """One ``codex`` found on PATH."""

    path: str              # as found on PATH
    real: str              # symlinks resolved
    version: Optional[Version]
    version_source: str
    npm_root: Optional[Path] = None   # the @openai/codex package directory
    missing_platform: str = ""        # e.g. "@openai/codex-linux-x64"
    problem: str = ""                 # why the version could not be read


def _read_json(path: Path) -> Optional[Dict[str, Any]]:
    try:
        with open(path, "rb") as handle:
            data = json.loads(handle.read(256 * 1024).decode("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def npm_platform() -> str:
    """The suffix of Codex's per-platform npm package for this machine."""
    system = {"Linux": "linux", "Darwin": "darwin", "Windows": "win32"}.get(
        platform.system(), platform.system().lower())
    machine = platform.machine().lower()
    arch = "arm64" if machine in ("arm64", "aarch64") else "x64"
    return f"{system}-{arch}"


def _package_root(real: Path) -> Optional[Path]:
    """The ``@openai/codex`` package holding this launcher or native binary."""
    for parent in real.parents:
        data = _read_json(parent / "package.json")
        if data is not None:  # the main package, or a platform one (0.169.0-linux-x64)
            return parent if data.get("name") == "@openai/codex" else None
        if parent.name == "node_modules":
            return None
    return None


def _platform_package(root: Path, data: Dict[str, Any]) -> Tuple[str, bool]:
    """(name of the platform package this machine needs, whether it is installed)."""
    optional = data.get("optionalDependencies")
    if not isinstance(optional, dict):
        return "", True
    name = f"@openai/codex-{npm_platform()}"
    if name not in optional:
        return "", True
    scope_dir = root.parent  # node_modules/@openai
    candidates = [scope_dir / name.split("/")[1], root / "node_modules" / name]
    return name, any((c / "package.json").exists() for c in candidates)


def _from_metadata(real: Path) -> Optional[Tuple[Version, str, Optional[Path], str]]:
    """(version, where it was read, npm package root, missing platform package)."""
    for parent in list(real.parents)[:3]:
        meta = parent / "codex-package.json"  # vendor/<triple>/codex-package.json, 0.133+
        data = _read_json(meta)
        if data and Version.parse(str(data.get("version", ""))):
            root = _package_root(real)
            return Version.parse(str(data["version"])), str(meta), root, ""  # type: ignore
    root = _package_root(real)
    if root is None:
        return None
    data = _read_json(root / "package.json") or {}
    parsed = Version.parse(str(data.get("version", "")))
    if not parsed:
        return None
    missing = ""
    if str(data.get("version", "")).count("-") == 0:
        name, present = _platform_package(root, data)
        missing = "" if present else name
    return parsed, str(root / "package.json"), root, missing


def _from_cli(ctx: Context, exe: str) -> Tuple[Optional[Version], str]:
    done = run(ctx, [exe, "--version"], VERSION_TIMEOUT)
    if done.failure == "timeout":
        return None, f"`{exe} --version` did not answer within {VERSION_TIMEOUT:g} s"
    if done.failure:
        return None, f"`{exe} --version` could not run: {done.failure}"
    for line in done.stdout.splitlines():
        if line.startswith("codex-cli "):
            parsed = Version.parse(line)
            if parsed:
                return parsed, ""
    tail = (done.stderr.strip().splitlines() or ["no output"])[-1][:200]
    return None, f"`{exe} --version` exited {done.returncode}: {tail}"


def _executables(ctx: Context) -> List[str]:
    found: List[str] = []
    for directory in ctx.env.get("PATH", "").split(os.pathsep):
        if not directory:
            continue
        for name in ("codex", "codex.cmd", "codex.exe") if os.name == "nt" else ("codex",):
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
                found.append(candidate)
    return found


def installations(ctx: Context) -> List[Install]:
    """Every distinct ``codex`` on PATH, in PATH order (the first one runs)."""
    seen = set()
    installs: List[Install] = []
    for exe in _executables(ctx):
        real = os.path.realpath(exe)
        if real in seen:
            continue
        seen.add(real)
        meta = _from_metadata(Path(real))
        if meta:
            version, source, root, missing = meta
            installs.append(Install(exe, real, version, source, root, missing))
            continue
        version, problem = _from_cli(ctx, exe)
        installs.append(Install(exe, real, version, f"{exe} --version" if version else "",
                                problem=problem))
    return installs


@dataclass(frozen=True)
class DetectedVersion:
    version: Version
    source: str
    assumed: bool = False
    executable: str = ""


def codex_version(ctx: Context) -> DetectedVersion:
    """The Codex version whose rules apply: ``--codex-version``, else the codex that runs."""
    override = ctx.option("codex_version")
    if override:
        parsed = Version.parse(str(override))
        if parsed:
            return DetectedVersion(parsed, "--codex-version")
    installs = ctx.memo(installations)
    if installs and installs[0].version:
        first = installs[0]
        return DetectedVersion(first.version, first.version_source,  # type: ignore[arg-type]
                               executable=first.path)
    why = "no codex found on PATH" if not installs else "its version could not be read"
    return DetectedVersion(LATEST_KNOWN, f"assumed ({why})", assumed=True,
                           executable=installs[0].path if installs else "")
