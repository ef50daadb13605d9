"""The configuration the doctor proposes, as exact lines, for a Codex version.

Choices, each verified against real Codex releases: ``wire_api = "responses"``
(the only value accepted from 0.95, and valid before), ``127.0.0.1`` rather
than ``localhost`` (the proxy binds IPv4 only), and the profile mechanism the
detected version understands (``NAME.config.toml`` from 0.134,
``[profiles.NAME]`` before).
"""

from __future__ import annotations

from typing import List, Optional

from doctor.context import Context
from doctor.finding import FileEdit

from ..antseed.settings import proxy_port
from . import layout
from .versions import PROFILES_V2, Version

PROVIDER_ID = "antseed"
EXAMPLE_MODEL = "claude-sonnet-4-6"


def base_url(ctx: Context) -> str:
    return f"http://127.0.0.1:{ctx.memo(proxy_port).port}/v1"


def provider_lines(ctx: Context, provider_id: str = PROVIDER_ID) -> List[str]:
    return [
        f"[model_providers.{provider_id}]",
        'name = "AntSeed"',
        f'base_url = "{base_url(ctx)}"',
        'wire_api = "responses"',
    ]


def provider_edit(ctx: Context, provider_id: str = PROVIDER_ID) -> FileEdit:
    user = layout.display(ctx, ctx.memo(layout.user_config).path)
    return FileEdit(user, tuple(provider_lines(ctx, provider_id)),
                    "add this table (replace an existing one of the same name)")


def selection_edit(ctx: Context, version: Version, model: Optional[str]) -> FileEdit:
    """Where ``model`` and ``model_provider`` go for the launch being diagnosed."""
    chosen = model or EXAMPLE_MODEL
    name = layout.profile_name(ctx)
    user = layout.display(ctx, ctx.memo(layout.user_config).path)
    if name is None:
        return FileEdit(user, (f'model = "{chosen}"', f'model_provider = "{PROVIDER_ID}"'),
                        "at the top, before any [table]")
    if version >= PROFILES_V2:
        path = layout.display(ctx, layout.profile_path(ctx, name))
        return FileEdit(path, (f'model = "{chosen}"', f'model_provider = "{PROVIDER_ID}"'),
                        "the whole file (create it)")
    return FileEdit(user, (f"[profiles.{name}]", f'model = "{chosen}"',
                           f'model_provider = "{PROVIDER_ID}"'), "add this table")


def model_hint(ctx: Context) -> str:
    return (f"use a model id listed by `curl -s {base_url(ctx)}/models`; "
            f"the example {EXAMPLE_MODEL} may not be offered by your peer")
