"""The AntSeed buyer settings other checks depend on (proxy port, data dir)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from doctor.context import Context

DEFAULT_PROXY_PORT = 8377


@dataclass(frozen=True)
class ProxyPort:
    port: int
    source: str


def config_path(ctx: Context) -> Path:
    raw = ctx.env.get("ANTSEED_CONFIG", "").strip()
    return Path(raw).expanduser() if raw else ctx.home / ".antseed" / "config.json"


def proxy_port(ctx: Context) -> ProxyPort:
    """``buyer.proxyPort`` from the AntSeed config, else the default 8377."""
    path = config_path(ctx)
    try:
        with open(path, "rb") as handle:
            data = json.loads(handle.read(1024 * 1024).decode("utf-8"))
    except (OSError, ValueError):
        return ProxyPort(DEFAULT_PROXY_PORT, "AntSeed default")
    buyer = data.get("buyer") if isinstance(data, dict) else None
    port = buyer.get("proxyPort") if isinstance(buyer, dict) else None
    if isinstance(port, int) and not isinstance(port, bool) and 0 < port < 65536:
        return ProxyPort(port, f"buyer.proxyPort in {path}")
    return ProxyPort(DEFAULT_PROXY_PORT, "AntSeed default")
