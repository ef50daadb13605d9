import dataclasses

import pytest

from doctor.finding import FileEdit, Finding, Fix, Severity, error, ok, warning


def test_non_ok_finding_without_fix_is_refused():
    with pytest.raises(ValueError, match="no fix"):
        Finding("X001", Severity.WARNING, "something is off")
    with pytest.raises(ValueError, match="no fix"):
        Finding("X001", Severity.INFO, "a note")


def test_ok_finding_needs_no_fix_and_findings_compare_by_value():
    assert ok("X000", "fine") == ok("X000", "fine")
    assert ok("X000", "fine") != ok("X000", "fine too")


def test_findings_are_immutable_even_their_evidence():
    f = warning("X002", "t", fix=Fix("do it", ["cmd"]), path="/x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.title = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        f.evidence["path"] = "/y"  # type: ignore[index]
    assert isinstance(f.fix.commands, tuple)


def test_as_dict_carries_fix_with_commands_and_file():
    f = error("X003", "broken", "measured a, expected b",
              Fix("write it", ["mkdir x"], FileEdit("~/f", ["a = 1"], "top")))
    d = f.as_dict()
    assert d["severity"] == "error"
    assert d["fix"] == {"text": "write it", "commands": ["mkdir x"],
                        "file": {"path": "~/f", "where": "top", "lines": ["a = 1"]}}


def test_severity_order_and_parse():
    assert max(Severity.INFO, Severity.ERROR, Severity.WARNING) is Severity.ERROR
    assert Severity.parse("Warning") is Severity.WARNING
    with pytest.raises(ValueError):
        Severity.parse("fatal")
