"""The one-line answer: does the diagnosed Codex launch reach AntSeed, and if not, why."""

from __future__ import annotations

from typing import List, Mapping, Optional

from doctor.context import Context
from doctor.finding import Finding, Severity
from doctor.plugin import Verdict, VerdictResult
from doctor.runner import CheckResult, Status

from . import effects, layout
from .effective import effective
from .install import codex_version
from .provider import target_provider
from .versions import RESERVED_PROVIDER_IDS

CODEX_CHECKS = ("codex.install", "codex.home", "codex.profile", "codex.provider",
                "codex.project-config", "codex.env")
# Codex does not reach AntSeed when nothing (or something else) answers at base_url.
ROUTE_CHECKS = (*CODEX_CHECKS, "antseed.proxy")
# Requests arrive, but these can still make every one of them fail.
BEYOND_PROXY = ("antseed.peer", "antseed.model", "antseed.stream", "antseed.funds")


def _blocking(results: Mapping[str, CheckResult]) -> List[Finding]:
    found = [f for cid in ROUTE_CHECKS if cid in results
             for f in results[cid].findings if f.severity is Severity.ERROR]
    order = {cid: i for i, cid in enumerate(ROUTE_CHECKS)}
    return sorted(found, key=lambda f: (effects.RANK.get(f.evidence.get("effect"), 9),
                                        order.get(f.check, 9)))


def _destination(ctx: Context, first: Finding, version: str) -> str:
    effect = first.evidence.get("effect")
    launch = layout.launch_command(ctx)
    if effect == effects.REFUSES_TO_START:
        return f"Codex {version} will not start with `{launch}`"
    if effect == effects.MISROUTES:
        provider = ctx.memo(effective).provider_id.value
        custom = provider not in RESERVED_PROVIDER_IDS and first.code != "CDX015"
        return f"Codex {version} → {f'provider {provider}' if custom else 'OpenAI'}, not AntSeed"
    return f"Codex {version} → AntSeed provider, but its requests fail"


def codex_verdict(ctx: Context, results: Mapping[str, CheckResult]) -> Optional[VerdictResult]:
    ran = [cid for cid in CODEX_CHECKS if cid in results]
    if not ran:
        return None
    detected = ctx.memo(codex_version)
    version = str(detected.version) + (" (assumed)" if detected.assumed else "")
    blocking = _blocking(results)
    codes = tuple(dict.fromkeys(f.code for f in blocking))
    if blocking:
        first = blocking[0]
        if first.code == "CDX051":  # nothing to route: the title says it all
            return VerdictResult(False, first.title, codes, first.title)
        head = _destination(ctx, first, version)
        return VerdictResult(False, first.title, codes, f"{head}: {first.title}")
    if len(ran) < len(CODEX_CHECKS):
        return None  # a partial selection (--select, a re-check after --fix): no verdict
    unsure = [cid for cid in ran if results[cid].status in
              (Status.TIMEOUT, Status.CRASHED, Status.SKIPPED)]
    if unsure:
        because = f"not every Codex check finished ({', '.join(unsure)})"
        return VerdictResult(False, because, (), f"Codex {version}: unknown, {because}")
    eff = ctx.memo(effective)
    pid = target_provider(eff)
    url = eff.provider(pid).get("base_url")
    model = eff.get("model")
    because = (f"`{layout.launch_command(ctx)}` uses provider {pid} at "
               f"{url.value if url else '?'} with model {model.value if model else '?'}")
    beyond = [f for cid in BEYOND_PROXY if cid in results for f in results[cid].findings
              if f.severity is Severity.ERROR]
    if beyond:  # Codex reaches the proxy, but the proxy cannot serve it
        return VerdictResult(True, because, tuple(dict.fromkeys(f.code for f in beyond)),
                             f"Codex {version} → AntSeed, but requests fail there: "
                             f"{beyond[0].title}")
    return VerdictResult(True, because, (), f"Codex {version} → AntSeed: {because}")


VERDICT = Verdict("codex_reaches_antseed", codex_verdict)
