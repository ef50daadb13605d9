"""Codex versions and the behaviour boundaries found by running each release.

Every boundary is "between the two nearest published versions tested"; the
facts and the versions they were verified on are in docs/codex-behaviour.rst.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Tuple

_VERSION = re.compile(r"(\d+)\.(\d+)\.(\d+)")


@dataclass(frozen=True, order=True)
class Version:
    parts: Tuple[int, int, int]

    @classmethod
    def parse(cls, text: str) -> Optional[Version]:
        match = _VERSION.search(text or "")
        if not match:
            return None
        return cls(tuple(int(p) for p in match.groups()))  # type: ignore[arg-type]

    def __str__(self) -> str:
        return ".".join(str(p) for p in self.parts)


def v(text: str) -> Version:
    parsed = Version.parse(text)
    assert parsed is not None
    return parsed


# The newest release whose behaviour is documented; used when no Codex is found.
LATEST_KNOWN = v("0.169.0")

PROJECT_FILES_LOADED = v("0.79.0")      # <=0.77 ignores .codex/config.toml entirely
WIRE_CHAT_DEPRECATED = v("0.72.0")      # warning from here ...
WIRE_CHAT_REMOVED = v("0.95.0")         # ... hard config error from here
OPENAI_BASE_URL_IGNORED = v("0.120.0")  # honoured (built-in provider only) up to 0.118
EMPTY_NAME_FATAL = v("0.128.0")         # 0.94 only refused a *missing* name
RESERVED_IDS_FATAL = v("0.128.0")       # 0.94 silently kept the built-in instead
PROJECT_PROVIDER_KEYS_DENIED = v("0.129.0")
PROFILES_V2 = v("0.134.0")              # --profile NAME layers NAME.config.toml
RECONNECTS_FOREVER = v("0.155.0")       # proxy down: "Reconnecting... waiting for network"

RESERVED_PROVIDER_IDS = ("openai", "ollama", "lmstudio")

# Keys Codex >=0.129 strips from a trusted project's .codex/config.toml.
PROJECT_DENYLIST = (
    "openai_base_url", "chatgpt_base_url", "apps_mcp_product_sku", "model_provider",
    "model_providers", "notify", "profile", "profiles",
    "experimental_realtime_webrtc_call_base_url", "experimental_realtime_ws_base_url", "otel",
)
