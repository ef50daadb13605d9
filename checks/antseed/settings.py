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


def data_dir(ctx: Context) -> Path:
    """``ANTSEED_DATA_DIR``, else ``~/.antseed``."""
    raw = ctx.env.get("ANTSEED_DATA_DIR", "").strip()
    return Path(raw).expanduser() if raw else ctx.home / ".antseed"


@dataclass(frozen=True)
class BuyerState:
    """``buyer.state.json`` as read, with what went wrong reading it."""

    path: Path
    data: dict
    problem: str = ""  # "", "missing", or why it could not be used

    @property
    def exists(self) -> bool:
        return self.problem != "missing"


def buyer_state(ctx: Context) -> BuyerState:
    path = data_dir(ctx) / "buyer.state.json"
    try:
        with open(path, "rb") as handle:
            raw = handle.read(8 * 1024 * 1024 + 1)
    except FileNotFoundError:
        return BuyerState(path, {}, "missing")
    except OSError as exc:
        return BuyerState(path, {}, f"unreadable: {exc.strerror or exc}")
    if len(raw) > 8 * 1024 * 1024:
        return BuyerState(path, {}, "larger than 8 MiB")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return BuyerState(path, {}, f"not valid JSON: {exc}")
    if not isinstance(data, dict):
        return BuyerState(path, {}, "not a JSON object")
    return BuyerState(path, data)
