"""antseed.proxy: something answers at the configured address, and it is an AntSeed proxy.

Generation: ``GET /_antseed/status`` 200 means a newer proxy (routes by model);
404 ``Unknown control-plane endpoint`` means the pin-only 0.1.122 kind.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from typing import List, Optional, Sequence
from urllib.parse import urlsplit

from doctor.context import Context
from doctor.finding import Finding, Fix, error, ok, warning
from doctor.plugin import check

from ..codex.install import codex_version
from ..codex.versions import RECONNECTS_FOREVER
from ..programs import find
from .probe import Reply, request
from .processes import buyer_processes, pid_alive, port_owner
from .settings import buyer_state
from .target import Target, target

CODES = {
    "ANT000": "an AntSeed proxy answers at the configured address",
    "ANT001": "nothing listens at the configured address (connection refused)",
    "ANT002": "connecting to the configured address timed out",
    "ANT003": "something that is not an AntSeed proxy owns the port",
    "ANT004": "the port accepted the connection but sent no answer",
    "ANT005": "localhost resolves to ::1 first, but the proxy listens on IPv4 only",
}

INSTALL_CLI = "npm install -g @antseed/cli"
NEWER = "newer"
PIN_ONLY = "pin-only"


@dataclass(frozen=True)
class ProxyProbe:
    target: Target
    status: Reply
    models: Optional[Reply]
    generation: str   # "newer", "pin-only", "" (not AntSeed / no answer)


def _is_antseed_reply(reply: Reply) -> bool:
    body = reply.text(2000).lower()
    return bool(reply.antseed_headers) or any(marker in body for marker in (
        "no_peer_pinned", "pinned peer", "p2p request failed", "no sellers available"))


def proxy_probe(ctx: Context) -> ProxyProbe:
    where = ctx.memo(target)
    status = request(ctx, "GET", f"{where.root}/_antseed/status", cap=64 * 1024)
    data = status.json() if not status.error else None
    if status.status == 200 and isinstance(data, dict) and data.get("ok") is True:
        return ProxyProbe(where, status, None, NEWER)
    if status.status == 404 and isinstance(data, dict) and \
            data.get("error") == "Unknown control-plane endpoint":
        return ProxyProbe(where, status, None, PIN_ONLY)
    if status.error or status.status in (301, 302, 303, 307, 308):
        return ProxyProbe(where, status, None, "")
    models = request(ctx, "GET", f"{where.api_base}/models", cap=64 * 1024)
    generation = PIN_ONLY if not models.error and _is_antseed_reply(models) else ""
    return ProxyProbe(where, status, models, generation)


def _start_fix(ctx: Context, where: Target) -> Fix:
    port = "" if where.port == 8377 else f" --port {where.port}"
    commands = [f"antseed buyer start{port}"]
    text = "Start the AntSeed buyer proxy and leave it running."
    if not find(ctx, "antseed"):
        commands.insert(0, INSTALL_CLI)
        text = "Install the AntSeed CLI, then start the buyer proxy and leave it running."
    return Fix(text, tuple(commands))


def _symptom(ctx: Context) -> str:
    version = ctx.memo(codex_version).version
    if version >= RECONNECTS_FOREVER:
        return (f"Codex {version} shows only `Reconnecting... waiting for network`, forever, "
                "without naming the URL.")
    return ("Codex prints `Reconnecting... 1/5` … `5/5`, then `stream disconnected before "
            "completion: error sending request for url (…)`.")


def _refused(ctx: Context, where: Target) -> Finding:
    state = ctx.memo(buyer_state)
    running = buyer_processes()
    notes = []
    if running:
        pids = ", ".join(str(p.pid) for p in running)
        notes.append(f"`antseed buyer start` is running (PID {pids}) but not on this port")
    elif state.exists and state.data.get("state") == "connected" and \
            not pid_alive(state.data.get("pid")):
        notes.append(f"{state.path} says connected, but PID {state.data.get('pid')} is gone "
                     "(the proxy crashed or was killed)")
    else:
        notes.append("no `antseed buyer start` process is running")
    recorded = state.data.get("port")
    if isinstance(recorded, int) and recorded != where.port:
        notes.append(f"buyer.state.json records port {recorded}")
    return error(
        "ANT001", f"nothing listens on {where.host}:{where.port}",
        f"{_symptom(ctx)} {'; '.join(notes)}. Target from {where.source}.",
        _start_fix(ctx, where), effect="fails-requests", host=where.host, port=where.port)


def _owner_note(port: int) -> str:
    owner = port_owner(port)
    return f"; the port belongs to {owner.name} (PID {owner.pid})" if owner else ""


def _not_antseed(ctx: Context, probe: ProxyProbe) -> Finding:
    where = probe.target
    reply = probe.status
    if reply.status in (301, 302, 303, 307, 308):
        location = urlsplit(reply.headers.get("location", "")).netloc or "?"
        seen = f"it answers with a redirect to {location} (not followed)"
    elif reply.error == "not-http":
        seen = "it does not speak HTTP"
    elif reply.error == "reset":
        seen = "it reset the connection"
    else:
        server = reply.headers.get("server", "")
        seen = (f"it answered HTTP {reply.status} {reply.content_type or ''}"
                + (f" from {server}" if server else "")
                + " with no AntSeed headers or control plane").replace("  ", " ")
    return error(
        "ANT003", f"{where.host}:{where.port} is not an AntSeed proxy: {seen}",
        f"GET /_antseed/status and GET /v1/models both lack AntSeed's answers"
        f"{_owner_note(where.port)}.",
        Fix(f"Stop what holds port {where.port}, or run the proxy on a free port and point "
            "base_url at it.", (f"antseed buyer start --port {where.port + 1}",
                                f"lsof -nP -iTCP:{where.port} -sTCP:LISTEN")),
        effect="fails-requests", host=where.host, port=where.port)


def resolution_order(addresses: Sequence[tuple]) -> List[str]:
    return [a[4][0] for a in addresses]


def ipv6_first_problem(order: Sequence[str], v6_refused: bool) -> bool:
    """localhost tried as ::1 first while the proxy (IPv4 only) refuses there."""
    return bool(order) and ":" in order[0] and v6_refused


def _localhost_finding(ctx: Context, where: Target) -> Optional[Finding]:
    if where.host != "localhost":
        return None
    try:
        order = resolution_order(socket.getaddrinfo("localhost", where.port,
                                                    type=socket.SOCK_STREAM))
    except OSError:
        return None
    if not ipv6_first_problem(order, v6_refused=True):
        return None  # IPv4 first: nothing to probe
    try:
        with socket.create_connection((order[0], where.port), timeout=ctx.time_left(0.3)):
            refused = False
    except OSError:
        refused = True
    if not ipv6_first_problem(order, v6_refused=refused):
        return None
    return warning(
        "ANT005", "localhost resolves to ::1 first, and nothing answers there",
        "The AntSeed proxy binds 127.0.0.1 only; clients that try ::1 first can fail "
        "(openai/codex#21773).",
        Fix(f'Use base_url = "http://127.0.0.1:{where.port}/v1" instead of localhost.'),
        effect="fails-requests")


@check("antseed.proxy", "AntSeed buyer proxy", network=True, timeout=2.5, codes=CODES, order=20)
def antseed_proxy_check(ctx: Context) -> List[Finding]:
    probe = ctx.memo(proxy_probe)
    where = probe.target
    reply = probe.status
    if reply.error == "refused":
        return [_refused(ctx, where)]
    if reply.error == "connect-timeout":
        return [error("ANT002", f"connecting to {where.host}:{where.port} timed out",
                      "A firewall or a wrong host drops the connection.",
                      Fix("Point base_url at 127.0.0.1 and the proxy's port.",
                          (f"antseed buyer start --port {where.port}",)),
                      effect="fails-requests")]
    if reply.error in ("no-answer", "deadline"):
        return [error("ANT004", f"{where.host}:{where.port} accepted the connection but sent "
                                f"no answer within 1 s",
                      f"Codex would wait, then retry{_owner_note(where.port)}.",
                      Fix("Restart the AntSeed buyer proxy.",
                          ("antseed buyer start",)), effect="fails-requests")]
    if not probe.generation:
        return [_not_antseed(ctx, probe)]
    findings: List[Finding] = []
    local = _localhost_finding(ctx, where)
    if local:
        findings.append(local)
    kind = ("newer proxy: routes by model, no pin needed" if probe.generation == NEWER
            else "pin-only proxy (0.1.122 kind): needs a pinned peer")
    findings.append(ok("ANT000", f"AntSeed proxy at {where.root} ({kind})",
                       f"answered in {reply.elapsed_ms} ms; target from {where.source}",
                       generation=probe.generation, ttfb_ms=reply.elapsed_ms))
    return findings
