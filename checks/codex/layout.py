"""Where Codex looks: its home, config files, profile file, project files, version.

Each function takes the shared context and is memoised through ``ctx.memo``,
so all checks see one consistent reading of the disk.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

from doctor.context import Context

from .tomlfile import TomlFile, read_toml

DEFAULT_PROFILE = "antseed"


@dataclass(frozen=True)
class CodexHome:
    path: Path
    from_env: bool
    problem: str = ""  # "", "missing", "not a directory"


def codex_home(ctx: Context) -> CodexHome:
    raw = ctx.env.get("CODEX_HOME", "")
    if raw.strip():
        path = Path(os.path.expanduser(raw))
        if not path.is_absolute():
            path = ctx.cwd / path
        if not path.exists():
            return CodexHome(path, True, "missing")
        if not path.is_dir():
            return CodexHome(path, True, "not a directory")
        return CodexHome(path, True)
    return CodexHome(ctx.home / ".codex", False)


def display(ctx: Context, path: Path) -> str:
    """A path as the user would type it: ``~/.codex/config.toml``."""
    try:
        return "~/" + str(Path(path).relative_to(ctx.home))
    except ValueError:
        return str(path)


def user_config(ctx: Context) -> TomlFile:
    return read_toml(ctx.memo(codex_home).path / "config.toml")


def profile_name(ctx: Context) -> Optional[str]:
    """The ``--profile`` the diagnosed launch uses (None for plain ``codex``)."""
    if ctx.option("no_profile"):
        return None
    return ctx.option("profile", DEFAULT_PROFILE) or None


PLAIN_PROFILE = re.compile(r"^[A-Za-z0-9_-]+$")  # what Codex >=0.134 accepts


def profile_name_problem(name: str) -> Optional[str]:
    """A name that would make the doctor look outside CODEX_HOME is a usage error.

    Codex >=0.134 is stricter (``PLAIN_PROFILE``); codex.profile reports that
    as a finding, since older versions accepted other names.
    """
    if not name or "/" in name or "\\" in name or name in (".", ".."):
        return f"invalid --profile value `{name}`; pass a plain name such as `work`"
    return None


def profile_path(ctx: Context, name: str) -> Path:
    return ctx.memo(codex_home).path / f"{name}.config.toml"


def profile_file(ctx: Context) -> Optional[TomlFile]:
    name = profile_name(ctx)
    return read_toml(profile_path(ctx, name)) if name else None


def launch_command(ctx: Context) -> str:
    name = profile_name(ctx)
    return f"codex --profile {name}" if name else "codex"


def project_root(ctx: Context) -> Path:
    """The nearest ancestor of the cwd holding ``.git``; the cwd itself when none does.

    Verified with Codex 0.128.0: without a git root only ``<cwd>/.codex`` counts,
    and trust is looked up for this root, not for the cwd.
    """
    cwd = ctx.cwd
    for candidate in (cwd, *cwd.parents):
        if (candidate / ".git").exists():
            return candidate
    return cwd


def project_files(ctx: Context) -> List[TomlFile]:
    """``.codex/config.toml`` files from the project root down to the cwd."""
    root = ctx.memo(project_root)
    user = ctx.memo(codex_home).path / "config.toml"
    dirs = [ctx.cwd, *[p for p in ctx.cwd.parents if _is_within(p, root)]]
    found = []
    for directory in reversed(dirs):
        path = directory / ".codex" / "config.toml"
        if _same(path, user):
            continue
        file = read_toml(path)
        if file.exists:
            found.append(file)
    return found


def trust_level(ctx: Context, root: Path) -> Optional[str]:
    """``trust_level`` recorded in the user config for ``root`` (None when absent)."""
    projects = ctx.memo(user_config).data.get("projects")
    if not isinstance(projects, dict):
        return None
    for key in (str(root), str(root.resolve()) if root.exists() else str(root)):
        entry = projects.get(key)
        if isinstance(entry, dict) and isinstance(entry.get("trust_level"), str):
            return entry["trust_level"]
    return None


def _is_within(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


def _same(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False
