"""Broken config files give findings with fixes, never a traceback (real subprocesses)."""

import os

import pytest

from tests.homes import GOOD_PROFILE_FILE, GOOD_PROVIDER, doctor


def _assert_clean(result):
    assert "Traceback" not in result.stdout + result.stderr
    assert result.code == 1, (result.code, result.stderr)


def _only(result, code):
    report = result.report
    finding = next(f for c in report["checks"].values() for f in c["findings"]
                   if f["code"] == code)
    assert finding["fix"] and finding["fix"]["text"]
    return finding


def test_malformed_toml_gives_file_line_column(home):
    home.config('[model_providers.antseed]\nname = "AntSeed"\nbase_url = http://x\n')
    r = doctor(home, "--json", "--codex-version", "0.169.0")
    _assert_clean(r)
    f = _only(r, "CDX006")
    assert f["title"].endswith("~/.codex/config.toml:3:12")
    assert f["evidence"]["line"] == 3 and f["evidence"]["column"] == 12


def test_binary_config(home):
    (home.codex / "config.toml").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00garbage")
    r = doctor(home, "--json")
    _assert_clean(r)
    assert "NUL byte" in _only(r, "CDX005")["detail"]


def test_not_utf8_config(home):
    (home.codex / "config.toml").write_bytes(b'model = "caf\xe9"\n')
    r = doctor(home, "--json")
    _assert_clean(r)
    assert "line 1" in _only(r, "CDX005")["title"]


def test_huge_config(home):
    (home.codex / "config.toml").write_text("# pad\n" * 300_000)
    r = doctor(home, "--json")
    assert "Traceback" not in r.stderr
    assert _only(r, "CDX007")["severity"] == "warning"


def test_deeply_nested_config_does_not_crash(home):
    (home.codex / "config.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    r = doctor(home, "--json")
    assert "Traceback" not in r.stderr
    assert all(c["status"] != "crashed" for c in r.report["checks"].values())


def test_empty_config_says_what_to_add(home):
    (home.codex / "config.toml").write_text("")
    home.profile(GOOD_PROFILE_FILE)
    r = doctor(home, "--json")
    _assert_clean(r)
    assert _only(r, "CDX011")["fix"]["file"]["lines"][0] == "[model_providers.antseed]"


def test_directory_instead_of_file(home):
    (home.codex / "config.toml").mkdir()
    r = doctor(home, "--json")
    _assert_clean(r)
    assert "directory" in _only(r, "CDX003")["title"]


def test_missing_config(home):
    r = doctor(home, "--json")
    _assert_clean(r)
    assert _only(r, "CDX002")["fix"]["file"]["lines"][0] == "[model_providers.antseed]"


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="needs POSIX permissions")
def test_permission_denied(home):
    path = home.config(GOOD_PROVIDER)
    path.chmod(0o000)
    r = doctor(home, "--json", honour_permissions=True)
    _assert_clean(r)
    assert "Permission denied" in _only(r, "CDX004")["title"]


def test_broken_profile_file(home):
    home.config(GOOD_PROVIDER)
    (home.codex / "antseed.config.toml").write_text('model = "x\n')
    r = doctor(home, "--json", "--codex-version", "0.169.0")
    _assert_clean(r)
    assert _only(r, "CDX034")["severity"] == "error"


def test_broken_project_file(home):
    home.config(GOOD_PROVIDER)
    home.profile(GOOD_PROFILE_FILE)
    (home.work / ".codex").mkdir()
    (home.work / ".codex" / "config.toml").write_bytes(b"\x00\x01")
    r = doctor(home, "--json", "--codex-version", "0.169.0")
    assert "Traceback" not in r.stderr
    assert _only(r, "CDX045")["severity"] == "warning"


def test_codex_home_is_a_file(home):
    target = home.root / "afile"
    target.write_text("x")
    r = doctor(home, "--json", env=home.env(CODEX_HOME=str(target)))
    _assert_clean(r)
    assert "points to a file" in _only(r, "CDX001")["title"]
