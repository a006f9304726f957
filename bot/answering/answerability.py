"""Whether the retrieved guidance holds an answer of the type a question asks for.

Some near misses ask, in the guidance's own words, for a kind of fact it never states: "How many members should a
health and wellbeing board have?" wants a number, "What's the difference between a combined authority and a
combined county authority?" wants two bodies told apart. The passages they retrieve are close by every similarity
(boards, members, authorities), so nearness alone answers them with sentences beside the point. Matching the
question's type to the evidence's is sharper: a count is answered only by a sentence that states a quantity of
what is counted, a difference only by passages that name both things, a set asked for by its number ("the seven
principles of public life") only by passages that name that set. Coaching questions ("How do I build trust with
the NHS?") ask for none of these and are never judged here. `asks_for_fact` tells a question after a fact from one
after advice, for the coverage rule (bot.answering.coverage), which asks more of the first.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from bot.answering.near_miss import HELP_WITH
from bot.retrieval.chunking import passage_sentences
from bot.retrieval.hits import Hit
from bot.retrieval.lexical import term_sequence, terms

FIGURE = "a figure"
DIFFERENCE = "the difference between bodies or terms"
NUMBERED_LIST = "a numbered list"
_WHY = {FIGURE: "gives no figure for that", DIFFERENCE: "does not describe both of those",
        NUMBERED_LIST: "does not set out that list"}

# A count, a share, a frequency or a duration: "how many LSPs ...", "what percentage of chairs ...", "how often
# ...", "how long does ...". Not "how much does X matter" (a question of degree, which the guidance answers).
_COUNT = re.compile(
    r"\bhow many\b|\bwhat (?:percentage|proportion|fraction|share|number|per ?cent)\b|\bwhat ?%|\bhow often\b|"
    r"\bhow long (?:does|do|did|is|are|was|will|should|has|have|can)\b|\bwhat(?:'s| is) the average\b",
    re.IGNORECASE)
# The counted thing: the words after the count phrase (and an "of"), up to the first word that is not part of it.
_COUNTED = re.compile(
    r"(?:\bhow many|\bwhat (?:percentage|proportion|fraction|share|number|per ?cent)|\bwhat ?%)\s+(?:of\s+)?"
    r"(?:(?:the|our|all|those)\s+)?((?:[\w'-]+\s*){1,4})", re.IGNORECASE)
# Words that frame a count rather than say what is counted: their absence from the guidance proves nothing.
_FRAME = terms("roughly approximately about exactly typically usually many percentage proportion fraction share "
               "number per cent typical average often long")
# Where a sentence states a quantity.
_QUANTITY = re.compile(
    r"\d|%|\bper ?cent\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|hundred|thousand|half|halves|third|thirds|quarter|quarters|majority|minority)\b", re.IGNORECASE)
# "the difference between X and Y", where X and Y are things (a body, a role), not activities:
# "the difference between chairing the board and leading inside my organisation" is a coaching question.
_DIFFERENCE = re.compile(
    r"\bdifferen(?:ce|t)\s+between\s+(?P<x>.+?)\s+and\s+(?P<y>.+?)(?:[?.,;:]|\s+(?:in|under|for|within|when|"
    r"now)\b|$)", re.IGNORECASE)
# A set asked for by its number: "list the seven principles of public life", "what are the four fields ...?".
_NUMBERED = re.compile(
    r"\b(?:list|name|what are|which are|give (?:me|us)|tell me|remind me of|set out|spell out)\b[^?]*?\bthe "
    r"(?P<set>(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) [a-z]+)", re.IGNORECASE)
# A question after a fact ("who chairs ...?", "which councils ...?", "when is ...?", "what's the ... ?", "is there
# a ...?") rather than after advice ("who should ...?", "where do I ...?", "when partners disagree, how ...?").
_FACT = re.compile(
    r"(?:^|[.?!;:]\s+|,\s*|\band\s+|-\s+)(?P<w>who|which|when|where|what(?:'s|\s+is|\s+are|\s+was|\s+were)\s+"
    r"(?:the|a|an)|is there|are there)\b(?P<rest>(?:\W+\w+){0,6})", re.IGNORECASE)
# A question after what a source says ("what's the judgment call Tizard wrote about?", "what's the point in the 2008
# piece?") asks for the text's own content, not a fact of the world: it is asked as any other question is.
_ABOUT_A_TEXT = re.compile(
    r"\b(?:wr[io]te|writes|written|says?|said|describes?|described|argues?|argued|mentions?|mentioned|means?|meant)\b|"
    r"\bin (?:the|this|that|his|her|their|\w+'s) (?:[\w'-]+ ){0,4}(?:article|piece|paper|report|chapter|note|"
    r"evaluation|guidance|study)\b", re.IGNORECASE)
_ADVICE = re.compile(r"\b(?:should|ought|could|would|might|do i|am i|can i|do we|can we|shall)\b", re.IGNORECASE)
_ASKED_WHEN = re.compile(r"^\W*(?:is|are|was|were|will|did|does|do|has|have|'s|s)\b", re.IGNORECASE)
_ARTICLE = re.compile(r"^(?:an?|the|our|their|my)\s+", re.IGNORECASE)
_WORD = re.compile(r"[\w'-]+")
# Where the counted thing ends: "how many LSPs | have ...", "what percentage of LSP chairs | are ...".
_COUNTED_STOP = frozenset(re.findall(r"\w+", "are is was were have has had do does did should would could can will "
                                              "must might may that who which with in on at to from for by"))


def asks_for_fact(question: str) -> bool:
    """Whether the question asks for a fact (who, which, when, where, what is the ..., is there ...) rather than
    for advice. The guidance states few facts beyond its own findings, and a fact answered loosely is simply
    wrong, where loose advice with its sources shown still helps: bot.answering.coverage asks more of these."""
    if _ABOUT_A_TEXT.search(question):
        return False
    for match in _FACT.finditer(question):
        word, rest = match.group("w").lower(), match.group("rest")
        if _ADVICE.search(rest):
            continue  # "who should carry the risk ...?": advice
        if word in ("when", "where") and not _ASKED_WHEN.match(rest):
            continue  # "When partners disagree, how do I ...?": a clause, not the question
        return True
    return False


def missing_answer(question: str, hits: Iterable[Hit], vocabulary: Collection[str]) -> str | None:
    """The kind of answer the question asks for that these passages do not hold, or None when they hold one (or
    the question asks for no particular kind). `vocabulary`: every stemmed content word the guidance uses."""
    hits = list(hits)
    naming = naming_passages(hits)
    if _COUNT.search(question) and not _count_answered(question, hits, vocabulary):
        return FIGURE
    if (pair := _difference(question)) and not all(_named(thing, naming) for thing in pair):
        return DIFFERENCE
    if (numbered := _NUMBERED.search(question)) and not _named(numbered.group("set"), naming):
        return NUMBERED_LIST  # the guidance's own sets ("the four fields") are named in it, number and all
    return None


def naming_passages(hits: list[Hit]) -> list[str]:
    """Each passage under its document's title and heading: a thing may be named there ("The four fields of
    partnership leadership") rather than in the passage's own sentences."""
    return [f"{h.title}.\n{h.heading}.\n{h.text}" for h in hits]


def _count_answered(question: str, hits: list[Hit], vocabulary: Collection[str]) -> bool:
    asked = terms(question) - _FRAME
    if asked - set(vocabulary):  # "what percentage of LSP chairs are women?": the guidance never says "women"
        return False
    counted = _counted(question)
    rest = asked - counted
    for hit, named in zip(hits, naming_passages(hits), strict=True):
        if not counted <= terms(named):  # the passage is about what is counted ("LSPs", "partnerships") ...
            continue
        # ... and one of its own sentences states a quantity and speaks to the rest of the question.
        if any(_QUANTITY.search(sentence) and (not rest or rest & terms(sentence))
               for sentence in passage_sentences(hit.text)):
            return True
    return False


def _counted(question: str) -> set[str]:
    match = _COUNTED.search(question)
    if not match:
        return set()
    words = []
    for word in _WORD.findall(match.group(1)):
        if word.lower() in _COUNTED_STOP:
            break
        words.append(word)
    return terms(" ".join(words)) - _FRAME


def _difference(question: str) -> tuple[str, str] | None:
    match = _DIFFERENCE.search(question)
    if not match:
        return None
    x, y = (_ARTICLE.sub("", match.group(g).strip()) for g in ("x", "y"))
    if any(thing.split()[0].lower().endswith("ing") for thing in (x, y) if thing.split()):
        return None  # activities compared: how to lead, not what a body is
    return x, y


def _named(thing: str, passages: list[str]) -> bool:
    """Whether a passage names the thing: its content words in order, side by side (a list's lead-in such as "There
    are thus three identifiable elements to LSP leadership:" counts, so the passage is read whole)."""
    wanted = term_sequence(thing)
    if not wanted:
        return True
    for passage in passages:
        said = term_sequence(passage)
        if any(said[i:i + len(wanted)] == wanted for i in range(len(said) - len(wanted) + 1)):
            return True
    return False


def missing_answer_decline(kind: str) -> str:
    """The decline for a question whose kind of answer the guidance lacks, and what the coach can help with."""
    return f"The partnership leadership guidance I draw on {_WHY[kind]}, so I won't guess. {HELP_WITH}"
