"""The doctor's verdict against what the real Codex CLI does.

For each scenario and pinned Codex release: build a real home, run
``codex exec`` against two loopback servers (a stand-in AntSeed proxy and a
stand-in for OpenAI, reached through the built-in provider's base URL), and
assert: requests reach the AntSeed stand-in ⇔ the doctor says
``codex_reaches_antseed``. The expected outcome is asserted as well, so a
change in Codex's behaviour shows up as a failure, not as silent agreement.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional

import pytest

from tests.codex_cli import codex_bin_dir
from tests.fake_servers import RecordingServer
from tests.homes import GOOD_PROFILE_FILE, GOOD_PROVIDER, LEGACY_PROFILE, Home, doctor

pytestmark = pytest.mark.codex

CODEX_TIMEOUT = 90


@dataclass(frozen=True)
class Scenario:
    name: str
    setup: Callable[[Home], Optional[str]]  # returns the cwd to run in (None: work dir)
    profile: bool
    expect: Dict[str, bool]  # version -> requests reach the AntSeed stand-in


def _v2(home: Home) -> None:
    home.config(GOOD_PROVIDER)
    home.profile(GOOD_PROFILE_FILE)


def _legacy(home: Home) -> None:
    home.config(GOOD_PROVIDER + LEGACY_PROFILE)


def _missing_profile_file(home: Home) -> None:
    home.config(GOOD_PROVIDER + '\n[profiles.other]\nmodel = "x"\n')


def _guide(home: Home) -> None:
    home.config(GOOD_PROVIDER.replace("127.0.0.1", "localhost").replace('"responses"', '"chat"')
                + LEGACY_PROFILE)


def _project_local(home: Home) -> str:
    repo = home.work / "repo"
    (repo / ".git").mkdir(parents=True)
    home.write(".codex/config.toml",
               'model = "mock-model"\nmodel_provider = "antseed"\n' + GOOD_PROVIDER, base=repo)
    home.config(f'[projects."{repo}"]\ntrust_level = "trusted"\n')
    return str(repo)


def _top_level(home: Home) -> None:
    home.config('model = "mock-model"\nmodel_provider = "antseed"\n' + GOOD_PROVIDER)


def _top_level_chat(home: Home) -> None:
    home.config('model = "mock-model"\nmodel_provider = "antseed"\n'
                + GOOD_PROVIDER.replace('"responses"', '"chat"'))


def _env_key_unset(home: Home) -> None:
    home.config(GOOD_PROVIDER + 'env_key = "ANTSEED_DOCTOR_UNSET_KEY"\n')
    home.profile(GOOD_PROFILE_FILE)


def _doubled_path(home: Home) -> None:
    home.config(GOOD_PROVIDER.replace("/v1", "/v1/responses"))
    home.profile(GOOD_PROFILE_FILE)


def _reserved_id(home: Home) -> None:
    home.config('model = "mock-model"\nmodel_provider = "openai"\n'
                + GOOD_PROVIDER.replace("model_providers.antseed", "model_providers.openai"))


SCENARIOS = [
    Scenario("profile-file", _v2, True, {"0.169.0": True, "0.133.0": False}),
    Scenario("legacy-profile-table", _legacy, True, {"0.169.0": False, "0.133.0": True,
                                                     "0.94.0": True}),
    Scenario("missing-profile-file", _missing_profile_file, True, {"0.169.0": False}),
    Scenario("guide-verbatim", _guide, True, {"0.169.0": False, "0.133.0": False,
                                              "0.94.0": True}),
    Scenario("project-local", _project_local, False, {"0.169.0": False, "0.128.0": True}),
    Scenario("top-level", _top_level, False, {"0.169.0": True, "0.94.0": True}),
    Scenario("top-level-chat", _top_level_chat, False, {"0.128.0": False, "0.94.0": True}),
    Scenario("env-key-unset", _env_key_unset, True, {"0.169.0": False}),
    Scenario("doubled-responses-path", _doubled_path, True, {"0.169.0": False}),
    Scenario("reserved-openai-id", _reserved_id, False, {"0.169.0": False, "0.94.0": False}),
]

CASES = [pytest.param(s, v, id=f"{s.name}-{v}") for s in SCENARIOS for v in s.expect]


def _decoy_settings(home: Home, version: str, decoy: int) -> Dict[str, str]:
    """Point Codex's built-in openai provider at a loopback decoy, never the internet."""
    url = f"http://127.0.0.1:{decoy}/v1"
    config = home.codex / "config.toml"
    text = config.read_text() if config.exists() else ""
    config.write_text(f'openai_base_url = "{url}"\n' + text)
    return {"OPENAI_BASE_URL": url}  # what Codex <=0.118 reads instead


def _run_codex(home: Home, bin_dir: str, cwd: str, profile: bool, env: Dict[str, str]) -> str:
    args = [os.path.join(bin_dir, "codex"), "exec", "--skip-git-repo-check"]
    if profile:
        args += ["--profile", "antseed"]
    try:
        done = subprocess.run([*args, "say hi"], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=CODEX_TIMEOUT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        return f"timed out: {exc.stderr!r}"
    return done.stderr


@pytest.mark.parametrize("scenario,version", CASES)
def test_doctor_verdict_matches_real_codex(home: Home, scenario: Scenario, version: str):
    bin_dir, why = codex_bin_dir(version)
    if bin_dir is None:
        pytest.skip(why)
    with RecordingServer() as antseed, RecordingServer() as openai:
        home.port = antseed.port
        home.antseed_port(antseed.port)  # the stand-in proxy's port, as buyer.proxyPort
        cwd = scenario.setup(home) or str(home.work)
        extra = _decoy_settings(home, version, openai.port)
        env = home.env(PATH=f"{bin_dir}{os.pathsep}{home.bin}", **extra)
        # the Codex side only: the stand-in proxy records requests but is not AntSeed
        result = doctor(home, "--json", "--select", "codex",
                        *([] if scenario.profile else ["--no-profile"]),
                        env=env, cwd=cwd, version=None)
        stderr = _run_codex(home, str(bin_dir), cwd, scenario.profile, env)
        reached: List[str] = [p for p in antseed.posts()
                              if p in ("/v1/responses", "/v1/chat/completions")]
        to_openai = openai.posts()
    report = result.report
    assert report["environment"]["codex_version"] == version  # detected, not assumed
    verdict = report["verdict"]
    context = f"codex stderr: {stderr[-800:]}\nverdict: {verdict}"
    assert bool(reached) is scenario.expect[version], context
    assert verdict["codex_reaches_antseed"] is bool(reached), context
    if "→ OpenAI, not AntSeed" in verdict["headline"]:
        assert to_openai, f"the doctor said OpenAI, but the decoy saw nothing\n{context}"
