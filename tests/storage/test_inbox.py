"""The inbox of acknowledged deliveries: kept once, held while their worker lives, taken over once it is dead."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from bot.coaching.data_rights import erase_user, export_user_data
from bot.storage import Database
from bot.storage.inbox import Inbox
from bot.storage.repositories.inbox import Delivery

LEASE = timedelta(seconds=1)


def worker(db: Database, name: str) -> Inbox:
    return Inbox(db, lease=LEASE, worker=name)


def test_a_delivery_is_kept_once_and_a_copy_of_it_is_refused(db: Database) -> None:
    first, second = worker(db, "a"), worker(db, "b")
    assert first.keep("event:Ev1", "event:message", '{"event_id": "Ev1"}', "slack:T1:U1") is not None
    assert second.keep("event:Ev1", "event:message", '{"event_id": "Ev1"}', "slack:T1:U1") is None


def test_a_live_workers_deliveries_are_not_taken_over_but_a_dead_ones_are_taken_by_exactly_one_other(
        db: Database) -> None:
    live, dead = worker(db, "live"), worker(db, "dead")
    kept_live = live.keep("event:EvLIVE", "event:message", "{}", None)
    for n in range(20):
        dead.keep(f"event:EvDEAD{n}", "event:message", "{}", None)
    time.sleep(LEASE.total_seconds() / 2)
    live.tick(lambda _: None)  # the live worker renews its hold; the dead one no longer can
    time.sleep(LEASE.total_seconds() / 2 + 0.2)

    taken: dict[str, list[str]] = {"b": [], "c": []}
    claimers = [worker(db, name) for name in taken]
    start = threading.Barrier(len(claimers))

    def run(inbox: Inbox, delivery: Delivery) -> None:
        if inbox.begin(delivery.key):
            inbox.done(delivery.key)

    def claim(inbox: Inbox) -> None:
        start.wait()
        deadline = time.monotonic() + 30
        while len(taken["b"]) + len(taken["c"]) < 20 and time.monotonic() < deadline:
            for delivery in inbox.tick(lambda d: run(inbox, d)):  # as many at a time as it can run soon
                taken[inbox.worker].append(delivery.key)

    threads = [threading.Thread(target=claim, args=(inbox,)) for inbox in claimers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = taken["b"] + taken["c"]
    assert len(everything) == len(set(everything)) == 20  # every dead worker's delivery, each by one worker
    assert kept_live not in everything


def test_a_taken_over_delivery_runs_on_the_new_worker_and_the_old_one_may_not_start_it(db: Database) -> None:
    old, new = worker(db, "old"), worker(db, "new")
    stored = old.keep("view:V1", "view_submission", "{}", None)
    assert stored is not None
    time.sleep(LEASE.total_seconds() + 0.2)
    ran = threading.Event()

    def rerun(delivery: Delivery) -> None:
        assert new.begin(delivery.key)
        new.done(delivery.key)
        ran.set()

    assert [d.key for d in new.tick(rerun)] == [stored]
    assert ran.wait(10)
    assert not old.begin(stored), "the old worker, back from a freeze, finds it done"


def test_erasure_deletes_the_persons_deliveries_not_yet_done(db: Database) -> None:
    inbox = worker(db, "a")
    inbox.keep("event:Ev1", "event:message", '{"text": "my own words"}', "slack:T1:U1")
    other = inbox.keep("event:Ev2", "event:message", '{"text": "theirs"}', "slack:T1:U2")
    counts = erase_user(db.uow(), "slack:T1:U1", b"0123456789abcdef0123")
    assert counts["inbox"] == 1
    with db.uow() as uow:
        assert uow.inbox.pending() == 1
    assert other is not None and inbox.begin(other)


def test_a_persons_export_holds_their_deliveries_not_yet_done_and_nobody_elses(db: Database) -> None:
    inbox = worker(db, "a")
    with db.uow() as uow:  # the export is of someone the coach knows
        uow.users.ensure("slack:T1:U1", datetime.now(UTC))
        uow.commit()
    inbox.keep("event:Ev1", "event:message", '{"text": "my own words"}', "slack:T1:U1")
    inbox.keep("event:Ev2", "event:message", '{"text": "theirs"}', "slack:T1:U2")
    exported = export_user_data(db.uow(), "slack:T1:U1")["tables"]["inbox"]
    assert [row["payload"] for row in exported] == ['{"text": "my own words"}']


def test_deliveries_kept_at_the_same_time_are_each_stored_once_and_a_copy_among_them_refused(db: Database) -> None:
    inbox = worker(db, "a")
    keys = [f"event:EvBURST{n}" for n in range(30)] + ["event:EvBURST0"]
    with ThreadPoolExecutor(max_workers=len(keys)) as pool:  # queued together: stored in a few transactions
        stored = list(pool.map(lambda key: inbox.keep_soon(key, "event:message", "{}", None).result(timeout=30),
                               keys))
    assert len({s for s in stored if s is not None}) == 30
    assert stored.count(None) == 1
    with db.uow() as uow:
        assert uow.inbox.pending() == 30
