"""Real loopback HTTP servers that record what Codex sends.

``RecordingServer`` answers like a healthy OpenAI-compatible endpoint (the
minimal SSE streams real Codex accepts, from docs/codex-behaviour.rst), so a
test can tell exactly which server a Codex run talked to.
"""

from __future__ import annotations

import http.server
import json
import threading
from dataclasses import dataclass
from typing import List, Tuple

RESPONSES_SSE = (
    'event: response.output_item.done\n'
    'data: {"type":"response.output_item.done","output_index":0,"item":{"type":"message",'
    '"role":"assistant","id":"msg_1","content":[{"type":"output_text","text":"hi"}]}}\n\n'
    'event: response.completed\n'
    'data: {"type":"response.completed","response":{"id":"resp_1"}}\n\n'
)

CHAT_SSE = (
    'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":'
    '[{"index":0,"delta":{"role":"assistant","content":"hi"},"finish_reason":null}]}\n\n'
    'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":'
    '[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n'
    "data: [DONE]\n\n"
)


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: Tuple[Tuple[str, str], ...]
    body: bytes


class RecordingServer:
    """A threaded HTTP server on 127.0.0.1 (free port) that logs every request."""

    def __init__(self) -> None:
        self.requests: List[Request] = []
        self._lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _record(self) -> bytes:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                with outer._lock:
                    outer.requests.append(Request(self.command, self.path,
                                                  tuple(self.headers.items()), body))
                return body

            def _send(self, status: int, ctype: str, payload: bytes) -> None:
                self.send_response(status)
                self.send_header("content-type", ctype)
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self) -> None:
                self._record()
                if self.path.split("?")[0].endswith("/models"):
                    data = {"object": "list", "data": [{"id": "mock-model", "object": "model",
                                                        "created": 0, "owned_by": "antseed"}]}
                    self._send(200, "application/json", json.dumps(data).encode())
                else:
                    self._send(404, "application/json", b'{"error":{"message":"Not found"}}')

            def do_POST(self) -> None:
                self._record()
                stream = CHAT_SSE if "chat/completions" in self.path else RESPONSES_SSE
                self._send(200, "text/event-stream", stream.encode())

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def posts(self) -> List[str]:
        with self._lock:
            return [r.path for r in self.requests if r.method == "POST"]

    def __enter__(self) -> RecordingServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
