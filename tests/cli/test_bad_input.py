"""Bad input through the `coach` command, on SQLite and PostgreSQL.

Every refusal is a message naming the option, field, setting or file; exit code 2 for bad input (1 for a fault
at run time such as a read-only folder or a corrupt index, 3 for a role that does not permit the command); no
traceback; the database exactly as it was; and nothing a person wrote (a note, an answer, a secret setting)
repeated in the output or in any log line.

The table runs in-process through the same root command as `coach` (so it can be broad and quick); the cases
that need a real process (bytes that are not UTF-8 in argv or on stdin, a read-only mount) run `python -m bot`.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from typer.testing import CliRunner

from tests.storage.databases import BACKENDS, make_database_url

REPO = Path(__file__).resolve().parents[2]
PRIVATE = "MY-PRIVATE-WORDS"  # stands for what a person wrote: it must never be shown back or logged
PM = "pm@example.org"  # a programme manager, so that trends reach their own input checks
SUBSCRIBER = "subscriber@example.org"  # has weekly prompts on, so run-due has arithmetic to do
LONG = "A" * 50_000
UNDECODABLE = "x\udcffy"  # what Python makes of the bytes b"x\xffy" in argv or on stdin


@pytest.fixture(scope="module", params=BACKENDS)
def seeded_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One seeded database per backend for the whole table: refused commands must leave it as it was."""
    from bot.coaching.conversation import set_profile
    from bot.coaching.privacy_notice import record_notice_shown
    from bot.coaching.weekly import subscribe
    from bot.storage import connect

    urls = make_database_url(request.param, tmp_path_factory.mktemp("bad-input-db"))
    url = next(urls)
    database = connect(url)
    set_profile(database.uow(), PM, role="programme_manager")
    record_notice_shown(database.uow(), SUBSCRIBER)
    subscribe(database.uow(), SUBSCRIBER, "monday", "09:00", "Europe/London")
    database.close()
    yield url
    next(urls, None)  # drops the PostgreSQL schema


def snapshot(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in a stable order."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {table: sorted((tuple(row) for row in connection.execute(text(f'SELECT * FROM "{table}"'))),
                                  key=repr)
                    for table in inspect(connection).get_table_names() if table != "alembic_version"}
    finally:
        engine.dispose()


def invoke(args: Sequence[str], env: Mapping[str, str], stdin: str | None = None):  # type: ignore[no-untyped-def]
    from bot.cli import _register, app
    from bot.config import get_settings

    _register()
    get_settings.cache_clear()
    try:
        # catch_exceptions=False: an exception that escapes the command fails the test instead of being recorded
        return CliRunner().invoke(app, list(args), input=stdin, env={"COLUMNS": "200", **env},
                                  catch_exceptions=False)
    finally:
        get_settings.cache_clear()


def said(result) -> str:  # type: ignore[no-untyped-def]
    """Everything the command printed, with the terminal's line wrapping and panel borders undone."""
    return " ".join((result.stdout + result.stderr).replace("│", " ").split())


def case(name: str, *args: str, names: str, code: int = 2, env: dict[str, str] | None = None,
         personal: str | None = None, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return pytest.param(list(args), names, code, env or {}, personal, stdin, id=name)


# (command line, what the message must name, exit code, extra environment, personal text, stdin)
# "{tmp}" stands for a fresh folder.
CASES = [
    # assess: ratings are ASCII digits 1-5 and nothing else
    case("assess-superscript-digit", "assess", "--user", "new@x", "--rating", "listening=²", "--yes",
         names="rating for 'listening'"),
    case("assess-arabic-indic-digit", "assess", "--user", "new@x", "--rating", "listening=٣", "--yes",
         names="rating for 'listening'"),
    case("assess-fullwidth-digit", "assess", "--user", "new@x", "--rating", "listening=３", "--yes",
         names="rating for 'listening'"),
    case("assess-decimal", "assess", "--user", "new@x", "--rating", "listening=3.0", "--yes",
         names="rating for 'listening'"),
    case("assess-plus-sign", "assess", "--user", "new@x", "--rating", "listening=+3", "--yes",
         names="rating for 'listening'"),
    case("assess-empty-rating", "assess", "--user", "new@x", "--rating", "listening=", "--yes",
         names="rating for 'listening'"),
    case("assess-zero", "assess", "--user", "new@x", "--rating", "listening=0", "--yes", names="from 1 to 5"),
    case("assess-six", "assess", "--user", "new@x", "--rating", "listening=6", "--yes", names="from 1 to 5"),
    case("assess-negative", "assess", "--user", "new@x", "--rating", "listening=-1", "--yes", names="from 1 to 5"),
    case("assess-huge-number", "assess", "--user", "new@x", "--rating", "listening=" + "9" * 5000, "--yes",
         names="rating for 'listening'"),
    case("assess-no-equals", "assess", "--user", "new@x", "--rating", "listening", "--yes",
         names="ATTRIBUTE=RATING"),
    case("assess-no-attribute", "assess", "--user", "new@x", "--rating", "=3", "--yes",
         names="Unknown attribute ''"),
    case("assess-unknown-attribute", "assess", "--user", "new@x", "--rating", "charisma=3", "--yes",
         names="Unknown attribute 'charisma'"),
    case("assess-huge-attribute", "assess", "--user", "new@x", "--rating", LONG + "=3", "--yes",
         names="Unknown attribute"),
    case("assess-one-bad-among-good", "assess", "--user", "new@x", "--rating", "listening=4", "--rating",
         "letting-go=²", "--yes", names="rating for 'letting-go'"),
    case("assess-empty-user", "assess", "--user", "", "--rating", "listening=3", "--yes", names="--user"),
    case("assess-blank-user", "assess", "--user", "   ", "--rating", "listening=3", "--yes", names="--user"),
    case("assess-long-user", "assess", "--user", "u" * 201, "--rating", "listening=3", "--yes",
         names="--user"),
    case("assess-newline-in-user", "assess", "--user", "a\nb", "--rating", "listening=3", "--yes",
         names="--user"),
    case("assess-escape-sequence-user", "assess", "--user", "\x1b[31mred", "--rating", "listening=3", "--yes",
         names="--user"),
    case("assess-undecodable-user", "assess", "--user", UNDECODABLE, "--rating", "listening=3", "--yes",
         names="--user"),
    case("assess-long-note", "assess", "--user", "new@x", "--rating", "listening=3", "--note",
         (PRIVATE + " ") * 200, "--yes", names="notes", personal=PRIVATE),
    case("assess-undecodable-note", "assess", "--user", "new@x", "--rating", "listening=3", "--note",
         PRIVATE + " \udcff", "--yes", names="notes", personal=PRIVATE),
    case("assess-empty-key", "assess", "--user", "new@x", "--rating", "listening=3", "--key", "", "--yes",
         names="submission_key"),
    case("assess-long-key", "assess", "--user", "new@x", "--rating", "listening=3", "--key", LONG, "--yes",
         names="submission_key"),
    case("assess-undecodable-key", "assess", "--user", "new@x", "--rating", "listening=3", "--key", UNDECODABLE,
         "--yes", names="submission_key"),
    case("assess-notice-not-accepted", "assess", "--user", "new@x", "--rating", "listening=3", names="--yes"),
    case("assess-nothing-rated-from-stdin", "assess", "--user", "new@x", "--yes", stdin="\n" * 9,
         names="Rate at least one attribute"),
    case("assess-bad-digits-from-stdin", "assess", "--user", "new@x", "--yes", stdin="²\n٣\n", names="Rate at least"),
    # reflect
    case("reflect-unknown-exercise", "reflect", "no-such-exercise", "--user", "new@x", "--yes",
         names="Unknown exercise 'no-such-exercise'"),
    case("reflect-huge-exercise-id", "reflect", LONG, "--user", "new@x", "--yes", names="Unknown exercise"),
    case("reflect-no-user", "reflect", "win-win", "--yes", names="--user"),
    case("reflect-empty-user", "reflect", "win-win", "--user", "", "--yes", names="--user"),
    case("reflect-undecodable-user", "reflect", "win-win", "--user", UNDECODABLE, "--yes", names="--user"),
    # history
    case("history-empty-user", "history", "--user", "", names="--user"),
    case("history-long-user", "history", "--user", LONG, names="--user"),
    case("history-chart-in-missing-folder", "history", "--user", SUBSCRIBER, "--chart", "{tmp}/missing/c.png",
         names="--chart"),
    case("history-chart-at-a-folder", "history", "--user", SUBSCRIBER, "--chart", "{tmp}", names="--chart"),
    case("history-chart-undecodable-name", "history", "--user", SUBSCRIBER, "--chart", "{tmp}/c\udcff.png",
         names="--chart"),
    # weekly
    case("weekly-on-unknown-day", "weekly", "on", "--user", "new@x", "--day", "someday", "--yes",
         names="day of the week"),
    case("weekly-on-empty-day", "weekly", "on", "--user", "new@x", "--day", "", "--yes", names="day of the week"),
    case("weekly-on-huge-day", "weekly", "on", "--user", "new@x", "--day", LONG, "--yes", names="day of the week"),
    case("weekly-on-hour-25", "weekly", "on", "--user", "new@x", "--time", "25:00", "--yes", names="HH:MM"),
    case("weekly-on-seconds", "weekly", "on", "--user", "new@x", "--time", "09:00:30", "--yes", names="HH:MM"),
    case("weekly-on-arabic-indic-time", "weekly", "on", "--user", "new@x", "--time", "٠٩:٠٠", "--yes",
         names="HH:MM"),
    case("weekly-on-empty-time", "weekly", "on", "--user", "new@x", "--time", "", "--yes", names="HH:MM"),
    case("weekly-on-unknown-timezone", "weekly", "on", "--user", "new@x", "--timezone", "Mars/Olympus", "--yes",
         names="IANA timezone"),
    case("weekly-on-50000-character-timezone", "weekly", "on", "--user", "new@x", "--timezone", LONG, "--yes",
         names="IANA timezone"),
    case("weekly-on-path-as-timezone", "weekly", "on", "--user", "new@x", "--timezone", "../../../etc/passwd",
         "--yes", names="IANA timezone"),
    case("weekly-on-undecodable-timezone", "weekly", "on", "--user", "new@x", "--timezone", UNDECODABLE, "--yes",
         names="timezone"),
    case("weekly-on-empty-timezone", "weekly", "on", "--user", "new@x", "--timezone", "", "--yes",
         names="IANA timezone"),
    case("weekly-on-empty-user", "weekly", "on", "--user", "", "--yes", names="--user"),
    case("weekly-off-empty-user", "weekly", "off", "--user", "", names="--user"),
    case("weekly-status-undecodable-user", "weekly", "status", "--user", UNDECODABLE, names="--user"),
    case("weekly-run-due-year-9999", "weekly", "run-due", "--now", "9999-12-31T23:59:59+00:00", names="--now"),
    case("weekly-run-due-year-1", "weekly", "run-due", "--now", "0001-01-01T00:00:00+00:00", names="--now"),
    case("weekly-run-due-month-13", "weekly", "run-due", "--now", "2026-13-01", names="--now"),
    case("weekly-run-due-words", "weekly", "run-due", "--now", "next tuesday", names="--now"),
    case("weekly-run-due-huge", "weekly", "run-due", "--now", LONG, names="--now"),
    case("weekly-run-due-undecodable", "weekly", "run-due", "--now", UNDECODABLE, names="--now"),
    # my-data
    case("export-out-in-missing-folder", "my-data", "export", "--user", SUBSCRIBER, "--out",
         "{tmp}/missing/me.json", names="--out"),
    case("export-out-at-a-folder", "my-data", "export", "--user", SUBSCRIBER, "--out", "{tmp}", names="--out"),
    case("export-empty-user", "my-data", "export", "--user", "", names="--user"),
    case("export-undecodable-user", "my-data", "export", "--user", UNDECODABLE, "--csv", names="--user"),
    case("erase-without-yes", "my-data", "erase", "--user", SUBSCRIBER, names="--yes"),
    case("erase-undecodable-user", "my-data", "erase", "--user", UNDECODABLE, "--yes", names="--user"),
    case("erase-long-user", "my-data", "erase", "--user", LONG, "--yes", names="--user"),
    case("notice-given-empty-user", "my-data", "notice-given", "--user", "", names="--user"),
    case("notice-given-newline-user", "my-data", "notice-given", "--user", "a\nb", names="--user"),
    case("purge-old-zero-retention", "my-data", "purge-old", env={"COACH_RETENTION_DAYS": "0"},
         names="COACH_RETENTION_DAYS"),
    # trends (a programme manager's input; anyone else is not permitted to get that far)
    case("trends-not-permitted", "trends", "--user", "new@x", names="programme managers", code=3),
    case("trends-empty-user", "trends", "--user", "", names="--user"),
    case("trends-unknown-period", "trends", "--user", PM, "--period", "year", names="period"),
    case("trends-zero-periods", "trends", "--user", PM, "--periods", "0", names="periods"),
    case("trends-huge-periods", "trends", "--user", PM, "--periods", "100000", names="periods"),
    case("trends-periods-not-a-number", "trends", "--user", PM, "--periods", "six", names="--periods"),
    case("trends-long-cohort", "trends", "--user", PM, "--cohort", LONG, names="cohort"),
    case("trends-undecodable-cohort", "trends", "--user", PM, "--cohort", UNDECODABLE, names="cohort"),
    case("trends-chart-in-missing-folder", "trends", "--user", PM, "--chart", "{tmp}/missing/t.png",
         names="--chart"),
    # people set
    case("people-set-nothing-to-set", "people", "set", "new@x", names="--role"),
    case("people-set-empty-user", "people", "set", "", "--role", "officer", names="Invalid value for 'user'"),
    case("people-set-unknown-role", "people", "set", "new@x", "--role", "king", names="role"),
    case("people-set-long-cohort", "people", "set", "new@x", "--cohort", "c" * 201, names="cohort"),
    case("people-set-undecodable-cohort", "people", "set", "new@x", "--cohort", UNDECODABLE, names="cohort"),
    case("people-set-newline-cohort", "people", "set", "new@x", "--cohort", "a\nb", names="cohort"),
    case("people-set-50000-character-timezone", "people", "set", "new@x", "--timezone", LONG,
         names="IANA timezone"),
    case("people-set-empty-role", "people", "set", "new@x", "--role", "", names="role must be one of"),
    case("people-set-empty-timezone", "people", "set", "new@x", "--timezone", "", names="IANA timezone"),
    case("people-set-undecodable-user", "people", "set", UNDECODABLE, "--role", "officer",
         names="Invalid value for 'user'"),
    # ask and search (refused before any index is opened)
    case("ask-empty", "ask", "", names="question"),
    case("ask-blank", "ask", " \t\n ", names="question"),
    case("ask-only-undecodable-bytes", "ask", "\udcff\udcfe", names="question"),
    case("search-empty", "search", "", names="question"),
    case("search-k-zero", "search", "listening", "--k", "0", names="--k"),
    case("search-k-51", "search", "listening", "--k", "51", names="--k"),
    case("search-undecodable-source", "search", "listening", "--source", UNDECODABLE, names="--source"),
    # ingest
    case("ingest-missing-path", "ingest", "{tmp}/no-such-folder", names="no-such-folder"),
    case("ingest-undecodable-missing-path", "ingest", "{tmp}/no\udcff", names="does not exist"),
    # settings: named, never shown (a value may be a secret)
    case("config-bad-number", "config", env={"COACH_RETRIEVAL_K": "abc"}, names="COACH_RETRIEVAL_K"),
    case("config-unknown-backend", "config", env={"COACH_EMBEDDING_BACKEND": "nope"},
         names="COACH_EMBEDDING_BACKEND"),
    case("config-bad-setting-beside-a-secret", "config", "--json",
         env={"COACH_LLM_TEMPERATURE": "hot", "OPENAI_API_KEY": "sk-" + PRIVATE}, names="COACH_LLM_TEMPERATURE",
         personal=PRIVATE),
    case("history-unsupported-database", "history", "--user", "u", env={"COACH_DATABASE_URL": "mysql://u@h/db"},
         names="Unsupported database"),
    case("history-database-url-not-a-url", "history", "--user", "u", env={"COACH_DATABASE_URL": "not a url"},
         names="COACH_DATABASE_URL"),
    case("db-upgrade-database-unreachable", "db", "upgrade",
         env={"COACH_DATABASE_URL": "postgresql+psycopg://u@127.0.0.1:1/x"}, names="127.0.0.1:1", code=1),
    case("eval-gold-set-missing", "eval", "retrieval", "--gold", "{tmp}/missing.yaml", names="missing.yaml"),
    case("history-data-dir-is-a-file", "history", "--user", "u",
         env={"COACH_DATABASE_URL": "", "COACH_DATA_DIR": "{tmp}/a-file"}, names="a-file", code=1),
]


@pytest.mark.parametrize(("args", "names", "code", "env", "personal", "stdin"), CASES)
def test_bad_input_is_refused_by_name_without_a_traceback_and_stores_nothing(
        seeded_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture, args: list[str], names: str, code: int,
        env: dict[str, str], personal: str | None, stdin: str | None) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    env = {"COACH_DATA_DIR": str(tmp_path / "data"), "COACH_DATABASE_URL": seeded_url,
           **{k: v.replace("{tmp}", str(tmp_path)) for k, v in env.items()}}
    env = {k: v for k, v in env.items() if v}
    before = snapshot(seeded_url)
    caplog.set_level(logging.DEBUG)

    result = invoke(args, env, stdin)

    output = said(result)
    assert result.exit_code == code, output
    assert "Traceback" not in output
    assert names in output, output
    assert snapshot(seeded_url) == before
    if personal:
        assert personal not in output and personal not in caplog.text
    assert len(result.stderr) < 3000  # a refusal is a message, not the input repeated back


@pytest.mark.parametrize(("index_file", "command"), [
    ("chroma.sqlite3", ["search", "listening"]),
    ("chroma.sqlite3", ["ask", "how do I listen to partners?"]),
    ("chroma.sqlite3", ["ingest"]),
])
def test_random_bytes_in_the_index_give_a_message_naming_it_and_how_to_rebuild(
        guidance_index: Path, tmp_path: Path, index_file: str, command: list[str]) -> None:
    data = tmp_path / "data"
    shutil.copytree(guidance_index, data)
    [store] = (data / "index").rglob(index_file)
    # The saved copy that serving reads instead of Chroma is damaged too: with it intact, search needs no Chroma.
    for damaged_file in [store, *(data / "index").glob("records.npz")]:
        damaged = bytearray(damaged_file.read_bytes())
        for offset in range(0, len(damaged), 4096):  # every page, the header included
            damaged[offset:offset + 256] = os.urandom(256)
        damaged_file.write_bytes(bytes(damaged))

    result = invoke(command, {"COACH_DATA_DIR": str(data)})

    output = said(result)
    assert result.exit_code == 1 and "Traceback" not in output
    assert str(store.parent) in output and "coach ingest" in output, output


# --- in a real process: what the terminal hands over as bytes -----------------------------------------------


def coach(*args: str | bytes, data_dir: Path, url: str, stdin: bytes = b"",
          prefix: Sequence[str] = ()) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "COACH_DATA_DIR": str(data_dir), "COLUMNS": "200", "PYTHONPATH": str(REPO)}
    if url:
        env["COACH_DATABASE_URL"] = url
    return subprocess.run([*prefix, sys.executable, "-m", "bot", *args], capture_output=True, env=env, input=stdin,
                          timeout=300, cwd=REPO)


@pytest.mark.parametrize(("args", "stdin", "names"), [
    pytest.param([b"assess", b"--user", b"x\xff", b"--rating", b"listening=3", b"--yes"], b"", "--user",
                 id="user-bytes"),
    pytest.param([b"assess", b"--user", b"x", b"--rating", b"listening=3", b"--note",
                  PRIVATE.encode() + b" \xff\xfe", b"--yes"], b"", "notes", id="note-bytes"),
    pytest.param([b"people", b"set", b"x", b"--cohort", b"c\xff"], b"", "cohort", id="cohort-bytes"),
    pytest.param([b"assess", b"--user", b"x", b"--yes"], b"\xff\xfe\n" * 9, "Rate at least one", id="stdin-ratings"),
    pytest.param([b"reflect", b"win-win", b"--user", b"x", b"--yes"], PRIVATE.encode() + b" \xff\n", "answer",
                 id="stdin-answer-bytes"),
    pytest.param([b"reflect", b"win-win", b"--user", b"x", b"--yes"], PRIVATE.encode() + b" \x00 more\n", "answer",
                 id="stdin-answer-nul"),
    pytest.param([b"reflect", b"win-win", b"--user", b"x", b"--yes"], (PRIVATE + " ") .encode() * 300 + b"\n",
                 "answer", id="stdin-answer-too-long"),
    pytest.param([b"reflect", b"win-win", b"--user", b"x", b"--yes"], b"idk\n", "answer", id="stdin-non-answer"),
])
def test_bytes_that_are_not_text_are_refused_by_name_in_a_real_process(
        seeded_url: str, tmp_path: Path, args: list[bytes], stdin: bytes, names: str) -> None:
    before = snapshot(seeded_url)

    result = coach(*args, data_dir=tmp_path, url=seeded_url, stdin=stdin)

    output = " ".join(result.stdout.decode("utf-8", "replace").split() + result.stderr.decode(
        "utf-8", "replace").replace("│", " ").split())
    assert result.returncode == 2, output
    assert "Traceback" not in output and names in output, output
    assert PRIVATE not in output
    # A refused first answer leaves nothing: no notice, no exercise session, no audit entry for a new person.
    assert snapshot(seeded_url) == before


def _read_only(folder: Path) -> list[str]:
    """A command prefix under which `folder` cannot be written, even by root (a read-only bind mount)."""
    if os.geteuid() != 0:
        folder.chmod(0o500)
        return []
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("running as root without mount namespaces: cannot make a folder read-only")
    return ["unshare", "-m", "sh", "-c", 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" "$0" && exec "$@"',
            str(folder)]


@pytest.mark.parametrize("command", [["history", "--user", "u@x"], ["assess", "--user", "u@x", "--rating",
                                                                       "listening=3", "--yes"]])
def test_a_read_only_data_directory_is_a_fault_named_without_a_traceback(tmp_path: Path, command: list[str]) -> None:
    data = tmp_path / "data"
    made = coach("people", "set", "u@x", "--role", "officer", data_dir=data, url="")
    assert made.returncode == 0, made.stderr
    for leftover in data.glob("coach.db.migrate.lock"):
        leftover.unlink()  # as after a reboot: the lock file has to be made again
    prefix = _read_only(data)
    try:
        result = coach(*command, data_dir=data, url="", prefix=prefix)
    finally:
        data.chmod(0o700)
    output = " ".join(result.stderr.decode().split())
    assert result.returncode == 1, output
    assert "Traceback" not in output and str(data) in output and "writable" in output, output


def at_a_terminal(*args: str, data_dir: Path, url: str, keys: bytes) -> tuple[int, str]:
    """Run `coach` with a real terminal as its input (the notice is shown before the questions only there)."""
    import pty
    import select

    leader, follower = pty.openpty()
    env = {**os.environ, "COACH_DATA_DIR": str(data_dir), "COLUMNS": "200", "PYTHONPATH": str(REPO)}
    if url:
        env["COACH_DATABASE_URL"] = url
    process = subprocess.Popen([sys.executable, "-m", "bot", *args], stdin=follower, stdout=follower,
                               stderr=follower, env=env, cwd=REPO)
    os.close(follower)
    os.write(leader, keys)
    output = b""
    while True:
        if not select.select([leader], [], [], 120)[0]:  # still waiting for input nobody typed: stop it
            process.kill()
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the process closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    return process.wait(timeout=300), output.decode("utf-8", "replace")


def test_a_person_who_skips_every_rating_at_a_terminal_is_shown_the_notice_and_nothing_is_stored(
        seeded_url: str, tmp_path: Path) -> None:
    before = snapshot(seeded_url)

    # Enter to the notice's "Continue?", then Enter to skip each of the nine attributes and the note.
    code, output = at_a_terminal("assess", "--user", "someone-new@x", data_dir=tmp_path, url=seeded_url,
                                 keys=b"\r" * 11)

    assert code == 2, output
    assert "Privacy notice" in output and "Rate at least one" in output, output
    assert snapshot(seeded_url) == before
