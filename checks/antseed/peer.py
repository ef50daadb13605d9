"""antseed.peer: a usable pinned peer (pin-only proxies), confirmed live with /v1/models."""

from __future__ import annotations

import re
from typing import List, Optional

from doctor.context import Context
from doctor.finding import Finding, Fix, error, ok, warning
from doctor.plugin import check

from .probe import Reply, request
from .proxy import NEWER, proxy_probe
from .settings import buyer_state

CODES = {
    "ANT010": "a reachable peer is pinned (or the proxy routes by model)",
    "ANT011": "no peer pinned: every request fails 400 no_peer_pinned",
    "ANT012": "the pin starts with 0x and never matches a peer",
    "ANT013": "the pin is not a 40-character hex peer id",
    "ANT014": "the pinned peer is not among the discovered peers",
    "ANT015": "a leftover pinnedService rewrites Codex's model",
    "ANT016": "the pinned peer is not reachable (502)",
    "ANT017": "buyer.state.json cannot be used",
    "ANT018": "GET /v1/models gave an unusable answer",
}

PEER_ID = re.compile(r"^[0-9a-f]{40}$")
PIN_FIX = Fix("Pick a peer and pin it.",
              ("antseed network browse", "antseed buyer connection set --peer <peerId>"))


def models_reply(ctx: Context) -> Reply:
    probe = ctx.memo(proxy_probe)
    if probe.models is not None:
        return probe.models
    return request(ctx, "GET", f"{probe.target.api_base}/models")


def _file_findings(ctx: Context, generation: str) -> List[Finding]:
    state = ctx.memo(buyer_state)
    findings: List[Finding] = []
    if state.problem and state.exists:
        findings.append(warning("ANT017", f"{state.path} cannot be used: {state.problem}",
                                "The proxy rewrites this file; a damaged one loses the pin.",
                                Fix("Restart the proxy, then pin again.",
                                    ("antseed buyer start",
                                     "antseed buyer connection set --peer <peerId>")),
                                path=str(state.path)))
        return findings
    pin = state.data.get("pinnedPeerId")
    service = state.data.get("pinnedService")
    if isinstance(service, str) and service:
        findings.append(warning(
            "ANT015", f"pinnedService = {service!r} rewrites every request's model",
            "The proxy replaces Codex's model with this service, so `model` in your Codex "
            "config has no effect.",
            Fix("Clear the service pin unless you want it.",
                ("antseed buyer connection clear --service",)), service=service))
    if pin is None or pin == "":
        return findings
    if not isinstance(pin, str):
        findings.append(error("ANT013", "pinnedPeerId is not a string", "", PIN_FIX))
        return findings
    if pin.lower().startswith("0x"):
        bare = pin[2:].lower()
        findings.append(error(
            "ANT012", f"the pinned peer id starts with 0x: {pin}",
            "The proxy compares the pin to peer ids without 0x, so it never matches and every "
            "request fails `502 Pinned peer 0x… is not reachable`.",
            Fix("Re-pin without the 0x prefix.",
                (f"antseed buyer connection set --peer {bare}",)), peer=pin))
        return findings
    if not PEER_ID.match(pin):
        findings.append(error("ANT013", f"pinnedPeerId {pin!r} is not a 40-character hex id",
                              "", PIN_FIX, peer=pin))
        return findings
    peers = state.data.get("discoveredPeers")
    if isinstance(peers, list) and peers and generation != NEWER:
        ids = {p.get("peerId") for p in peers
               if isinstance(p, dict) and isinstance(p.get("peerId"), str)}
        if pin not in ids:
            findings.append(warning(
                "ANT014", f"the pinned peer {pin[:12]}… is not among the {len(ids)} "
                          "discovered peers",
                "It may be offline or no longer announcing.", PIN_FIX, peer=pin))
    return findings


def _live(reply: Reply, generation: str) -> Optional[Finding]:
    body = reply.text(2000)
    if reply.error:
        return error("ANT018", f"GET /v1/models failed: {reply.error}", reply.message,
                     Fix("Restart the AntSeed buyer proxy.", ("antseed buyer start",)))
    if reply.status == 400 and "no_peer_pinned" in body:
        return error("ANT011", "no peer is pinned: the proxy answers 400 no_peer_pinned",
                     "Every Codex request fails at once with this error (it does not hang).",
                     PIN_FIX)
    if reply.status == 502 and "not reachable" in body:
        return error("ANT016", "the pinned peer is not reachable (502)",
                     body.splitlines()[0][:300] if body else "", PIN_FIX)
    if reply.status != 200 or not isinstance(reply.json(), dict):
        shape = "HTML" if "html" in reply.content_type else (reply.content_type or "no type")
        return error("ANT018", f"GET /v1/models answered {reply.status} ({shape}), not the "
                               "model list", reply.text(200) if "json" in shape else "",
                     Fix("Restart the AntSeed buyer proxy; if it persists, report it.",
                         ("antseed buyer start",)), status=reply.status)
    return None


@check("antseed.peer", "Pinned seller peer", requires=("antseed.proxy",), network=True,
       timeout=2.5, codes=CODES, order=20)
def antseed_peer_check(ctx: Context) -> List[Finding]:
    generation = ctx.memo(proxy_probe).generation
    findings = _file_findings(ctx, generation)
    if any(f.code in ("ANT012", "ANT013") for f in findings):
        return findings
    reply = ctx.memo(models_reply)
    live = _live(reply, generation)
    if live:
        return [*findings, live]
    if generation == NEWER:
        findings.append(ok("ANT010", "the proxy routes by model; no pin needed"))
    else:
        peer = reply.headers.get("x-antseed-peer-id", "?")
        findings.append(ok("ANT010", f"pinned peer {peer} answers /v1/models",
                           f"in {reply.elapsed_ms} ms", peer=peer))
    return findings
