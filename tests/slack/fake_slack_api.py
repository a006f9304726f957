"""A local Slack Web API for tests: records every call with its arguments and answers like Slack does.

The app under test uses its real WebClient pointed here (COACH_SLACK_API_URL). Failures are scripted per
method: `fail(method, "not_in_channel")`, or `rate_limit(method, retry_after=1)` for a 429 with Retry-After;
`hold(method)` leaves the next call unanswered until `release()` (a caller stuck mid-work, to be killed there).

What it refuses unasked, as Slack does:
- `invalid_blocks` for any blocks Block Kit refuses: every message's blocks (chat.postMessage, chat.update,
  chat.postEphemeral, chat.stopStream, replies to a response_url) and every view (views.open/push/update/publish)
  are checked with slack_sdk's models (`validate_json`) and the limits they let through, 50 blocks a message
  (tests/slack/block_kit_rules.py; api.slack.com/reference/block-kit/blocks).
- `invalid_blocks` for an image block over a Slack file the viewer cannot see: not uploaded, deleted, not an
  image, or not shared in the conversation (a message) or with the person (the Home tab, in their DM or a
  channel) it is shown in. A file uploaded without a channel is private to the app, and Slack will not show it
  to anyone in a block (api.slack.com/reference/block-kit/blocks#image, "slack_file"; issue 11 §4).
- `expired_trigger_id` for views.open/views.push more than 3 s after the click or command that made the
  trigger id (api.slack.com/surfaces/modals#opening: "trigger_id ... expire 3 seconds after"); each trigger id
  opens one view, then `trigger_exchanged`. `SlackSender` puts the time it was made in the id.
- `channel_not_found` for a channel the bot is not in (not in `member_of`; DMs are all with the bot), e.g. a
  private channel or group DM where someone ran a command (api.slack.com/methods/chat.postMessage#errors).
- HTTP 429 with Retry-After when a method is called faster than `pace` allows (per method and conversation;
  chat.postMessage by default about 1 a second per channel with short bursts, as api.slack.com/docs/rate-limits
  describes). The app's client must wait and retry (slack_sdk's RateLimitErrorRetryHandler).
- A response_url (`/responses/<n>`, see `response_url()`) takes five replies within 30 minutes, then answers
  404 `used_url` or `expired_url` (api.slack.com/interactivity/handling#message_responses).
- auth.test answers as the installation it is set up as: `enterprise_id` for an Enterprise Grid install;
  users.info gives each person's own workspace (`user_teams`, for Slack Connect), their Grid organisation
  (`enterprise_user`) and the guest flags `is_restricted` / `is_ultra_restricted` (`guests`).

Files follow Slack's upload flow: files.getUploadURLExternal hands out an upload URL on this same server, the
bytes are POSTed (or PUT) there, and files.completeUploadExternal finishes only files whose bytes arrived; with
no channel the file stays private. Image blocks (`slack_file: {"id": ...}`) in views and messages are refused
with `invalid_blocks`, as Slack does, unless they name a completed, undeleted image file. files.delete refuses
files that are gone (`file_not_found`) and files a person uploaded rather than the bot (`cant_delete_file`);
`live_files()` is what Slack still holds.

OAuth follows Slack's v2 flow: `grant(team)` is an administrator approving the install page (a one-time code,
bound to the redirect_uri the authorize URL carried); oauth.v2.access exchanges it for a bot token, refusing
what Slack refuses: an unknown client id (`invalid_client_id`), a wrong secret (`bad_client_secret`), a code
unknown or already used (`invalid_code`), a redirect_uri not the one the code was granted for or not registered
(`bad_redirect_uri`), another grant type (`invalid_grant_type`), and an unknown or used refresh token
(`invalid_refresh_token`). With token rotation on, tokens expire (`expire(token)`) and a call with an expired
token is refused with `token_expired`; `revoke(team)` makes that workspace's tokens answer `token_revoked`.
Tokens the fake did not issue (e.g. "xoxb-test") are accepted as before.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from tests.slack.block_kit_rules import message_violations, view_violations

TRIGGER_SECONDS = 3.0
RESPONSE_URL_USES = 5
RESPONSE_URL_SECONDS = 30 * 60
MESSAGE_METHODS = ("chat.postMessage", "chat.update", "chat.postEphemeral", "chat.stopStream")
VIEW_METHODS = ("views.open", "views.push", "views.update", "views.publish")
# Methods that act in one conversation the bot must be in.
IN_CONVERSATION = ("chat.postMessage", "chat.update", "chat.postEphemeral", "chat.startStream", "chat.delete",
                   "chat.scheduleMessage", "conversations.history", "conversations.replies")
_TRIGGER = re.compile(r"^\d+\.(\d{13})\.[0-9a-f]+$")


def _throttled(call: Call) -> bool:
    return (call.response or {}).get("error") == "ratelimited"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str | None
    at: float = field(default_factory=time.time)  # wall clock: comparable across processes
    response: dict[str, Any] | None = None  # what the fake answered


@dataclass
class FakeFile:
    """A file in the upload flow: announced, then its bytes uploaded, then completed (and maybe deleted)."""

    id: str
    filename: str
    length: int
    alt_txt: str | None = None
    data: bytes | None = None
    title: str | None = None
    channels: list[str] = field(default_factory=list)
    completed: bool = False
    deleted: bool = False
    owner: str = "UBOT"  # who uploaded it: a bot may delete only its own files

    @property
    def live(self) -> bool:
        return self.completed and not self.deleted

    @property
    def is_image(self) -> bool:
        return self.filename.lower().endswith((".png", ".jpg", ".jpeg", ".gif"))


@dataclass
class IssuedToken:
    """A bot token oauth.v2.access handed out."""

    team_id: str | None
    enterprise_id: str | None
    expires_at: float | None = None  # with token rotation
    revoked: bool = False


@dataclass
class _Grant:
    team_id: str | None
    team_name: str
    enterprise_id: str | None
    installer: str
    redirect_uri: str | None
    rotation: bool


CLIENT_ID = "1111.2222"
CLIENT_SECRET = "fake-client-secret"
ROTATED_TOKEN_SECONDS = 43200  # Slack's rotating bot tokens last 12 hours


@dataclass
class _Scripted:
    error: str | None = None
    status: int = 200
    retry_after: int | None = None


@dataclass
class _Pace:
    calls: int  # this many calls...
    per: float  # ...per this many seconds, per conversation
    retry_after: int = 1


class FakeSlackAPI:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.uploads: list[bytes] = []  # every upload's bytes, in order
        self.files: dict[str, FakeFile] = {}
        self.user_timezones: dict[str, str] = {}
        self.socket_url: str | None = None  # what apps.connections.open hands out
        self.stream_threads: dict[str, str] = {}  # streamed message ts -> the thread it answers
        self.member_of: set[str] = {"C1", "C5", "C9"}  # channels the bot is in (DMs are added as they open)
        self.enterprise_id: str | None = None  # set for an Enterprise Grid installation
        self.team_id = "T1"
        self.guests: dict[str, str] = {}  # user -> "single" (is_ultra_restricted) or "multi" (is_restricted)
        self.user_teams: dict[str, str] = {}  # user -> their own workspace, when not the installing one (Connect)
        self.paces: dict[str, _Pace] = {"chat.postMessage": _Pace(calls=5, per=1.0)}
        self.used_triggers: set[str] = set()
        self._recent: dict[tuple[str, str], list[float]] = {}
        self._responses: dict[str, list[float]] = {}  # response_url id -> when it was made, then each use
        self._scripted: dict[str, list[_Scripted]] = {}
        self._holds: dict[str, int] = {}  # method -> how many more calls to leave waiting
        self.held: list[Call] = []  # calls left waiting (answered after release())
        self._released = threading.Event()
        self.tokens: dict[str, IssuedToken] = {}  # bot tokens issued by oauth.v2.access
        self.redirect_urls: list[str] = []  # the app's registered OAuth Redirect URLs
        self._codes: dict[str, _Grant] = {}
        self._refresh: dict[str, str] = {}  # live refresh token -> the access token it renews
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

    def hold(self, method: str, times: int = 1) -> None:
        """Leave the next `times` calls of `method` waiting, unanswered, until `release()`."""
        with self._lock:
            self._holds[method] = self._holds.get(method, 0) + times
            self._released.clear()

    def release(self) -> None:
        self._released.set()

    def wait_until_held(self, method: str, timeout: float = 30.0) -> Call:
        with self._lock:
            if not self._lock.wait_for(lambda: any(c.method == method for c in self.held), timeout):
                raise AssertionError(f"no call to {method} arrived to be held")
            return next(c for c in self.held if c.method == method)

    def rate_limit(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        self._scripted.setdefault(method, []).extend(
            _Scripted(error="ratelimited", status=429, retry_after=retry_after) for _ in range(times))

    def pace(self, method: str, calls: int, per: float = 1.0, retry_after: int = 1) -> None:
        """Answer 429 (Retry-After) when `method` is called more than `calls` times in `per` seconds."""
        self.paces[method] = _Pace(calls, per, retry_after)

    def response_url(self, made_at: float | None = None) -> str:
        """A fresh response_url, as Slack puts in a command or interaction payload."""
        with self._lock:
            key = str(next(self._ts))
            self._responses[key] = [time.time() if made_at is None else made_at]
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/responses/{key}"

    def add_file_from(self, user: str, filename: str, data: bytes) -> str:
        """A file a person uploaded themselves (the app did not upload it, so it may not delete it)."""
        with self._lock:
            file_id = f"F{next(self._ts):09d}"
            self.files[file_id] = FakeFile(file_id, filename, len(data), data=data, completed=True, owner=user)
            return file_id

    def grant(self, team_id: str | None, *, redirect_uri: str | None = None, team_name: str = "A council",
              enterprise_id: str | None = None, installer: str = "UADMIN", rotation: bool = False) -> str:
        """An administrator approves the install (team None with an enterprise: a Grid org-wide install): the
        one-time code Slack sends to the redirect URL."""
        with self._lock:
            code = f"code-{next(self._ts)}"
            self._codes[code] = _Grant(team_id, team_name, enterprise_id, installer, redirect_uri, rotation)
            return code

    def expire(self, token: str, in_seconds: float = 0) -> None:
        """The token's time runs out (now, or in `in_seconds`)."""
        with self._lock:
            self.tokens[token].expires_at = time.time() + in_seconds - (1 if in_seconds <= 0 else 0)

    def revoke(self, team_id: str) -> None:
        with self._lock:
            for issued in self.tokens.values():
                if issued.team_id == team_id:
                    issued.revoked = True

    def tokens_of(self, team_id: str | None) -> list[str]:
        with self._lock:
            return [t for t, issued in self.tokens.items() if issued.team_id == team_id]

    def live_files(self) -> list[FakeFile]:
        """Files Slack still holds: uploaded, completed and not deleted."""
        with self._lock:
            return [f for f in self.files.values() if f.live]

    def called(self, method: str) -> list[dict[str, Any]]:
        """The calls of `method` Slack took in (a 429 is left out: the client waits and sends it again)."""
        with self._lock:
            return [c.args for c in self.calls if c.method == method and not _throttled(c)]

    def exchanges(self, method: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """(arguments, response) of each call of `method`."""
        with self._lock:
            return [(c.args, c.response or {}) for c in self.calls if c.method == method]

    def methods(self) -> list[str]:
        with self._lock:
            return [c.method for c in self.calls]

    def wait_for(self, method: str, count: int = 1, timeout: float = 30.0) -> list[dict[str, Any]]:
        """The calls of `method` once there are at least `count` (the app works after its ack)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while len([c for c in self.calls if c.method == method and not _throttled(c)]) < count:
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

    def _token_refused(self, token: str | None) -> str | None:
        issued = self.tokens.get(token or "")
        if issued is None:
            return None
        if issued.revoked:
            return "token_revoked"
        if issued.expires_at is not None and issued.expires_at <= time.time():
            return "token_expired"
        return None

    def _oauth_access(self, args: dict[str, Any]) -> dict[str, Any]:
        if args.get("client_id") != CLIENT_ID:
            return {"__error__": "invalid_client_id"}
        if args.get("client_secret") != CLIENT_SECRET:
            return {"__error__": "bad_client_secret"}
        grant_type = args.get("grant_type") or "authorization_code"
        if grant_type == "refresh_token":
            renewed = self._refresh.pop(str(args.get("refresh_token")), None)
            if renewed is None:
                return {"__error__": "invalid_refresh_token"}
            old = self.tokens[renewed]
            return self._issue(old.team_id, old.enterprise_id, rotation=True)
        if grant_type != "authorization_code":
            return {"__error__": "invalid_grant_type"}
        grant = self._codes.pop(str(args.get("code")), None)  # a code is used once, whatever happens
        if grant is None:
            return {"__error__": "invalid_code"}
        redirect = args.get("redirect_uri")
        if redirect != grant.redirect_uri or (redirect is not None and redirect not in self.redirect_urls):
            return {"__error__": "bad_redirect_uri"}
        issued = self._issue(grant.team_id, grant.enterprise_id, rotation=grant.rotation)
        return {**issued, "app_id": "A1", "bot_user_id": "UBOT", "scope": "chat:write,commands,im:history",
                "team": {"id": grant.team_id, "name": grant.team_name} if grant.team_id else None,
                "enterprise": {"id": grant.enterprise_id, "name": "A Grid"} if grant.enterprise_id else None,
                "is_enterprise_install": grant.team_id is None, "authed_user": {"id": grant.installer}}

    def _issue(self, team_id: str | None, enterprise_id: str | None, *, rotation: bool) -> dict[str, Any]:
        token = f"xoxb-{team_id or enterprise_id}-{next(self._ts)}"
        expires = time.time() + ROTATED_TOKEN_SECONDS if rotation else None
        self.tokens[token] = IssuedToken(team_id, enterprise_id, expires)
        if not rotation:
            return {"access_token": token, "token_type": "bot"}
        refresh = f"xoxe-1-{next(self._ts)}"
        self._refresh[refresh] = token
        return {"access_token": token, "token_type": "bot", "refresh_token": refresh,
                "expires_in": ROTATED_TOKEN_SECONDS}

    def respond(self, method: str, args: dict[str, Any], token: str | None = None) -> dict[str, Any]:
        channel = args.get("channel") or args.get("channel_id")
        if method == "oauth.v2.access":
            return self._oauth_access(args)
        refused = self._token_refused(token)
        if refused:
            return {"__error__": refused}
        if method in IN_CONVERSATION and channel and not self._bot_in(str(channel)):
            return {"__error__": "channel_not_found"}
        if method in ("views.open", "views.push"):
            expired = self._trigger_refusal(str(args.get("trigger_id") or ""))
            if expired:
                return {"__error__": expired}
        refused_blocks = self._refused_blocks(method, args)
        if refused_blocks:
            return {"__error__": "invalid_blocks", "errors": refused_blocks,
                    "response_metadata": {"messages": [f"[ERROR] {e}" for e in refused_blocks]}}
        if method == "auth.test":
            issued = self.tokens.get(token or "")
            team = issued.team_id if issued else self.team_id
            enterprise = issued.enterprise_id if issued else self.enterprise_id
            return {"url": "https://coach-test.slack.com/", "team": "Test", "user": "coach", "team_id": team,
                    "user_id": "UBOT", "bot_id": "BBOT", "enterprise_id": enterprise,
                    "is_enterprise_install": bool(issued and not team)}
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
            home = self.user_teams.get(user, self.team_id)
            found: dict[str, Any] = {"id": user, "team_id": home, "name": user.lower(), "tz": tz, "is_bot": False,
                                     "is_restricted": user in self.guests,
                                     "is_ultra_restricted": self.guests.get(user) == "single",
                                     "profile": {"real_name": f"User {user}"}}
            if self.enterprise_id and user not in self.user_teams:
                found["enterprise_user"] = {"enterprise_id": self.enterprise_id, "teams": [self.team_id]}
            return {"user": found}
        if method == "conversations.open":
            users = str(args.get("users", "U0"))
            dm = "D" + users.split(",")[0].lstrip("UW")
            self.member_of.add(dm)
            return {"channel": {"id": dm}}
        if method == "files.getUploadURLExternal":
            return self._announce_file(args)
        if method == "files.completeUploadExternal":
            return self._complete_files(args)
        if method == "files.delete":
            found = self.files.get(str(args.get("file")))
            if found is None or found.deleted:
                return {"__error__": "file_not_found"}
            if found.owner != "UBOT":  # a bot token cannot delete what a person uploaded
                return {"__error__": "cant_delete_file"}
            found.deleted = True
            return {}
        if method == "apps.connections.open":
            return {"url": self.socket_url}
        if method.startswith(("assistant.threads.", "reactions.")):
            return {}
        return {"__error__": "unknown_method"}

    # -- files -----------------------------------------------------------------------------------------
    def _announce_file(self, args: dict[str, Any]) -> dict[str, Any]:
        filename, length = args.get("filename"), str(args.get("length") or "")
        if not filename or not length.isdigit() or int(length) <= 0:
            return {"__error__": "invalid_arguments"}
        file_id = f"F{next(self._ts):09d}"
        self.files[file_id] = FakeFile(file_id, str(filename), int(length), alt_txt=args.get("alt_txt"))
        host, port = self._server.server_address[:2]
        return {"upload_url": f"http://{host}:{port}/upload/v1/{file_id}", "file_id": file_id}

    def _receive_upload(self, file_id: str, data: bytes) -> bool:
        with self._lock:
            found = self.files.get(file_id)
            if found is None or found.completed:
                return False
            found.data = data
            self.uploads.append(data)
            return True

    def _complete_files(self, args: dict[str, Any]) -> dict[str, Any]:
        entries = args.get("files")
        if not isinstance(entries, list) or not entries:
            return {"__error__": "invalid_arguments"}
        found = [self.files.get(str(e.get("id"))) for e in entries]
        if any(f is None or f.data is None or f.deleted for f in found):
            return {"__error__": "file_not_found"}  # never announced, or its bytes never arrived
        channel = args.get("channel_id")
        shared = [channel] if channel else str(args.get("channels") or "").split(",") if args.get("channels") else []
        out = []
        for entry, f in zip(entries, found, strict=True):
            assert f is not None
            f.title, f.completed, f.channels = entry.get("title") or f.filename, True, list(shared)
            out.append(self._file_object(f))
        return {"files": out}

    @staticmethod
    def _file_object(f: FakeFile) -> dict[str, Any]:
        extension = f.filename.rsplit(".", 1)[-1].lower() if "." in f.filename else "binary"
        private = f"https://files.slack.com/files-pri/T1-{f.id}/{f.filename}"
        return {"id": f.id, "created": int(time.time()), "timestamp": int(time.time()), "name": f.filename,
                "title": f.title, "mimetype": f"image/{extension}" if f.is_image else "application/octet-stream",
                "filetype": extension, "user": "UBOT", "size": len(f.data or b""), "mode": "hosted",
                "is_external": False, "is_public": bool(f.channels), "public_url_shared": False,
                "url_private": private, "url_private_download": private + "?download=1",
                "permalink": f"https://coach-test.slack.com/files/UBOT/{f.id}/{f.filename}",
                "channels": [c for c in f.channels if c.startswith("C")],
                "ims": [c for c in f.channels if c.startswith("D")], "alt_txt": f.alt_txt}

    # -- what Slack refuses ----------------------------------------------------------------------------------
    def _bot_in(self, channel: str) -> bool:
        return channel.startswith("D") or channel in self.member_of  # a DM here is always one with the bot

    def _trigger_refusal(self, trigger_id: str) -> str | None:
        match = _TRIGGER.match(trigger_id)
        if match is None:
            return "invalid_trigger_id"
        if time.time() - int(match.group(1)) / 1000 > TRIGGER_SECONDS:
            return "expired_trigger_id"
        if trigger_id in self.used_triggers:
            return "trigger_exchanged"
        self.used_triggers.add(trigger_id)
        return None

    def _refused_blocks(self, method: str, args: dict[str, Any]) -> list[str]:
        if method in VIEW_METHODS:
            view = args.get("view")
            errors = view_violations(view)
            viewer = str(args.get("user_id") or "") if method == "views.publish" else None
            blocks = view.get("blocks") if isinstance(view, dict) else None
            return errors or self._bad_image_blocks(blocks or [], viewer=viewer, anywhere=viewer is None)
        if method in MESSAGE_METHODS and args.get("blocks") is not None:
            return message_violations(args["blocks"]) or self._bad_image_blocks(
                args["blocks"], channel=str(args.get("channel") or ""))
        return []

    def _too_fast(self, method: str, args: dict[str, Any]) -> int | None:
        """Retry-After seconds when this call goes over the method's pace; None when it may go ahead."""
        pace = self.paces.get(method)
        if pace is None:
            return None
        key = (method, str(args.get("channel") or args.get("channel_id") or ""))
        now = time.monotonic()
        recent = [t for t in self._recent.get(key, []) if now - t < pace.per]
        if len(recent) >= pace.calls:
            self._recent[key] = recent
            return pace.retry_after
        self._recent[key] = [*recent, now]
        return None

    def _bad_image_blocks(self, blocks: Any, channel: str | None = None, viewer: str | None = None,
                          anywhere: bool = False) -> list[str]:
        errors = []
        for index, block in enumerate(blocks if isinstance(blocks, list) else []):
            if not isinstance(block, dict) or block.get("type") != "image":
                continue
            if not block.get("alt_text"):
                errors.append(f"missing required field: alt_text [json-pointer:/blocks/{index}]")
            slack_file = block.get("slack_file")
            if slack_file is None:
                continue
            found = self.files.get(str((slack_file or {}).get("id")))
            if found is None or not found.completed or found.deleted or not found.is_image:
                errors.append(f"invalid slack file [json-pointer:/blocks/{index}/slack_file]")
            elif not self._visible(found, channel, viewer, anywhere):
                errors.append(f"file not shared with the viewer [json-pointer:/blocks/{index}/slack_file]")
        return errors

    @staticmethod
    def _visible(f: FakeFile, channel: str | None, viewer: str | None, anywhere: bool) -> bool:
        if anywhere:
            return bool(f.channels)
        if viewer:  # the Home tab: shared in their DM with the bot, or in a channel
            return any(c == "D" + viewer.lstrip("UW") or c.startswith("C") for c in f.channels)
        return bool(channel) and channel in f.channels

    def _reply_to_response_url(self, key: str, body: dict[str, Any]) -> tuple[int, str]:
        with self._lock:
            uses = self._responses.get(key)
            if uses is None:
                return 404, "invalid_url"
            if time.time() - uses[0] > RESPONSE_URL_SECONDS:
                return 404, "expired_url"
            if len(uses) > RESPONSE_URL_USES:
                return 404, "used_url"
            errors = message_violations(body["blocks"]) if body.get("blocks") is not None else []
            if not body.get("text") and not body.get("blocks"):
                errors = ["no_text"]
            refusal = {"error": "invalid_blocks", "errors": errors} if errors else {}
            call = Call("response_url", {**body, "response_url": key}, None, response={"ok": not errors, **refusal})
            self.calls.append(call)
            self._lock.notify_all()
            if errors:
                return 400, "invalid_blocks" if errors != ["no_text"] else "no_text"
            uses.append(time.time())
            return 200, "ok"

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
                    calls = [{"method": c.method, "args": c.args, "at": c.at, "ok": (c.response or {}).get("ok")}
                             for c in fake.calls]
                    threads = dict(fake.stream_threads)
                self._json(200, {"calls": calls, "stream_threads": threads})

            def do_PUT(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self._upload(urlparse(self.path).path, raw)

            def _upload(self, path: str, raw: bytes) -> None:
                if not path.startswith("/upload/v1/") or not fake._receive_upload(path.rsplit("/", 1)[-1], raw):
                    self._send(404, b"upload URL not found", "text/plain")
                    return
                self._send(200, b"OK - " + str(len(raw)).encode(), "text/plain")

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                path = urlparse(self.path)
                if path.path.startswith("/upload/"):
                    self._upload(path.path, raw)
                    return
                if path.path.startswith("/responses/"):
                    body = _parse_args(raw, self.headers.get("Content-Type", ""), "")
                    status, text = fake._reply_to_response_url(path.path.rsplit("/", 1)[-1], body)
                    self._send(status, text.encode(), "text/html")
                    return
                method = path.path.rsplit("/", 1)[-1]
                args = _parse_args(raw, self.headers.get("Content-Type", ""), path.query)
                authorization = self.headers.get("Authorization") or ""
                if authorization.startswith("Basic "):  # the client id and secret, as oauth.v2.access takes them
                    pair = base64.b64decode(authorization.removeprefix("Basic ")).decode()
                    args["client_id"], _, args["client_secret"] = pair.partition(":")
                    authorization = ""
                token = authorization.removeprefix("Bearer ") or args.get("token")
                call = Call(method, args, token)
                with fake._lock:
                    held = fake._holds.get(method, 0) > 0
                    if held:
                        fake._holds[method] -= 1
                        fake.held.append(call)
                        fake._lock.notify_all()
                if held:
                    fake._released.wait(300)
                with fake._lock:
                    scripted = fake._scripted.get(method)
                    script = scripted.pop(0) if scripted else None
                    wait = fake._too_fast(method, args) if script is None else None
                    if wait is not None:
                        script = _Scripted(error="ratelimited", status=429, retry_after=wait)
                    if script is not None:
                        reply = {"ok": False, "error": script.error}
                    else:
                        body = fake.respond(method, args, token)
                        error = body.pop("__error__", None)
                        reply = {"ok": False, "error": error, **body} if error else {"ok": True, **body}
                    call.response = reply
                    fake.calls.append(call)
                    fake._lock.notify_all()
                if script is not None:
                    headers = {"Retry-After": str(script.retry_after)} if script.retry_after is not None else {}
                    self._json(script.status, reply, headers)
                    return
                self._json(200, reply)

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
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the caller is gone (killed, say)
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
