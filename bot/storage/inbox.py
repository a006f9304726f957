"""The inbox: deliveries a worker acknowledged, kept in the database until their work is done, so a worker that
dies (SIGKILL, a lost machine) loses nothing it acknowledged and nothing is done twice.

    keep()    before the ack: one INSERT ... ON CONFLICT DO NOTHING. None for a copy of a delivery already kept
              (a Slack retry): the key is also the retry dedup. `keep_soon` queues it and returns at once.
    begin()   when the work starts: counts the run; False if the row is no longer this worker's.
    done() / failed()   when it ends. A failed run is tried again later by any worker, `max_attempts` runs in all.

Each worker holds the rows it kept or took over until `lease` from now, and a daemon thread (`start`) renews
that every `lease / 6` while the process lives, so a row is only taken over once its worker has stopped: rows
whose lease ran out are claimed by the next worker's upkeep and handed to `rerun`, which runs them again through
the same code path as the first time. Outcomes the database refused (it was down) are recorded on a later tick;
until then the row stays this worker's. A worker frozen for longer than the lease without dying (SIGSTOP, a
database unreachable from it alone) can have its work started again by another: the stores are keyed (e.g. the
self-assessment's view id) so that stored records still come out once, but a message could be sent twice.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from bot.errors import StorageUnavailableError
from bot.storage.database import Database
from bot.storage.lease import holder_id
from bot.storage.repositories.inbox import Delivery

log = logging.getLogger(__name__)
DONE, GAVE_UP = "done", "gave up"  # outcomes
KEPT, RUNNING = "kept", "running"  # states of a row this worker holds
RERUN_THREADS = 2  # runs taken over from a dead worker; few, beside the app's own listener threads
WRITE_BATCH = 100  # deliveries stored in one transaction at most


class Inbox:
    def __init__(self, db: Database, *, lease: timedelta = timedelta(seconds=30), max_attempts: int = 3,
                 worker: str | None = None) -> None:
        self._db = db
        self.lease = lease
        self.max_attempts = max_attempts
        self.worker = worker or holder_id()
        self._held: dict[str, str] = {}  # stored key -> KEPT, RUNNING, or an outcome not recorded yet
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._reruns = ThreadPoolExecutor(max_workers=RERUN_THREADS, thread_name_prefix="coach-inbox-rerun")
        self._queued = 0
        self._writes: queue.SimpleQueue[tuple[tuple[str, str, str, str | None], Future[str | None]]] = \
            queue.SimpleQueue()
        self._writer: threading.Thread | None = None

    # -- the work's own path ----------------------------------------------------------------------------
    def keep(self, key: str, kind: str, payload: str, user_id: str | None) -> str | None:
        """Store a delivery before acknowledging it; its stored key, or None if it was stored before."""
        return self.keep_soon(key, kind, payload, user_id).result()

    def keep_soon(self, key: str, kind: str, payload: str, user_id: str | None) -> Future[str | None]:
        """`keep`, on the inbox's writer thread: the future's result is what `keep` returns, or its error.

        The deliveries that arrive while the writer stores a batch are stored together in its next transaction
        (group commit): a burst of deliveries costs a few commits rather than one each, and on SQLite one thread
        rather than every request queues for the single write lock."""
        stored: Future[str | None] = Future()
        self._writes.put(((key, kind, payload, user_id), stored))
        with self._lock:
            if self._writer is None:
                self._writer = threading.Thread(target=self._write, name="coach-inbox-writer", daemon=True)
                self._writer.start()
        return stored

    def _write(self) -> None:
        while True:
            batch = [self._writes.get()]
            while len(batch) < WRITE_BATCH:
                try:
                    batch.append(self._writes.get_nowait())
                except queue.Empty:
                    break
            # A request given up while it waited (its connection closed, so it was never acknowledged): Slack
            # sends it again. The others can no longer be cancelled.
            batch = [item for item in batch if item[1].set_running_or_notify_cancel()]
            if batch:
                self._store(batch)

    def _store(self, batch: list[tuple[tuple[str, str, str, str | None], Future[str | None]]]) -> None:
        now = datetime.now(UTC)
        try:
            with self._db.uow() as uow:
                keys = [uow.inbox.add(*row, self.worker, now, now + self.lease) for row, _ in batch]
                uow.commit()
        except StorageUnavailableError as exc:
            for _, stored in batch:
                stored.set_exception(exc)
            return
        except Exception as exc:
            if len(batch) > 1:  # one bad row must not fail the others: store them one by one
                for item in batch:
                    self._store([item])
                return
            batch[0][1].set_exception(exc)
            return
        with self._lock:
            self._held.update((key, KEPT) for key in keys if key is not None)
        for (_, stored), key in zip(batch, keys, strict=True):
            stored.set_result(key)

    def begin(self, stored: str) -> bool:
        """True if this worker should run it now; False if another took it over, it is done, or it has been run
        `max_attempts` times already (then it is given up)."""
        try:
            with self._db.uow() as uow:
                attempts = uow.inbox.begin(stored, self.worker)
                uow.commit()
        except Exception:
            self._forget(stored)  # its lease runs out and a worker runs it once the database answers again
            raise
        if attempts is None:
            self._forget(stored)
            return False
        if attempts > self.max_attempts:
            log.error("gave up on an inbox delivery (%s) after %d runs", stored[:12], attempts - 1)
            self._finish(stored, GAVE_UP)
            return False
        with self._lock:
            self._held[stored] = RUNNING
        return True

    def done(self, stored: str) -> None:
        self._finish(stored, DONE)

    def failed(self, stored: str) -> None:
        """The run raised: try again later (any worker), or give up once it has had `max_attempts` runs."""
        try:
            with self._db.uow() as uow:
                attempts = uow.inbox.attempts(stored) or 0
                if attempts >= self.max_attempts:
                    uow.inbox.finish(stored, GAVE_UP)
                else:
                    uow.inbox.release(stored, self.worker, datetime.now(UTC) + self.lease / 6)
                uow.commit()
        except Exception:
            log.warning("could not record a failed inbox run; the row's lease will run out", exc_info=True)
            self._forget(stored)
            return
        if attempts >= self.max_attempts:
            log.error("gave up on an inbox delivery (%s) after %d runs", stored[:12], attempts)
        self._forget(stored)

    def _finish(self, stored: str, outcome: str) -> None:
        try:
            with self._db.uow() as uow:
                uow.inbox.finish(stored, outcome)
                uow.commit()
        except Exception:
            log.warning("could not record an inbox outcome; trying again on the next tick", exc_info=True)
            with self._lock:
                self._held[stored] = outcome
            return
        self._forget(stored)

    def _forget(self, stored: str) -> None:
        with self._lock:
            self._held.pop(stored, None)

    # -- upkeep -------------------------------------------------------------------------------------------
    def start(self, rerun: Callable[[Delivery], None]) -> Inbox:
        """Renew this worker's rows and run again the rows of workers that died, on a daemon thread."""
        self._thread = threading.Thread(target=self._loop, args=(rerun,), name="coach-inbox", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._reruns.shutdown(wait=False, cancel_futures=True)

    def _loop(self, rerun: Callable[[Delivery], None]) -> None:
        while not self._stop.is_set():
            try:
                self.tick(rerun)
            except Exception:  # the loop must outlive a database outage; leases are renewed once it is back
                log.warning("inbox upkeep failed", exc_info=True)
            self._stop.wait(self.lease.total_seconds() / 6)

    def tick(self, rerun: Callable[[Delivery], None]) -> list[Delivery]:
        """One round of upkeep; the deliveries taken over (their reruns are queued)."""
        now = datetime.now(UTC)
        with self._lock:
            running = [k for k, state in self._held.items() if state in (KEPT, RUNNING)]
            unrecorded = [(k, state) for k, state in self._held.items() if state not in (KEPT, RUNNING)]
            room = 4 * RERUN_THREADS - self._queued  # claim no more than can start soon: claimed rows wait here
        with self._db.uow() as uow:
            if running:
                uow.inbox.renew(self.worker, running, now + self.lease)
            for stored, outcome in unrecorded:
                uow.inbox.finish(stored, outcome)
            taken = uow.inbox.claim_expired(self.worker, now, now + self.lease, room) if room > 0 else []
            uow.commit()
        with self._lock:
            for stored, _ in unrecorded:
                self._held.pop(stored, None)
            for delivery in taken:
                self._held[delivery.key] = KEPT
            self._queued += len(taken)
        for delivery in taken:
            log.info("running again a delivery its worker left unfinished (%s, %d runs before)", delivery.kind,
                     delivery.attempts)
            self._reruns.submit(self._rerun, rerun, delivery)
        return taken

    def _rerun(self, rerun: Callable[[Delivery], None], delivery: Delivery) -> None:
        try:
            rerun(delivery)  # the work's own path records the outcome...
        except Exception:
            log.warning("could not run an inbox delivery again (%s)", delivery.kind, exc_info=True)
        finally:
            with self._lock:
                self._queued -= 1
                never_began = self._held.get(delivery.key) == KEPT
        # ...unless it never reached the work (e.g. its workspace has uninstalled the app): a failed run, so that
        # it is not held and renewed for ever.
        try:
            if never_began and self.begin(delivery.key):
                self.failed(delivery.key)
        except Exception:
            log.warning("could not record a failed inbox run; the row's lease will run out", exc_info=True)
