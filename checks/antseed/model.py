"""antseed.model: the model Codex requests is offered, over a protocol path that works."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from doctor.context import Context
from doctor.finding import FileEdit, Finding, Fix, error, info, ok
from doctor.plugin import check

from ..codex.effective import effective
from ..codex.install import codex_version
from ..codex.provider import target_provider
from ..codex.versions import WIRE_CHAT_REMOVED
from .peer import models_reply
from .settings import buyer_state

CODES = {
    "ANT020": "the model is offered and speaks Codex's wire natively",
    "ANT021": "the model Codex requests is not offered",
    "ANT022": "the proxy translates between Codex's wire and the service's protocol",
    "ANT023": "no protocol path between Codex's wire and the service",
}

# client protocol -> service protocols the proxy can reach (antseed-facts §6)
PATHS = {
    "openai-responses": {"openai-responses": "native",
                         "openai-chat-completions": "translated"},
    "openai-chat-completions": {"openai-chat-completions": "native",
                                "openai-responses": "translated"},
}


def codex_wire(ctx: Context) -> str:
    eff = ctx.memo(effective)
    wire = eff.provider(target_provider(eff)).get("wire_api")
    chat = wire is not None and wire.value == "chat"
    if chat and ctx.memo(codex_version).version < WIRE_CHAT_REMOVED:
        return "openai-chat-completions"
    return "openai-responses"


def _protocols(ctx: Context, model: str, catalog: List[dict]) -> Optional[List[str]]:
    entry = next((m for m in catalog if isinstance(m, dict) and m.get("id") == model), None)
    if entry is not None and isinstance(entry.get("supported_protocols"), list):
        return [str(p) for p in entry["supported_protocols"]]
    state = ctx.memo(buyer_state)
    pin = state.data.get("pinnedPeerId")
    for peer in _dicts(state.data.get("discoveredPeers")):
        if peer.get("peerId") != pin:
            continue
        providers = peer.get("providerServiceApiProtocols")
        for provider in _dicts(list(providers.values()) if isinstance(providers, dict) else []):
            services = provider.get("services")
            found = services.get(model) if isinstance(services, dict) else None
            if isinstance(found, list):
                return [str(p) for p in found]
    return None


def _dicts(value: object) -> List[Dict[str, Any]]:
    """The dict items of a list read from a file someone else writes; else nothing."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


@check("antseed.model", "Model and protocol", requires=("antseed.peer",), network=True,
       codes=CODES, order=20)
def antseed_model_check(ctx: Context) -> List[Finding]:
    eff = ctx.memo(effective)
    model_setting = eff.get("model")
    model = model_setting.value if model_setting else None
    reply = ctx.memo(models_reply)
    data = reply.json() or {}
    catalog = _dicts(data.get("data")) if isinstance(data, dict) else []
    offered = [m.get("id") for m in catalog if isinstance(m.get("id"), str)]
    if not isinstance(model, str) or not model:
        return []  # codex.profile already reports the missing model
    if model not in offered:
        sample = ", ".join(str(o) for o in offered[:8]) or "none"
        where = model_setting.source if model_setting else "your Codex config"
        return [error(
            "ANT021", f"model {model!r} is not offered by the proxy",
            f"Codex's requests fail with 400 model_not_found. Offered: {sample}"
            + (f" (+{len(offered) - 8} more)" if len(offered) > 8 else ""),
            Fix(f"Set model to an offered id in {where}.",
                file=FileEdit(where, (f'model = "{offered[0]}"',), "replace the model line")
                if offered else None),
            model=model, offered=len(offered))]
    wire = codex_wire(ctx)
    protocols = _protocols(ctx, model, catalog)
    if not protocols:
        return [ok("ANT020", f"model {model} is offered", "its protocols are not advertised")]
    ways = {p: PATHS[wire].get(p) for p in protocols}
    if any(v == "native" for v in ways.values()):
        return [ok("ANT020", f"model {model} is offered and speaks {wire} natively",
                   f"protocols: {', '.join(protocols)}")]
    if any(v == "translated" for v in ways.values()):
        return [info("ANT022", f"model {model} speaks {', '.join(protocols)}; the proxy "
                               f"translates Codex's {wire}",
                     "Works, with a transform step; a native service avoids edge cases.",
                     Fix(f"Optional: choose a model whose protocols include {wire}."))]
    return [error(
        "ANT023", f"model {model} speaks only {', '.join(protocols)}: no path from Codex's "
                  f"{wire}",
        "The proxy cannot translate between these protocols and answers 502.",
        Fix(f"Choose a model whose protocols include {wire} or openai-chat-completions "
            "(see `antseed network peer <peerId> --json`)."),
        model=model, protocols=protocols)]
