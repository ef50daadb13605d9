"""Planted canary secrets never appear in any output: human, JSON, reports, tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from tests.fake_proxy import FakeProxy, write_buyer_state
from tests.homes import GOOD_PROFILE_FILE, GOOD_PROVIDER, doctor

CANARY_KEY = "sk-proj-CANARYabcdefghijklmnop1234567890"
CANARY_TOKEN = "canary-bearer-token-0f9e8d7c6b5a4f3e2d1c"
CANARY_ENV = "CANARY-env-value-77aa88bb99cc"
CANARY_HEX = "ab" * 32
CANARY_PROFILE = "CanaryProfileValue-19283746"
CANARY_PROJECT = "CanaryProjectToken-56473829"
CANARY_RPC_PASS = "CanaryRpcPassw0rd"
CANARY_RPC_QUERY = "CanaryQueryKey77"
CANARY_PROXY_PASS = "CanaryHttpProxyPass"
CANARY_PROXY_BODY = "sk-live-CANARYfromTheProxyBody0987654321"
CANARY_CRASH = "CanaryCrashSecret-8877"
CANARIES = (CANARY_KEY, CANARY_TOKEN, CANARY_ENV, CANARY_HEX, CANARY_PROFILE, CANARY_PROJECT,
            CANARY_RPC_PASS, CANARY_RPC_QUERY, CANARY_PROXY_PASS, CANARY_PROXY_BODY,
            CANARY_CRASH)

CRASHING_PLUGIN = '''
import os
from doctor.plugin import check

@check("canary.crash", "Crashes with a secret in its message")
def crash(ctx):
    raise RuntimeError("upstream rejected key " + os.environ["CANARY_CRASH_TOKEN"])
'''


@pytest.fixture
def planted(home, tmp_path):
    data = home.home / ".antseed"
    with FakeProxy(data, mode="peer-unreachable") as fake:
        fake.extra_text = f" (upstream: {CANARY_PROXY_BODY})"
        home.port = fake.port
        data.mkdir(parents=True, exist_ok=True)
        (data / "config.json").write_text(json.dumps({
            "buyer": {"proxyPort": fake.port},
            "payments": {"crypto": {"rpcUrl": f"https://user:{CANARY_RPC_PASS}@rpc.example/"
                                              f"?apikey={CANARY_RPC_QUERY}"}}}))
        write_buyer_state(data, port=fake.port)
        (data / "identity.key").write_text(CANARY_HEX)
        home.config(GOOD_PROVIDER + f'''
env_key = "ANTSEED_CANARY_API_KEY"
experimental_bearer_token = "{CANARY_TOKEN}"
[model_providers.antseed.http_headers]
Authorization = "Bearer {CANARY_KEY}"
X-Identity = "{CANARY_HEX}"
''')
        home.profile(GOOD_PROFILE_FILE + f'openai_api_key = "{CANARY_PROFILE}"\n')
        project = home.work / ".codex"
        project.mkdir()
        (project / "config.toml").write_text(
            f'model = "mock-model"\n[mcp_servers.x.env]\nAPI_TOKEN = "{CANARY_PROJECT}"\n')
        site = tmp_path / "site"
        (site / "crash_plugin").mkdir(parents=True)
        (site / "crash_plugin" / "__init__.py").write_text(textwrap.dedent(CRASHING_PLUGIN))
        dist = site / "crash_plugin-1.0.dist-info"
        dist.mkdir()
        (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: crash-plugin\n"
                                       "Version: 1.0\n")
        (dist / "entry_points.txt").write_text("[antseed_doctor.checks]\ncrash = crash_plugin\n")
        home.extra_env.update({
            "ANTSEED_CANARY_API_KEY": CANARY_KEY,
            "SOME_SERVICE_TOKEN": CANARY_ENV,
            "ANTSEED_IDENTITY_HEX": CANARY_HEX,
            "OPENAI_API_KEY": CANARY_KEY,
            "HTTP_PROXY": f"http://me:{CANARY_PROXY_PASS}@proxy.example:3128",
            "NO_PROXY": "127.0.0.1,localhost",
            "CANARY_CRASH_TOKEN": CANARY_CRASH,
            "PYTHONPATH": str(site),
        })
        yield home


OUTPUTS = [
    ("--json",), ("-v",), ("--debug", "-v"), ("--debug", "--json"), ("config",),
    ("-v", "--ascii"), ("--json", "--codex-version", "0.94.0"), ("--live", "--json"),
    ("report", "--stdout"), ("report", "--stdout", "--format", "json"),
    ("report", "--stdout", "--anonymize"),
]


@pytest.mark.parametrize("args", OUTPUTS, ids=[" ".join(a) for a in OUTPUTS])
def test_no_canary_in_any_output(planted, args):
    r = doctor(planted, *args)
    out = r.stdout + r.stderr
    assert out.strip()
    leaked = [c for c in CANARIES if c in out]
    assert leaked == [], (args, leaked)
    if args[0] == "--debug":
        assert "upstream rejected key <redacted>" in out  # the traceback is there, redacted


def test_written_report_files_hold_no_canary(planted):
    for fmt, name in (("markdown", "antseed-doctor-report.md"),
                      ("json", "antseed-doctor-report.json")):
        r = doctor(planted, "report", "--format", fmt)
        assert r.code in (1, 3), r.stderr
        text = (planted.work / name).read_text()
        assert [c for c in CANARIES if c in text] == []
        assert "Redaction manifest" in text or '"redaction"' in text


def test_the_manifest_counts_what_was_removed(planted):
    data = json.loads(doctor(planted, "report", "--stdout", "--format", "json").stdout)
    kinds = data["redaction"]
    assert kinds["values of secret-named config keys"] >= 4
    assert kinds["URL credentials"] >= 1 and kinds["URL query strings"] >= 1
    assert kinds["home directory path"] >= 1


def test_what_the_reader_needs_survives_redaction(planted):
    r = doctor(planted, "--json")
    titles = [f["title"] for c in r.report["checks"].values() for f in c["findings"]]
    assert any("http_headers.Authorization" in t for t in titles)
    assert any("OPENAI_API_KEY" in t for t in titles)
    md = doctor(planted, "report", "--stdout").stdout
    assert 'Authorization = "<redacted>"' in md
    assert "Pinned peer" in md  # the proxy's message, minus the secret in it


def test_secret_in_a_broken_config_line_is_not_echoed(home):
    home.config(f'[model_providers.antseed]\nexperimental_bearer_token = {CANARY_KEY}\n')
    r = doctor(home, "--json")
    assert r.code == 1
    assert CANARY_KEY not in r.stdout + r.stderr


def test_unexpected_failure_message_is_redacted(home):
    """Even the last-resort handler in main() redacts what it prints."""
    code = ("import os, sys\nfrom doctor import cli\n"
            "def boom(*a, **k): raise RuntimeError('key ' + os.environ['X_API_KEY'])\n"
            "cli.Registry.from_entry_points = boom\ncli.main(['--json'])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=home.env(X_API_KEY=CANARY_ENV), timeout=60)
    assert done.returncode == 3
    assert CANARY_ENV not in done.stderr and "antseed-doctor failed" in done.stderr
