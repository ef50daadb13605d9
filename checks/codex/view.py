"""The ``config`` view: what the diagnosed launch uses, and which file set each value."""

from __future__ import annotations

from typing import List

from doctor.context import Context
from doctor.plugin import Row, View

from . import layout
from .effective import Effective, effective
from .install import codex_version
from .provider import target_provider
from .versions import PROFILES_V2


def config_rows(ctx: Context) -> List[Row]:
    detected = ctx.memo(codex_version)
    home = ctx.memo(layout.codex_home)
    rows = [
        Row("codex version", str(detected.version), detected.source),
        Row("launch", layout.launch_command(ctx)),
        Row("CODEX_HOME", layout.display(ctx, home.path),
            "environment" if home.from_env else "default", home.problem),
    ]
    eff = ctx.memo(effective)
    for layer in eff.layers:
        state = "used" if layer.active else "not used"
        rows.append(Row(f"layer {layer.name}", layer.path, state, layer.note))
    provider = eff.provider_id
    rows.append(Row("model_provider", str(provider.value), provider.source))
    model = eff.get("model")
    rows.append(Row("model", str(model.value) if model else "(Codex default)",
                    model.source if model else "not set"))
    pid = target_provider(eff)
    table = eff.provider(pid)
    for key in ("name", "base_url", "wire_api", "env_key"):
        setting = table.get(key)
        if setting is not None:
            rows.append(Row(f"{pid}.{key}", str(setting.value), setting.source))
        elif key in ("base_url", "wire_api"):
            default = {"base_url": "https://api.openai.com/v1 (Codex default)",
                       "wire_api": "responses (Codex default)"}[key]
            rows.append(Row(f"{pid}.{key}", default, "not set"))
    for key, setting in table.items():
        if key.startswith("http_headers.") or key == "experimental_bearer_token":
            rows.append(Row(f"{pid}.{key}", "<set, value hidden>", setting.source))
    rows.extend(_ignored_rows(ctx, eff))
    return rows


def _ignored_rows(ctx: Context, eff: Effective) -> List[Row]:
    """Settings present on disk that this version of Codex does not use, and why."""
    rows = []
    user = ctx.memo(layout.user_config)
    profiles = user.data.get("profiles")
    if eff.version >= PROFILES_V2 and isinstance(profiles, dict):
        for name in profiles:
            rows.append(Row("ignored", f"[profiles.{name}]", layout.display(ctx, user.path),
                            f"Codex {eff.version} reads profiles from {name}.config.toml"))
    name = layout.profile_name(ctx)
    if eff.version < PROFILES_V2 and name and layout.profile_path(ctx, name).exists():
        rows.append(Row("ignored", layout.display(ctx, layout.profile_path(ctx, name)), "",
                        f"Codex {eff.version} reads [profiles.{name}] in config.toml instead"))
    return rows


VIEW = View("config", "Effective Codex configuration", config_rows)
