"""One base error with narrow subclasses. Messages say what to do about the problem."""


class CoachError(Exception):
    """Base class for every error the coach reports to a user."""

    exit_code = 1


class InvalidInputError(CoachError, ValueError):
    """The user's input cannot be used as given (empty, too long, out of range)."""

    exit_code = 2

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotForCoachingError(InvalidInputError):
    """An answer that signals distress, bullying, a safeguarding concern, whistleblowing or an HR matter: it is
    not stored, and the person is pointed to the people their organisation names (bot.coaching.safeguarding)."""

    def __init__(self, concern: object) -> None:
        from bot.coaching.safeguarding import Concern, handoff
        from bot.config import get_settings

        self.concern = Concern(str(concern))
        super().__init__(handoff(self.concern, get_settings()).text, field="answer")


class ConfigurationError(CoachError):
    """A setting is missing or invalid."""

    exit_code = 2


class IndexMissingError(CoachError):
    """The search index has not been built, or cannot be read."""

    def __init__(self, detail: str = "") -> None:
        hint = "Build it with `coach ingest` (it reads the bundled guidance in knowledge/)."
        super().__init__(f"The search index is missing or unreadable{': ' + detail if detail else ''}. {hint}")


class IndexUnreadableError(IndexMissingError):
    """The index's files exist but cannot be opened (corrupt, or not readable); rebuilding it is the fix."""

    def __init__(self, path: object, detail: str) -> None:
        CoachError.__init__(self, f"The search index at {path} cannot be opened ({detail}). Move or delete that "
                                  "folder, then run `coach ingest` to build the index again.")


class EmbeddingModelMismatchError(CoachError):
    """The index was built with a different embedding model than the one configured."""

    def __init__(self, index_model: str, configured_model: str) -> None:
        super().__init__(
            f"The index was built with the embedding model '{index_model}' but the coach is configured "
            f"for '{configured_model}'. Mixing models gives meaningless results: re-ingest with "
            f"`coach ingest --rebuild`, or set COACH_EMBEDDING_BACKEND back to the model that built it."
        )


class UnknownBackendError(CoachError, KeyError):
    """A backend was asked for by a name that no factory knows."""

    def __init__(self, kind: str, name: str, known: list[str]) -> None:
        super().__init__(f"Unknown {kind} '{name}'. Known: {', '.join(sorted(known))}.")

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0])


class StorageUnavailableError(CoachError):
    """The database cannot be reached. Retryable: nothing was stored."""

    retryable = True


class PromptError(ConfigurationError):
    """A prompt template in prompts/ is missing, malformed or inconsistent."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"Prompt '{name}' {problem}. Fix the YAML file in prompts/ (see prompts/answer.yaml).")


class LLMUnavailableError(CoachError):
    """The language model failed, timed out or is switched off by the circuit breaker. Retryable."""

    retryable = True


class NotPermittedError(CoachError):
    """The user's role does not allow this (e.g. cohort trends are for programme managers)."""

    exit_code = 3


class CohortNotAssignedError(NotPermittedError):
    """A programme manager limited to some cohorts asked for another's trends."""
