"""A faithful fake AntSeed buyer proxy on 127.0.0.1, with fault modes.

Behaves like both proxy generations described in the AntSeed fact sheet:
``pin-only`` (@antseed/cli 0.1.122: every API path answers ``400
no_peer_pinned`` until a peer is pinned; ``/_antseed/status`` is an unknown
control-plane endpoint) and ``newer`` (routes by model, local ``/v1/models``
catalog, ``GET /_antseed/status``). Like the real proxy it reads the pin from
``<data dir>/buyer.state.json`` on every request, and compares it to the
discovered peer ids exactly (so a ``0x`` pin never matches).

It is a raw socket server so that faults below HTTP (hangs, resets, non-HTTP
bytes) are real, not simulated by a library.
"""

from __future__ import annotations

import contextlib
import json
import socket
import socketserver
import struct
import threading
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

PEER = "5e93369c2d0a4f1b8c7d6e5f4a3b2c1d0e9f8a7b"
NO_PEER_PINNED = {"error": {
    "type": "no_peer_pinned", "code": "no_peer_pinned",
    "message": "No peer pinned. Auto-selection is disabled.\nPin a peer one of two ways:\n"
               "  • Per-request header:   x-antseed-pin-peer: <peerId>    (40-char hex EVM "
               "address)\n  • Session pin:          antseed buyer connection set --peer "
               "<peerId>\nDiscover peers with:       antseed network browse",
    "param": "x-antseed-pin-peer",
    "help": {"perRequestHeader": "x-antseed-pin-peer: <peerId>",
             "sessionPin": "antseed buyer connection set --peer <peerId>",
             "discoverPeers": "antseed network browse"}}}

FAULTS = ("healthy", "hang", "slow-headers", "html", "garbage-json", "500", "one-chunk-stall",
          "no-completed", "infinite", "huge", "redirect", "reset", "wrong-ctype",
          "stream-required", "not-antseed", "not-http", "402", "peer-unreachable")


def peer_entry(peer_id: str = PEER, services: Optional[Dict[str, List[str]]] = None,
               provider: str = "openai") -> Dict[str, Any]:
    services = services or {"mock-model": ["openai-responses"],
                            "mock-chat": ["openai-chat-completions"],
                            "mock-claude": ["anthropic-messages"]}
    return {"peerId": peer_id, "displayName": "mock seller", "publicAddress": "127.0.0.1:1",
            "providers": [provider], "services": list(services),
            "providerServiceApiProtocols": {provider: {"services": services}},
            "lastSeen": 0}


def write_buyer_state(data_dir: Path, *, port: int = 8377, pin: Optional[str] = PEER,
                      service: Optional[str] = None, state: str = "connected",
                      pid: int = 0, peers: Optional[List[Dict[str, Any]]] = None) -> Path:
    """Write ``buyer.state.json`` as ``antseed buyer start`` / ``connection set`` do."""
    data_dir.mkdir(parents=True, exist_ok=True)
    body = {"state": state, "pid": pid, "port": port, "pinnedService": service,
            "pinnedPeerId": pin,
            "discoveredPeers": [peer_entry()] if peers is None else peers,
            "peersUpdatedAt": int(time.time() * 1000)}
    path = data_dir / "buyer.state.json"
    path.write_text(json.dumps(body))
    return path


def write_config(data_dir: Path, port: int) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "config.json"
    path.write_text(json.dumps({"buyer": {"proxyPort": port}}))
    return path


def free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FakeProxy:
    def __init__(self, data_dir: Path, generation: str = "pin-only",
                 mode: str = "healthy") -> None:
        assert generation in ("pin-only", "newer") and mode in FAULTS
        self.data_dir = data_dir
        self.generation = generation
        self.mode = mode
        self.extra_text = ""  # appended to error bodies (e.g. a canary secret)
        self.requests: List[Tuple[str, str, Dict[str, str], bytes]] = []
        self._stop = threading.Event()
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                outer._handle(self.request)

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # -- lifecycle -------------------------------------------------------
    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def __enter__(self) -> FakeProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    # -- state as the real proxy sees it ---------------------------------
    def _state(self) -> Dict[str, Any]:
        try:
            return json.loads((self.data_dir / "buyer.state.json").read_text())
        except (OSError, ValueError):
            return {}

    def _pinned_peer(self) -> Tuple[Optional[str], Optional[Dict[str, Any]]]:
        state = self._state()
        pin = state.get("pinnedPeerId")
        peers = state.get("discoveredPeers") or []
        match = next((p for p in peers if p.get("peerId") == pin), None)
        return pin, match

    # -- wire --------------------------------------------------------------
    def _read_request(self, conn: socket.socket) -> Optional[Tuple[str, str, Dict[str, str],
                                                                   bytes]]:
        conn.settimeout(5)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0") or 0)
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        return method, path, headers, body

    @staticmethod
    def _response(status: int, reason: str, ctype: str, body: bytes,
                  extra: Optional[Dict[str, str]] = None) -> bytes:
        head = [f"HTTP/1.1 {status} {reason}", f"Content-Type: {ctype}",
                f"Content-Length: {len(body)}", "Connection: close"]
        head += [f"{k}: {v}" for k, v in (extra or {}).items()]
        return ("\r\n".join(head) + "\r\n\r\n").encode() + body

    def _json(self, status: int, payload: Any, extra: Optional[Dict[str, str]] = None,
              reason: str = "") -> bytes:
        return self._response(status, reason or _REASONS.get(status, "OK"), "application/json",
                              json.dumps(payload).encode(), extra)

    def _peer_headers(self, peer: Dict[str, Any]) -> Dict[str, str]:
        return {"x-antseed-request-id": "req-1", "x-antseed-peer-id": peer["peerId"],
                "x-antseed-peer-address": peer.get("publicAddress", ""),
                "x-antseed-provider": (peer.get("providers") or [""])[0]}

    def _handle(self, conn: socket.socket) -> None:
        mode = self.mode
        try:
            if mode == "not-http":
                conn.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
                return
            request = self._read_request(conn)
            if request is None:
                return
            self.requests.append(request)
            method, path, headers, body = request
            if mode == "hang":
                self._stop.wait(30)
                return
            if mode == "slow-headers":
                self._stop.wait(5)
            if mode == "reset":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             b"Content-Length: 1000\r\n\r\n{\"object\":")
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            self._route(conn, mode, method, path.split("?")[0].lower(), headers, body)
        except OSError:
            return
        finally:
            with contextlib.suppress(OSError):
                conn.close()

    def _route(self, conn: socket.socket, mode: str, method: str, path: str,
               headers: Dict[str, str], body: bytes) -> None:
        if mode == "not-antseed":
            conn.sendall(self._response(404, "Not Found", "text/html",
                                        b"<html><body><h1>404 Not Found</h1>nginx</body></html>",
                                        {"Server": "nginx/1.22.1"}))
            return
        if mode == "redirect":
            conn.sendall(self._response(302, "Found", "text/html", b"moved",
                                        {"Location": "http://203.0.113.7/login"}))
            return
        if mode == "html":
            conn.sendall(self._response(200, "OK", "text/html",
                                        b"<!doctype html><html><title>Dashboard</title></html>"))
            return
        if mode == "garbage-json":
            conn.sendall(self._response(200, "OK", "application/json", b"{\"object\": lis"))
            return
        if mode == "500":
            conn.sendall(self._json(500, {"error": {"message": "internal"}}))
            return
        if path.startswith("/_antseed/"):
            conn.sendall(self._control(path))
            return
        if not any(path.startswith(p) for p in ("/v1/messages", "/v1/chat/completions",
                                                "/v1/responses", "/v1/models")):
            conn.sendall(self._json(404, {"error": {"message": "Not found",
                                                    "type": "invalid_request_error"}}))
            return
        if path.startswith("/v1/models") and self.generation == "newer":
            conn.sendall(self._catalog(mode))
            return
        pin, peer = self._pinned_peer()
        if self.generation == "pin-only" and not pin:
            conn.sendall(self._json(400, NO_PEER_PINNED))
            return
        if mode == "peer-unreachable" or (pin and peer is None):
            text = (f"Pinned peer {str(pin)[:12]}... is not reachable right now. It may be "
                    "offline, not announcing, or temporarily unreachable. Pick a different "
                    "service in Discover or try again later. Discovered 1 peer(s): 5e93369c "
                    "providers=[openai]" + self.extra_text)
            conn.sendall(self._response(502, "Bad Gateway", "text/plain", text.encode()))
            return
        peer = peer or peer_entry()
        if path.startswith("/v1/models"):
            conn.sendall(self._models(mode, peer))
            return
        self._post(conn, mode, path, peer, body)

    def _control(self, path: str) -> bytes:
        if path == "/_antseed/status" and self.generation == "newer":
            return self._json(200, {"ok": True, "dhtNodeCount": 12,
                                    "consecutiveEmptyDiscoveries": 0, "peerCount": 3,
                                    "peersUpdatedAt": 0, "startedAt": 0, "uptimeMs": 1000})
        if path in ("/_antseed/buyer-usage", "/_antseed/channels", "/_antseed/peers"):
            return self._json(200, {"ok": True})
        return self._json(404, {"ok": False, "error": "Unknown control-plane endpoint"})

    def _services(self, peer: Dict[str, Any]) -> Dict[str, List[str]]:
        merged: Dict[str, List[str]] = {}
        for entry in (peer.get("providerServiceApiProtocols") or {}).values():
            merged.update(entry.get("services") or {})
        return merged

    def _models(self, mode: str, peer: Dict[str, Any]) -> bytes:
        if mode == "huge":
            filler = [{"id": f"model-{i:07d}", "object": "model", "created": 0,
                       "owned_by": "antseed"} for i in range(200_000)]
            return self._json(200, {"object": "list", "data": filler})
        data = [{"id": s, "object": "model", "created": 0, "owned_by": "antseed"}
                for s in self._services(peer)]
        payload = json.dumps({"object": "list", "data": data}).encode()
        ctype = "text/plain" if mode == "wrong-ctype" else "application/json"
        return self._response(200, "OK", ctype, payload, self._peer_headers(peer))

    def _catalog(self, mode: str) -> bytes:
        peer = peer_entry()
        data = [{"id": s, "object": "model", "created": 0, "owned_by": "antseed",
                 "supported_protocols": protocols,
                 "peers": [{"peerId": PEER, "provider": "openai", "serviceId": s,
                            "protocols": protocols}]}
                for s, protocols in self._services(peer).items()]
        return self._json(200, {"object": "list", "data": data})

    def _post(self, conn: socket.socket, mode: str, path: str, peer: Dict[str, Any],
              body: bytes) -> None:
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            request = {}
        model = request.get("model")
        if model not in self._services(peer):
            conn.sendall(self._json(400, {"error": {
                "message": f"Service \"{model}\" is not served by this peer.",
                "type": "invalid_request_error", "code": "model_not_found"}},
                self._peer_headers(peer)))
            return
        responses_only = "openai-responses" in self._services(peer)[model]
        if mode == "stream-required" or (not request.get("stream") and responses_only):
            conn.sendall(self._json(400, {"error": {"message": "Stream must be set to true"}}))
            return
        if mode == "402":
            conn.sendall(self._json(402, {"error": {
                "type": "payment_required", "code": "insufficient_deposits",
                "message": "Deposits are insufficient to open a payment channel with this "
                           "peer. Top up with \"antseed buyer deposit <amount>\" and retry.",
                "peerId": peer["peerId"]}}, reason="Payment Required"))
            return
        ctype = "application/json" if mode == "wrong-ctype" else "text/event-stream"
        head = ["HTTP/1.1 200 OK", f"Content-Type: {ctype}", "Cache-Control: no-cache",
                "Connection: close"]
        head += [f"{k}: {v}" for k, v in self._peer_headers(peer).items()]
        head.append("x-antseed-estimated-cost-usd: 0.000042")
        conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        events = _responses_events() if "responses" in path else _chat_events()
        if mode == "one-chunk-stall":
            conn.sendall(events[0])
            self._stop.wait(30)
            return
        if mode == "infinite":
            delta = (b'event: response.output_text.delta\ndata: {"type":'
                     b'"response.output_text.delta","delta":"la"}\n\n')
            end = time.monotonic() + 30
            while not self._stop.is_set() and time.monotonic() < end:
                conn.sendall(delta)
                time.sleep(0.02)
            return
        if mode == "no-completed":
            events = events[:-1]
        for event in events:
            conn.sendall(event)


def _responses_events() -> List[bytes]:
    item = {"type": "message", "role": "assistant", "id": "msg_1",
            "content": [{"type": "output_text", "text": "ok"}]}
    events = [
        ("response.created", {"type": "response.created", "response": {"id": "resp_1"}}),
        ("response.output_text.delta", {"type": "response.output_text.delta", "delta": "ok"}),
        ("response.output_item.done", {"type": "response.output_item.done",
                                       "output_index": 0, "item": item}),
        ("response.completed", {"type": "response.completed", "response": {"id": "resp_1"}}),
    ]
    return [f"event: {name}\ndata: {json.dumps(data)}\n\n".encode() for name, data in events]


def _chat_events() -> List[bytes]:
    chunk = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "m",
             "choices": [{"index": 0, "delta": {"content": "ok"}, "finish_reason": None}]}
    stop = dict(chunk, choices=[{"index": 0, "delta": {}, "finish_reason": "stop"}])
    return [f"data: {json.dumps(chunk)}\n\n".encode(), f"data: {json.dumps(stop)}\n\n".encode(),
            b"data: [DONE]\n\n"]


_REASONS = {200: "OK", 400: "Bad Request", 402: "Payment Required", 404: "Not Found",
            500: "Internal Server Error", 502: "Bad Gateway"}
