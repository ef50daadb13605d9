"""codex.provider: the AntSeed provider table is one Codex accepts and points at the proxy."""

from __future__ import annotations

import ipaddress
from typing import Dict, Iterator, List
from urllib.parse import urlsplit

from doctor.context import Context
from doctor.finding import FileEdit, Finding, Fix, error, info, ok, warning
from doctor.plugin import check
from doctor.redact import looks_like_key

from ..antseed.settings import proxy_port
from . import effects, recommend
from .effective import Effective, Setting, effective
from .versions import (
    EMPTY_NAME_FATAL,
    RESERVED_IDS_FATAL,
    RESERVED_PROVIDER_IDS,
    WIRE_CHAT_DEPRECATED,
    WIRE_CHAT_REMOVED,
)

CODES = {
    "CDX010": "the provider table is valid and points at the AntSeed proxy",
    "CDX011": "no [model_providers.<id>] table for the provider the launch selects",
    "CDX012": 'wire_api = "chat" (hard error from Codex 0.95, deprecated 0.72-0.94)',
    "CDX013": "provider name missing or empty",
    "CDX014": "wire_api has a value Codex does not know",
    "CDX015": "base_url missing: Codex would call api.openai.com",
    "CDX016": "base_url is not plain http on loopback",
    "CDX017": "base_url path is not /v1 (Codex appends /responses)",
    "CDX018": "base_url port differs from the AntSeed proxy port",
    "CDX019": "a provider reuses a reserved built-in id (openai, ollama, lmstudio)",
    "CDX020": "env_key names an unset environment variable",
    "CDX021": "a real-looking API key would be forwarded to the seller",
    "CDX022": "a provider setting has the wrong type",
}

LOOPBACK_NAMES = ("localhost",)


def target_provider(eff: Effective) -> str:
    """The provider id to inspect: the selected one, unless it is a built-in."""
    chosen = eff.provider_id.value
    if isinstance(chosen, str) and chosen and chosen not in RESERVED_PROVIDER_IDS:
        return chosen
    return recommend.PROVIDER_ID


def _set_line(table: str, key: str, value: str, path: str) -> FileEdit:
    return FileEdit(path, (f"[{table}]", f"{key} = {value}"),
                    f"in the existing [{table}] table, replace the {key} line")


def _wire_findings(ctx: Context, eff: Effective, pid: str, table: Dict[str, Setting],
                   ) -> Iterator[Finding]:
    wire = table.get("wire_api")
    if wire is None:
        return
    version = eff.version
    edit = _set_line(f"model_providers.{pid}", "wire_api", '"responses"', wire.source)
    if wire.value == "chat":
        fix = Fix('Set wire_api = "responses" (works on every Codex version; the AntSeed proxy '
                  "serves /v1/responses).", file=edit)
        if version >= WIRE_CHAT_REMOVED:
            yield error(
                "CDX012", f'wire_api = "chat" in [model_providers.{pid}] is no longer accepted '
                          "(Codex ≥0.95)",
                "Codex prints: Error loading config.toml: ... `wire_api = \"chat\"` is no longer "
                "supported. How to fix: set `wire_api = \"responses\"` in your provider config. "
                "Every provider table is validated at load, so this breaks every codex run, "
                "not only the AntSeed profile.",
                fix, effect=effects.REFUSES_TO_START, provider=pid, file=wire.source)
        elif version >= WIRE_CHAT_DEPRECATED:
            yield warning(
                "CDX012", f'wire_api = "chat" is deprecated in Codex {version} and fails from 0.95',
                'Codex prints "deprecated: Support for the "chat" wire API is deprecated and will '
                'soon be removed." It works today; upgrading Codex will break it.',
                fix, effect=effects.NONE, provider=pid, file=wire.source)
        else:
            yield info(
                "CDX012", f'wire_api = "chat" works on Codex {version} but fails from 0.95',
                "Codex 0.95 and later refuse to start with this value.",
                fix, effect=effects.NONE, provider=pid, file=wire.source)
    elif wire.value != "responses":
        yield error(
            "CDX014", f"wire_api = {wire.value!r} in [model_providers.{pid}] is not a known value",
            f"Codex {version} fails to load config.toml: unknown variant, expected `responses`.",
            Fix('Set wire_api = "responses".', file=edit),
            effect=effects.REFUSES_TO_START, provider=pid, file=wire.source)


def _name_findings(eff: Effective, pid: str, table: Dict[str, Setting], source: str,
                   ) -> Iterator[Finding]:
    name = table.get("name")
    if name is not None and isinstance(name.value, str) and name.value.strip():
        return
    edit = _set_line(f"model_providers.{pid}", "name", '"AntSeed"', source)
    if name is None:
        yield error(
            "CDX013", f"[model_providers.{pid}] has no name",
            f"Codex {eff.version} refuses to start: `missing field name` (0.94) / "
            f"`model_providers.{pid}: provider name must not be empty` (0.128 and later).",
            Fix('Add name = "AntSeed" to the table.', file=edit),
            effect=effects.REFUSES_TO_START, provider=pid)
    elif eff.version >= EMPTY_NAME_FATAL:
        yield error(
            "CDX013", f"[model_providers.{pid}] has an empty name",
            f"Codex {eff.version} refuses to start: `model_providers.{pid}: provider name must "
            "not be empty`.",
            Fix('Set name = "AntSeed".', file=edit),
            effect=effects.REFUSES_TO_START, provider=pid)
    else:
        yield warning(
            "CDX013", f"[model_providers.{pid}] has an empty name",
            "Codex 0.128 and later refuse to start with an empty provider name.",
            Fix('Set name = "AntSeed".', file=edit), effect=effects.NONE, provider=pid)


def _reserved_findings(ctx: Context, eff: Effective) -> Iterator[Finding]:
    for pid in eff.defined_providers():
        if pid not in RESERVED_PROVIDER_IDS:
            continue
        source = next(iter(eff.provider(pid).values())).source
        fix = Fix(f"Delete [model_providers.{pid}], add this table instead, and set "
                  'model_provider = "antseed" where you select the provider.',
                  file=recommend.provider_edit(ctx))
        if eff.version >= RESERVED_IDS_FATAL:
            yield error(
                "CDX019", f"[model_providers.{pid}] reuses a built-in provider id",
                f"Codex {eff.version} refuses to start: model_providers contains reserved "
                f"built-in provider IDs: `{pid}`. Built-in providers cannot be overridden.",
                fix, effect=effects.REFUSES_TO_START, provider=pid, file=source)
        else:
            yield error(
                "CDX019", f"[model_providers.{pid}] is ignored: {pid} is a built-in provider",
                f"Codex {eff.version} keeps its built-in {pid} provider and ignores this table, "
                "so its base_url is never used (verified on 0.94.0).",
                fix, effect=effects.MISROUTES, provider=pid, file=source)


def _is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _url_findings(ctx: Context, eff: Effective, pid: str, url: Setting) -> Iterator[Finding]:
    table = f"model_providers.{pid}"
    want = recommend.base_url(ctx)
    edit = _set_line(table, "base_url", f'"{want}"', url.source)
    if not isinstance(url.value, str):
        yield error("CDX022", f"base_url in [{table}] is not a string",
                    "Codex refuses to start: invalid type for base_url.",
                    Fix(f'Set base_url = "{want}".', file=edit),
                    effect=effects.REFUSES_TO_START, provider=pid)
        return
    try:
        parts = urlsplit(url.value)
        port = parts.port
    except ValueError as exc:
        yield error("CDX016", f"base_url {url.value!r} is not a valid URL", str(exc),
                    Fix(f'Set base_url = "{want}".', file=edit),
                    effect=effects.FAILS_REQUESTS, provider=pid)
        return
    host = parts.hostname or ""
    if parts.scheme != "http":
        yield error(
            "CDX016", f"base_url uses {parts.scheme or 'no scheme'}://; the AntSeed proxy speaks "
                      "plain http",
            f"measured: {url.value}; expected: {want}",
            Fix(f'Set base_url = "{want}".', file=edit),
            effect=effects.FAILS_REQUESTS, provider=pid, base_url=url.value)
        return
    if not _is_loopback(host):
        yield warning(
            "CDX016", f"base_url host {host!r} is not loopback; the AntSeed proxy listens on "
                      "127.0.0.1 only",
            f"measured: {url.value}; expected: {want}. Fine only if you forward that address "
            "to a proxy yourself.",
            Fix(f'Set base_url = "{want}".', file=edit),
            effect=effects.FAILS_REQUESTS, provider=pid, base_url=url.value)
    path = parts.path.rstrip("/")
    if path != "/v1":
        doubled = path.endswith("/responses") or path.endswith("/chat/completions")
        sent = f"{path}/responses" if path else "/responses"
        yield error(
            "CDX017", f"base_url path {parts.path or '(empty)'!r} makes Codex POST {sent}",
            ("Codex appends /responses itself, so the path is doubled; "
             if doubled else "The proxy serves only /v1/responses, /v1/chat/completions, "
                             "/v1/messages and /v1/models; ")
            + f"the proxy answers 404. measured: {url.value}; expected: {want}",
            Fix(f'End base_url with /v1: base_url = "{want}".', file=edit),
            effect=effects.FAILS_REQUESTS, provider=pid, base_url=url.value)
    expected_port = ctx.memo(proxy_port)
    actual = port or 80
    if _is_loopback(host) and actual != expected_port.port:
        yield error(
            "CDX018", f"base_url port {actual} is not the AntSeed proxy port {expected_port.port}",
            f"measured: {url.value}; expected port {expected_port.port} "
            f"({expected_port.source}).",
            Fix(f'Set base_url = "{want}", or start the proxy on port {actual} with '
                f"`antseed buyer start --port {actual}`.", file=edit),
            effect=effects.FAILS_REQUESTS, provider=pid, base_url=url.value)


def _auth_findings(ctx: Context, pid: str, table: Dict[str, Setting]) -> Iterator[Finding]:
    env_key = table.get("env_key")
    if env_key is not None and isinstance(env_key.value, str) and env_key.value:
        var = env_key.value
        if not ctx.env.get(var, "").strip():
            yield error(
                "CDX020", f"env_key names {var}, which is not set",
                f"Codex fails every turn with `Missing environment variable: `{var}`.` and sends "
                "no request. The AntSeed proxy needs no key.",
                Fix(f"Remove the env_key line from [model_providers.{pid}], or export a "
                    f"placeholder value.", (f"export {var}=antseed",)),
                effect=effects.FAILS_REQUESTS, provider=pid, env_key=var)
        elif looks_like_key(ctx.env[var]):
            ctx.mark_secret(ctx.env[var])
            yield _forwarded_key(pid, f"the value of ${var}", table["env_key"].source)
    for key, setting in table.items():
        is_header = key.startswith("http_headers.")
        if not (is_header or key == "experimental_bearer_token"):
            continue
        if isinstance(setting.value, str):
            ctx.mark_secret(setting.value)
            if looks_like_key(setting.value) or (key == "experimental_bearer_token" and len(
                    setting.value) > 20):
                yield _forwarded_key(pid, key, setting.source)


def _forwarded_key(pid: str, what: str, source: str) -> Finding:
    return warning(
        "CDX021", f"[model_providers.{pid}] sends a real-looking API key ({what})",
        "The AntSeed proxy ignores Authorization but forwards it to the seller peer, so the "
        "key would leave your machine. The proxy needs no key.",
        Fix(f"Replace the key with a placeholder such as \"antseed\" in {source}, or remove it.",
            file=FileEdit(source, ('experimental_bearer_token = "antseed"',),
                          f"in [model_providers.{pid}], instead of the key")),
        effect=effects.NONE, provider=pid, setting=what)


def provider_findings(ctx: Context) -> List[Finding]:
    eff = ctx.memo(effective)
    findings: List[Finding] = []
    for pid in eff.defined_providers():
        table = eff.provider(pid)
        findings.extend(_wire_findings(ctx, eff, pid, table))
    findings.extend(_reserved_findings(ctx, eff))
    pid = target_provider(eff)
    table = eff.provider(pid)
    selected = eff.provider_id
    if not table:
        refuses = selected.value == pid
        findings.append(error(
            "CDX011", f"no [model_providers.{pid}] table in any config Codex loads",
            (f"model_provider = \"{pid}\" is set ({selected.source}), so Codex "
             f"{eff.version} refuses to start: Error: Model provider `{pid}` not found."
             if refuses else
             "Without it Codex cannot reach the AntSeed proxy."),
            Fix(f"Add the provider table to {recommend.provider_edit(ctx).path}.",
                file=recommend.provider_edit(ctx, pid)),
            effect=effects.REFUSES_TO_START if refuses else effects.MISROUTES, provider=pid))
        return findings
    source = next(iter(table.values())).source
    findings.extend(_name_findings(eff, pid, table, source))
    url = table.get("base_url")
    if url is None:
        findings.append(error(
            "CDX015", f"[model_providers.{pid}] has no base_url",
            "Codex then sends requests to https://api.openai.com/v1, not to AntSeed.",
            Fix("Add the base_url line.",
                file=_set_line(f"model_providers.{pid}", "base_url",
                               f'"{recommend.base_url(ctx)}"', source)),
            effect=effects.MISROUTES, provider=pid))
    else:
        findings.extend(_url_findings(ctx, eff, pid, url))
    findings.extend(_auth_findings(ctx, pid, table))
    if not any(f.severity >= f.severity.WARNING for f in findings):
        wire = table.get("wire_api")
        findings.append(ok(
            "CDX010", f"[model_providers.{pid}] → {url.value if url else '?'} "
                      f"({wire.value if wire else 'responses'} wire)",
            f"defined in {source}", provider=pid))
    return findings


@check("codex.provider", "Codex model provider for AntSeed",
       requires=("codex.install", "codex.home"),
       codes=CODES, order=10)
def codex_provider_check(ctx: Context) -> List[Finding]:
    return provider_findings(ctx)
