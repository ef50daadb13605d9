"""Silencing by --ignore and by the user settings file, with reasons and expiry dates."""

from __future__ import annotations

import datetime as dt

import jsonschema

from tests.homes import GOOD_PROVIDER, doctor
from tests.test_cli import schema


def _warn_only(home):
    home.config(GOOD_PROVIDER)
    home.profile('model_provider = "antseed"\n')  # CDX037, a warning


def _settings(home, text):
    home.write(".config/antseed-doctor/config.toml", text)


def _finding(report, code):
    return next(f for c in report["checks"].values() for f in c["findings"] if f["code"] == code)


def test_silenced_finding_stays_visible_with_its_reason(home, proxy):
    _warn_only(home)
    assert doctor(home, "--json", "--fail-on", "warning").code == 1
    _settings(home, '[[silence]]\ncode = "CDX037"\nreason = "we pick the model per run"\n')
    r = doctor(home, "--json", "--fail-on", "warning")
    assert r.code == 0
    f = _finding(r.report, "CDX037")
    assert f["silenced"] is True
    assert f["silence"] == {"reason": "we pick the model per run", "until": None}
    assert r.report["checks"]["doctor.settings"]["findings"][0]["code"] == "DOC000"
    jsonschema.validate(r.report, schema())
    human = doctor(home, "--fail-on", "warning")
    assert "CDX037 no model is set for the AntSeed launch (silenced)" in human.stdout
    assert human.stdout.splitlines()[-1].startswith("• No issues found in 14 checks. 1 silenced.")


def test_expired_silence_counts_again_and_says_so(home, proxy):
    _warn_only(home)
    past = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    _settings(home, f'[tool.antseed-doctor]\nsilence = [{{code = "CDX037", reason = "x", '
                    f'until = {past}}}]\n')
    r = doctor(home, "--json", "--fail-on", "warning")
    assert r.code == 1
    assert _finding(r.report, "CDX037")["silenced"] is False
    assert _finding(r.report, "DOC002")["title"] == f"the silence of CDX037 expired on {past}"


def test_future_expiry_still_silences(home, proxy):
    _warn_only(home)
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    _settings(home, f'[[silence]]\ncode = "CDX03"\nreason = "prefix"\nuntil = "{future}"\n')
    r = doctor(home, "--json", "--fail-on", "warning")
    assert r.code == 0
    assert _finding(r.report, "CDX037")["silence"]["until"] == future


def test_invalid_settings_are_a_finding_not_a_crash(home, proxy):
    _warn_only(home)
    _settings(home, '[[silence]]\ncode = "CDX037"\n\n[[silence]]\nreason = "r"\n'
                    '[[silence]]\ncode = "X"\nreason = "r"\nuntil = "soon"\n')
    r = doctor(home, "--json")
    problems = [f["title"] for f in r.report["checks"]["doctor.settings"]["findings"]]
    assert any("silence entry 1 (CDX037) has no reason" in p for p in problems)
    assert any("silence entry 2 has no code" in p for p in problems)
    assert any("until must be a date" in p for p in problems)
    assert _finding(r.report, "CDX037")["silenced"] is False
    (home.home / ".config/antseed-doctor/config.toml").write_bytes(b"\x00\xff[[")
    r = doctor(home, "--json")
    assert "is not valid TOML" in r.report["checks"]["doctor.settings"]["findings"][0]["title"]


def test_settings_path_from_the_environment(home, proxy, tmp_path):
    _warn_only(home)
    elsewhere = tmp_path / "doctor.toml"
    elsewhere.write_text('[[silence]]\ncode = "CDX037"\nreason = "ci"\n')
    r = doctor(home, "--json", "--fail-on", "warning",
               env=home.env(ANTSEED_DOCTOR_CONFIG=str(elsewhere)))
    assert r.code == 0
