"""The unit of work services receive: repositories over one transaction, committed only on request.

    with uow:                  # opens a session (a fresh one each time the block is entered)
        uow.assessments.add(...)
        uow.commit()           # leaving the block without commit rolls back

Database errors meaning "cannot reach / busy" leave the block as StorageUnavailableError (retryable,
nothing stored). Other errors propagate unchanged after the rollback.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from bot.storage.engine import checkpoint, is_unavailable, unavailable
from bot.storage.repositories.assessments import AssessmentRepository
from bot.storage.repositories.charts import ChartRepository
from bot.storage.repositories.commitments import CommitmentRepository
from bot.storage.repositories.demo import DemoRepository
from bot.storage.repositories.exercises import ExerciseRepository
from bot.storage.repositories.identities import IdentityRepository
from bot.storage.repositories.imports import ImportRepository
from bot.storage.repositories.inbox import InboxRepository
from bot.storage.repositories.managers import ManagerRepository
from bot.storage.repositories.people import (
    AuditRepository,
    EventRepository,
    FeedbackRepository,
    TurnRepository,
    UserRepository,
)
from bot.storage.repositories.personal_data import PersonalDataRepository
from bot.storage.repositories.trends import TrendRepository
from bot.storage.repositories.uploads import UploadRepository
from bot.storage.repositories.weekly import WeeklyRepository


class SqlUnitOfWork:
    users: UserRepository
    assessments: AssessmentRepository
    exercises: ExerciseRepository
    weekly: WeeklyRepository
    feedback: FeedbackRepository
    turns: TurnRepository
    events: EventRepository
    audit: AuditRepository
    personal_data: PersonalDataRepository
    charts: ChartRepository
    uploads: UploadRepository
    trends: TrendRepository
    commitments: CommitmentRepository
    managers: ManagerRepository
    demo: DemoRepository
    imports: ImportRepository
    identities: IdentityRepository
    inbox: InboxRepository

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("use the unit of work inside `with uow:`")
        return self._session

    def __enter__(self) -> SqlUnitOfWork:
        if self._session is not None:
            raise RuntimeError("this unit of work is already in use; nested `with uow:` is not supported")
        session = self._session_factory()
        self._session = session
        self.users = UserRepository(session)
        self.assessments = AssessmentRepository(session)
        self.exercises = ExerciseRepository(session)
        self.weekly = WeeklyRepository(session)
        self.feedback = FeedbackRepository(session)
        self.turns = TurnRepository(session)
        self.events = EventRepository(session)
        self.audit = AuditRepository(session)
        self.personal_data = PersonalDataRepository(session)
        self.charts = ChartRepository(session)
        self.uploads = UploadRepository(session)
        self.trends = TrendRepository(session)
        self.commitments = CommitmentRepository(session)
        self.managers = ManagerRepository(session)
        self.demo = DemoRepository(session)
        self.imports = ImportRepository(session)
        self.identities = IdentityRepository(session)
        self.inbox = InboxRepository(session)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        session, self._session = self._session, None
        assert session is not None
        try:
            session.rollback()
        except Exception:  # the connection may already be gone; the original error matters more
            pass
        finally:
            session.close()
        if exc is not None and is_unavailable(exc):
            raise unavailable(exc, _url(session)) from exc

    def commit(self) -> None:
        try:
            self.session.commit()
        except Exception as exc:
            if is_unavailable(exc):
                raise unavailable(exc, _url(self.session)) from exc
            raise

    def rollback(self) -> None:
        self.session.rollback()

    def checkpoint(self) -> None:
        """Outside `with uow:`: make deleted data unrecoverable from the database's files (see engine.checkpoint)."""
        bind = self._session_factory.kw.get("bind")
        if bind is not None:
            checkpoint(bind)


def _url(session: Session) -> str:
    bind = session.get_bind()
    return str(bind.engine.url)
