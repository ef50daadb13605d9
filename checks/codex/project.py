"""codex.project-config: routing keys in a project's .codex/config.toml.

Whether Codex uses them depends on the version and on trust: not loaded at
all up to 0.77, honoured for trusted projects 0.79-0.128, stripped with a
warning from 0.129; an untrusted project's file is skipped whole.
"""

from __future__ import annotations

from typing import Iterator, List

from doctor.context import Context
from doctor.finding import FileEdit, Finding, Fix, error, info, ok, warning
from doctor.plugin import check

from . import effects, layout, recommend
from .effective import effective, project_layer
from .install import codex_version
from .tomlfile import TomlFile, table_lines
from .versions import (
    PROJECT_FILES_LOADED,
    PROJECT_PROVIDER_KEYS_DENIED,
    RESERVED_PROVIDER_IDS,
    Version,
)

CODES = {
    "CDX040": "no project-local config takes provider settings away from the user config",
    "CDX041": "this Codex version does not load project .codex/config.toml at all",
    "CDX042": "Codex >=0.129 ignores provider keys in project .codex/config.toml",
    "CDX043": "the project is not trusted, so Codex skips its .codex/config.toml",
    "CDX044": "provider keys honoured from a trusted project (Codex 0.79-0.128 only)",
    "CDX045": "a project .codex/config.toml cannot be parsed",
}

ROUTING_KEYS = ("model_provider", "model_providers", "profile", "profiles", "openai_base_url")


def _blocks_to_move(file: TomlFile, keys: List[str]) -> List[str]:
    lines: List[str] = []
    top = [line for line in file.text.splitlines()[: _first_table_line(file.text)]
           if any(line.strip().startswith(k) for k in keys if k not in ("model_providers",
                                                                          "profiles"))]
    lines.extend(top)
    for table in ("model_providers", "profiles"):
        if table in keys:
            block = table_lines(file.text, table)
            if lines and block:
                lines.append("")
            lines.extend(block)
    return lines


def _first_table_line(text: str) -> int:
    for number, line in enumerate(text.splitlines()):
        if line.strip().startswith("["):
            return number
    return len(text.splitlines())


def _move_fix(ctx: Context, file: TomlFile, keys: List[str]) -> Fix:
    user = layout.display(ctx, ctx.memo(layout.user_config).path)
    shown = layout.display(ctx, file.path)
    moved = _blocks_to_move(file, keys)
    version = ctx.memo(codex_version).version
    selection = recommend.selection_edit(ctx, version, None)
    text = (f"Delete these lines from {shown} and write them into {user}. Put model and "
            f"model_provider in {selection.path}, not at the top of {user}, if you launch with "
            f"`{layout.launch_command(ctx)}`.")
    return Fix(text, file=FileEdit(user, tuple(moved or recommend.provider_lines(ctx)),
                                   f"moved from {shown}"))


def project_findings(ctx: Context) -> List[Finding]:
    eff = ctx.memo(effective)
    routed = _routes_to_antseed(ctx)
    findings: List[Finding] = []
    for file in ctx.memo(layout.project_files):
        findings.extend(_one_file(ctx, file, eff.version, routed))
    if not findings:
        findings.append(ok("CDX040", "no project-local .codex/config.toml overrides routing",
                           f"project root: {layout.display(ctx, ctx.memo(layout.project_root))}"))
    return findings


def _routes_to_antseed(ctx: Context) -> bool:
    """Whether the user-level setup alone selects a custom provider."""
    provider = ctx.memo(effective).provider_id
    return not provider.is_default and provider.value not in RESERVED_PROVIDER_IDS


def _one_file(ctx: Context, file: TomlFile, version: Version, routed: bool) -> Iterator[Finding]:
    shown = layout.display(ctx, file.path)
    layer = project_layer(ctx, file, version)
    if not file.ok:
        if version >= PROJECT_FILES_LOADED:
            yield warning(
                "CDX045", f"{shown} cannot be used: {file.state.value} ({file.problem})",
                f"at {file.where()}; for a trusted project Codex fails to load its config.",
                Fix(f"Fix or delete {shown}.", (f'mv "{file.path}" "{file.path}.broken"',)),
                effect=effects.NONE, path=str(file.path))
        return
    keys = [k for k in ROUTING_KEYS if k in file.data]
    if not keys:
        return
    severity = warning if routed else error
    effect = effects.NONE if routed else effects.MISROUTES
    fix = _move_fix(ctx, file, keys)
    listed = ", ".join(keys)
    if version < PROJECT_FILES_LOADED:
        yield severity("CDX041", f"{shown} sets {listed}, but Codex {version} never reads it",
                       "Codex up to 0.77 loads no project-local config.", fix,
                       effect=effect, path=str(file.path), keys=keys)
    elif not layer.active:
        yield severity(
            "CDX043", f"{shown} sets {listed}, but Codex skips the file: {layer.note}",
            "Codex prints: warning: Untrusted project-local configuration is disabled. "
            "Provider settings belong in the user config anyway.",
            fix, effect=effect, path=str(file.path), keys=keys)
    elif version >= PROJECT_PROVIDER_KEYS_DENIED:
        yield severity(
            "CDX042", f"{listed} in {shown} are ignored (Codex ≥0.129 takes them only from the "
                      "user config)",
            f"Codex prints: warning: Ignored unsupported project-local config keys in "
            f"{file.path}: ... If you want these settings to apply, manually set them in your "
            "user-level config.toml.",
            fix, effect=effect, path=str(file.path), keys=keys)
    else:
        yield info(
            "CDX044", f"{shown} sets {listed}; Codex {version} honours it for this trusted "
                      "project only",
            "Codex 0.129 and later ignore these keys in project files; other projects never "
            "see them.",
            fix, effect=effects.NONE, path=str(file.path), keys=keys)


@check("codex.project-config", "Project-local Codex config",
       requires=("codex.install", "codex.home"),
       codes=CODES, order=10)
def codex_project_check(ctx: Context) -> List[Finding]:
    return project_findings(ctx)

