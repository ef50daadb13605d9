"""Bounded HTTP probes of the local proxy: separate connect, first-byte and idle limits.

Probes go only to the address the user configured, never follow redirects,
ignore proxy environment variables (the request is for loopback), send no
Authorization header, and stop reading at a size cap or the run's deadline.
They use the standard library's ``http.client``: it gives exact control of
each phase's timeout and keeps ``requests`` (≈50 ms to import) off the
default run; only the streaming probe (``--live``) imports ``requests``.
"""

from __future__ import annotations

import http.client
import json
import socket
import time
from dataclasses import dataclass, field
from typing import Any, Dict, Optional
from urllib.parse import urlsplit

from doctor.context import Context

CONNECT_TIMEOUT = 0.5
FIRST_BYTE_TIMEOUT = 1.0
BODY_CAP = 512 * 1024
USER_AGENT = "antseed-doctor"


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
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return None

    def text(self, limit: int = 300) -> str:
        return self.body[:limit].decode("utf-8", "replace")

    @property
    def antseed_headers(self) -> Dict[str, str]:
        return {k: v for k, v in self.headers.items() if k.startswith("x-antseed-")}


def session() -> Any:
    """A ``requests`` session for the streaming probe (--live only)."""
    import requests

    s = requests.Session()
    s.trust_env = False  # no HTTP(S)_PROXY, no .netrc: talk to the configured address only
    s.headers.clear()
    s.headers.update({"User-Agent": USER_AGENT, "Accept": "*/*"})
    return s


def classify(exc: BaseException) -> str:
    """The kind of transport failure, for stdlib and requests/urllib3 exceptions alike."""
    if isinstance(exc, ConnectionRefusedError):
        return "refused"
    if isinstance(exc, http.client.BadStatusLine) and not isinstance(
            exc, http.client.RemoteDisconnected):
        return "not-http"
    if isinstance(exc, (ConnectionResetError, BrokenPipeError, http.client.IncompleteRead,
                        http.client.RemoteDisconnected)):
        return "reset"
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "no-answer"
    text = f"{type(exc).__name__}: {exc}".lower()
    if "connecttimeout" in text:
        return "connect-timeout"
    if "readtimeout" in text or "timed out" in text:
        return "no-answer"
    if "refused" in text:
        return "refused"
    if "badstatusline" in text:
        return "not-http"
    if any(w in text for w in ("reset", "aborted", "broken pipe", "remotedisconnected",
                               "incompleteread", "connection broken")):
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
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    conn_class = http.client.HTTPSConnection if parts.scheme == "https" else \
        http.client.HTTPConnection
    conn = conn_class(parts.hostname or "", parts.port, timeout=min(connect, left))
    try:
        try:
            conn.connect()
        except (socket.timeout, TimeoutError) as exc:
            return Reply(url, error="connect-timeout", message=str(exc), elapsed_ms=_ms(began))
        conn.sock.settimeout(min(first_byte, max(0.05, ctx.time_left())))
        body = json.dumps(json_body).encode() if json_body is not None else None
        sent = {"User-Agent": USER_AGENT, "Accept": "*/*", **(headers or {})}
        if body is not None:
            sent["Content-Type"] = "application/json"
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        head = {k.lower(): v for k, v in response.getheaders()}
        data, truncated, error, message = _read(ctx, response, cap)
        return Reply(url, response.status, head, data, truncated, error, message, _ms(began))
    except Exception as exc:  # every transport failure becomes a classified reply
        return Reply(url, error=classify(exc), message=f"{type(exc).__name__}: {exc}"[:300],
                     elapsed_ms=_ms(began))
    finally:
        conn.close()


def _read(ctx: Context, response: http.client.HTTPResponse, cap: int) -> tuple:
    chunks = []
    size = 0
    try:
        while True:
            chunk = response.read1(65536) if hasattr(response, "read1") else response.read(
                65536)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > cap:
                return b"".join(chunks)[:cap], True, "", ""
            if ctx.time_left() <= 0.05:
                return b"".join(chunks), True, "deadline", "body still arriving at the deadline"
    except Exception as exc:
        return b"".join(chunks), False, classify(exc), f"{type(exc).__name__}: {exc}"[:300]
    return b"".join(chunks), False, "", ""


def _ms(since: float) -> int:
    return round((time.monotonic() - since) * 1000)
