"""Planted canary secrets never appear in any output."""

import pytest

from tests.homes import GOOD_PROFILE_FILE, GOOD_PROVIDER, doctor

CANARY_KEY = "sk-proj-CANARYabcdefghijklmnop1234567890"
CANARY_TOKEN = "canary-bearer-token-0f9e8d7c6b5a4f3e2d1c"
CANARY_ENV = "CANARY-env-value-77aa88bb99cc"
CANARY_HEX = "ab" * 32
CANARIES = (CANARY_KEY, CANARY_TOKEN, CANARY_ENV, CANARY_HEX)


@pytest.fixture
def planted(home):
    home.config(GOOD_PROVIDER + f'''
env_key = "ANTSEED_CANARY_API_KEY"
experimental_bearer_token = "{CANARY_TOKEN}"
[model_providers.antseed.http_headers]
Authorization = "Bearer {CANARY_KEY}"
X-Identity = "{CANARY_HEX}"
''')
    home.profile(GOOD_PROFILE_FILE)
    home.extra_env.update({
        "ANTSEED_CANARY_API_KEY": CANARY_KEY,
        "SOME_SERVICE_TOKEN": CANARY_ENV,
        "ANTSEED_IDENTITY_HEX": CANARY_HEX,
    })
    return home


@pytest.mark.parametrize("args", [
    ("--json",), ("-v",), ("--debug", "-v"), ("config",), ("-v", "--ascii"),
    ("--json", "--codex-version", "0.94.0"),
])
def test_no_canary_in_any_output(planted, args):
    r = doctor(planted, *args)
    out = r.stdout + r.stderr
    assert out.strip()
    for canary in CANARIES:
        assert canary not in out, (canary, args)


def test_the_key_is_reported_by_name_not_value(planted):
    r = doctor(planted, "--json")
    found = [f for c in r.report["checks"].values() for f in c["findings"]
             if f["code"] == "CDX021"]
    assert found, r.stdout
    assert any("http_headers.Authorization" in f["title"] for f in found)
    assert "<redacted>" not in found[0]["title"]


def test_secret_in_a_broken_config_line_is_not_echoed(home):
    home.config(f'[model_providers.antseed]\nexperimental_bearer_token = {CANARY_KEY}\n')
    r = doctor(home, "--json")
    assert r.code == 1
    assert CANARY_KEY not in r.stdout + r.stderr
