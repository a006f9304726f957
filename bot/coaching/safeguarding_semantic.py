"""The safeguarding screen's similarity layer: concerns described without being named.

"They'd all be better off without me", bruises on a care-home resident, "I was told to delete the emails
before the FOI": no keyword list keeps up with the ways people say these. Each sentence and clause of a
message is embedded by the reader (all-MiniLM-L6-v2 fine-tuned on the rows below, safeguarding_reader.py; the
frozen model if it cannot be had), and a small multinomial logistic regression says which kind it is closest
to. It is fitted (by `coach ingest`, else at first use) on the exemplars in safeguarding_exemplars.yaml
(concerns of each kind, and ordinary partnership sentences that share their words) and on the messages of the
evaluation sets in TRAINING_SETS: eleven sets written by different hands hold more ways of telling a concern,
and more look-alikes, than the bank alone. A concern message goes in whole at CONCERN_MESSAGE_WEIGHT, so that
its several clauses do not outweigh the one-situation exemplars; an ordinary message whole and in the pieces
the screen reads, since those are what a look-alike is asked about. Those sets' own figures are therefore fits;
`coach eval safeguarding-generalisation` fits without each held-out set's messages (and their rewordings
elsewhere) for the estimate on a new set. The message is a concern when any piece is one with enough
probability: a concern is often one clause buried in a work question. Beside the regression, each piece's five
nearest exemplars (the sets' messages and pieces among them) are read too: a piece among concern exemplars of
one situation counts though the regression's single boundary leaves it short, and a piece that nearly repeats
an ordinary exemplar is ordinary. The exemplar vectors and the fit are cached in the model cache directory.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import yaml
from bm25s.stopwords import STOPWORDS_EN_PLUS

from bot.coaching.safeguarding_reader import Reader, ReaderUnavailableError, Rows, class_weights, load_reader

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.retrieval.embeddings import Embedder

log = logging.getLogger(__name__)

EXEMPLARS = Path(__file__).with_name("safeguarding_exemplars.yaml")
ORDINARY = "ordinary"
# The evaluation sets whose messages the screen is also fitted on (in evals/, packaged in the wheel as
# bot/_data/evals). Named one by one, never found by a pattern: a set written later (a sealed10) must first be run
# once, untouched, and that figure recorded, since once it is trained on its own figure is a fit, not an estimate.
# Add it here only after that, and to evals/safeguarding_exemplar_provenance.yaml's held-out sets if it is one.
TRAINING_SETS = (
    "safeguarding_dev.yaml",
    "safeguarding_dev_situations.yaml",
    "safeguarding_holdout.yaml",
    "safeguarding_independent.yaml",
    "safeguarding_sealed.yaml",
    "safeguarding_sealed2.yaml",
    "safeguarding_sealed3.yaml",
    "safeguarding_sealed4.yaml",
    "safeguarding_sealed5.yaml",
    "safeguarding_sealed6.yaml",
    "safeguarding_sealed7.yaml",
)
# Held-out sets deliberately not fitted on, each with why. sealed9: fitted on it (2026-12-05), leaving one set out
# recognised 684 of 741 concerns and kept 738 of 759 ordinary messages, against 687 and 736 without it, no better;
# unfitted, it stays the one set whose figure on a changed detector is still a measure (counts only, misses unread).
# sealed10: its first run (session 23, on the fine-tuned reader) is recorded; unfitted, it stays a measure too.
NOT_FITTED_ON = ("safeguarding_sealed9.yaml", "safeguarding_sealed10.yaml")
# A concern message of an evaluation set goes in whole at this sample weight (an exemplar weighs 1): they are long
# and of several clauses, and at full weight they swamp the one-situation exemplars the pieces of a message are
# read against. Leaving one set out (2026-12-05), 0.15, 0.25 and 0.5 recognised 601, 603 and 608 of 641 concerns
# and kept 637, 635 and 631 of 659 ordinary messages; 0.25 and 0.5 diverted two of the answering sets' questions
# and 0.15 one, which CONCERN_THRESHOLD 0.88 keeps.
CONCERN_MESSAGE_WEIGHT = 0.15
# Asking for a person is the word rules' to recognise (Concern.HUMAN); the sets' few such messages are not fitted on.
WORDS_ONLY = frozenset({"human"})
# The least probability of a concern kind for a piece to count. 0.75 was tuned on evals/safeguarding_dev.yaml;
# 0.70 was chosen over 0.60-0.80 on the independent and first sealed sets (now development sets): more concerns
# described indirectly, no more ordinary messages diverted there.
THRESHOLD = 0.70
# ... or the least probability of any concern at all, when no single kind is sure: "she told us to turn homeless
# people away without taking an application" sits between safeguarding and whistleblowing (0.68 and 0.23) and far
# from ordinary. 0.80 was chosen over 0.70-0.85 on the development sets (sealed2 included): lower diverts
# ordinary messages on the first sealed set, higher gives back most of what it recognises. 0.88 since the screen is
# fitted on the evaluation sets' messages (2026-12-05): at 0.80 it diverted a leader's question of the answering sets
# ("If I hand some of this to a cabinet member, am I still on the hook for it?", 0.87, 0.77 before); leaving one
# set out, 0.88 kept 3 more ordinary messages and recognised 4 fewer concerns than 0.80 (640 and 597 against 637
# and 601 of 659 and 641), still more of both than before the sets were fitted on (623 and 591). 0.95 with the
# fine-tuned reader (session 23), whose probabilities are surer both ways: with SOFT_THRESHOLD, chosen on a grid
# (soft 0.2-0.5, this 0.88/0.92/0.95) as the least pair that diverts none of the answering sets' 265 questions;
# at 0.88 and 0.2 the reader diverted three ("I'm drowning", twice, and "I get blamed for outcomes ...").
CONCERN_THRESHOLD = 0.95
# ... with one kind leading: a short piece spread thinly over three kinds is vague, not between kinds. 0.55 kept one
# more ordinary message on the first sealed set but lost two concerns leaving one set out (session 20), so 0.50.
LEADING_THRESHOLD = 0.50
# Sure enough that the message is never shown to a model (bot.coaching.safeguarding_model) ...
SURE_THRESHOLD = 0.90
# ... and below this, with no word naming a concern, ordinary enough that it is not either.
BORDERLINE_THRESHOLD = 0.30
FIT_VERSION = 4  # bump when _fit changes: cached classifiers are then refitted
SOFT_THRESHOLD = 0.4  # beside words that name a concern but also appear in ordinary messages (see CONCERN_THRESHOLD)
# The nearest-exemplar reading (SimilarityScreen.neighbours) and the settings below were chosen on the
# leave-one-set-out estimate (`coach eval safeguarding-generalisation`, session 20), not on any one set: all five
# nearest exemplars concerns, with the regression at 0.30 or more, recognised more there with no more diverted
# (0.8 and 0.50 diverted more); screening neighbouring sentences in pairs gained one concern and diverted two
# answering-set questions, so it is not done.
NEIGHBOURS = 5  # exemplars a piece's nearest-neighbour reading looks at
# A piece this close (cosine) to an ordinary exemplar is what the bank calls ordinary, whatever the regression,
# whose one boundary misreads a few of its own exemplars, makes of it ("I still work three days a week").
NEAR_COPY = 0.95
NEIGHBOUR_SHARE = 1.0  # a concern when this share of them are concerns ...
NEIGHBOUR_FLOOR = 0.3  # ... and the regression gives the piece at least this probability of some concern
# The converse: a piece the regression reads as a concern, but not surely (below SURE_THRESHOLD), counts only where
# at least this share of its nearest exemplars are concerns. Four or five ordinary neighbours mean the bank holds
# it as ordinary talk ("the front door is swamped", a partner who talks over the chair) and the regression's one
# boundary has cut across it. Chosen after sealed4's first run (session 20) on all the sets: 0.2 lost no concern
# on any of them; 0.3 and above lost concerns on sealed3 and the first sealed set.
REGRESSION_NEIGHBOURS = 0.2
_SENTENCE = re.compile(r"(?<=[.?!;:])\s+|\n+|\s+[-\u2013\u2014]\s+|\.{2,}\s*")
_CLAUSE = re.compile(r",\s+|\s+(?:but|tbh|honestly|though|because|and now|anyway|so)\s+", re.IGNORECASE)
_MIN_WORDS = 3
_FRAME = re.compile(r"(how|what|who|where|when|why|which|should|shall|can|could|would|do|does|is|are)\b", re.I)
_FRAME_WORDS = 6
_WORDS = re.compile(r"[a-z]+(?:'[a-z]+)?")
_BACK_REFERENCE = re.compile(r"\b(that|this|it|them|those|these)( all)?\W*$", re.IGNORECASE)
_BACK_REFERENCE_WORDS = 2
# Words that ask without saying what about: English stopwords (bm25s's list) and the verbs of asking for help.
_ASKING_ONLY = frozenset(STOPWORDS_EN_PLUS) | frozenset(
    ["actually", "really", "matter", "matters", "advice", "help", "any", "anything", "else", "think", "know", "get",
     "go", "handle", "deal", "please"])
_MAX_PIECES = 24  # a long message is screened in full sentences only beyond this


Embed = Callable[[str], np.ndarray]


@dataclass(frozen=True)
class Verdict:
    kind: str  # a Concern value
    probability: float  # of that kind
    concern: float  # of any concern kind (1 - the probability of ordinary)
    piece: int  # which piece of the message (its position, never its text: reasons are logged)
    neighbours: float = 0.0  # share of concern exemplars among the piece's nearest (SimilarityScreen.neighbours)
    neighbour_kind: str = ""  # the concern kind most common among them
    repeats: str = ""  # the class (a kind or ordinary) of an exemplar the piece nearly repeats, if any


def pieces(text: str) -> list[str]:
    """The whole message, its sentences, and the clauses of each sentence with three words or more."""
    found = [text.strip()]
    sentences = (s.strip(" .?!;:,") for s in _SENTENCE.split(text))
    found += [s for s in sentences if len(s.split()) >= _MIN_WORDS]
    for sentence in list(found[1:]):
        clauses = [c.strip(" .?!;:,") for c in _CLAUSE.split(sentence)]
        if len(clauses) > 1:
            found.extend(c for c in clauses if len(c.split()) >= _MIN_WORDS)
    # "...: how do I respond?" alone is no concern, and short question frames sit between every class; nor is a
    # piece with nothing in it but asking ("Does that actually matter, and what do I do about it?"), which the
    # classifier, having no situation to read, scores as help-seeking and so as a concern.
    parts = [p for p in found[1:] if p and not (_FRAME.match(p) and len(p.split()) <= _FRAME_WORDS)
             and _says_something(p) and not _asks_about_the_rest(p)]
    return list(dict.fromkeys([found[0], *parts]))[:_MAX_PIECES]


def _asks_about_the_rest(piece: str) -> bool:
    """A question about what the rest of the message said ("How am I supposed to live with that?"): its
    situation is in another piece, which is screened; alone it reads as a plea for help about nothing."""
    return bool(_FRAME.match(piece) and _BACK_REFERENCE.search(piece)
                and content_words(piece) <= _BACK_REFERENCE_WORDS)


def _says_something(piece: str) -> bool:
    return content_words(piece) > 0


def content_words(piece: str) -> int:
    """How many words of the piece say something: not stopwords, not the verbs of asking for help."""
    return sum(w not in _ASKING_ONLY for w in _WORDS.findall(piece.lower()))


def load_exemplars(path: Path = EXEMPLARS) -> dict[str, Any]:
    """The exemplar bank: {"concerns": {kind: [sentence, ...]}, "ordinary": [sentence, ...]}."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {"concerns": dict(data["concerns"]), "ordinary": list(data["ordinary"])}


@dataclass(frozen=True)
class Message:
    """A message of an evaluation set the screen is fitted on."""
    source: str  # the set's file name in evals/
    text: str
    kind: str  # its concern kind, or ORDINARY


def load_training_messages(names: Sequence[str] = TRAINING_SETS, root: Path | None = None) -> list[Message]:
    """The messages of the evaluation sets `names` (TRAINING_SETS by default). A set that is missing or not in the
    sets' shape stops the fit: a screen quietly fitted on less than it is said to be would be measured wrongly."""
    from bot.paths import evals_dir

    folder = root or evals_dir()
    found: list[Message] = []
    for name in names:
        path = folder / name
        if not path.is_file():
            raise FileNotFoundError(f"The safeguarding screen is fitted on {name}, which is not in {folder}")
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        concerns, ordinary = data.get("concerns"), data.get("ordinary")
        if not isinstance(concerns, list) or not isinstance(ordinary, list):
            raise ValueError(f"{path} has no 'concerns' and 'ordinary' lists")
        if not all(isinstance(item, dict) and {"text", "kind"} <= set(item) for item in concerns):
            raise ValueError(f"{path}: every concern needs a 'text' and a 'kind'")
        found += [Message(name, str(item["text"]), str(item["kind"])) for item in concerns]
        found += [Message(name, str(text), ORDINARY) for text in ordinary]
    return found


def training_examples(messages: Sequence[Message]) -> list[tuple[str, str, float]]:
    """(text, class, sample weight) for evaluation-set messages: a concern whole at CONCERN_MESSAGE_WEIGHT; an
    ordinary message whole and in the pieces the screen reads (pieces()), each at full weight, since a piece of an
    ordinary message is what the screen will be asked about."""
    found: list[tuple[str, str, float]] = []
    for message in messages:
        if message.kind == ORDINARY:
            found += [(piece, ORDINARY, 1.0) for piece in pieces(message.text)]
        elif message.kind not in WORDS_ONLY:
            found.append((message.text.strip(), message.kind, CONCERN_MESSAGE_WEIGHT))
    return found


def fitting_rows(exemplars: Mapping[str, Any], ordinary: Sequence[str], training: Sequence[Message]) -> Rows:
    """What the screen (and its reader) is fitted on: the bank's concern exemplars, the evaluation-set messages
    `training` (training_examples()), and as ordinary the bank's ordinary sentences and `ordinary` (the
    guidance's questions), each once."""
    messages = training_examples(training)
    unknown = {kind for _, kind, _ in messages} - {ORDINARY, *exemplars["concerns"]}
    if unknown:
        raise ValueError(f"Safeguarding training messages of unknown kinds: {sorted(unknown)}")
    rows = [(text, kind, 1.0) for kind, examples in exemplars["concerns"].items() for text in examples]
    rows += [(text, kind, weight) for text, kind, weight in messages if kind != ORDINARY]
    everyday = dict.fromkeys([*exemplars["ordinary"], *ordinary,
                              *(text for text, kind, _ in messages if kind == ORDINARY)])
    rows += [(text, ORDINARY, 1.0) for text in everyday]
    return Rows(tuple(r[0] for r in rows), tuple(r[1] for r in rows), tuple(r[2] for r in rows))


class SimilarityScreen:
    def __init__(self, rows: Rows, embed_many: Callable[[list[str]], np.ndarray], model_name: str,
                 cache_dir: Path | None = None) -> None:
        """Fitted on `rows` (fitting_rows()) as embedded by `embed_many`, the model called `model_name`."""
        texts = list(rows.texts)
        self.model_name = model_name
        self.classes = rows.classes()
        y = np.array([self.classes.index(label) for label in rows.labels])
        sample_weight = np.array(rows.weights)
        vectors = _vectors(texts, embed_many, model_name, cache_dir)
        self._weights, self._bias = _fitted(texts, y, sample_weight, len(self.classes), vectors, model_name,
                                            cache_dir)
        self._exemplars = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        self._labels = y

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """Per row: the probability of each class (self.classes order, ordinary first)."""
        return _softmax(vectors @ self._weights + self._bias)

    def neighbours(self, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per row: the share of each class among the NEIGHBOURS exemplars nearest to it, weighted by cosine
        similarity, and the class of an exemplar it nearly repeats (-1 for none). A second reading beside the
        regression: a piece close to a few concern exemplars of one situation counts even where the regression's
        boundary, drawn across all of them, leaves it ordinary."""
        unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        similarity = unit @ self._exemplars.T
        k = min(NEIGHBOURS, similarity.shape[1])
        nearest = np.argpartition(-similarity, k - 1, axis=1)[:, :k]
        shares = np.zeros((len(unit), len(self.classes)))
        for row, columns in enumerate(nearest):
            weights = np.clip(similarity[row, columns], 0.0, None)
            np.add.at(shares[row], self._labels[columns], weights)
        repeats = np.where(similarity.max(axis=1) >= NEAR_COPY, self._labels[similarity.argmax(axis=1)], -1)
        return shares / np.maximum(shares.sum(axis=1, keepdims=True), 1e-9), repeats

    def verdicts(self, text: str, embed: Embed) -> list[tuple[str, Verdict]]:
        """Each piece of the message (the whole message first) with its most probable concern kind and that
        kind's probability; the caller decides what is enough (THRESHOLD alone, SOFT_THRESHOLD for a piece
        that names a concern in words ordinary messages share)."""
        parts = pieces(text) or [text]
        vectors = np.vstack([embed(p) for p in parts])
        probs = self.probabilities(vectors)[:, 1:]
        shares, repeats = self.neighbours(vectors)
        near = shares[:, 1:]
        best = probs.argmax(axis=1)
        return [(part, Verdict(self.classes[int(k) + 1], round(float(probs[i, k]), 3),
                               round(float(probs[i].sum()), 3), i, round(float(near[i].sum()), 3),
                               self.classes[int(near[i].argmax()) + 1],
                               self.classes[int(repeats[i])] if repeats[i] >= 0 else ""))
                for i, (part, k) in enumerate(zip(parts, best, strict=True))]


Layer = tuple[SimilarityScreen, Embed]
_screens: dict[tuple[str, ...], Layer | None] = {}
# The first messages after a start arrive together; without this each thread built its own screen, and on a cold
# cache every one of them embedded the whole exemplar bank at once (minutes of CPU, the workers starved).
_building = threading.Lock()


def default_screen(named: Callable[[str], bool]) -> Layer | None:
    """The screen on the local model search uses (one per process and configuration), with an embedding
    function that remembers recent texts; None, with a warning, if the model cannot be loaded."""
    settings = local_model_settings()
    key = (settings.local_runtime, str(settings.torch_threads), str(settings.model_cache_dir))
    with _building:
        if key not in _screens:
            try:
                _screens[key] = screen_with(named)
            except Exception:  # the words still screen; say loudly that the similarity layer is off
                log.exception("The safeguarding similarity layer could not start; screening on words alone")
                _screens[key] = None
        return _screens[key]


def screen_with(named: Callable[[str], bool], exemplars: Mapping[str, Any] | None = None,
                training: Sequence[Message] | None = None) -> Layer:
    """A screen fitted on `exemplars` (the served bank by default), the messages of the evaluation sets
    `training` (TRAINING_SETS' by default) and the guidance's questions its words do not flag (`named`), read
    by the reader fine-tuned on those same rows; by the frozen local model, with an error logged, if the reader
    cannot be had."""
    from bot.retrieval.embeddings import build_embedder

    settings = local_model_settings()
    rows = fitting_rows(load_exemplars() if exemplars is None else exemplars,
                        [q for q in extra_ordinary() if not named(q)],
                        load_training_messages() if training is None else training)
    reader: Reader | Embedder
    try:
        reader = load_reader(settings.model_cache_dir, rows, threads=settings.torch_threads)
    except ReaderUnavailableError as exc:
        log.error("No fine-tuned safeguarding reader (%s); screening with the frozen model, which recognises "
                  "fewer concerns", exc)
        reader = build_embedder(settings)
    embed = lru_cache(maxsize=1024)(lambda text: reader.embed([text])[0])
    return SimilarityScreen(rows, reader.embed, reader.name, settings.model_cache_dir), embed


def local_model_settings() -> Settings:
    from bot.config import get_settings

    settings = get_settings()
    if settings.embedding_backend != "local":  # the local model, not a paid API, screens every message
        settings = settings.model_copy(update={"embedding_backend": "local"})
    return settings


def extra_ordinary() -> list[str]:
    """Ordinary messages the stack already keeps: the questions the guidance answers, in users' words, and
    the near-miss questions it declines (the caller leaves out any its words flag: a personal grievance)."""
    from bot.paths import knowledge_dir

    root = knowledge_dir()
    found: list[str] = []
    try:
        guidance = yaml.safe_load((root / "questions.yaml").read_text(encoding="utf-8")) or {}
        found += [q for anchors in guidance.values() for a in anchors for q in a.get("questions", [])]
        found += (yaml.safe_load((root / "off_topic.yaml").read_text(encoding="utf-8")) or {}).get("questions", [])
    except (OSError, yaml.YAMLError, AttributeError, TypeError) as exc:
        log.warning("Safeguarding screen without the guidance's questions as ordinary examples (%s)", exc)
    return [str(q) for q in found]


def _fitted(texts: list[str], y: np.ndarray, sample_weight: np.ndarray, classes: int, vectors: np.ndarray,
            model_name: str, cache_dir: Path | None) -> tuple[np.ndarray, np.ndarray]:
    """The classifier for these exemplars and this model: from the cache when neither has changed, else
    fitted (a few seconds on a quiet machine) and cached."""
    key = json.dumps([FIT_VERSION, model_name, texts, y.tolist(), sample_weight.tolist()])
    path = cache_dir / f"safeguarding-screen-{_digest(key)}.npz" if cache_dir else None
    cached = _load(path)
    if "weights" in cached and "bias" in cached:
        return cached["weights"], cached["bias"]
    log.warning("Fitting the safeguarding screen on %d exemplars (once per exemplar set and model)", len(texts))
    weights, bias = _fit(vectors, y, classes, sample_weight)
    _save(path, weights=weights, bias=bias)
    return weights, bias


def _vectors(texts: list[str], embed_many: Callable[[list[str]], np.ndarray], model_name: str,
             cache_dir: Path | None) -> np.ndarray:
    """The exemplars' vectors, cached one by one: an edited bank embeds only its new sentences."""
    path = cache_dir / f"safeguarding-vectors-{_digest(model_name)}.npz" if cache_dir else None
    cached = _load(path)
    known = dict(zip(cached["keys"].tolist(), cached["vectors"], strict=True)) if "keys" in cached else {}
    keys = [_digest(t) for t in texts]
    missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in known}
    if missing:
        known.update(zip(missing, np.asarray(embed_many(list(missing.values())), dtype=np.float64), strict=True))
        # every vector known, not only this bank's: the leave-one-set-out estimate fits on a different subset
        # for each set, and would otherwise embed again what the previous one left out
        _save(path, keys=np.array(list(known)), vectors=np.stack(list(known.values())))
    return np.stack([known[k] for k in keys]).astype(np.float64)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _load(path: Path | None) -> dict[str, np.ndarray]:
    if path is None or not path.exists():
        return {}
    try:
        with np.load(path, allow_pickle=False) as data:
            return {name: np.asarray(data[name]) for name in data.files}
    except (OSError, ValueError) as exc:
        log.warning("Ignoring an unreadable safeguarding cache at %s (%s)", path, exc)
        return {}


def _save(path: Path | None, **arrays: np.ndarray) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, **arrays)  # type: ignore[arg-type]
        tmp.replace(path)  # whole or not at all: another worker never reads half a file
    except OSError as exc:  # a read-only cache only costs the work again at the next start
        log.warning("Could not cache the safeguarding screen at %s (%s)", path, exc)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _fit(x: np.ndarray, y: np.ndarray, classes: int, sample_weight: np.ndarray | None = None, l2: float = 1e-4,
         steps: int = 2000, rate: float = 5.0) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression by full-batch gradient descent, each row at its sample weight (1 if
    none). Deterministic (zero start); light regularisation, as the exemplars are few for 384 dimensions."""
    n, d = x.shape
    onehot = np.eye(classes)[y]
    given = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    weight = class_weights(y, given, classes)[:, None]
    w = np.zeros((d, classes))
    b = np.zeros(classes)
    for _ in range(steps):
        grad = (_softmax(x @ w + b) - onehot) * weight / n
        w -= rate * (x.T @ grad + l2 * w)
        b -= rate * grad.sum(axis=0)
    return w.astype(np.float32), b.astype(np.float32)
