"""Offline feedback that is about what the person wrote: their answers reflected back, their rating set beside
their own self-assessment, guidance passages chosen for their words (and why), and non-answers caught before
they are stored as if they were reflections."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bot.coaching.exercises import Exercise, Step
from bot.coaching.feedback_text import quoted
from bot.coaching.model import Reflection
from bot.retrieval.hits import Hit

# "Nobody" can answer "Who else would need to let go?"; it cannot answer "What would you redesign?".
_EMPTY_BUT_VALID_FOR_NAMES = {"none", "nothing", "nobody", "no one", "no"}
# What people type to get past a step rather than answer it.
_PLACEHOLDERS = {
    "quit", "exit", "stop", "skip", "next", "pass", "idk", "dunno", "don't know", "dont know", "i don't know",
    "i dont know", "no idea", "not sure", "n/a", "na", "nil", "yes", "ok", "okay", "maybe", "whatever", "test",
    "testing", "asdf", "blah", "tbc", "tbd", "?", "-", ".", "...", "x",
}
_WORD = re.compile(r"[a-z][a-z'’-]+")
_STOPWORD_TEXT = """
about above after again against also among an and any are because been before being between both but by can
could did does doing down during each few for from further had has have having her here hers him his how into
its itself just like make many more most much must need only other ought our ours out over own same she should
some such than that the their theirs them then there these they this those through too under until very was
we were what when where which while who whom why will with would you your yours partner partners partnership
partnerships work working organisation organisations council people local think really still every
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# The passages are searched for the exercise's title and at most this many of the person's words. Embedding the
# query is most of the feedback's time, and grows with its length: the title and the whole answers (up to 1,000
# characters, about 200 tokens) took about 57 ms of CPU, this about 20. On evals/exercise_answers.yaml
# (benchmarks/feedback_passages.py) the passages found are as often chosen for words the person wrote, and closer
# in meaning to their answers; without the title they drift off the exercise's subject (probity found only a
# case study on joint boards).
QUERY_WORDS = 40
_TERM = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’&-]*")


def is_non_answer(text: str, step: Step) -> bool:
    """An empty line, a placeholder ("idk", "n/a", "quit"), or a single word where a name is not the answer."""
    said = " ".join(text.lower().split()).strip(" .!?")
    if not said or said in _PLACEHOLDERS or text.strip() in _PLACEHOLDERS:
        return True
    if said in _EMPTY_BUT_VALID_FOR_NAMES:
        return not step.short
    return len(said.split()) == 1 and not step.short


def non_answer_message(step: Step) -> str:
    hint = step.help or "A sentence about your own situation is enough."
    return f"That reads like a placeholder rather than an answer, so I haven't saved it. {hint}"


RECAP_CHARS = 200


def recap_lines(exercise: Exercise, answers: Sequence[Reflection]) -> list[str]:
    """"The partner you named: “…”" for each answered text step that has a recap label, in step order."""
    by_step = {a.step_id: a for a in answers}
    lines = []
    for step in exercise.steps:
        said = by_step.get(step.id)
        if step.kind == "text" and step.recap and said is not None and said.answer:
            lines.append(f"{step.recap}: {quoted(said.answer, RECAP_CHARS)}")  # cut at a clause, never a word
    return lines


def rating_lines(exercise: Exercise, answers: Sequence[Reflection], earlier: Mapping[str, int],
                 names: Mapping[str, str]) -> list[str]:
    """The rating the person gave here, beside their latest self-ratings on the exercise's attributes."""
    by_step = {a.step_id: a for a in answers}
    rated = [(step, by_step[step.id].rating) for step in exercise.steps
             if step.kind == "rating" and step.id in by_step and by_step[step.id].rating is not None]
    if not rated:
        return []
    step, rating = rated[-1]
    assert rating is not None
    label = (step.scale_labels or {}).get(rating)
    lines = [f"You rated this {rating}/5" + (f" (“{label}”)." if label else ".")]
    linked = [(a, earlier[a]) for a in exercise.attributes if a in earlier]
    if not linked:
        lines.append("You have no self-assessment yet on the attributes this exercise covers: rating yourself "
                     "on them would give you something to compare with next time.")
        return lines
    shown = " and ".join(f"{names.get(a, a)} {n}/5" for a, n in linked)
    gap = rating - round(sum(n for _, n in linked) / len(linked))
    if gap <= -2:
        comparison = ("Your answer here is lower than your self-ratings: worth asking which is nearer the truth, "
                      "and whether to update your self-assessment.")
    elif gap >= 2:
        comparison = ("Your answer here is higher than your self-ratings: perhaps this partnership goes better "
                      "than your others, or you rated yourself harshly.")
    else:
        comparison = "That is in line with how you rated yourself."
    lines.append(f"In your latest self-assessment you rated {shown}. {comparison}")
    return lines


def search_terms(answers: Sequence[Reflection], words: int = QUERY_WORDS) -> str:
    """The person's part of what the guidance is searched for: the distinctive words of each answer (partners,
    services, places, the trade proposed), an even share of `words` for each answer first, so that one long
    answer cannot crowd out the others."""
    lists = []
    for reflection in answers:
        said = [w.strip("'’-") for w in _TERM.findall(reflection.answer or "")]
        kept = [w for w in dict.fromkeys(said) if w.lower() not in _STOPWORDS
                and (len(w) > 2 or (len(w) > 1 and w.isupper()) or w.isdigit())]
        if kept:
            lists.append(kept)
    if not lists:
        return " ".join(" ".join(a.answer or "" for a in answers).split()[:words])
    share = max(4, words // len(lists))
    chosen: dict[str, str] = {}
    for first_pass in (True, False):
        for kept in lists:
            for word in kept[:share] if first_pass else kept[share:]:
                if len(chosen) < words:
                    chosen.setdefault(word.lower(), word)
    return " ".join(chosen.values())


def why_chosen(hit: Hit, answers: Sequence[Reflection]) -> str:
    """Why a passage was shown: the words of the person's answers it shares, else closeness in meaning."""
    written = " ".join(a.answer or "" for a in answers).lower()
    theirs = {w.strip("'’-") for w in _WORD.findall(written)} - _STOPWORDS
    shared = [w for w in dict.fromkeys(w.strip("'’-") for w in _WORD.findall(hit.text.lower()))
              if w in theirs and len(w) > 3]
    if shared:
        return "Chosen because you wrote about " + ", ".join(f"‘{w}’" for w in shared[:3]) + "."
    return "Chosen as the passage closest in meaning to what you wrote."
