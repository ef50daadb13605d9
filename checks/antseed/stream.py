"""antseed.stream: send what Codex sends and grade the SSE stream that comes back.

It costs the user a tiny paid request, so it runs only with ``--live``.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, List, Optional

from doctor.context import Context
from doctor.finding import Finding, Fix, error, info, ok, warning
from doctor.plugin import check

from ..codex.effective import effective
from .probe import CONNECT_TIMEOUT, classify, session
from .proxy import proxy_probe

CODES = {
    "ANT030": "a streamed Responses request completed",
    "ANT031": "the streaming probe did not run (it needs --live)",
    "ANT032": "400 Stream must be set to true",
    "ANT033": "the stream stalled (no data within the idle limit)",
    "ANT034": "the stream ended without response.completed",
    "ANT035": "the answer is not an SSE stream (HTML, JSON, wrong content type)",
    "ANT036": "402: no funds to pay the seller",
    "ANT037": "the proxy answered an HTTP error",
    "ANT038": "the connection failed during the stream",
    "ANT039": "the stream was still running at the deadline",
}

IDLE_TIMEOUT = 2.0
FIRST_BYTE_TIMEOUT = 2.5
MAX_EVENTS = 10_000


@dataclass
class Grade:
    ttfb_ms: Optional[int] = None
    longest_idle_ms: int = 0
    events: List[str] = field(default_factory=list)
    bad_lines: int = 0
    completed: bool = False
    ended: str = ""  # "eof", "idle", "deadline", "reset", "cap"
    message: str = ""


def _payload(model: str) -> dict:
    return {"model": model, "input": [{"role": "user", "content": "Reply with OK."}],
            "stream": True, "max_output_tokens": 16, "store": False}


def _read_stream(ctx: Context, raw: Any, began: float) -> Grade:
    grade = Grade()
    last = time.monotonic()
    buffer = b""
    read = getattr(raw, "read1", None) or (lambda n: raw.read(1))
    while True:
        if ctx.time_left() <= 0.1:
            grade.ended = "deadline"
            return grade
        try:
            chunk = read(65536)
        except Exception as exc:
            kind = classify(exc)
            grade.ended = "idle" if kind in ("no-answer", "other") and "timed out" in str(
                exc).lower() else "reset"
            grade.message = f"{type(exc).__name__}: {exc}"[:200]
            return grade
        now = time.monotonic()
        if not chunk:
            grade.ended = "eof"
            return grade
        if grade.ttfb_ms is None:
            grade.ttfb_ms = round((now - began) * 1000)
        else:
            grade.longest_idle_ms = max(grade.longest_idle_ms, round((now - last) * 1000))
        last = now
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            _grade_line(grade, line.decode("utf-8", "replace").rstrip("\r"))
        if grade.completed:
            grade.ended = "completed"
            return grade
        if len(grade.events) > MAX_EVENTS:
            grade.ended = "cap"
            return grade


def _grade_line(grade: Grade, line: str) -> None:
    if not line.startswith("data:"):
        if line and not line.startswith(("event:", "id:", "retry:", ":")):
            grade.bad_lines += 1
        return
    data = line[5:].strip()
    if data == "[DONE]":
        return
    try:
        event = json.loads(data)
    except ValueError:
        grade.bad_lines += 1
        return
    kind = event.get("type") if isinstance(event, dict) else None
    grade.events.append(str(kind))
    if kind == "response.completed":
        grade.completed = True


def _http_error(status: int, body: str, content_type: str) -> Finding:
    if status == 400 and "Stream must be set to true" in body:
        return error("ANT032", "the proxy answered 400 Stream must be set to true",
                     "A non-streaming request reached a responses-only service. Codex always "
                     "streams on /v1/responses; a proxy or client that drops `stream` hits "
                     "this.", Fix("Update the AntSeed CLI (fixed upstream in PR 734), or pick "
                                  "a service whose protocols include openai-chat-completions.",
                                  ("npm install -g @antseed/cli@latest",)))
    if status == 402:
        return error("ANT036", "402 Payment Required: deposits cannot pay this seller",
                     body[:300], Fix("Top up your deposits, then retry.",
                                     ("antseed buyer status", "antseed buyer deposit 5")))
    if "html" in content_type:
        return error("ANT035", f"HTTP {status} with an HTML page instead of a stream", "",
                     Fix("Check that base_url points at the AntSeed proxy."), status=status)
    return error("ANT037", f"the proxy answered HTTP {status}", body[:300],
                 Fix("Read the message above; `antseed buyer start` logs more with -v.",
                     ("antseed -v buyer start",)), status=status)


def stream_probe(ctx: Context) -> List[Finding]:
    probe = ctx.memo(proxy_probe)
    model_setting = ctx.memo(effective).get("model")
    model = model_setting.value if model_setting else "mock-model"
    url = f"{probe.target.api_base}/responses"
    began = time.monotonic()
    left = ctx.time_left()
    try:
        with session() as s:
            response = s.post(url, json=_payload(str(model)),
                              headers={"Accept": "text/event-stream"}, stream=True,
                              allow_redirects=False,
                              timeout=(min(CONNECT_TIMEOUT, left),
                                       min(FIRST_BYTE_TIMEOUT, IDLE_TIMEOUT, left)))
            with response:
                return _grade_response(ctx, response, began)
    except Exception as exc:
        kind = classify(exc)
        return [error("ANT038", f"the streaming request failed: {kind}",
                      f"{type(exc).__name__}: {exc}"[:300],
                      Fix("Restart the AntSeed buyer proxy.", ("antseed buyer start",)))]


def _grade_response(ctx: Context, response: Any, began: float) -> List[Finding]:
    headers = {k.lower(): v for k, v in response.headers.items()}
    ctype = headers.get("content-type", "").split(";")[0].strip().lower()
    cost = headers.get("x-antseed-estimated-cost-usd")
    if response.status_code != 200:
        body = response.raw.read(4096, decode_content=True).decode("utf-8", "replace")
        return [_http_error(response.status_code, body, ctype)]
    if ctype != "text/event-stream":
        return [error("ANT035", f"200 with content type {ctype or 'none'}, not "
                                "text/event-stream",
                      "Codex reads only SSE from /v1/responses.",
                      Fix("Check that base_url points at the AntSeed proxy."),
                      content_type=ctype)]
    grade = _read_stream(ctx, response.raw, began)
    evidence = {"ttfb_ms": grade.ttfb_ms, "longest_idle_ms": grade.longest_idle_ms,
                "events": len(grade.events), "estimated_cost_usd": cost}
    restart = Fix("Restart the proxy; if it repeats, pin another peer.",
                  ("antseed buyer start", "antseed network browse"))
    if grade.completed:
        findings = [ok("ANT030", f"stream completed: {len(grade.events)} events, first byte "
                                 f"{grade.ttfb_ms} ms, longest gap {grade.longest_idle_ms} ms",
                       f"estimated cost {cost} USD" if cost else "", **evidence)]
        if grade.bad_lines:
            findings.append(warning("ANT034", f"{grade.bad_lines} line(s) are not valid SSE",
                                    "", restart, **evidence))
        return findings
    if grade.ended == "idle":
        return [error("ANT033", f"the stream stalled after {len(grade.events)} event(s): no "
                                f"data for {IDLE_TIMEOUT:g} s",
                      "Codex waits stream_idle_timeout_ms (300 s) per attempt, six times, and "
                      "shows nothing meanwhile.", restart, **evidence)]
    if grade.ended == "eof":
        return [error("ANT034", f"the stream ended after {len(grade.events)} event(s) without "
                                "response.completed",
                      "Codex retries 5 times, then prints `stream disconnected before "
                      "completion: stream closed before response.completed`.",
                      restart, **evidence)]
    if grade.ended in ("deadline", "cap"):
        return [warning("ANT039", f"the stream was still running after {len(grade.events)} "
                                  "events, with no response.completed",
                        "max_output_tokens was 16: a healthy answer ends long before this.",
                        restart, **evidence)]
    return [error("ANT038", "the connection broke during the stream", grade.message,
                  restart, **evidence)]


@check("antseed.stream", "Streaming request like Codex's (--live)",
       requires=("antseed.peer",), network=True, timeout=30, codes=CODES, order=20)
def antseed_stream_check(ctx: Context) -> List[Finding]:
    if not ctx.option("live"):
        return [info("ANT031", "streaming probe not run: it sends one tiny paid request",
                     "", Fix("Run it when you accept the cost of one request (a fraction of "
                             "a cent).", ("antseed-doctor --live",)))]
    return stream_probe(ctx)
