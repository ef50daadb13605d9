"""``--format github``: workflow commands that GitHub Actions shows as annotations."""

from __future__ import annotations

from typing import Any, List, Mapping

from ..redact import Redactor

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Mapping[str, Any], redactor: Redactor) -> str:
    lines: List[str] = []
    for cid, entry in report["checks"].items():
        if entry["status"] in ("crashed", "timeout"):
            title = _prop(f"{cid} {entry['status']}")
            lines.append(f"::error title={title}::{_data(entry.get('reason', ''))}")
        for f in entry["findings"]:
            if f["severity"] == "ok" or f.get("silenced"):
                continue
            props = [f"title={_prop(f['code'] + ' (' + cid + ')')}"]
            evidence = f.get("evidence") or {}
            path = evidence.get("file") or evidence.get("path")
            if isinstance(path, str) and path.startswith("/"):  # only paths Actions can resolve
                props.insert(0, f"file={_prop(path)}")
                if isinstance(evidence.get("line"), int):
                    props.insert(1, f"line={evidence['line']}")
            fix = (f.get("fix") or {}).get("text", "")
            message = f["title"] + (f"\n{f['detail']}" if f["detail"] else "") + \
                (f"\nFix: {fix}" if fix else "")
            lines.append(f"::{LEVEL[f['severity']]} {','.join(props)}::{_data(message)}")
    verdict = report.get("verdict") or {}
    if verdict.get("headline"):
        lines.append(f"::notice title=verdict::{_data(verdict['headline'])}")
    return redactor.text("\n".join(lines) + "\n") if lines else ""
