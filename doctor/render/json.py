"""The ``--json`` output: the report data, redacted, as stable JSON."""

from __future__ import annotations

import json
from typing import Any, Mapping

from ..redact import Redactor


def render(report: Mapping[str, Any], redactor: Redactor) -> str:
    return json.dumps(redactor.data(report), indent=2, ensure_ascii=False, default=str) + "\n"
