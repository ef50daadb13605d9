"""The support report: contents, notice before writing, redaction manifest, anonymising."""

from __future__ import annotations

import json
import re

from tests.fake_proxy import PEER
from tests.homes import GOOD_PROFILE_FILE, GOOD_PROVIDER, doctor
from tests.test_cli import schema


def _healthy(home, proxy):
    home.config(GOOD_PROVIDER)
    home.profile(GOOD_PROFILE_FILE)


def test_report_is_written_after_saying_what_it_contains(home, proxy):
    _healthy(home, proxy)
    r = doctor(home, "report")
    assert r.code == 0, r.stderr
    notice, _, rest = r.stderr.partition("\n")
    assert notice.startswith("The report includes: tool and environment inventory; 13 check "
                             "results with fixes; effective codex configuration;")
    assert "Codex user config (~/.codex/config.toml)" in notice
    assert "Wrote antseed-doctor-report.md" in rest
    text = (home.work / "antseed-doctor-report.md").read_text()
    for section in ("## Verdict", "## Environment", "## Checks", "### `antseed.proxy`: ok",
                    "## Effective Codex configuration", "## Files involved (redacted)",
                    "### Codex user config: `~/.codex/config.toml`", "## Redaction manifest"):
        assert section in text, section
    assert text.rstrip().splitlines()[-1].startswith("| home directory path |")
    assert str(home.home) not in text
    assert "pin-only proxy" in text and "answered in" in text  # generation and timing


def test_stdout_writes_nothing(home, proxy):
    _healthy(home, proxy)
    r = doctor(home, "report", "--stdout")
    assert r.stdout.startswith("# antseed-doctor report")
    assert not (home.work / "antseed-doctor-report.md").exists()


def test_json_report_keeps_the_contract(home, proxy):
    import jsonschema

    _healthy(home, proxy)
    r = doctor(home, "report", "--format", "json", "--stdout")
    data = json.loads(r.stdout)
    jsonschema.validate(data, schema())
    assert data["redaction"]["home directory path"] >= 1
    assert data["views"]["Effective Codex configuration"][0]["label"] == "codex version"
    assert {f["label"] for f in data["files"]} >= {"Codex user config", "AntSeed buyer state"}


def test_anonymize_gives_stable_pseudonyms(home, proxy):
    _healthy(home, proxy)
    first = doctor(home, "report", "--stdout", "--anonymize").stdout
    second = doctor(home, "report", "--stdout", "--anonymize").stdout
    assert PEER not in first
    pseudonyms = set(re.findall(r"peer-[0-9a-f]{8}", first))
    assert pseudonyms and pseudonyms == set(re.findall(r"peer-[0-9a-f]{8}", second))
    assert PEER in doctor(home, "report", "--stdout").stdout  # identifying, not secret


def test_unwritable_report_path_is_a_clean_error(home, proxy):
    _healthy(home, proxy)
    r = doctor(home, "report", "--output", str(home.root / "missing-dir" / "r.md"))
    assert r.code == 3 and "cannot write" in r.stderr and "Traceback" not in r.stderr
