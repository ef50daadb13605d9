"""Keeps secrets out of every output, by value, by key and by shape, and counts what it hid.

Renderers pass everything they print through one :class:`Redactor`, so a
check that forgets to hide a value still cannot leak it. Known values come
from secret-looking environment variables and from ``ctx.mark_secret``;
key-shaped strings (``sk-…``, bearer tokens, long hex or base64 runs, JWTs),
URL credentials and query strings are caught wherever they appear. The
counts feed the report's redaction manifest.
"""

from __future__ import annotations

import collections
import hashlib
import re
from typing import Any, Dict, Iterable, List, Mapping, Optional, Pattern, Tuple

REDACTED = "<redacted>"

SECRET_NAME = re.compile(
    r"(KEY|TOKEN|SECRET|PASSW|PASSPHRASE|AUTH|CREDENTIAL|COOKIE|BEARER|PRIVATE|IDENTITY_HEX)",
    re.IGNORECASE,
)

_SHAPES: List[Tuple[str, Pattern[str]]] = [
    ("API key", re.compile(r"\b(?:sk|pk|rk)-[A-Za-z0-9_\-]{12,}")),
    ("access token", re.compile(
        r"\b(?:ghp|gho|ghs|github_pat|xox[abpr]|glpat)[-_][A-Za-z0-9_\-]{10,}")),
    ("bearer token", re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=\-]{6,}")),
    ("JWT", re.compile(r"\beyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{4,}")),
    ("long hex key", re.compile(r"(?<![0-9A-Fa-f])(?:0x)?[0-9A-Fa-f]{64,}(?![0-9A-Fa-f])")),
    # 40+ characters of mixed case and digits, no "/" (so paths are left alone)
    ("long base64 run", re.compile(
        r"(?<![A-Za-z0-9+=_\-])(?=[A-Za-z0-9+_\-]*[0-9])(?=[A-Za-z0-9+_\-]*[A-Z])"
        r"(?=[A-Za-z0-9+_\-]*[a-z])[A-Za-z0-9+_\-]{40,}={0,2}(?![A-Za-z0-9+=_\-])")),
]
_URL = re.compile(r"\b[a-z][a-z0-9+.\-]*://[^\s\"'<>`]+", re.IGNORECASE)
_ADDRESS = re.compile(r"(?<![0-9A-Za-z])(0x)?([0-9a-fA-F]{40})(?![0-9A-Za-z])")
_MIN_SECRET_LEN = 4


def looks_secret_name(name: str) -> bool:
    return bool(SECRET_NAME.search(name))


def looks_like_key(value: str) -> bool:
    """Whether a value has the shape of a real credential."""
    return any(p.search(value) for _, p in _SHAPES)


class Redactor:
    """Replaces secrets with ``<redacted>``; optionally home → ``~`` and ids → pseudonyms."""

    def __init__(self, values: Iterable[str] = (), home: Optional[str] = None,
                 anonymize: bool = False) -> None:
        known = {v for v in values if isinstance(v, str) and len(v.strip()) >= _MIN_SECRET_LEN}
        self._values = sorted(known, key=len, reverse=True)  # a secret containing another
        self._home = home.rstrip("/") if home and home not in ("/", "") else None
        self._anonymize = anonymize
        self.counts: Dict[str, int] = collections.Counter()

    @classmethod
    def from_env(cls, env: Mapping[str, str], extra: Iterable[str] = (),
                 home: Optional[str] = None, anonymize: bool = False) -> Redactor:
        values = [v for k, v in env.items() if looks_secret_name(k)]
        return cls([*values, *extra], home=home, anonymize=anonymize)

    def count(self, kind: str, n: int = 1) -> None:
        if n:
            self.counts[kind] += n

    def _url(self, match: re.Match) -> str:
        url = match.group(0)
        scheme, _, rest = url.partition("://")
        authority, sep, path = rest.partition("/")
        if "@" in authority:
            authority = REDACTED + "@" + authority.rsplit("@", 1)[1]
            self.count("URL credentials")
        if "?" in path:
            path = path.split("?", 1)[0] + "?" + REDACTED
            self.count("URL query strings")
        return f"{scheme}://{authority}{sep}{path}"

    def _pseudonym(self, match: re.Match) -> str:
        prefix, hexid = match.group(1) or "", match.group(2).lower()
        digest = hashlib.sha256(hexid.encode()).hexdigest()[:8]
        kind = "wallet" if prefix else "peer"
        self.count("wallet addresses / peer ids (pseudonymised)")
        return f"{kind}-{digest}"

    def text(self, text: str) -> str:
        for value in self._values:
            if value in text:
                self.count("secret values from env/config", text.count(value))
                text = text.replace(value, REDACTED)
        for kind, pattern in _SHAPES:
            text, n = pattern.subn(REDACTED, text)
            self.count(kind, n)
        text = _URL.sub(self._url, text)
        if self._home:
            n = text.count(self._home)
            if n:
                text = re.sub(re.escape(self._home) + r"(?=/|\b|$)", "~", text)
                self.count("home directory path", n)
        if self._anonymize:
            text = _ADDRESS.sub(self._pseudonym, text)
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

    def manifest(self) -> Dict[str, int]:
        return dict(sorted(self.counts.items()))


_JSON_PAIR = re.compile(r'"([A-Za-z0-9_.\-]+)"(\s*:\s*)"((?:[^"\\]|\\.)*)"')
_ASSIGNMENT = re.compile(r"^(\s*)([\"']?[A-Za-z0-9_.\-]+[\"']?)(\s*=\s*)(.*)$")
_TABLE = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?")


def redact_config_text(text: str, redactor: Redactor) -> str:
    """A TOML/INI-like file with the values of secret-named keys replaced, by key."""
    out = []
    table = ""
    for line in text.splitlines():
        header = _TABLE.match(line)
        if header:
            table = header.group(1).strip().lower()
        match = _ASSIGNMENT.match(line)
        if match and not header:
            indent, key, eq, value = match.groups()
            bare = key.strip("\"'")
            secret = looks_secret_name(bare) or table.endswith("http_headers") or \
                bare.lower() == "experimental_bearer_token"
            if secret and value.strip():
                redactor.count("values of secret-named config keys")
                line = f"{indent}{key}{eq}\"{REDACTED}\""
        out.append(line)
    joined = "\n".join(out) + ("\n" if text.endswith("\n") else "")

    def json_pair(match: re.Match) -> str:
        if looks_secret_name(match.group(1)) and match.group(3):
            redactor.count("values of secret-named config keys")
            return f'"{match.group(1)}"{match.group(2)}"{REDACTED}"'
        return match.group(0)

    return redactor.text(_JSON_PAIR.sub(json_pair, joined))
