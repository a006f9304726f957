"""A small OpenAI-compatible HTTP server for tests and benchmarks, scripted reply by reply.

Serves /v1/chat/completions (plain JSON or SSE streaming), /v1/embeddings and /v1/models on 127.0.0.1.
Each chat request takes the next scripted `Reply` (or the default one), which can also be a status code
with headers (429 + Retry-After, 500), malformed JSON, a stream that stalls, or a slow response.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    text: str = "The guidance says leaders share a vision [1].\nWhat would your partners say?"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # before the first byte
    chunk_delay: float = 0.0  # between streamed chunks
    chunk_words: int = 1  # words per streamed chunk
    malformed: bool = False  # a body (or SSE event) that is not JSON
    stall_after: int | None = None  # stream this many chunks, then hang until the client gives up
    gate: threading.Event | None = None  # with gate_after: stream that many chunks, then wait for the test
    gate_after: int = 1
    usage: tuple[int, int] = (50, 20)


@dataclass
class Seen:
    path: str
    body: dict[str, Any]
    at: float


class FakeOpenAI:
    def __init__(self) -> None:
        self.script: deque[Reply] = deque()
        self.default = Reply()
        self.requests: list[Seen] = []
        self.first_chunk_sent_at: list[float] = []  # perf_counter() when each stream's first text went out
        self.stream_done_at: list[float] = []  # perf_counter() when each stream's last event went out
        self._closing = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()

    def then(self, *replies: Reply) -> FakeOpenAI:
        self.script.extend(replies)
        return self

    def chat_requests(self) -> list[Seen]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def next_reply(self) -> Reply:
        return self.script.popleft() if self.script else self.default

    def sleep(self, seconds: float) -> None:
        self._closing.wait(seconds)


def _handler(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            fake.requests.append(Seen(self.path, {}, time.perf_counter()))
            if self.path.rstrip("/").endswith("/models"):
                self._json(200, {"object": "list", "data": [{"id": "fake-model", "object": "model",
                                                             "created": 0, "owned_by": "tests"}]})
            else:
                self._json(404, {"error": {"message": "not found"}})

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            fake.requests.append(Seen(self.path, body, time.perf_counter()))
            if self.path.endswith("/embeddings"):
                inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
                data = [{"object": "embedding", "index": i, "embedding": _vector(str(t))} for i, t in enumerate(inputs)]
                self._json(200, {"object": "list", "data": data, "model": body.get("model"),
                                 "usage": {"prompt_tokens": 1, "total_tokens": 1}})
                return
            if not self.path.endswith("/chat/completions"):
                self._json(404, {"error": {"message": "not found"}})
                return
            reply = fake.next_reply()
            fake.sleep(reply.delay)
            if reply.status != 200:
                self._json(reply.status, {"error": {"message": f"scripted {reply.status}", "type": "test"}},
                           reply.headers)
            elif body.get("stream"):
                self._stream(reply, body)
            elif reply.malformed:
                self._raw(200, b'{"id": "x", "choices": [', "application/json")
            else:
                self._json(200, _completion(reply, body))

        def _stream(self, reply: Reply, body: dict[str, Any]) -> None:
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("cache-control", "no-cache")
            self.end_headers()
            words = reply.text.split(" ")
            chunks = [" ".join(words[i : i + reply.chunk_words]) + (" " if i + reply.chunk_words < len(words) else "")
                      for i in range(0, len(words), reply.chunk_words)]
            try:
                opening = {"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}
                self._event({**_chunk_base(body), "choices": [opening]})
                for n, piece in enumerate(chunks):
                    if reply.stall_after is not None and n >= reply.stall_after:
                        fake.sleep(60)
                        return
                    if reply.gate is not None and n == reply.gate_after:
                        reply.gate.wait(10)
                    if reply.malformed and n == 1:
                        self.wfile.write(b"data: {not json\n\n")
                        self.wfile.flush()
                        return
                    if n == 0:
                        fake.first_chunk_sent_at.append(time.perf_counter())
                    self._event({**_chunk_base(body), "choices": [{"index": 0, "delta": {"content": piece},
                                                                   "finish_reason": None}]})
                    if reply.chunk_delay:
                        fake.sleep(reply.chunk_delay)
                self._event({**_chunk_base(body), "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
                if (body.get("stream_options") or {}).get("include_usage"):
                    self._event({**_chunk_base(body), "choices": [], "usage": _usage(reply)})
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
                fake.stream_done_at.append(time.perf_counter())
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                self.close_connection = True

        def _event(self, payload: dict[str, Any]) -> None:
            self.wfile.write(b"data: " + json.dumps(payload).encode() + b"\n\n")
            self.wfile.flush()

        def _json(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
            self._raw(status, json.dumps(payload).encode(), "application/json", headers)

        def _raw(self, status: int, data: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _chunk_base(body: dict[str, Any]) -> dict[str, Any]:
    return {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": body.get("model", "x")}


def _usage(reply: Reply) -> dict[str, int]:
    return {"prompt_tokens": reply.usage[0], "completion_tokens": reply.usage[1], "total_tokens": sum(reply.usage)}


def _completion(reply: Reply, body: dict[str, Any]) -> dict[str, Any]:
    return {"id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": body.get("model", "x"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": reply.text},
                         "finish_reason": "stop"}], "usage": _usage(reply)}


def _vector(text: str, size: int = 8) -> list[float]:
    # Deterministic and cheap: letter counts folded into a few dimensions.
    vec = [0.0] * size
    for ch in text.lower():
        vec[ord(ch) % size] += 1.0
    norm = sum(v * v for v in vec) ** 0.5 or 1.0
    return [v / norm for v in vec]
