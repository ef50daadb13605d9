"""Entry point of the built-in Codex checks: everything listed here is registered."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Tuple

from doctor.context import Context
from doctor.plugin import Attachment, Inventory, Option

from . import layout
from .env import codex_env_check
from .fixes import FIXERS
from .home import codex_home_check
from .install import codex_version
from .install_check import codex_install_check, node_version
from .profile import codex_profile_check
from .project import codex_project_check
from .provider import codex_provider_check
from .sessions import codex_sessions_check
from .shell import codex_shell_check
from .verdict import VERDICT
from .view import VIEW

OPTIONS = [
    Option("profile", ("--profile",), "Diagnose `codex --profile NAME`.",
           default=layout.DEFAULT_PROFILE, metavar="NAME", validate=layout.profile_name_problem),
    Option("no_profile", ("--no-profile",),
           "Diagnose plain `codex` (model_provider at the top of config.toml).", is_flag=True),
    Option("codex_version", ("--codex-version",),
           "Apply the rules of this Codex version instead of detecting it.", metavar="X.Y.Z"),
]


def _inventory(ctx: Context) -> Dict[str, Any]:
    detected = ctx.memo(codex_version)
    return {
        "codex_version": str(detected.version),
        "codex_version_source": detected.source,
        "codex_executable": detected.executable or None,
        "codex_home": str(ctx.memo(layout.codex_home).path),
        "codex_launch": layout.launch_command(ctx),
        "node_version": ctx.memo(node_version) if detected.executable else None,
    }


def _files(ctx: Context) -> List[Tuple[str, Path]]:
    found: List[Tuple[str, Path]] = [("Codex user config", ctx.memo(layout.user_config).path)]
    profile = ctx.memo(layout.profile_file)
    if profile is not None:
        found.append(("Codex profile file", profile.path))
    found.extend(("Codex project config", f.path) for f in ctx.memo(layout.project_files))
    return found


CHECKS = [codex_install_check, codex_home_check, codex_profile_check, codex_provider_check,
          codex_project_check, codex_env_check, codex_sessions_check, codex_shell_check]
INVENTORY = Inventory(_inventory)
FILES = Attachment(_files)

__all__ = ["CHECKS", "FILES", "FIXERS", "INVENTORY", "OPTIONS", "VERDICT", "VIEW"]
