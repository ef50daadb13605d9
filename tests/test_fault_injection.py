"""Every fault of the fake proxy combined with a missing, hostile or healthy Codex config.

Under the default 3 s deadline the run must always end within deadline + 0.5 s
and report each fault with its own finding.
"""

from __future__ import annotations

import time

import pytest

from tests.fake_proxy import FakeProxy, free_port, write_buyer_state, write_config
from tests.homes import GOOD_PROFILE_FILE, GOOD_PROVIDER, doctor
from tests.test_antseed import FAULTS

CONFIGS = ("missing", "hostile", "healthy")
DEADLINE = 3.0


def _config(home, kind: str) -> None:
    if kind == "healthy":
        home.config(GOOD_PROVIDER)
        home.profile(GOOD_PROFILE_FILE)
    elif kind == "hostile":
        (home.codex / "config.toml").write_bytes(b"\x00\xff" * 512 + b"[[[" + b"a" * 70000)
        (home.codex / "antseed.config.toml").mkdir()


def _codes(report) -> set:
    return {f["code"] for c in report["checks"].values() for f in c["findings"]}


def _run(home):
    began = time.monotonic()
    r = doctor(home, "--json", "--live")
    wall = time.monotonic() - began
    assert "Traceback" not in r.stderr, r.stderr
    assert r.report["run"]["duration_ms"] <= (DEADLINE + 0.5) * 1000
    assert wall < DEADLINE + 0.5 + 1.0, wall  # + interpreter start-up
    assert all(c["status"] != "crashed" for c in r.report["checks"].values())
    return r


@pytest.mark.parametrize("config", CONFIGS)
@pytest.mark.parametrize("mode,code,_live", FAULTS, ids=[f[0] for f in FAULTS])
def test_fault_with_config(home, mode, code, _live, config):
    data = home.home / ".antseed"
    with FakeProxy(data, mode=mode) as fake:
        home.port = fake.port
        write_config(data, fake.port)
        write_buyer_state(data, port=fake.port)
        _config(home, config)
        r = _run(home)
        assert code in _codes(r.report)
        if config != "healthy":
            assert r.report["checks"]["codex.home"]["status"] == "error"


@pytest.mark.parametrize("config", CONFIGS)
def test_refused_with_config(home, config):
    port = free_port()
    write_config(home.home / ".antseed", port)
    home.port = port
    _config(home, config)
    assert "ANT001" in _codes(_run(home).report)
