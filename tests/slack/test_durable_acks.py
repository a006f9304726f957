"""Over HTTP an event is acknowledged only once its delivery is stored in the inbox, and waiting for the database
holds up no other request: the ack functions run on the event loop, the INSERT on the inbox's writer thread."""

from __future__ import annotations

import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text

from tests.slack.conftest import SlackHarness
from tests.slack.test_asking import dm


def test_an_event_is_acknowledged_once_its_delivery_is_stored_and_other_requests_go_on_meanwhile(
        coached: SlackHarness) -> None:
    db = coached.services.coaching.db  # type: ignore[union-attr]
    released = threading.Event()
    locked = threading.Event()

    def hold_the_inbox() -> None:  # another writer holding the inbox table (SQLite: the whole database)
        with db.engine.begin() as connection:  # SQLite begins IMMEDIATE: the write lock is taken here
            if db.backend == "postgresql":
                connection.execute(text("LOCK TABLE inbox IN EXCLUSIVE MODE"))
            locked.set()
            released.wait(30)

    holder = threading.Thread(target=hold_the_inbox)
    holder.start()
    assert locked.wait(10)
    with ThreadPoolExecutor(max_workers=1) as pool:
        reply = pool.submit(coached.slack.event, dm("How do I lead partners?", ts="1700000400.000100"))
        time.sleep(1.0)
        assert not reply.done(), "acknowledged before its delivery was stored"
        started = time.monotonic()
        with urllib.request.urlopen(coached.app.url.replace("/slack/events", "/healthz"), timeout=10) as health:
            assert health.status == 200
        assert time.monotonic() - started < 1.0, "the server waited for the database to answer another request"
        assert coached.api.called("chat.startStream") == [], "its work began before its delivery was stored"
        released.set()
        assert reply.result(timeout=30).status == 200
    holder.join()
    assert coached.api.wait_for("chat.stopStream")
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM inbox")).scalar_one() == 1
