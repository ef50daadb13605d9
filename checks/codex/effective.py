"""What the diagnosed launch will actually use, and which file set each value.

Codex merges its config layers key by key; this module reproduces that for
the keys that decide routing (``model_provider``, ``model``, the provider
table), for the detected version, and records why a layer or key is ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from doctor.context import Context

from . import layout
from .install import codex_version
from .tomlfile import TomlFile, read_toml
from .versions import (
    PROFILES_V2,
    PROJECT_DENYLIST,
    PROJECT_FILES_LOADED,
    PROJECT_PROVIDER_KEYS_DENIED,
    Version,
)

SYSTEM_CONFIG = Path("/etc/codex/config.toml")


@dataclass(frozen=True)
class Layer:
    """One source of settings, lowest precedence first."""

    name: str
    path: str
    data: Dict[str, Any]
    active: bool = True
    note: str = ""


@dataclass(frozen=True)
class Setting:
    value: Any
    source: str

    @property
    def is_default(self) -> bool:
        return self.source.startswith("Codex default")


@dataclass(frozen=True)
class Effective:
    version: Version
    profile: Optional[str]
    layers: Tuple[Layer, ...]
    values: Dict[Tuple[str, ...], Setting] = field(default_factory=dict)

    def get(self, *path: str) -> Optional[Setting]:
        return self.values.get(tuple(path))

    @property
    def provider_id(self) -> Setting:
        found = self.get("model_provider")
        if found and isinstance(found.value, str) and found.value:
            return found
        return Setting("openai", "Codex default (no model_provider set)")

    def provider(self, provider_id: str) -> Dict[str, Setting]:
        prefix = ("model_providers", provider_id)
        return {
            ".".join(path[2:]): setting
            for path, setting in self.values.items()
            if path[:2] == prefix and len(path) > 2
        }

    def defined_providers(self) -> List[str]:
        seen: List[str] = []
        for path in self.values:
            if len(path) > 2 and path[0] == "model_providers" and path[1] not in seen:
                seen.append(path[1])
        return seen


def _flatten(data: Any, prefix: Tuple[str, ...] = ()) -> Dict[Tuple[str, ...], Any]:
    flat: Dict[Tuple[str, ...], Any] = {}
    if isinstance(data, dict) and (not prefix or len(prefix) < 4):
        for key, value in data.items():
            flat.update(_flatten(value, (*prefix, str(key))))
    else:
        flat[prefix] = data
    return flat


def _legacy_profile_table(user: TomlFile, name: Optional[str]) -> Optional[Dict[str, Any]]:
    if not name:
        return None
    profiles = user.data.get("profiles")
    table = profiles.get(name) if isinstance(profiles, dict) else None
    return table if isinstance(table, dict) else None


def selected_legacy_profile(ctx: Context) -> Optional[str]:
    """Codex <=0.133: the ``[profiles.X]`` the launch selects (flag or top-level key)."""
    name = layout.profile_name(ctx)
    if name:
        return name
    top = ctx.memo(layout.user_config).data.get("profile")
    return top if isinstance(top, str) and top else None


def project_layer(ctx: Context, file: TomlFile, version: Version) -> Layer:
    """How Codex treats one project file: not loaded, untrusted, stripped or honoured."""
    root = ctx.memo(layout.project_root)
    shown = layout.display(ctx, file.path)
    if version < PROJECT_FILES_LOADED:
        return Layer("project", shown, {}, False,
                     f"Codex {version} does not load project .codex/config.toml files")
    trust = layout.trust_level(ctx, root)
    if trust != "trusted":
        state = "explicitly untrusted" if trust == "untrusted" else "not trusted"
        return Layer("project", shown, {}, False,
                     f"project {layout.display(ctx, root)} is {state}, so Codex skips this file")
    if not file.ok:
        return Layer("project", shown, {}, False, f"unusable: {file.state.value}")
    data = dict(file.data)
    note = ""
    if version >= PROJECT_PROVIDER_KEYS_DENIED:
        dropped = [k for k in PROJECT_DENYLIST if k in data]
        for key in dropped:
            del data[key]
        if dropped:
            note = f"Codex {version} ignores {', '.join(dropped)} here"
    return Layer("project", shown, data, True, note)


def layers(ctx: Context) -> Tuple[Layer, ...]:
    version = ctx.memo(codex_version).version
    user = ctx.memo(layout.user_config)
    found: List[Layer] = []
    system = read_toml(SYSTEM_CONFIG)
    if system.ok:
        found.append(Layer("system", str(SYSTEM_CONFIG), system.data))
    found.append(Layer("user", layout.display(ctx, user.path), user.data if user.ok else {},
                       user.ok, "" if user.ok else user.state.value))
    if version >= PROFILES_V2:
        name = layout.profile_name(ctx)
        if name:
            pfile = ctx.memo(layout.profile_file)
            assert pfile is not None
            note = "" if pfile.ok else (
                "missing: Codex silently treats it as empty" if not pfile.exists
                else pfile.state.value)
            found.append(Layer("profile", layout.display(ctx, pfile.path),
                               pfile.data if pfile.ok else {}, pfile.ok, note))
    else:
        name = selected_legacy_profile(ctx)
        table = _legacy_profile_table(user, name)
        if name:
            found.append(Layer("profile", f"{layout.display(ctx, user.path)} [profiles.{name}]",
                               table or {}, table is not None,
                               "" if table is not None else "table not found"))
    for file in ctx.memo(layout.project_files):
        found.append(project_layer(ctx, file, version))
    return tuple(found)


def effective(ctx: Context) -> Effective:
    detected = ctx.memo(codex_version)
    stack = ctx.memo(layers)
    values: Dict[Tuple[str, ...], Setting] = {}
    for layer in stack:
        if not layer.active:
            continue
        for path, value in _flatten(layer.data).items():
            if layer.name == "user" and path and path[0] in ("profiles", "projects"):
                continue
            values[path] = Setting(value, layer.path)
    name = layout.profile_name(ctx) if detected.version >= PROFILES_V2 \
        else selected_legacy_profile(ctx)
    return Effective(detected.version, name, stack, values)
