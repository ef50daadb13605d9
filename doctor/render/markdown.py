"""The support report: one Markdown file a user can attach to a ticket.

A pure function of the report data, the plugin views and the attached
files; every string goes through the caller's redactor, and the report ends
with the redaction manifest (what kinds were removed, how many).
"""

from __future__ import annotations

from typing import Any, List, Mapping, Sequence, Tuple

from ..redact import Redactor

MARK = {"ok": "✓", "info": "•", "warning": "!", "error": "✗", "skipped": "-",
        "timeout": "⌛", "crashed": "☠"}


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _fence(text: str, lang: str = "") -> List[str]:
    ticks = "````" if "```" in text else "```"
    return [f"{ticks}{lang}", *text.rstrip("\n").splitlines(), ticks]


def _checks(report: Mapping[str, Any]) -> List[str]:
    lines = ["## Checks", "", "| check | status | time |", "|---|---|---|"]
    for cid, entry in report["checks"].items():
        lines.append(f"| `{cid}` {_cell(entry['title'])} | {MARK.get(entry['status'], '?')} "
                     f"{entry['status']} | {entry['duration_ms']} ms |")
    lines.append("")
    for cid, entry in report["checks"].items():
        problems = [f for f in entry["findings"] if f["severity"] != "ok"]
        oks = [f for f in entry["findings"] if f["severity"] == "ok"]
        lines.append(f"### `{cid}`: {entry['status']}")
        if entry.get("reason"):
            lines.append(f"_{entry['reason']}_")
        for f in oks:
            lines.append(f"- ✓ **{f['code']}** {f['title']}" + (f" ({f['detail']})"
                                                                 if f["detail"] else ""))
        for f in problems:
            silenced = " (silenced)" if f.get("silenced") else ""
            lines.append(f"- {MARK[f['severity']]} **{f['code']}** {f['title']}{silenced}")
            if f["detail"]:
                lines.append(f"  - {f['detail']}")
            fix = f.get("fix") or {}
            if fix:
                lines.append(f"  - Fix: {fix['text']}")
                if fix.get("commands"):
                    lines.extend("    " + line for line in _fence("\n".join(fix["commands"]),
                                                                    "sh"))
                if fix.get("file"):
                    edit = fix["file"]
                    lines.append(f"  - In `{edit['path']}`"
                                 + (f", {edit['where']}" if edit.get("where") else "") + ":")
                    lines.extend("    " + line for line in _fence("\n".join(edit["lines"]),
                                                                    "toml"))
        lines.append("")
    return lines


def render(report: Mapping[str, Any], views: Sequence[Tuple[str, Sequence[Any]]],
           files: Sequence[Tuple[str, str, str]], redactor: Redactor) -> str:
    """``views``: (title, rows); ``files``: (label, path, already-redacted text)."""
    verdict = report.get("verdict") or {}
    lines = ["# antseed-doctor report", "",
             f"- tool: {report['tool']['name']} {report['tool']['version']}",
             f"- generated: {report['generated_at']}",
             f"- overall status: **{report['status']}**",
             f"- run: {report['run']['duration_ms']} ms"
             + (" (deadline hit: partial results)" if report["run"]["deadline_hit"] else ""),
             ""]
    if verdict:
        lines += ["## Verdict", "", verdict.get("headline") or verdict.get("because", ""), ""]
    lines += ["## Environment", "", "| | |", "|---|---|"]
    lines += [f"| {_cell(k)} | {_cell(v)} |" for k, v in report["environment"].items()]
    lines.append("")
    lines += _checks(report)
    for title, rows in views:
        lines += [f"## {title}", "", "| setting | value | from | note |", "|---|---|---|---|"]
        lines += [f"| {_cell(r.label)} | {_cell(r.value)} | {_cell(r.source)} | "
                  f"{_cell(r.note)} |" for r in rows]
        lines.append("")
    if files:
        lines += ["## Files involved (redacted)", ""]
        for label, path, text in files:
            lines.append(f"### {label}: `{path}`")
            lines += [*_fence(text, "toml" if path.endswith(".toml") else ""), ""]
    body = redactor.text("\n".join(lines))
    manifest = redactor.manifest()
    tail = ["## Redaction manifest", ""]
    if manifest:
        tail += ["| removed | count |", "|---|---|"]
        tail += [f"| {kind} | {n} |" for kind, n in manifest.items()]
    else:
        tail.append("Nothing needed redacting.")
    return body + "\n" + "\n".join(tail) + "\n"
