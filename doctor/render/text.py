"""The human view: one line per check, problems and their fixes beneath.

Modelled on ``flutter doctor``: a marker per check (✓ ! ✗), the fix under
each problem, a summary line; ``-v`` adds OK findings, evidence and timings.
Colours and Unicode are decided by the caller (:class:`Style`).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence

from ..redact import Redactor

UNICODE_MARKS = {
    "ok": "✓", "info": "•", "warning": "!", "error": "✗",
    "skipped": "-", "timeout": "⌛", "crashed": "☠", "silenced": "~",
}
ASCII_MARKS = {
    "ok": "ok", "info": "i", "warning": "!", "error": "x",
    "skipped": "-", "timeout": "T", "crashed": "X", "silenced": "~",
}
_COLOURS = {"ok": "GREEN", "info": "CYAN", "warning": "YELLOW", "error": "RED",
            "skipped": "WHITE", "timeout": "MAGENTA", "crashed": "MAGENTA", "silenced": "WHITE"}


@dataclass(frozen=True)
class Style:
    color: bool = False
    ascii: bool = False
    verbose: bool = False
    width: int = 100

    def mark(self, status: str) -> str:
        marks = ASCII_MARKS if self.ascii else UNICODE_MARKS
        return self.paint(f"[{marks[status]}]", status)

    def paint(self, text: str, status: str) -> str:
        if not self.color:
            return text
        from colorama import Fore
        from colorama import Style as CStyle

        return f"{getattr(Fore, _COLOURS[status])}{text}{CStyle.RESET_ALL}"

    def arrow(self) -> str:
        return "->" if self.ascii else "→"


def _wrap(text: str, indent: str, width: int, hang: str = "") -> List[str]:
    """Wrap each paragraph; continuation lines get ``hang`` extra indentation."""
    out: List[str] = []
    for para in text.splitlines() or [""]:
        wrapped = textwrap.wrap(para, width=max(40, width - len(indent)),
                                subsequent_indent=hang, break_long_words=False,
                                break_on_hyphens=False)
        out.extend(wrapped or [""])
    return [indent + line if line else "" for line in out]


def _fix_lines(fix: Mapping[str, Any], style: Style, indent: str) -> List[str]:
    lines = _wrap(f"{style.arrow()} Fix: {fix['text']}", indent, style.width, hang="       ")
    for cmd in fix.get("commands") or []:
        lines.append(f"{indent}    $ {cmd}")
    edit = fix.get("file")
    if edit:
        where = f", {edit['where']}" if edit.get("where") else ""
        lines.append(f"{indent}    In {edit['path']}{where}:")
        lines.extend(f"{indent}      {line}" for line in edit["lines"])
    return lines


def _finding_lines(f: Mapping[str, Any], style: Style) -> List[str]:
    status = "silenced" if f.get("silenced") else f["severity"]
    mark = (ASCII_MARKS if style.ascii else UNICODE_MARKS)[status]
    head = f"    {style.paint(mark, status)} {f['code']} {f['title']}"
    if f.get("silenced"):
        head += " (silenced)"
    lines = [head]
    if f["detail"] and (style.verbose or f["severity"] != "ok"):
        lines.extend(_wrap(f["detail"], "        ", style.width))
    if style.verbose and f.get("evidence"):
        for key, value in f["evidence"].items():
            lines.append(f"        {key}: {value}")
    if f.get("fix") and f["severity"] != "ok":
        lines.extend(_fix_lines(f["fix"], style, "      "))
    return lines


def _check_lines(cid: str, entry: Mapping[str, Any], style: Style) -> List[str]:
    status = entry["status"]
    title = f"{entry['title']} ({cid})"
    if style.verbose:
        title += f" {entry['duration_ms']} ms"
    lines = [f"{style.mark(status)} {title}"]
    if entry.get("reason"):
        verb = {"skipped": "skipped", "timeout": "timed out", "crashed": "crashed"}.get(status, "")
        lines.extend(_wrap(f"{verb}: {entry['reason']}" if verb else entry["reason"],
                           "    ", style.width))
        if status == "crashed":
            lines.append("    This is a bug in the doctor; run with --debug and report it.")
    if entry.get("traceback"):
        lines.extend("    " + line for line in entry["traceback"].rstrip().splitlines())
    for f in entry["findings"]:
        if f["severity"] == "ok" and not style.verbose:
            continue
        lines.extend(_finding_lines(f, style))
    return lines


def _summary(report: Mapping[str, Any], style: Style) -> str:
    counts: Dict[str, int] = {"error": 0, "warning": 0, "info": 0, "silenced": 0}
    problem_checks = 0
    for entry in report["checks"].values():
        has_problem = entry["status"] in ("error", "warning", "timeout", "crashed")
        problem_checks += has_problem
        for f in entry["findings"]:
            key = "silenced" if f.get("silenced") else f["severity"]
            if key in counts:
                counts[key] += 1
    total = len(report["checks"])
    if not problem_checks:
        text = f"No issues found in {total} checks."
        if counts["silenced"]:
            text += f" {counts['silenced']} silenced."
        if counts["info"]:
            text += f" {counts['info']} note(s)."
        return style.paint(("• " if not style.ascii else "") + text, "ok")
    parts = [f"{counts['error']} error(s)", f"{counts['warning']} warning(s)"]
    if counts["silenced"]:
        parts.append(f"{counts['silenced']} silenced")
    text = f"! Doctor found issues in {problem_checks} of {total} checks: {', '.join(parts)}."
    if report["run"]["deadline_hit"]:
        text += " The run hit its deadline; some results are missing (raise --timeout)."
    if not style.verbose:
        text += " Run with -v for details."
    return style.paint(text, "error" if report["status"] == "error" else "warning")


def _verdict_lines(verdict: Optional[Mapping[str, Any]], style: Style) -> List[str]:
    if not verdict:
        return []
    value = next(iter(verdict.values()))
    codes = verdict.get("codes") or []
    # unknown, or reached but failing further on, is a warning
    status = "warning" if value is None or (value and codes) else ("ok" if value else "error")
    text = verdict.get("headline") or verdict.get("because", "")
    if codes:
        text += f" [{', '.join(codes)}]"
    return [*_wrap(f"{style.mark(status)} {text}", "", style.width), ""]


def render(report: Mapping[str, Any], style: Style, redactor: Redactor,
           views: Sequence[str] = ()) -> str:
    """The whole human report as one string (already redacted)."""
    tool = report["tool"]
    lines = [f"{tool['name']} {tool['version']}", ""]
    lines += _verdict_lines(report.get("verdict"), style)
    for cid, entry in report["checks"].items():
        lines.extend(_check_lines(cid, entry, style))
    lines.append("")
    lines.extend(views)
    lines.append(_summary(report, style))
    text = redactor.text("\n".join(lines) + "\n")
    return asciify(text) if style.ascii else text


_ASCII = {"→": "->", "≥": ">=", "≤": "<=", "…": "...", "—": "-", "–": "-", "•": "*",
          "‘": "'", "’": "'", "“": '"', "”": '"'}


def asciify(text: str) -> str:
    """Plain ASCII for terminals that cannot show Unicode (anything else becomes ?)."""
    for char, plain in _ASCII.items():
        text = text.replace(char, plain)
    return text.encode("ascii", "replace").decode("ascii")


def render_view(title: str, rows: Sequence[Any], style: Style) -> List[str]:
    """A plugin view (label, value, source, note) as an aligned table."""
    lines = [title]
    width = max((len(r.label) for r in rows), default=0)
    for row in rows:
        line = f"  {row.label.ljust(width)}  {row.value}"
        if row.source:
            line += f"    ({row.source})"
        lines.append(line)
        if row.note:
            lines.extend(_wrap(row.note, "  " + " " * (width + 4), style.width))
    return [*lines, ""]
