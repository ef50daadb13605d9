"""codex.env: environment variables that change (or seem to change) where Codex sends requests.

Variables are reported by name and state only: their values may be secrets.
"""

from __future__ import annotations

import contextlib
from typing import List, Mapping, Optional
from urllib.parse import urlsplit

from doctor.context import Context
from doctor.finding import Finding, Fix, error, info, ok, warning
from doctor.plugin import check

from . import effects
from .effective import effective
from .install import codex_version
from .provider import target_provider
from .versions import OPENAI_BASE_URL_IGNORED, Version

CODES = {
    "CDX060": "no environment variable interferes with the route to AntSeed",
    "CDX061": "OPENAI_BASE_URL is set (built-in openai provider only; ignored from 0.120)",
    "CDX062": "OPENAI_API_KEY / CODEX_API_KEY are set but not sent to the AntSeed provider",
    "CDX063": "CODEX_API_KEY would be sent to the seller (requires_openai_auth = true)",
    "CDX064": "an HTTP proxy variable captures the loopback request to the AntSeed proxy",
}

PROXY_VARS = ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")
LOOPBACK = ("127.0.0.1", "localhost")


def _set(env: Mapping[str, str], name: str) -> bool:
    return bool(env.get(name, "").strip())


def _no_proxy_covers(env: Mapping[str, str], host: str) -> bool:
    raw = env.get("NO_PROXY") or env.get("no_proxy") or ""
    entries = [e.strip().lower() for e in raw.split(",") if e.strip()]
    return "*" in entries or host.lower() in entries


def _proxy_findings(ctx: Context, host: str) -> List[Finding]:
    env = ctx.env
    capturing = [v for v in PROXY_VARS if _set(env, v)]
    if not capturing:
        return []
    hosts = list(dict.fromkeys([host, *LOOPBACK]))
    uncovered = [h for h in hosts if not _no_proxy_covers(env, h)]
    if not uncovered:
        return []
    existing = env.get("NO_PROXY") or env.get("no_proxy") or ""
    parts = [p.strip() for p in existing.split(",") if p.strip()]
    wanted = ",".join(dict.fromkeys([*parts, *hosts]))
    return [error(
        "CDX064", f"{', '.join(capturing)} is set and NO_PROXY does not cover "
                  f"{', '.join(uncovered)}",
        "Codex applies HTTP proxy variables to loopback too, so the request for the AntSeed "
        "proxy goes to your HTTP proxy instead (verified with Codex 0.169.0).",
        Fix("Exempt loopback from the proxy in your shell profile, then restart Codex.",
            (f'export NO_PROXY="{wanted}" no_proxy="{wanted}"',)),
        effect=effects.FAILS_REQUESTS, variables=capturing, uncovered=uncovered)]


def _openai_base_url(ctx: Context, version: Version, provider: str) -> Optional[Finding]:
    if not _set(ctx.env, "OPENAI_BASE_URL"):
        return None
    if version >= OPENAI_BASE_URL_IGNORED:
        return warning(
            "CDX061", f"OPENAI_BASE_URL is set, but Codex {version} ignores it",
            "It was honoured, for the built-in openai provider only, up to 0.118, and never "
            "for a custom provider such as AntSeed's.",
            Fix("Unset it, and keep the AntSeed route in config.toml.",
                ("unset OPENAI_BASE_URL",)), effect=effects.NONE)
    affects = "" if provider == "openai" else (
        f" Your launch uses provider {provider}, so it has no effect on it.")
    return info(
        "CDX061", f"OPENAI_BASE_URL is set: Codex {version} uses it for the built-in openai "
                  "provider only",
        "It is deprecated from 0.116 and ignored from 0.120." + affects,
        Fix("Prefer the [model_providers.antseed] table; then unset the variable.",
            ("unset OPENAI_BASE_URL",)), effect=effects.NONE)


def _api_keys(ctx: Context, table: Mapping[str, object]) -> List[Finding]:
    present = [v for v in ("OPENAI_API_KEY", "CODEX_API_KEY") if _set(ctx.env, v)]
    if not present:
        return []
    for name in present:
        ctx.mark_secret(ctx.env[name])
    if "CODEX_API_KEY" in present and getattr(table.get("requires_openai_auth"), "value",
                                               None) is True:
        return [warning(
            "CDX063", "CODEX_API_KEY would be sent to the AntSeed seller",
            "With requires_openai_auth = true Codex sends CODEX_API_KEY as a Bearer token; the "
            "AntSeed proxy forwards Authorization to the seller peer.",
            Fix("Remove requires_openai_auth from [model_providers.antseed]; the proxy needs "
                "no key."), effect=effects.NONE)]
    return [info(
        "CDX062", f"{' and '.join(present)} set; not sent to the AntSeed provider",
        "Codex sends no key to a custom provider without env_key or requires_openai_auth, "
        "and the AntSeed proxy needs none.",
        Fix("Nothing to do for AntSeed; unset them if you exported them for it.",
            tuple(f"unset {v}" for v in present)), effect=effects.NONE, variables=present)]


@check("codex.env", "Environment variables Codex reads", requires=("codex.install",),
       codes=CODES, order=10)
def codex_env_check(ctx: Context) -> List[Finding]:
    version = ctx.memo(codex_version).version
    eff = ctx.memo(effective)
    pid = target_provider(eff)
    table = eff.provider(pid)
    url = table.get("base_url")
    host = "127.0.0.1"
    if url is not None and isinstance(url.value, str):
        with contextlib.suppress(ValueError):
            host = urlsplit(url.value).hostname or host
    findings = _proxy_findings(ctx, host)
    base = _openai_base_url(ctx, version, str(eff.provider_id.value))
    if base:
        findings.append(base)
    findings.extend(_api_keys(ctx, table))
    home = ctx.env.get("CODEX_HOME")
    if not any(f.severity >= f.severity.WARNING for f in findings):
        state = "set" if home else "not set (default ~/.codex)"
        findings.append(ok("CDX060", "no variable diverts Codex's requests",
                           f"CODEX_HOME {state}; proxy variables: "
                           f"{', '.join(v for v in PROXY_VARS if _set(ctx.env, v)) or 'none'}"))
    return findings
