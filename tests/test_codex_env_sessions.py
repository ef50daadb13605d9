"""codex.env, codex.sessions and codex.shell on real files, real env and real processes."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import time

import psutil
import pytest

from tests.diagnose import diagnose
from tests.homes import GOOD_PROFILE_FILE, GOOD_PROVIDER, doctor

CANARY = "CanaryProxyPassw0rd"


@pytest.fixture
def healthy(home):
    home.config(GOOD_PROVIDER)
    home.profile(GOOD_PROFILE_FILE)
    return home


def test_http_proxy_capturing_loopback_gets_the_exact_no_proxy_line(healthy):
    d = diagnose(healthy, HTTP_PROXY=f"http://user:{CANARY}@proxy.example:3128",
                 NO_PROXY="internal.example")
    f = d.finding("CDX064")
    assert f["severity"] == "error"
    assert f["fix"]["commands"] == [
        'export NO_PROXY="internal.example,127.0.0.1,localhost" '
        'no_proxy="internal.example,127.0.0.1,localhost"']
    assert d.reaches is False
    assert "CDX064" in d.verdict["codes"]


def test_proxy_values_are_never_printed(healthy):
    env = healthy.env(HTTP_PROXY=f"http://user:{CANARY}@proxy.example:3128")
    for args in (("--json",), ("-v",)):
        r = doctor(healthy, *args, env=env)
        assert CANARY not in r.stdout + r.stderr
        assert "HTTP_PROXY" in r.stdout


def test_no_proxy_covering_loopback_is_fine(healthy):
    d = diagnose(healthy, ALL_PROXY="socks5://proxy:1080", no_proxy="localhost,127.0.0.1")
    assert "CDX064" not in d.codes()
    assert d.reaches is True


@pytest.mark.parametrize("version,severity", [("0.100.0", "info"), ("0.118.0", "info"),
                                              ("0.120.0", "warning"), ("0.169.0", "warning")])
def test_openai_base_url_by_version(home, version, severity):
    home.config(GOOD_PROVIDER + '\n[profiles.antseed]\nmodel = "m"\nmodel_provider = "antseed"\n')
    home.profile(GOOD_PROFILE_FILE)
    d = diagnose(home, version, OPENAI_BASE_URL="http://127.0.0.1:8377/v1")
    assert d.finding("CDX061")["severity"] == severity


def test_api_keys_reported_by_name_only(healthy):
    key = "sk-canary-0123456789abcdefghij"
    d = diagnose(healthy, OPENAI_API_KEY=key)
    f = d.finding("CDX062")
    assert f["severity"] == "info" and "OPENAI_API_KEY" in f["title"]
    r = doctor(healthy, "--json", "-v", env=healthy.env(OPENAI_API_KEY=key))
    assert key not in r.stdout


def test_codex_api_key_with_requires_openai_auth(home):
    home.config(GOOD_PROVIDER + "requires_openai_auth = true\n")
    home.profile(GOOD_PROFILE_FILE)
    assert diagnose(home, CODEX_API_KEY="k-123456").finding("CDX063")["severity"] == "warning"


@pytest.fixture
def fake_codex_process(home):
    """A real long-running process whose command line looks like Codex."""
    exe = home.root / "fakebin" / "codex"
    exe.parent.mkdir()
    shutil.copy2(shutil.which("sleep") or "/bin/sleep", exe)
    proc = subprocess.Popen([str(exe), "60"], stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 5
        while psutil.Process(proc.pid).name() != "codex" and time.monotonic() < deadline:
            time.sleep(0.05)
        yield proc
    finally:
        proc.kill()
        proc.wait()


def test_process_older_than_the_config_is_named_by_pid(healthy, fake_codex_process):
    created = psutil.Process(fake_codex_process.pid).create_time()
    later = created + 5
    os.utime(healthy.codex / "config.toml", (later, later))
    d = diagnose(healthy)
    f = d.finding("CDX071")
    assert str(fake_codex_process.pid) in f["title"]
    assert {"pid": fake_codex_process.pid} .items() <= f["evidence"]["processes"][0].items()


def test_process_newer_than_the_config_is_fine(healthy, fake_codex_process):
    created = psutil.Process(fake_codex_process.pid).create_time()
    earlier = created - 60
    for name in ("config.toml", "antseed.config.toml"):
        os.utime(healthy.codex / name, (earlier, earlier))
    assert "CDX071" not in diagnose(healthy).codes()


def _rollout(home, day, stamp, provider):
    folder = home.codex / "sessions" / "2026" / "11" / day
    folder.mkdir(parents=True, exist_ok=True)
    meta = {"timestamp": f"2026-11-{day}T10:00:00Z", "type": "session_meta",
            "payload": {"id": "x", "cli_version": "0.169.0", "originator": "codex_exec",
                        "model_provider": provider, "instructions": "y" * 5000}}
    path = folder / f"rollout-2026-11-{day}T{stamp}-{provider}.jsonl"
    path.write_text(json.dumps(meta) + '\n{"type":"event_msg"}\n')
    return path


def test_last_session_provider_from_the_newest_rollout(healthy):
    _rollout(healthy, "20", "10-00-00", "antseed")
    _rollout(healthy, "24", "09-00-00", "openai")
    _rollout(healthy, "24", "08-00-00", "antseed")
    f = diagnose(healthy).finding("CDX072")
    assert f["title"] == "your last Codex session went to `openai`, not `antseed`"
    assert "2026/11/24/rollout-2026-11-24T09-00-00-openai.jsonl" in f["detail"]
    _rollout(healthy, "25", "07-00-00", "antseed")
    assert "CDX072" not in diagnose(healthy).codes()


def test_last_session_from_state_db_opened_read_only(healthy):
    db = healthy.codex / "state_5.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE threads (id TEXT, model_provider TEXT, model TEXT, "
                 "cli_version TEXT, rollout_path TEXT)")
    conn.execute("INSERT INTO threads VALUES ('a', 'antseed', 'm', '0.169.0', '')")
    conn.execute("INSERT INTO threads VALUES ('b', 'openai', 'gpt', '0.169.0', '')")
    conn.commit()
    conn.close()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    names_before = sorted(p.name for p in healthy.codex.iterdir())
    d = diagnose(healthy)
    assert "`openai`" in d.finding("CDX072")["title"]
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in healthy.codex.iterdir()) == names_before


def test_garbage_session_files_are_not_a_crash(healthy):
    folder = healthy.codex / "sessions" / "2026" / "11" / "25"
    folder.mkdir(parents=True)
    (folder / "rollout-2026-11-25T01-00-00-x.jsonl").write_bytes(b"\x00\xffnot json")
    (healthy.codex / "state_5.sqlite").write_bytes(b"not a database")
    d = diagnose(healthy)
    assert d.status("codex.sessions") == "ok"


def test_shell_alias_and_export_with_line_numbers(healthy):
    healthy.write(".bashrc", "# setup\nexport PATH=$PATH:~/bin\n"
                             "alias cx='codex -c model_provider=antseed'\n")
    healthy.write(".zshrc", "export OPENAI_BASE_URL=http://localhost:8377/v1\n"
                            "# export OPENAI_BASE_URL=ignored-comment\n")
    d = diagnose(healthy)
    assert d.finding("CDX081")["title"] == "~/.bashrc:3 runs codex with -c model_provider=…"
    assert d.finding("CDX082")["title"] == "~/.zshrc:1 sets OPENAI_BASE_URL"
    assert d.codes().count("CDX082") == 1
