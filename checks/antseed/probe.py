"""Bounded HTTP probes of the local proxy: separate connect, first-byte and idle limits.

Probes go only to the address the user configured, never follow redirects,
ignore proxy environment variables (the request is for loopback), send no
Authorization header, and stop reading at a size cap or the run's deadline.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, Optional

from doctor.context import Context

CONNECT_TIMEOUT = 0.5
FIRST_BYTE_TIMEOUT = 1.0
BODY_CAP = 512 * 1024


@dataclass(frozen=True)
class Reply:
    """What one probe saw. ``error`` is "" on an HTTP answer, else a kind."""

    url: str
    status: int = 0
    headers: Dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    truncated: bool = False
    error: str = ""      # refused, connect-timeout, no-answer, reset, not-http, deadline, other
    message: str = ""
    elapsed_ms: int = 0

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def json(self) -> Optional[Any]:
        import json

        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None

    def text(self, limit: int = 300) -> str:
        return self.body[:limit].decode("utf-8", "replace")

    @property
    def antseed_headers(self) -> Dict[str, str]:
        return {k: v for k, v in self.headers.items() if k.startswith("x-antseed-")}


def session() -> Any:
    import requests  # imported only when a probe runs

    s = requests.Session()
    s.trust_env = False  # no HTTP(S)_PROXY, no .netrc: talk to the configured address only
    s.headers.clear()
    s.headers.update({"User-Agent": "antseed-doctor", "Accept": "*/*"})
    return s


def classify(exc: Exception) -> str:
    import requests

    text = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "connect-timeout"
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return "no-answer"
    lowered = text.lower()
    if "refused" in lowered:
        return "refused"
    if "badstatusline" in lowered or ("remotedisconnected" in lowered and "status" in lowered):
        return "not-http"
    if "reset" in lowered or "aborted" in lowered or "broken pipe" in lowered \
            or "remotedisconnected" in lowered or "incompleteread" in lowered \
            or "connection broken" in lowered:
        return "reset"
    return "other"


def request(ctx: Context, method: str, url: str, *, json_body: Optional[dict] = None,
            headers: Optional[Dict[str, str]] = None, connect: float = CONNECT_TIMEOUT,
            first_byte: float = FIRST_BYTE_TIMEOUT, cap: int = BODY_CAP) -> Reply:
    """One request, body read up to ``cap`` bytes, never past the run's deadline."""
    began = time.monotonic()
    left = ctx.time_left()
    if left <= 0.05:
        return Reply(url, error="deadline", message="no time left before the deadline")
    timeout = (min(connect, left), min(first_byte, left))
    try:
        with session() as s:
            response = s.request(method, url, json=json_body, headers=headers or {},
                                 timeout=timeout, allow_redirects=False, stream=True)
            with response:
                head = {k.lower(): v for k, v in response.headers.items()}
                body, truncated, error, message = _read(ctx, response, cap)
                return Reply(url, response.status_code, head, body, truncated, error, message,
                             _ms(began))
    except Exception as exc:  # every transport failure becomes a classified reply
        return Reply(url, error=classify(exc), message=f"{type(exc).__name__}: {exc}"[:300],
                     elapsed_ms=_ms(began))


def _read(ctx: Context, response: Any, cap: int) -> tuple:
    chunks = []
    size = 0
    try:
        for chunk in response.iter_content(chunk_size=16384):
            chunks.append(chunk)
            size += len(chunk)
            if size > cap:
                return b"".join(chunks)[:cap], True, "", ""
            if ctx.time_left() <= 0.05:
                return b"".join(chunks), True, "deadline", "body still arriving at the deadline"
    except Exception as exc:
        return b"".join(chunks), False, classify(exc), f"{type(exc).__name__}: {exc}"[:300]
    return b"".join(chunks), False, "", ""


def stream_events(ctx: Context, response: Any, idle: float) -> Iterator[tuple]:
    """Yield ``(seconds since start, line)`` of an SSE body; stops at the deadline."""
    began = time.monotonic()
    for raw in response.iter_lines(chunk_size=1, decode_unicode=False):
        yield time.monotonic() - began, raw.decode("utf-8", "replace")
        if ctx.time_left() <= 0.05:
            return


def _ms(since: float) -> int:
    return round((time.monotonic() - since) * 1000)
