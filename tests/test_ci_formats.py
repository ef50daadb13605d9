"""--format github and --format junit, for CI."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from tests.homes import GOOD_PROFILE_FILE, GOOD_PROVIDER, GUIDE_CONFIG, doctor


def test_github_annotations_carry_level_code_and_fix(home, proxy):
    home.config(GUIDE_CONFIG)
    r = doctor(home, "--format", "github")
    lines = r.stdout.splitlines()
    chat = next(line for line in lines if "CDX012" in line)
    assert chat.startswith("::error title=CDX012 (codex.provider)::wire_api = \"chat\"")
    assert "%0AFix: Set wire_api = \"responses\"" in chat
    assert any(line.startswith("::notice title=verdict::") for line in lines)
    assert r.code == 1


def test_github_annotation_points_at_the_file_and_line(home, proxy):
    home.config(GOOD_PROVIDER)
    home.profile(GOOD_PROFILE_FILE)
    home.write(".bashrc", "# x\nalias cx='codex -c model_provider=antseed'\n")
    r = doctor(home, "--format", "github")
    line = next(x for x in r.stdout.splitlines() if "CDX081" in x)
    assert line.startswith(f"::warning file={home.home / '.bashrc'},line=2,title=CDX081")


def test_junit_has_one_case_per_check(home, proxy):
    home.config(GUIDE_CONFIG)
    r = doctor(home, "--format", "junit")
    suite = ET.fromstring(r.stdout)
    cases = suite.findall("testcase")
    assert len(cases) == int(suite.get("tests")) == 13
    by_name = {c.get("name"): c for c in cases}
    failure = by_name["codex.provider"].find("failure")
    assert failure.get("type") == "CDX012"
    assert "Fix: Set wire_api" in failure.text
    assert int(suite.get("failures")) == 2
    assert by_name["codex.home"].find("failure") is None


def test_junit_fail_on_warning_counts_warnings(home, proxy):
    home.config(GOOD_PROVIDER)
    home.profile('model_provider = "antseed"\n')  # CDX037 warning
    strict = ET.fromstring(doctor(home, "--format", "junit", "--fail-on", "warning").stdout)
    lenient = ET.fromstring(doctor(home, "--format", "junit").stdout)
    assert int(strict.get("failures")) == int(lenient.get("failures")) + 1
