"""Fuzzing: generated config files and buyer.state.json never crash a check.

A small sample runs with the suite; the dedicated target runs 10,000+:

    FUZZ_EXAMPLES=10000 .venv/bin/python -m pytest tests/test_fuzz.py

Network checks are left out on purpose: a fuzzed base_url could name any
host, and the tests talk only to loopback.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from doctor.context import Context
from doctor.redact import Redactor
from doctor.render import json as json_render
from doctor.render import text as text_render
from doctor.report import build
from doctor.runner import Status, run_checks
from tests.diagnose import REGISTRY
from tests.homes import GUIDE_CONFIG, make_home

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))

KEYS = ["model", "model_provider", "model_providers", "antseed", "openai", "profiles",
        "profile", "wire_api", "base_url", "name", "env_key", "http_headers",
        "experimental_bearer_token", "projects", "trust_level", "requires_openai_auth",
        "openai_base_url", "Authorization", "x"]
URLS = st.sampled_from(["http://127.0.0.1:8377/v1", "http://localhost:1/v1/responses",
                        "https://[::1]:99999/v1", "ftp://x", "http://:0", "", "http://[bad",
                        "http://127.0.0.1:8377", "\u0000", "http://é.example/v1"])
SCALARS = st.one_of(
    st.text(max_size=40), URLS, st.sampled_from(["chat", "responses", "antseed", "trusted"]),
    st.integers(), st.floats(allow_nan=True), st.booleans(),
    st.dates(), st.datetimes(), st.times())
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)),
    max_leaves=25)
TABLES = st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=8)


def _toml(data: dict) -> str:
    import tomlkit

    try:
        return tomlkit.dumps(data)
    except Exception:
        return "x = 1\n"


def _deep(depth: int) -> str:
    return "a = " + "[" * depth + "]" * depth + "\n"


CONFIG_TEXT = st.one_of(
    TABLES.map(_toml),
    st.text(max_size=300),
    st.binary(max_size=300).map(lambda b: b.decode("latin-1")),
    st.builds(lambda i, s: GUIDE_CONFIG[:i] + s + GUIDE_CONFIG[i:],
              st.integers(0, len(GUIDE_CONFIG)), st.text(max_size=5)),
    st.integers(1, 3000).map(_deep),
    st.just(""),
)
CONFIG_BYTES = st.one_of(CONFIG_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")),
                         st.binary(max_size=400))

STATE_KEYS = st.sampled_from([
    "state", "pid", "port", "pinnedPeerId", "pinnedService", "discoveredPeers", "peerId",
    "providerServiceApiProtocols", "services", "openai"])
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.text(max_size=50), st.sampled_from(["0x" + "ab" * 20, "ab" * 20])),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(STATE_KEYS, inner, max_size=6)),
    max_leaves=30)
STATE_BYTES = st.one_of(JSON_VALUES.map(lambda v: json.dumps(v).encode()),
                        st.binary(max_size=300))

OFFLINE_CHECKS = [c for c in REGISTRY.checks.values() if not c.network]


@pytest.fixture(scope="module")
def fuzz_home():
    home = make_home()
    yield home
    shutil.rmtree(home.root, ignore_errors=True)


def _assert_no_crash(ctx: Context) -> None:
    run = run_checks(OFFLINE_CHECKS, ctx, timeout=10)
    crashed = [(r.id, r.reason, r.traceback) for r in run.results
               if r.status in (Status.CRASHED, Status.TIMEOUT)]
    assert crashed == []
    report = build(ctx, REGISTRY, run)
    redactor = Redactor.from_env(ctx.env, ctx.secrets)
    text_render.render(report, text_render.Style(), redactor)
    json_render.render(report, redactor)


@FUZZ
@given(user=CONFIG_BYTES, profile=st.one_of(st.none(), CONFIG_BYTES),
       project=st.one_of(st.none(), CONFIG_BYTES),
       version=st.sampled_from(["0.40.0", "0.94.0", "0.128.0", "0.133.0", "0.169.0"]),
       with_profile=st.booleans())
def test_fuzzed_codex_configs_never_crash(fuzz_home, user, profile, project, version,
                                           with_profile):
    home = fuzz_home
    (home.codex / "config.toml").write_bytes(user)
    pfile = home.codex / "antseed.config.toml"
    if profile is None:
        pfile.unlink(missing_ok=True)
    else:
        pfile.write_bytes(profile)
    pdir = home.work / ".codex"
    if project is None:
        shutil.rmtree(pdir, ignore_errors=True)
    else:
        pdir.mkdir(exist_ok=True)
        (pdir / "config.toml").write_bytes(project)
    ctx = Context(env=home.env(), cwd=home.work,
                  options={"codex_version": version, "profile": "antseed",
                           "no_profile": not with_profile})
    _assert_no_crash(ctx)


@FUZZ
@given(state=STATE_BYTES, config=STATE_BYTES)
@example(state=b'{"discoveredPeers": true}', config=b"")  # found by the 10,000-example run
@example(state=b'{"pinnedPeerId": "a", "discoveredPeers": [{"peerId": ["x"]}]}', config=b"")
def test_fuzzed_buyer_state_never_crashes(fuzz_home, state, config):
    from checks.antseed.model import _protocols
    from checks.antseed.peer import _file_findings
    from checks.antseed.settings import buyer_state, proxy_port
    from checks.antseed.target import target

    home = fuzz_home
    data = home.home / ".antseed"
    data.mkdir(exist_ok=True)
    (data / "buyer.state.json").write_bytes(state)
    (data / "config.json").write_bytes(config)
    ctx = Context(env=home.env(), cwd=home.work, options={"codex_version": "0.169.0"})
    ctx.memo(buyer_state)
    ctx.memo(proxy_port)
    where = ctx.memo(target)
    assert 0 < where.port < 65536 or where.source.startswith("base_url")
    for generation in ("pin-only", "newer"):
        for finding in _file_findings(ctx, generation):
            assert finding.fix is not None or finding.severity.label == "ok"
    _protocols(ctx, "mock-model", [])
    _assert_no_crash(ctx)


def test_fuzz_strategies_reach_the_interesting_cases():
    """Guard against a strategy that silently stops producing what matters."""
    assert "wire_api" in KEYS and "profiles" in KEYS
    assert _deep(3) == "a = [[[]]]\n"
    assert isinstance(dt.date.today(), dt.date)
