"""Builds the support report: inventory, results, views, attached files, redaction manifest."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Mapping, Tuple

from .context import Context
from .redact import Redactor, redact_config_text
from .registry import Registry
from .render import markdown

MAX_ATTACHMENT = 256 * 1024


def _read(path: Path) -> str:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_ATTACHMENT + 1)
    except OSError as exc:
        return f"(not readable: {exc.strerror or exc})"
    if b"\x00" in raw:
        return f"(binary file, {len(raw)} bytes; not included)"
    text = raw[:MAX_ATTACHMENT].decode("utf-8", "replace")
    if len(raw) > MAX_ATTACHMENT:
        text += f"\n(truncated at {MAX_ATTACHMENT} bytes)"
    return text


def attached_files(ctx: Context, registry: Registry, redactor: Redactor
                   ) -> List[Tuple[str, str, str]]:
    files: List[Tuple[str, str, str]] = []
    seen = set()
    for attachment in registry.attachments:
        try:
            pairs = attachment.func(ctx)
        except Exception as exc:
            files.append(("attachment error", "-", f"{type(exc).__name__}: {exc}"))
            continue
        for label, path in pairs:
            path = Path(path)
            if str(path) in seen or not path.exists():
                continue
            seen.add(str(path))
            files.append((label, redactor.text(str(path)), redact_config_text(_read(path),
                                                                             redactor)))
    return files


def build_support_report(ctx: Context, registry: Registry, report: Mapping[str, Any],
                         fmt: str, anonymize: bool) -> Tuple[str, List[str]]:
    """(report text, the list of what it contains, for the notice before writing)."""
    redactor = Redactor.from_env(ctx.env, ctx.secrets, home=str(ctx.home), anonymize=anonymize)
    views = []
    for view in registry.views.values():
        try:
            views.append((view.title, list(view.func(ctx))))
        except Exception as exc:
            views.append((view.title, []))
            report["environment"].setdefault("view_errors", []).append(  # type: ignore[index]
                f"{view.id}: {type(exc).__name__}: {exc}")
    files = attached_files(ctx, registry, redactor)
    contents = ["tool and environment inventory", f"{len(report['checks'])} check results "
                "with fixes", *[v[0].lower() for v in views],
                *[f"{label} ({path})" for label, path, _ in files]]
    if fmt == "json":
        data: Dict[str, Any] = dict(report)
        data["views"] = {title: [r.__dict__ for r in rows] for title, rows in views}
        data["files"] = [{"label": label, "path": path, "text": text}
                         for label, path, text in files]
        data = redactor.data(data)
        data["redaction"] = redactor.manifest()
        return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", contents
    return markdown.render(report, views, files, redactor), contents
