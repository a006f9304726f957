"""Erasure leaves nothing: one person takes every path the coach offers, then asks to be forgotten.

They use the CLI (assess, reflect ending with a commitment, weekly) and Slack (a DM question, an @mention, an
exercise ending with a commitment, the assessment modal, verdicts on answers (one with a comment), a weekly prompt,
the Home tab and its chart, the export and a chart sent by DM).
Every path leaves its own words behind. After `/coach forget-me`, or `coach my-data erase` run by an operator,
no table, no file in the data directory and no file in Slack holds their id or their words: only the
pseudonymous record that an erasure happened.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.answering.memory import DatabaseTurnStore
from bot.coaching.attributes import attributes
from bot.coaching.exercises import load_exercises
from bot.slack.blocks.commitments import COMMITMENT_VIEW, WHAT_BLOCK, WHAT_INPUT
from bot.slack.blocks.data import FORGET_VIEW
from bot.slack.blocks.feedback import COMMENT_BLOCK, COMMENT_INPUT
from bot.slack.client import build_client
from bot.slack.installations import OneWorkspace
from bot.slack.weekly import run_once
from bot.slack.wiring import database_services
from bot.storage import Database, connect
from bot.storage.orm import Base
from bot.storage.repositories.personal_data import user_tables
from tests.llm.conftest import FakeRetriever, llm_answerer
from tests.slack.conftest import SIGNING_SECRET, SlackHarness, eventually, slack_settings
from tests.slack.fake_slack_api import FakeSlackAPI
from tests.slack.fakes import EchoAnswerer
from tests.slack.signed import SlackSender
from tests.slack.test_assessment import submitted_view
from tests.slack.test_weekly import button, make_due, weekly_prompts
from tests.storage.databases import BACKENDS, make_database_url
from tests.storage.test_identity_merge import SECRET_WORDS, T0, seed

REPO = Path(__file__).resolve().parents[2]
SLACK_USER = "UERASEME"
PERSON = f"slack:T1:{SLACK_USER}"
DM = "DERASEME"  # the fake's DM channel with SLACK_USER
# What the person wrote on each path: none of it may survive.
WORDS = {
    "cli assess": "marmoset-in-the-note",
    "cli reflect": "a wombat-in-the-reflection answer",  # one word would be asked again as a non-answer
    "dm question": "pangolin-in-the-dm",
    "mention": "axolotl-in-the-channel",
    "slack exercise": "a capybara-in-the-thread answer",
    "assessment modal": "narwhal-in-the-modal",
    "feedback comment": "okapi-in-the-comment",
    "cli commitment": "Phone the lemur-in-the-commitment",
    "slack commitment": "Meet the quokka-in-the-commitment",
}
IDENTIFIERS = [SLACK_USER, PERSON, *WORDS.values()]


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, isolated_settings: Path) -> Iterator[str]:
    """SQLite in the data directory (so its file is scanned too), or a private PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{isolated_settings / 'coach.db'}"
        return
    yield from make_database_url(request.param, isolated_settings.parent)


@pytest.fixture
def app(database_url: str, isolated_settings: Path, serve: Callable[..., SlackHarness],
        fake_slack: FakeSlackAPI, tmp_path: Path) -> Iterator[SlackHarness]:
    settings = slack_settings(fake_slack, data_dir=isolated_settings, database_url=database_url)
    db = connect(database_url)
    # The served shape: the answerer owns the conversation memory, in the database (the engine just echoes).
    answerer = llm_answerer(FakeRetriever(), None, EchoAnswerer(), settings, turns=DatabaseTurnStore(db))
    services = database_services(db, answerer, settings)
    folder = tmp_path / "exercises"
    folder.mkdir()
    (folder / "partner.yaml").write_text(yaml.safe_dump({
        "id": "partner", "title": "A partner", "summary": "Who do you lead without control?",
        "attributes": attributes().ids[:1], "passages": [{"source": "tizard-leading-questions-2010",
                                                          "quote": "leadership"}],
        "steps": [{"id": "who", "prompt": "Name a partner you cannot instruct.", "kind": "text"}],
        "feedback": "You finished {title}."}), encoding="utf-8")
    assert services.coaching is not None
    services.coaching.library = load_exercises(folder)
    yield serve(services, data_dir=isolated_settings, database_url=database_url)
    db.close()


def coach(*args: str, database_url: str, data_dir: Path, stdin: str = "", **env: str) -> str:
    """The real `coach` command, as an operator runs it on the server."""
    result = subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, input=stdin,
                            timeout=180, cwd=REPO, env={**os.environ, "COACH_DATA_DIR": str(data_dir),
                                                        "COACH_DATABASE_URL": database_url, "COLUMNS": "200", **env})
    assert result.returncode == 0, result.stderr
    return result.stdout


def db_of(h: SlackHarness) -> Database:
    assert h.services.coaching is not None
    return h.services.coaching.db


def rows_of(db: Database) -> dict[str, list[dict[str, Any]]]:
    with db.engine.connect() as connection:
        return {t.name: [dict(r._mapping) for r in connection.execute(select(t))] for t in Base.metadata.sorted_tables}


def count(db: Database, table: str) -> int:
    return sum(1 for row in rows_of(db)[table] if PERSON in repr(row))


def take_every_path(h: SlackHarness, database_url: str, data_dir: Path) -> None:
    db = db_of(h)
    cli = {"database_url": database_url, "data_dir": data_dir}
    # The command line.
    coach("assess", "--user", PERSON, "--rating", "listening=2", "--note", WORDS["cli assess"], "--yes", **cli)
    exercise = next(iter(load_exercises()))
    answers = ["3" if step.kind == "rating" else WORDS["cli reflect"] for step in exercise.steps]
    commitment = [WORDS["cli commitment"], "", "the board"]  # what, no date, with whom
    piped = [*answers, "n", *commitment]  # n: no self-rating now
    coach("reflect", exercise.id, "--user", PERSON, "--yes", stdin="\n".join(piped) + "\n", **cli)
    coach("weekly", "on", "--user", PERSON, "--yes", **cli)
    # A question in the DM, then feedback on the answer with a comment.
    h.slack.event({"type": "message", "channel": DM, "channel_type": "im", "user": SLACK_USER,
                   "text": f"How do I lead {WORDS['dm question']}?", "ts": "1700009000.000100"})
    stop = h.api.wait_for("chat.stopStream")[0]
    buttons = next(b for b in stop["blocks"] if b["type"] == "context_actions")
    h.slack.feedback(buttons, helpful=False, user=SLACK_USER, channel=DM,
                     message={"ts": stop["ts"], "blocks": stop["blocks"]})
    modal = h.api.wait_for("views.open")[0]["view"]
    h.slack.view_submission({"id": "VFB", "type": "modal", "callback_id": modal["callback_id"],
                             "private_metadata": modal["private_metadata"], "state": {"values": {COMMENT_BLOCK: {
                                 COMMENT_INPUT: {"type": "plain_text_input", "value": WORDS["feedback comment"]}}}}},
                            user=SLACK_USER)
    # An @mention in a channel.
    h.slack.event({"type": "app_mention", "channel": "C9", "user": SLACK_USER, "ts": "1700009100.000100",
                   "text": f"<@UBOT> and {WORDS['mention']}?"})
    mention_answer = h.api.wait_for("chat.stopStream", count=2)[1]
    # A verdict on that answer too (each verdict is stored with the passages the answer cited).
    h.slack.feedback(next(b for b in mention_answer["blocks"] if b["type"] == "context_actions"), helpful=True,
                     user=SLACK_USER, channel="C9", message={"ts": mention_answer["ts"],
                                                             "thread_ts": "1700009100.000100"})
    eventually(lambda: count(db, "answer_feedback") == 2)
    # An exercise in a DM thread.
    h.slack.command("reflect", user=SLACK_USER)
    step = eventually(lambda: [m for m in h.api.called("chat.postMessage") if "Step 1 of 1" in json.dumps(m)])
    assert step
    h.slack.event({"type": "message", "channel": DM, "channel_type": "im", "user": SLACK_USER,
                   "text": WORDS["slack exercise"], "ts": "1700009200.000100", "thread_ts": step[0]["thread_ts"]})
    # ... which ends with a commitment, made in its form.
    ask = eventually(lambda: [e["value"] for m in h.api.called("chat.postMessage") for b in m.get("blocks") or []
                              if b.get("block_id") == "commitment_ask" for e in b["elements"]])
    assert ask
    h.slack.view_submission({"id": "VCOMMIT", "type": "modal", "callback_id": COMMITMENT_VIEW,
                             "private_metadata": ask[0], "state": {"values": {
                                 WHAT_BLOCK: {WHAT_INPUT: {"type": "plain_text_input",
                                                           "value": WORDS["slack commitment"]}}}}}, user=SLACK_USER)
    # The assessment modal (its save refreshes the Home tab, which uploads the chart).
    h.slack.view_submission(submitted_view({attributes().ids[0]: 4}, notes=WORDS["assessment modal"]),
                            user=SLACK_USER)
    # The weekly prompt, sent by the scheduler and skipped.
    make_due(db, PERSON)
    assert run_once(h.services.coaching,  # type: ignore[arg-type]
                    OneWorkspace(build_client(h.app.settings, "xoxb-test"))).sent == [PERSON]
    [prompt] = weekly_prompts(h.api)
    h.slack.action("weekly_skip", button(prompt, "weekly_skip"), user=SLACK_USER, channel=DM,
                   container={"type": "message", "channel_id": DM, "message_ts": prompt["ts"]})
    # The Home tab, then the chart and the export by DM.
    h.slack.event({"type": "app_home_opened", "user": SLACK_USER, "channel": DM, "tab": "home"})
    h.slack.action("home_chart", "", user=SLACK_USER, channel=DM)
    eventually(lambda: all(word in json.dumps(rows_of(db), default=str) for word in WORDS.values()))
    stored = json.dumps(rows_of(db), default=str)
    assert [path for path, word in WORDS.items() if word not in stored] == []  # every path stored its words
    assert eventually(lambda: all(word in json.dumps(rows_of(db), default=str) for word in WORDS.values()) and
                      any(r["status"] == "skipped" for r in rows_of(db)["deliveries"]) and
                      {u["kind"] for u in rows_of(db)["uploaded_files"]} == {"home-chart", "chart"})
    uploaded = count(db, "uploaded_files")
    h.slack.command("my-data", user=SLACK_USER)
    assert eventually(lambda: count(db, "uploaded_files") == uploaded + 2)  # the JSON and the CSV


def check_everything_was_stored_and_exported(h: SlackHarness) -> None:
    db = db_of(h)
    text = json.dumps(rows_of(db), default=str)
    assert all(word in text for word in WORDS.values())  # every path left its words: the scan below can fail
    [export] = [json.loads(f.data or b"") for f in h.api.live_files() if f.filename == "coach-my-data.json"]
    tables = export["tables"]
    assert {t["role"] for t in tables["conversation_turns"]} >= {"user", "assistant"}
    assert any(WORDS["mention"] in t["content"] for t in tables["conversation_turns"] if t["role"] == "assistant")
    assert [f["comment"] for f in tables["answer_feedback"] if f["comment"]] == [WORDS["feedback comment"]]
    assert sorted((f["helpful"], json.loads(f["passages"])) for f in tables["answer_feedback"]) == [
        (False, ["c1"]), (True, ["c1"])]  # both verdicts, with what each answer stood on
    assert {u["kind"] for u in tables["uploaded_files"]} == {"home-chart", "chart"}
    assert sorted(c["what"] for c in tables["commitments"]) == sorted([WORDS["cli commitment"],
                                                                        WORDS["slack commitment"]])


def erase_in_slack(h: SlackHarness, database_url: str, data_dir: Path) -> None:
    h.slack.view_submission({"id": "VFORGET", "type": "modal", "callback_id": FORGET_VIEW, "state": {"values": {}}},
                            user=SLACK_USER)
    eventually(lambda: any("Done: I erased" in str(m.get("text")) for m in h.api.called("chat.postMessage")))


def erase_by_operator(h: SlackHarness, database_url: str, data_dir: Path) -> None:
    out = coach("my-data", "erase", "--user", PERSON, "--yes", database_url=database_url, data_dir=data_dir,
                SLACK_BOT_TOKEN="xoxb-test", COACH_SLACK_API_URL=h.api.url)
    assert re.search(r"Deleted \d+ file\(s\) the coach had uploaded to Slack", out)


@pytest.mark.parametrize("erase", [erase_in_slack, erase_by_operator], ids=["/coach forget-me", "coach my-data erase"])
def test_erasure_leaves_no_trace_of_the_person_in_the_database_the_data_directory_or_slack(
        app: SlackHarness, database_url: str, isolated_settings: Path, erase: Callable[..., None]) -> None:
    take_every_path(app, database_url, isolated_settings)
    check_everything_was_stored_and_exported(app)

    erase(app, database_url, isolated_settings)

    rows = rows_of(db_of(app))
    left = {table: [r for r in found if any(word in repr(r) for word in IDENTIFIERS)] for table, found in rows.items()}
    assert {table: found for table, found in left.items() if found} == {}
    assert rows["answer_feedback"] == []  # verdicts are personal data: none is kept, passages and all
    [erasure] = [r for r in rows["audit_log"] if r["action"] == "erasure"]
    assert erasure["subject"].startswith("pseudonym:")
    files = [p for p in isolated_settings.rglob("*") if p.is_file()]
    assert "pseudonym.key" in {p.name for p in files}
    if database_url.startswith("sqlite"):
        assert "coach.db" in {p.name for p in files}  # scanned bytes and all: deleted rows were overwritten
    assert [p.name for p in files if any(w.encode() in p.read_bytes() for w in IDENTIFIERS)] == []
    assert [f.filename for f in app.api.live_files() if f.owner == "UBOT"] == []



def test_after_a_grid_members_ids_are_merged_export_and_erasure_reach_every_row_of_the_earlier_id(
        app: SlackHarness, isolated_settings: Path) -> None:
    # Before one person had one id, everything this Grid member did from their workspace T2 was kept under
    # slack:T2:WMERGED: a row in every table that holds people's rows.
    member, earlier = "WMERGED", "slack:T2:WMERGED"
    with Session(db_of(app).engine) as session:
        seed(session, earlier, T0, "old")
    app.api.enterprise_id = "E1"
    grid = SlackSender(app.app.url, SIGNING_SECRET, app.api.response_url, team="T1", enterprise="E1")
    grid.event({"type": "message", "channel": "D7", "channel_type": "im", "user": member, "text": "Hello?",
                "ts": "1700009900.000100"}, user_team="T2")
    app.api.wait_for("chat.stopStream")
    grid.command("my-data", user=member)
    [export] = eventually(lambda: [json.loads(f.data or b"") for f in app.api.live_files()
                                   if f.filename == "coach-my-data.json"])  # type: ignore[misc]
    assert export["user_id"] == "slack:E1:WMERGED"
    assert [t.name for t in user_tables() if not export["tables"][t.name]] == []  # every table reached

    grid.view_submission({"id": "VFORGET", "type": "modal", "callback_id": FORGET_VIEW, "state": {"values": {}}},
                         user=member)
    eventually(lambda: any("Done: I erased" in str(m.get("text")) for m in app.api.called("chat.postMessage")))
    rows = rows_of(db_of(app))
    left = {table: [r for r in found if member in repr(r) or SECRET_WORDS in repr(r)] for table, found in rows.items()}
    assert {table: found for table, found in left.items() if found} == {}
