"""``--format junit``: one JUnit test case per check, for CI test-report viewers.

A check fails when it has a finding at or above ``--fail-on``; crashed and
timed-out checks are errors; skipped checks are skipped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any, Mapping

from ..finding import Severity
from ..redact import Redactor


def _describe(finding: Mapping[str, Any]) -> str:
    fix = finding.get("fix") or {}
    commands = "".join(f"\n  $ {c}" for c in fix.get("commands", []))
    return (f"{finding['code']} {finding['title']}\n{finding['detail']}\n"
            f"Fix: {fix.get('text', '')}{commands}")


def render(report: Mapping[str, Any], redactor: Redactor, fail_on: Severity) -> str:
    suite = ET.Element("testsuite", name=report["tool"]["name"],
                       timestamp=report["generated_at"])
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for cid, entry in report["checks"].items():
        counts["tests"] += 1
        case = ET.SubElement(suite, "testcase", classname=f"antseed_doctor.{cid.split('.')[0]}",
                             name=cid, time=f"{entry['duration_ms'] / 1000:.3f}")
        status = entry["status"]
        failing = [f for f in entry["findings"] if not f.get("silenced")
                   and Severity.parse(f["severity"]) >= fail_on > Severity.OK]
        if status in ("crashed", "timeout"):
            counts["errors"] += 1
            ET.SubElement(case, "error", type=status, message=entry.get("reason", status))
        elif status == "skipped":
            counts["skipped"] += 1
            ET.SubElement(case, "skipped", message=entry.get("reason", ""))
        elif failing:
            counts["failures"] += 1
            first = failing[0]
            body = "\n\n".join(_describe(f) for f in failing)
            node = ET.SubElement(case, "failure", type=first["code"], message=first["title"])
            node.text = body
        notes = [f"{f['code']} {f['severity']}: {f['title']}" for f in entry["findings"]]
        if notes:
            ET.SubElement(case, "system-out").text = "\n".join(notes)
    for key, value in counts.items():
        suite.set(key, str(value))
    suite.set("time", f"{report['run']['duration_ms'] / 1000:.3f}")
    xml = ET.tostring(suite, encoding="unicode")
    return redactor.text('<?xml version="1.0" encoding="UTF-8"?>\n' + xml + "\n")
