"""codex.profile: the launch selects the AntSeed provider and a model, for this version.

Codex 0.134 replaced ``[profiles.NAME]`` in config.toml with a separate
``$CODEX_HOME/NAME.config.toml``; a missing profile file is silently empty,
so ``codex --profile antseed`` then quietly talks to OpenAI.
"""

from __future__ import annotations

import re
from typing import Iterator, List, Optional

from doctor.context import Context
from doctor.finding import FileEdit, Finding, Fix, error, info, ok, warning
from doctor.plugin import check

from . import effects, layout, recommend
from .effective import Effective, effective, selected_legacy_profile
from .home import describe_file_problem
from .install import codex_version
from .tomlfile import table_lines
from .versions import PROFILES_V2, RESERVED_PROVIDER_IDS

CODES = {
    "CDX029": "Codex >=0.134 refuses this --profile name (only letters, digits, - and _)",
    "CDX030": "the launch selects the AntSeed provider and a model",
    "CDX031": "Codex >=0.134: the profile file is missing, --profile is silently ignored",
    "CDX032": "Codex >=0.134: legacy [profiles.NAME] or profile = \"NAME\" with --profile NAME",
    "CDX033": "Codex >=0.134: top-level profile = \"NAME\" without --profile",
    "CDX034": "the profile file cannot be used (not a file, unreadable, invalid)",
    "CDX035": "the launch selects no custom provider: requests go to OpenAI",
    "CDX036": "the launch selects a different custom provider",
    "CDX037": "no model set: Codex asks the proxy for an OpenAI default model",
    "CDX038": "legacy [profiles.*] tables are ignored by this Codex version",
    "CDX039": "Codex <=0.133: --profile NAME but no [profiles.NAME] table",
}


def _legacy_block(ctx: Context, name: str) -> List[str]:
    user = ctx.memo(layout.user_config)
    lines = table_lines(user.text, f"profiles.{name}")
    return lines[1:] if lines else []


def _migration_fix(ctx: Context, name: str, model: Optional[str]) -> Fix:
    user = layout.display(ctx, ctx.memo(layout.user_config).path)
    target = layout.display(ctx, layout.profile_path(ctx, name))
    body = [line for line in _legacy_block(ctx, name) if line.strip()]
    if not body:
        body = [f'model = "{model or recommend.EXAMPLE_MODEL}"',
                f'model_provider = "{recommend.PROVIDER_ID}"']
    return Fix(f"Move the keys of [profiles.{name}] into {target} and delete the "
               f"[profiles.{name}] table and any `profile = \"{name}\"` line from {user}.",
               file=FileEdit(target, tuple(body), "the whole file (create it)"))


def _v2_findings(ctx: Context, name: str) -> Iterator[Finding]:
    eff = ctx.memo(effective)
    user = ctx.memo(layout.user_config)
    version = eff.version
    legacy_table = isinstance(user.data.get("profiles"), dict) and name in user.data["profiles"]
    legacy_selector = user.data.get("profile") == name
    profile_file = ctx.memo(layout.profile_file)
    assert profile_file is not None
    target = layout.display(ctx, profile_file.path)
    if legacy_table or legacy_selector:
        what = " and ".join(x for x in (f"[profiles.{name}]" if legacy_table else "",
                                        f'profile = "{name}"' if legacy_selector else "") if x)
        yield error(
            "CDX032", f"config.toml still has {what}, which Codex ≥0.134 refuses with --profile "
                      f"{name}",
            f"Codex prints: Error loading config.toml: --profile `{name}` cannot be used while "
            f"{user.path} contains legacy `profile = \"{name}\"` or `[profiles.{name}]` config; "
            f"move those settings into {layout.profile_path(ctx, name)} and remove the legacy "
            "profile selector/table.",
            _migration_fix(ctx, name, _model_value(eff)),
            effect=effects.REFUSES_TO_START, profile=name)
        return
    if not profile_file.exists:
        model = eff.get("model")
        yield error(
            "CDX031", f"{target} is missing, so --profile {name} is silently ignored",
            f"Codex {version} treats a missing profile file as empty and prints nothing: the run "
            f"uses the base config (provider {eff.provider_id.value}).",
            Fix(f"Create {target}; {recommend.model_hint(ctx)}.",
                file=recommend.selection_edit(ctx, version, model.value if model else None)),
            effect=effects.MISROUTES, profile=name, path=str(profile_file.path))
        return
    if not profile_file.ok:
        _number, title, detail, fix = describe_file_problem(ctx, profile_file, "The profile file")
        yield error("CDX034", title, detail, fix, effect=effects.REFUSES_TO_START,
                    path=str(profile_file.path), state=profile_file.state.value)
        return
    if isinstance(user.data.get("profiles"), dict) and user.data["profiles"]:
        yield info(
            "CDX038", f"[profiles.*] tables in config.toml are ignored by Codex {version}",
            "They no longer select anything; other --profile names also use NAME.config.toml.",
            Fix("Move each table you still use into $CODEX_HOME/<name>.config.toml and delete "
                "the [profiles.*] tables."), effect=effects.NONE)


def _legacy_findings(ctx: Context, name: str) -> Iterator[Finding]:
    eff = ctx.memo(effective)
    user = ctx.memo(layout.user_config)
    profiles = user.data.get("profiles")
    if not (isinstance(profiles, dict) and isinstance(profiles.get(name), dict)):
        flag = layout.profile_name(ctx) == name
        yield error(
            "CDX039", f"config.toml has no [profiles.{name}] (Codex ≤0.133 reads profiles only "
                      "there)",
            (f"Codex prints `Error: config profile `{name}` not found` and exits 1."
             if flag else f'config.toml selects profile = "{name}", which does not exist.'),
            Fix(f"Add the profile table to {layout.display(ctx, user.path)}. When you upgrade "
                f"to Codex 0.134 or later, move it to {name}.config.toml.",
                file=recommend.selection_edit(ctx, eff.version, None)),
            effect=effects.REFUSES_TO_START, profile=name)
        return
    pfile = layout.profile_path(ctx, name)
    if pfile.exists():
        yield info(
            "CDX038", f"{layout.display(ctx, pfile)} is ignored by Codex {eff.version}",
            "Profile files are read from Codex 0.134; this version reads [profiles.NAME].",
            Fix("Keep both until you upgrade; after upgrading delete the [profiles] table."),
            effect=effects.NONE)


def _selection_findings(ctx: Context) -> Iterator[Finding]:
    eff = ctx.memo(effective)
    provider = eff.provider_id
    launch = layout.launch_command(ctx)
    if provider.value in RESERVED_PROVIDER_IDS or provider.is_default:
        yield error(
            "CDX035", f"`{launch}` selects provider {provider.value}, not AntSeed",
            f"model_provider: {provider.value} ({provider.source}). Codex sends every request "
            "there, and the AntSeed proxy sees nothing.",
            Fix(f'Set model_provider = "{recommend.PROVIDER_ID}" where the launch reads it.',
                file=recommend.selection_edit(ctx, eff.version,
                                              _model_value(eff))),
            effect=effects.MISROUTES, model_provider=provider.value, source=provider.source)
        return
    if provider.value != recommend.PROVIDER_ID:
        yield info(
            "CDX036", f"`{launch}` selects provider {provider.value!r}",
            f"set in {provider.source}; the other checks inspect [model_providers."
            f"{provider.value}].",
            Fix(f'Nothing to change if {provider.value} is your AntSeed provider; otherwise set '
                f'model_provider = "{recommend.PROVIDER_ID}".'),
            effect=effects.NONE, model_provider=provider.value)
    model = eff.get("model")
    if model is None or not isinstance(model.value, str) or not model.value.strip():
        yield warning(
            "CDX037", "no model is set for the AntSeed launch",
            "Codex then requests its own default OpenAI model id, which AntSeed peers do "
            "not serve (400 model_not_found).",
            Fix(f"Set model; {recommend.model_hint(ctx)}.",
                file=recommend.selection_edit(ctx, eff.version, None)),
            effect=effects.FAILS_REQUESTS)
        return
    yield ok("CDX030", f"`{launch}` → provider {provider.value}, model {model.value}",
             f"model_provider from {provider.source}; model from {model.source}")


def _model_value(eff: Effective) -> Optional[str]:
    model = eff.get("model")
    return model.value if model and isinstance(model.value, str) else None


def profile_findings(ctx: Context) -> List[Finding]:
    version = ctx.memo(codex_version).version
    name = layout.profile_name(ctx)
    user = ctx.memo(layout.user_config)
    findings: List[Finding] = []
    if version >= PROFILES_V2:
        if name and not layout.PLAIN_PROFILE.match(name):
            return [error(
                "CDX029", f"Codex {version} refuses --profile {name}",
                f"Codex prints: error: invalid value '{name}' for '--profile "
                f"<CONFIG_PROFILE_V2>': invalid --profile value `{name}`; pass a plain name "
                "such as `work` (exit 2). Verified with 0.169.0.",
                Fix("Use a name of letters, digits, - and _ only, and name the profile file "
                    "after it.", (f"codex --profile {re.sub(r'[^A-Za-z0-9_-]', '-', name)}",)),
                effect=effects.REFUSES_TO_START, profile=name)]
        if name:
            findings.extend(_v2_findings(ctx, name))
        else:
            top = user.data.get("profile")
            if isinstance(top, str) and top:
                findings.append(error(
                    "CDX033",
                    f'config.toml has a top-level profile = "{top}", which Codex ≥0.134 refuses',
                    f"Codex prints: Error: legacy `profile = \"{top}\"` config is no longer "
                    f"supported; use `--profile {top}` with `{top}.config.toml` instead.",
                    _migration_fix(ctx, top, None), effect=effects.REFUSES_TO_START))
    else:
        legacy = selected_legacy_profile(ctx)
        if legacy:
            findings.extend(_legacy_findings(ctx, legacy))
    if any(f.evidence.get("effect") == effects.REFUSES_TO_START for f in findings):
        return findings
    if any(f.code == "CDX031" for f in findings):
        return findings
    return findings + list(_selection_findings(ctx))


@check("codex.profile", "Codex profile and model selection",
       requires=("codex.install", "codex.home"),
       codes=CODES, order=10)
def codex_profile_check(ctx: Context) -> List[Finding]:
    return profile_findings(ctx)

