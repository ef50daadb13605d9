"""Where the proxy should be: the address Codex is configured to call.

Probes go to the Codex provider's ``base_url`` (the address the user
configured); without one, to the port ``buyer.state.json`` records, else the
configured or default proxy port on 127.0.0.1.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from doctor.context import Context

from ..codex.effective import effective
from ..codex.provider import target_provider
from .settings import buyer_state, proxy_port


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    api_base: str   # e.g. http://127.0.0.1:8377/v1 (no trailing slash)
    source: str

    @property
    def root(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"


def _from_codex(ctx: Context) -> Target | None:
    try:
        eff = ctx.memo(effective)
    except Exception:
        return None
    url = eff.provider(target_provider(eff)).get("base_url")
    if url is None or not isinstance(url.value, str):
        return None
    try:
        parts = urlsplit(url.value)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    path = parts.path.rstrip("/")
    for suffix in ("/responses", "/chat/completions"):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
    return Target(parts.scheme, parts.hostname, port,
                  f"{parts.scheme}://{parts.netloc}{path or '/v1'}",
                  f"base_url in {url.source}")


def target(ctx: Context) -> Target:
    found = _from_codex(ctx)
    if found:
        return found
    state = ctx.memo(buyer_state)
    port = state.data.get("port")
    if isinstance(port, int) and not isinstance(port, bool) and 0 < port < 65536:
        return Target("http", "127.0.0.1", port, f"http://127.0.0.1:{port}/v1",
                      f"port in {state.path}")
    configured = ctx.memo(proxy_port)
    return Target("http", "127.0.0.1", configured.port,
                  f"http://127.0.0.1:{configured.port}/v1", configured.source)
