"""The ``config`` view: what the diagnosed launch uses, and which file set each value."""

from __future__ import annotations

from typing import List

from doctor.context import Context
from doctor.plugin import Row, View

from . import layout
from .effective import effective
from .provider import target_provider


def config_rows(ctx: Context) -> List[Row]:
    detected = ctx.memo(layout.codex_version)
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
    return rows


VIEW = View("config", "Effective Codex configuration", config_rows)
