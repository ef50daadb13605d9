"""AntSeed checks against the fake proxy: every fault mode, inside the deadline."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.fake_proxy import (
    PEER,
    FakeProxy,
    free_port,
    peer_entry,
    write_buyer_state,
    write_config,
)
from tests.homes import GOOD_PROFILE_FILE, GOOD_PROVIDER, Home, doctor

DEADLINE = 3.0


def _setup(home: Home, port: int, model: str = "mock-model") -> Path:
    data = home.home / ".antseed"
    home.port = port
    write_config(data, port)
    home.config(GOOD_PROVIDER)
    home.profile(GOOD_PROFILE_FILE.replace("mock-model", model))
    return data


def _run(home: Home, *args: str):
    began = time.monotonic()
    r = doctor(home, "--json", *args)
    wall = time.monotonic() - began
    assert "Traceback" not in r.stderr, r.stderr
    report = r.report
    assert report["run"]["duration_ms"] <= DEADLINE * 1000 + 200, report["run"]
    assert wall < DEADLINE + 1.5, wall
    return r


def _finding(r, code: str) -> dict:
    for check in r.report["checks"].values():
        for f in check["findings"]:
            if f["code"] == code:
                return f
    seen = [f["code"] for c in r.report["checks"].values() for f in c["findings"]]
    raise AssertionError(f"{code} not in {seen}")


FAULTS = [
    ("hang", "ANT004", False),
    ("slow-headers", "ANT004", False),
    ("html", "ANT003", False),
    ("garbage-json", "ANT003", False),
    ("500", "ANT003", False),
    ("redirect", "ANT003", False),
    ("reset", "ANT003", False),
    ("not-antseed", "ANT003", False),
    ("not-http", "ANT003", False),
    ("huge", "ANT018", False),
    ("peer-unreachable", "ANT016", False),
    ("one-chunk-stall", "ANT033", True),
    ("no-completed", "ANT034", True),
    ("infinite", "ANT039", True),
    ("wrong-ctype", "ANT035", True),
    ("stream-required", "ANT032", True),
    ("402", "ANT036", True),
]


@pytest.mark.parametrize("mode,code,live", FAULTS, ids=[f[0] for f in FAULTS])
def test_fault_mode_gives_its_finding_inside_the_deadline(home, mode, code, live):
    data = home.home / ".antseed"
    with FakeProxy(data, mode=mode) as fake:
        _setup(home, fake.port)
        write_buyer_state(data, port=fake.port)
        r = _run(home, *(["--live"] if live else []))
        f = _finding(r, code)
        assert f["severity"] in ("error", "warning")
        assert f["fix"]["text"]
        assert r.report["checks"]["antseed.proxy"]["status"] in ("ok", "error")
        for request in fake.requests:
            assert "authorization" not in request[2]


def test_connection_refused_names_the_codex_symptom(home):
    port = free_port()
    _setup(home, port)
    r = _run(home)
    f = _finding(r, "ANT001")
    assert f["title"] == f"nothing listens on 127.0.0.1:{port}"
    assert "Reconnecting... waiting for network" in f["detail"]
    assert f"antseed buyer start --port {port}" in f["fix"]["commands"]
    assert r.report["verdict"]["codex_reaches_antseed"] is False
    assert "ANT001" in r.report["verdict"]["codes"]
    older = doctor(home, "--json", "--codex-version", "0.142.0")
    assert "Reconnecting... 1/5" in _finding(older, "ANT001")["detail"]


def test_crashed_proxy_leaves_a_stale_state_file(home):
    port = free_port()
    data = _setup(home, port)
    write_buyer_state(data, port=port, pid=2_000_000_000)
    f = _finding(_run(home), "ANT001")
    assert "PID 2000000000 is gone" in f["detail"]


def test_something_else_owning_the_port_is_named(home):
    data = home.home / ".antseed"
    with FakeProxy(data, mode="not-antseed") as fake:
        _setup(home, fake.port)
        f = _finding(_run(home), "ANT003")
        assert "nginx/1.22.1" in f["title"]
        assert f"PID {os.getpid()}" in f["detail"]


def test_redirect_is_not_followed(home):
    data = home.home / ".antseed"
    with FakeProxy(data, mode="redirect") as fake:
        _setup(home, fake.port)
        f = _finding(_run(home), "ANT003")
        assert "redirect to 203.0.113.7 (not followed)" in f["title"]


@pytest.mark.parametrize("generation", ["pin-only", "newer"])
def test_healthy_proxy_both_generations(home, generation):
    data = home.home / ".antseed"
    with FakeProxy(data, generation=generation) as fake:
        _setup(home, fake.port)
        write_buyer_state(data, port=fake.port, pin=PEER if generation == "pin-only" else None)
        r = _run(home, "--live")
        assert r.code == 0, r.stdout
        proxy = _finding(r, "ANT000")
        assert proxy["evidence"]["generation"] == generation
        stream = _finding(r, "ANT030")
        assert stream["evidence"]["estimated_cost_usd"] == "0.000042"
        assert stream["evidence"]["ttfb_ms"] is not None
        assert _finding(r, "ANT020")["severity"] == "ok"
        assert r.report["verdict"]["codex_reaches_antseed"] is True
        posts = [req for req in fake.requests if req[0] == "POST"]
        assert [p[1] for p in posts] == ["/v1/responses"]


def test_stream_probe_only_with_live(home, proxy):
    _setup(home, proxy.port)
    r = _run(home)
    assert _finding(r, "ANT031")["fix"]["commands"] == ["antseed-doctor --live"]
    assert not [req for req in proxy.requests if req[0] == "POST"]


@pytest.mark.parametrize("pin,code", [
    (None, "ANT011"), ("0x" + PEER, "ANT012"), ("not-a-peer", "ANT013"),
    ("1" * 40, "ANT014"),
])
def test_pin_problems(home, pin, code):
    data = home.home / ".antseed"
    with FakeProxy(data) as fake:
        _setup(home, fake.port)
        write_buyer_state(data, port=fake.port, pin=pin)
        f = _finding(_run(home), code)
        assert f["severity"] in ("error", "warning")
        if code == "ANT012":
            assert f["fix"]["commands"] == [f"antseed buyer connection set --peer {PEER}"]
        if code == "ANT011":
            assert "antseed network browse" in f["fix"]["commands"]


def test_newer_proxy_needs_no_pin(home):
    data = home.home / ".antseed"
    with FakeProxy(data, generation="newer") as fake:
        _setup(home, fake.port)
        write_buyer_state(data, port=fake.port, pin=None)
        r = _run(home)
        assert _finding(r, "ANT010")["title"] == "the proxy routes by model; no pin needed"


def test_leftover_service_pin(home, proxy):
    data = _setup(home, proxy.port)
    write_buyer_state(data, port=proxy.port, service="mock-chat")
    assert _finding(_run(home), "ANT015")["fix"]["commands"] == [
        "antseed buyer connection clear --service"]


@pytest.mark.parametrize("model,code,severity", [
    ("mock-model", "ANT020", "ok"),
    ("mock-chat", "ANT022", "info"),
    ("mock-claude", "ANT023", "error"),
    ("gpt-9", "ANT021", "error"),
])
def test_model_and_protocol_path(home, proxy, model, code, severity):
    _setup(home, proxy.port, model=model)
    f = _finding(_run(home), code)
    assert f["severity"] == severity


def test_chat_wire_on_old_codex_is_native_for_chat_services(home, proxy):
    _setup(home, proxy.port, model="mock-chat")
    home.config(GOOD_PROVIDER.replace('"responses"', '"chat"')
                + '[profiles.antseed]\nmodel = "mock-chat"\nmodel_provider = "antseed"\n')
    r = _run(home, "--codex-version", "0.94.0")
    assert "openai-chat-completions natively" in _finding(r, "ANT020")["title"]


def test_newcomer_without_antseed_gets_install_and_start_commands(home):
    home.config(GOOD_PROVIDER.replace("{port}", "8377"))
    home.profile(GOOD_PROFILE_FILE)
    r = doctor(home, "--json")
    if r.report["checks"]["antseed.proxy"]["findings"][0]["code"] != "ANT001":
        pytest.skip("something listens on 127.0.0.1:8377 on this machine")
    f = _finding(r, "ANT001")
    assert f["fix"]["commands"] == ["npm install -g @antseed/cli", "antseed buyer start"]
    assert _finding(r, "ANT043")["fix"]["commands"][0] == "npm install -g @antseed/cli"
    for cid in ("antseed.peer", "antseed.model", "antseed.stream"):
        assert r.report["checks"][cid]["status"] == "skipped"


def _fake_cli(home: Home, output: str) -> Path:
    """Stand-in for the antseed CLI (@antseed/cli is not on the npm registry reachable here)."""
    marker = home.root / "cli-was-run"
    script = home.bin / "antseed"
    script.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$*\" >> {marker}\n"
                      f"printf '%s\\n' '{output}'\n")
    script.chmod(0o755)
    return marker


@pytest.mark.parametrize("available,code", [('"0.0"', "ANT041"), ("null", "ANT042"),
                                            ('"4.289391"', "ANT040")])
def test_funds(home, proxy, available, code):
    data = _setup(home, proxy.port)
    (data / "identity.key").write_text("ab" * 32)
    _fake_cli(home, '{"connectionState":"connected","proxyPort":8377,"depositsAvailable":'
                    f'{available},"depositsReserved":"0.0","activeChannels":0}}')
    r = _run(home)
    assert _finding(r, code)
    if code == "ANT041":
        assert _finding(r, code)["fix"]["commands"] == ["antseed buyer deposit 5"]


def test_funds_never_creates_an_identity(home, proxy):
    _setup(home, proxy.port)
    marker = _fake_cli(home, "{}")
    r = _run(home)
    assert _finding(r, "ANT044")
    calls = marker.read_text().splitlines() if marker.exists() else []
    assert all("buyer" not in call for call in calls), calls  # only --version ran
    assert not (home.home / ".antseed" / "identity.key").exists()


def test_broken_state_file(home, proxy):
    data = _setup(home, proxy.port)
    (data / "buyer.state.json").write_bytes(b"\x00\x01{{")
    f = _finding(_run(home), "ANT017")
    assert "not valid JSON" in f["title"]


def test_ipv6_first_localhost_detection():
    from checks.antseed.proxy import ipv6_first_problem

    assert ipv6_first_problem(["::1", "127.0.0.1"], v6_refused=True)
    assert not ipv6_first_problem(["127.0.0.1", "::1"], v6_refused=True)
    assert not ipv6_first_problem(["::1"], v6_refused=False)


def test_peer_entry_shape():
    entry = peer_entry()
    assert entry["providerServiceApiProtocols"]["openai"]["services"]["mock-model"] == [
        "openai-responses"]


def test_verdict_says_requests_fail_beyond_the_proxy(home):
    data = home.home / ".antseed"
    with FakeProxy(data) as fake:
        _setup(home, fake.port)
        write_buyer_state(data, port=fake.port, pin=None)
        r = _run(home)
        verdict = r.report["verdict"]
        assert verdict["codex_reaches_antseed"] is True
        assert verdict["codes"] == ["ANT011"]
        assert verdict["headline"] == ("Codex 0.169.0 → AntSeed, but requests fail there: no "
                                       "peer is pinned: the proxy answers 400 no_peer_pinned")
        human = doctor(home, "--ascii")
        assert "[!] Codex 0.169.0 -> AntSeed, but requests fail there" in human.stdout


def test_report_order_follows_the_request_path(home, proxy):
    _setup(home, proxy.port)
    ids = list(_run(home).report["checks"])
    assert ids.index("codex.provider") < ids.index("antseed.proxy") < ids.index("antseed.peer")


def test_buyer_process_on_another_port_is_named(home):
    import subprocess
    import sys

    port = free_port()
    _setup(home, port)
    node = home.root / "runtime" / "node"  # a process named like the runtime the CLI uses
    node.parent.mkdir()
    node.symlink_to(sys.executable)
    proc = subprocess.Popen([str(node), "-c", "import time; time.sleep(60)", "antseed",
                             "buyer", "start"], stdin=subprocess.DEVNULL)
    time.sleep(0.3)
    try:
        f = _finding(_run(home), "ANT001")
        assert f"`antseed buyer start` is running (PID {proc.pid}) but not on this port" in \
            f["detail"]
    finally:
        proc.kill()
        proc.wait()


def test_custom_data_dir_is_honoured(home, tmp_path):
    data = tmp_path / "antseed-data"
    with FakeProxy(data) as fake:
        home.port = fake.port
        home.config(GOOD_PROVIDER)
        home.profile(GOOD_PROFILE_FILE)
        write_buyer_state(data, port=fake.port, pin="0x" + PEER)
        r = doctor(home, "--json", env=home.env(ANTSEED_DATA_DIR=str(data)))
        assert _finding(r, "ANT012")
