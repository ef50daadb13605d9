"""Keeps secrets out of every output, by value and by shape.

Renderers pass everything they print through one :class:`Redactor`, so a
check that forgets to hide a value still cannot leak it. Known values come
from secret-looking environment variables and from ``ctx.mark_secret``;
key-shaped strings (``sk-…``, bearer tokens, long hex keys, JWTs) are caught
wherever they appear.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

REDACTED = "<redacted>"

SECRET_NAME = re.compile(
    r"(KEY|TOKEN|SECRET|PASSW|PASSPHRASE|AUTH|CREDENTIAL|COOKIE|BEARER|PRIVATE|IDENTITY_HEX)",
    re.IGNORECASE,
)

_SHAPES = [
    re.compile(r"\b(?:sk|pk|rk)-[A-Za-z0-9_\-]{12,}"),
    re.compile(r"\b(?:ghp|gho|ghs|github_pat|xox[abpr]|glpat)[-_][A-Za-z0-9_\-]{10,}"),
    re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=\-]{6,}"),
    re.compile(r"\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{4,}"),
    re.compile(r"(?<![0-9A-Fa-f])(?:0x)?[0-9A-Fa-f]{64,}(?![0-9A-Fa-f])"),
]
_MIN_SECRET_LEN = 4


def looks_secret_name(name: str) -> bool:
    return bool(SECRET_NAME.search(name))


def looks_like_key(value: str) -> bool:
    """Whether a value has the shape of a real credential."""
    return any(p.search(value) for p in _SHAPES)


class Redactor:
    """Replaces known secret values and key-shaped strings with ``<redacted>``."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        known = {v for v in values if isinstance(v, str) and len(v.strip()) >= _MIN_SECRET_LEN}
        # longest first, so a secret containing another is removed whole
        self._values = sorted(known, key=len, reverse=True)

    @classmethod
    def from_env(cls, env: Mapping[str, str], extra: Iterable[str] = ()) -> Redactor:
        values = [v for k, v in env.items() if looks_secret_name(k)]
        return cls([*values, *extra])

    def text(self, text: str) -> str:
        for value in self._values:
            if value in text:
                text = text.replace(value, REDACTED)
        for pattern in _SHAPES:
            text = pattern.sub(REDACTED, text)
        return text

    def data(self, value: Any) -> Any:
        """Redact every string (keys included) inside JSON-like data."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {self.text(str(k)): self.data(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.data(v) for v in value]
        return value
