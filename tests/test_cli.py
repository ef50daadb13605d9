"""The command line: JSON contract, exit codes, selection, rendering, plugins."""

import json
import re
import subprocess
import sys
import textwrap
import time
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from tests.homes import GOOD_PROFILE_FILE, GOOD_PROVIDER, GUIDE_CONFIG, LEGACY_PROFILE, doctor


def schema():
    text = resources.files("doctor").joinpath("schema/report-v1.schema.json").read_text()
    return json.loads(text)


def healthy(home):
    home.config(GOOD_PROVIDER)
    home.profile(GOOD_PROFILE_FILE)


@pytest.mark.parametrize("setup", ["healthy", "guide", "missing", "binary"])
def test_json_report_matches_the_shipped_schema(home, setup):
    if setup == "healthy":
        healthy(home)
    elif setup == "guide":
        home.config(GUIDE_CONFIG)
    elif setup == "binary":
        (home.codex / "config.toml").write_bytes(b"\x00\xff")
    r = doctor(home, "--json", "--codex-version", "0.169.0")
    jsonschema.validate(r.report, schema())
    assert r.report["schema_version"] == 1
    assert r.report["tool"]["name"] == "antseed-doctor"
    assert set(r.report["checks"]) >= {"codex.home", "codex.provider", "codex.profile",
                                       "codex.project-config"}


def test_schema_rejects_a_problem_without_fix():
    bad = {"schema_version": 1, "tool": {"name": "antseed-doctor", "version": "0"},
           "generated_at": "2026-01-01T00:00:00Z", "status": "error", "environment": {},
           "checks": {"x": {"title": "x", "status": "error", "duration_ms": 1, "findings": [
               {"code": "X1", "severity": "error", "title": "t", "detail": "", "fix": None,
                "evidence": {}}]}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema())


def test_exit_codes_follow_fail_on(home, proxy):
    healthy(home)
    assert doctor(home, "--json").code == 0
    home.profile('model_provider = "antseed"\n')  # CDX037 warning only
    assert doctor(home, "--json").code == 0
    assert doctor(home, "--json", "--fail-on", "warning").code == 1
    home.config(GUIDE_CONFIG)
    assert doctor(home, "--json").code == 1


def test_usage_error_exits_2(home):
    r = doctor(home, "--fail-on", "fatal")
    assert r.code == 2
    assert "Traceback" not in r.stderr


def test_verdict_is_printed_first_in_the_human_view(home):
    home.config(GOOD_PROVIDER)
    r = doctor(home, "--codex-version", "0.169.0", "--ascii", env=home.env(COLUMNS="80"))
    lines = [line for line in r.stdout.splitlines() if line.strip()]
    assert all(len(line) <= 80 for line in lines[1:3])
    assert " ".join(lines[1:3]) == (
        "[x] Codex 0.169.0 -> OpenAI, not AntSeed: ~/.codex/antseed.config.toml is missing, "
        "so --profile antseed is silently ignored [CDX031, ANT001]")
    assert "\x1b[" not in r.stdout  # NO_COLOR and not a TTY


def test_human_view_shows_fix_lines_and_summary(home):
    home.config(GUIDE_CONFIG)
    r = doctor(home, "--codex-version", "0.169.0")
    assert "[✗] Codex profile and model selection (codex.profile)" in r.stdout
    assert '      wire_api = "responses"' in r.stdout
    assert "In ~/.codex/antseed.config.toml, the whole file (create it):" in r.stdout
    assert re.match(r"! Doctor found issues in 3 of \d+ checks: 3 error\(s\)",
                    r.stdout.rstrip().splitlines()[-1])


def test_ascii_fallback_for_non_utf8_terminals(home, proxy):
    healthy(home)
    r = doctor(home, env=home.env(LANG="C", LC_ALL="C", PYTHONIOENCODING="ascii"))
    assert r.code == 0
    r.stdout.encode("ascii")
    assert "[ok] Codex home and config.toml (codex.home)" in r.stdout


def test_verbose_shows_ok_findings_and_the_effective_config(home):
    healthy(home)
    r = doctor(home, "-v", "--codex-version", "0.169.0")
    assert "CDX030 `codex --profile antseed` → provider antseed, model mock-model" in r.stdout
    assert "Effective Codex configuration" in r.stdout
    assert "model_provider" in r.stdout and "~/.codex/antseed.config.toml" in r.stdout


def test_config_subcommand_gives_values_and_provenance(home):
    home.config(GOOD_PROVIDER + '[profiles.antseed]\nmodel = "old"\n')
    home.profile(GOOD_PROFILE_FILE)
    r = doctor(home, "--codex-version", "0.169.0", "config")
    assert r.code == 0, r.stderr
    lines = {line.split()[0]: line for line in r.stdout.splitlines()[1:] if line.strip()}
    assert "mock-model" in lines["model"] and "~/.codex/antseed.config.toml" in lines["model"]
    assert "http://127.0.0.1:8377/v1" in lines["antseed.base_url"]
    assert "~/.codex/config.toml" in lines["antseed.base_url"]


def test_config_subcommand_explains_an_ignored_profile_file(home):
    home.config(GOOD_PROVIDER + LEGACY_PROFILE)
    r = doctor(home, "--codex-version", "0.169.0", "config")
    assert "missing: Codex silently treats it as empty" in r.stdout
    assert "openai" in r.stdout
    assert "Codex 0.169.0 reads profiles from antseed.config.toml" in r.stdout
    home.profile(GOOD_PROFILE_FILE)
    r = doctor(home, "--codex-version", "0.133.0", "config")
    assert "Codex 0.133.0 reads [profiles.antseed] in config.toml instead" in r.stdout


def test_colours_can_be_forced_and_are_off_by_default_in_pipes(home):
    healthy(home)
    assert "\x1b[" in doctor(home, "--color").stdout
    assert "\x1b[" not in doctor(home, env=home.env(NO_COLOR="")).stdout


def test_select_and_ignore(home, proxy):
    home.config(GUIDE_CONFIG)
    r = doctor(home, "--json", "--select", "codex.provider")
    assert set(r.report["checks"]) == {"codex.install", "codex.home", "codex.provider"}
    r = doctor(home, "--json", "--select", "CDX012")
    assert "codex.provider" in r.report["checks"] and "codex.profile" not in r.report["checks"]
    r = doctor(home, "--json", "--ignore", "codex.project-config")
    assert "codex.project-config" not in r.report["checks"]
    r = doctor(home, "--json", "--ignore", "CDX012,CDX032")
    assert r.code == 0
    silenced = [f for c in r.report["checks"].values() for f in c["findings"] if f["silenced"]]
    assert {f["code"] for f in silenced} == {"CDX012", "CDX032"}


def test_list_checks_and_version(home):
    r = doctor(home, "--list-checks")
    assert r.code == 0
    assert ("codex.provider  Codex model provider for AntSeed  "
            "[requires codex.install, codex.home]") in r.stdout
    assert "    CDX012  wire_api = \"chat\"" in r.stdout
    r = doctor(home, "--version")
    assert r.stdout.startswith("antseed-doctor, version ")


def test_no_profile_launch(home, proxy):
    home.config('model = "mock-model"\nmodel_provider = "antseed"\n' + GOOD_PROVIDER)
    r = doctor(home, "--json", "--no-profile", "--codex-version", "0.169.0")
    assert r.code == 0
    assert r.report["verdict"]["codex_reaches_antseed"] is True
    assert r.report["environment"]["codex_launch"] == "codex"


def test_doctor_changes_nothing_on_disk(home):
    home.config(GUIDE_CONFIG)
    project = home.work / ".codex"
    project.mkdir()
    (project / "config.toml").write_text(GOOD_PROVIDER)
    before = {p: p.read_bytes() for p in home.root.rglob("*") if p.is_file()}
    doctor(home, "--json")
    doctor(home, "-v", "config")
    after = {p: p.read_bytes() for p in home.root.rglob("*") if p.is_file()}
    assert before == after


PLUGIN = '''
import time
from doctor.finding import Fix, warning
from doctor.plugin import check

@check("canary.warn", "A third-party check", codes={"CAN001": "a warning"})
def warns(ctx):
    return [warning("CAN001", "third-party warning", fix=Fix("do the thing"))]

@check("canary.boom", "A crashing check")
def boom(ctx):
    raise ValueError("plugin bug")

@check("canary.sleepy", "A check that hangs", timeout=60)
def sleepy(ctx):
    time.sleep(60)
    return []
'''


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory):
    """A tiny third-party plugin package, really installed with pip into a target dir."""
    src = tmp_path_factory.mktemp("canary-src")
    (src / "canary_plugin").mkdir()
    (src / "canary_plugin" / "__init__.py").write_text(PLUGIN)
    (src / "pyproject.toml").write_text(textwrap.dedent("""
        [build-system]
        requires = ["setuptools>=61"]
        build-backend = "setuptools.build_meta"
        [project]
        name = "canary-plugin"
        version = "1.0"
        [project.entry-points."antseed_doctor.checks"]
        canary = "canary_plugin"
        """))
    target = tmp_path_factory.mktemp("canary-site")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                    "--no-build-isolation", "--target", str(target), str(src)],
                   check=True, capture_output=True, timeout=300)
    return target


def test_third_party_plugin_is_discovered_crash_and_hang_contained(home, proxy, plugin_site):
    healthy(home)
    env = home.env(PYTHONPATH=str(plugin_site))
    began = time.monotonic()
    r = doctor(home, "--json", "--timeout", "1", env=env)
    elapsed = time.monotonic() - began
    checks = r.report["checks"]
    assert checks["canary.warn"]["findings"][0]["code"] == "CAN001"
    assert checks["canary.boom"]["status"] == "crashed"
    assert "ValueError: plugin bug" in checks["canary.boom"]["reason"]
    assert "traceback" not in checks["canary.boom"]
    assert checks["canary.sleepy"]["status"] == "timeout"
    assert r.report["run"]["deadline_hit"] is True
    assert r.code == 3
    assert elapsed < 5, elapsed
    assert "Traceback" not in r.stderr
    human = doctor(home, "--timeout", "1", env=env)
    assert "Traceback" not in human.stdout + human.stderr
    assert "[☠] A crashing check (canary.boom)" in human.stdout
    debug = doctor(home, "--timeout", "1", "--debug", env=env)
    assert "Traceback" in debug.stdout and "plugin bug" in debug.stdout


def test_a_plugin_that_fails_to_import_is_reported(home, proxy, tmp_path):
    healthy(home)
    site = tmp_path / "site"
    (site / "broken_plugin").mkdir(parents=True)
    (site / "broken_plugin" / "__init__.py").write_text("raise ImportError('missing dep')\n")
    dist = site / "broken_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-plugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[antseed_doctor.checks]\nbroken = broken_plugin\n")
    r = doctor(home, "--json", env=home.env(PYTHONPATH=str(site)))
    assert r.report["checks"]["plugin:broken"]["status"] == "crashed"
    assert "missing dep" in r.report["checks"]["plugin:broken"]["reason"]
    assert r.code == 3
    assert r.report["checks"]["codex.home"]["status"] == "ok"


def test_paths_are_real(home):
    assert Path(home.home).is_dir()


def test_path_like_profile_names_are_usage_errors(home):
    for bad in ("a/b", "..", "a\\b"):
        r = doctor(home, "--profile", bad)
        assert r.code == 2, (bad, r.stderr)
        assert "pass a plain name such as `work`" in r.stderr


def test_profile_names_codex_0_134_refuses_are_findings(home):
    home.config(GOOD_PROVIDER + '[profiles."a.b"]\nmodel = "m"\nmodel_provider = "antseed"\n')
    for bad in ("a.b", "x.toml", "é", ".hidden"):
        r = doctor(home, "--json", "--profile", bad)
        f = next(f for c in r.report["checks"].values() for f in c["findings"]
                 if f["code"] == "CDX029")
        assert f"invalid --profile value `{bad}`" in f["detail"]
    old = doctor(home, "--json", "--profile", "a.b", "--codex-version", "0.133.0")
    assert "CDX029" not in [f["code"] for c in old.report["checks"].values()
                            for f in c["findings"]]
