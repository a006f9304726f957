"""A local Slack Web API for tests: records every call with its arguments and answers like Slack does.

The app under test uses its real WebClient pointed here (COACH_SLACK_API_URL). Failures are scripted per
method: `fail(method, "not_in_channel")`, or `rate_limit(method, retry_after=1)` for a 429 with Retry-After.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str | None
    at: float = field(default_factory=time.time)  # wall clock: comparable across processes


@dataclass
class _Scripted:
    error: str | None = None
    status: int = 200
    retry_after: int | None = None


class FakeSlackAPI:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.uploads: list[bytes] = []
        self.user_timezones: dict[str, str] = {}
        self.socket_url: str | None = None  # what apps.connections.open hands out
        self.stream_threads: dict[str, str] = {}  # streamed message ts -> the thread it answers
        self._scripted: dict[str, list[_Scripted]] = {}
        self._ts = itertools.count(1)
        self._lock = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # -- lifecycle -------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/api/"

    def start(self) -> FakeSlackAPI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- scripting and inspection ----------------------------------------------------------------------
    def fail(self, method: str, error: str, times: int = 1) -> None:
        self._scripted.setdefault(method, []).extend(_Scripted(error=error) for _ in range(times))

    def rate_limit(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        self._scripted.setdefault(method, []).extend(
            _Scripted(error="ratelimited", status=429, retry_after=retry_after) for _ in range(times))

    def called(self, method: str) -> list[dict[str, Any]]:
        with self._lock:
            return [c.args for c in self.calls if c.method == method]

    def methods(self) -> list[str]:
        with self._lock:
            return [c.method for c in self.calls]

    def wait_for(self, method: str, count: int = 1, timeout: float = 30.0) -> list[dict[str, Any]]:
        """The calls of `method` once there are at least `count` (the app works after its ack)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while len([c for c in self.calls if c.method == method]) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} call(s) of {method}; got calls: {self.methods()}")
                self._lock.wait(left)
        return self.called(method)

    def answered_at(self) -> dict[str, float]:
        """When each thread's streamed answer was finished (chat.stopStream), by thread ts."""
        with self._lock:
            return {self.stream_threads.get(str(c.args.get("ts")), "?"): c.at
                    for c in self.calls if c.method == "chat.stopStream"}

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()

    # -- responses -------------------------------------------------------------------------------------
    def _next_ts(self) -> str:
        return f"{1700000000 + next(self._ts)}.000100"

    def respond(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        channel = args.get("channel") or args.get("channel_id")
        if method == "auth.test":
            return {"url": "https://coach-test.slack.com/", "team": "Test", "user": "coach", "team_id": "T1",
                    "user_id": "UBOT", "bot_id": "BBOT", "is_enterprise_install": False}
        if method in ("chat.postMessage", "chat.startStream"):
            ts = self._next_ts()
            if method == "chat.startStream":
                self.stream_threads[ts] = str(args.get("thread_ts"))
            return {"channel": channel, "ts": ts, "message": {"text": args.get("text"), "ts": ts, "bot_id": "BBOT"}}
        if method in ("chat.update", "chat.appendStream", "chat.stopStream", "chat.delete"):
            return {"channel": channel, "ts": args.get("ts")}
        if method == "chat.scheduleMessage":
            return {"channel": channel, "scheduled_message_id": f"Q{next(self._ts)}", "post_at": args.get("post_at")}
        if method == "chat.postEphemeral":
            return {"message_ts": self._next_ts()}
        if method.startswith("views."):
            view = args.get("view") or {}
            return {"view": {"id": f"V{next(self._ts)}", **(view if isinstance(view, dict) else {})}}
        if method == "users.info":
            user = args.get("user", "U0")
            tz = self.user_timezones.get(user, "Europe/London")
            return {"user": {"id": user, "name": user.lower(), "tz": tz, "is_bot": False,
                             "profile": {"real_name": f"User {user}"}}}
        if method == "conversations.open":
            users = str(args.get("users", "U0"))
            return {"channel": {"id": "D" + users.split(",")[0].lstrip("U")}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts)}"
            host, port = self._server.server_address[:2]
            return {"upload_url": f"http://{host}:{port}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = args.get("files") or []
            return {"files": [{"id": f.get("id"), "title": f.get("title")} for f in files]}
        if method == "apps.connections.open":
            return {"url": self.socket_url}
        if method.startswith(("assistant.threads.", "reactions.")):
            return {}
        return {"__error__": "unknown_method"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                # For benchmarks running this server in another process: the calls so far, as JSON.
                if urlparse(self.path).path != "/_calls":
                    self._send(404, b"not found", "text/plain")
                    return
                with fake._lock:
                    calls = [{"method": c.method, "args": c.args, "at": c.at} for c in fake.calls]
                    threads = dict(fake.stream_threads)
                self._json(200, {"calls": calls, "stream_threads": threads})

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                path = urlparse(self.path)
                if path.path.startswith("/upload/"):
                    fake.uploads.append(raw)
                    self._send(200, b"OK - " + str(len(raw)).encode(), "text/plain")
                    return
                method = path.path.rsplit("/", 1)[-1]
                args = _parse_args(raw, self.headers.get("Content-Type", ""), path.query)
                token = (self.headers.get("Authorization") or "").removeprefix("Bearer ") or args.get("token")
                with fake._lock:
                    fake.calls.append(Call(method, args, token))
                    fake._lock.notify_all()
                    scripted = fake._scripted.get(method)
                    script = scripted.pop(0) if scripted else None
                if script is not None:
                    headers = {"Retry-After": str(script.retry_after)} if script.retry_after is not None else {}
                    self._json(script.status, {"ok": False, "error": script.error}, headers)
                    return
                body = fake.respond(method, args)
                if "__error__" in body:
                    self._json(200, {"ok": False, "error": body["__error__"]})
                else:
                    self._json(200, {"ok": True, **body})

            def _json(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
                self._send(status, json.dumps(body).encode(), "application/json; charset=utf-8", headers)

            def _send(self, status: int, data: bytes, content_type: str,
                      headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        return Handler


def _parse_args(raw: bytes, content_type: str, query: str) -> dict[str, Any]:
    args: dict[str, Any] = {k: v[0] for k, v in parse_qs(query).items()}
    text = raw.decode("utf-8", errors="replace")
    if content_type.startswith("application/json") and text:
        args.update(json.loads(text))
    elif text:
        args.update({k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()})
    # The SDK sends blocks, views and the like as JSON strings inside forms: decode them for assertions.
    for key, value in list(args.items()):
        if isinstance(value, str) and value[:1] in "[{":
            with contextlib.suppress(ValueError):
                args[key] = json.loads(value)
    return args


if __name__ == "__main__":  # a standalone fake for benchmarks: prints its URL, serves until killed
    server = FakeSlackAPI().start()
    print(server.url, flush=True)
    threading.Event().wait()
