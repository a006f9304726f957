"""The closing feedback's words: what the person wrote reflected back (the partners they named, the difficulty
they described, in their own words), the guidance point for the rating they gave, and one open question.

Nothing here is tuned to particular answers: partners are found by the kinds of organisation English
public-sector partnerships are made of, the difficulty by the words people use for one, and quotes are
whole or cut where a clause ends, never inside a word."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.coaching.exercises import Exercise, Guide
from bot.coaching.model import Reflection
from bot.retrieval.chunking import split_sentences

MAX_NAMED = 6  # partners listed back by name
QUOTE_CHARS = 150  # longer answers are quoted to the end of a clause within this, with an ellipsis

# The kinds of organisation partnership leaders in England name, as the feedback names them back. Order
# matters only where one pattern contains another ("district council" before "council").
_PARTNERS: tuple[tuple[str, str], ...] = (
    (r"police and crime commissioner|\bPCC\b", "the police and crime commissioner"),
    (r"\bpolice\b|constabulary|chief constable|(?:district|borough) commander|superintendent|inspector",
     "the police"),
    (r"\bICBs?\b|integrated care (?:board|system)|\bICS\b", "the ICB"),
    (r"\bCCGs?\b|clinical commissioning", "the CCG"),
    (r"\bPCTs?\b|primary care trust", "the PCT"),
    (r"\bPCNs?\b|primary care network|\bGPs?\b|general practi", "the GPs"),
    (r"(?:hospital|acute|NHS|foundation|mental health|community health) trusts?|\bhospitals?\b", "the NHS trust"),
    (r"\bNHS\b", "the NHS"),
    (r"public health", "public health"),
    (r"fire (?:and rescue|service|brigade)|\bfire\b", "the fire service"),
    (r"\bprobation\b", "probation"),
    (r"youth (?:offending|justice)|\bYOTs?\b", "the youth offending service"),
    (r"district councils|\bdistricts\b", "the district councils"),
    (r"district council", "the district council"),
    (r"county council|\bcounty\b", "the county council"),
    (r"(?:parish|town) councils?", "the parish councils"),
    (r"combined authority|\bmayor\b", "the combined authority"),
    (r"housing associations?|registered providers?|housing providers?", "the housing associations"),
    (r"\bVCSE?\b|voluntary (?:and community )?sector|third sector|\bcharit(?:y|ies)\b|\bCVS\b|community groups?",
     "the voluntary sector"),
    (r"\bDWP\b|jobcentre", "the DWP"),
    (r"\bschools?\b|academy trusts?|head ?teachers?", "the schools"),
    (r"universit(?:y|ies)|\bcolleges?\b", "the university"),
    (r"chamber of commerce|\bLEP\b|\bbusinesses\b|private sector|employers", "local businesses"),
    (r"\bHealthwatch\b", "Healthwatch"),
    (r"ward councillors?|\bcouncillors?\b|cabinet member|portfolio holder|elected members?", "the councillors"),
    (r"social care|children'?s services|adult services", "social care"),
    (r"\bcouncil\b|local authority", "the council"),
)
_PARTNER_RES = tuple((re.compile(p, re.I), name) for p, name in _PARTNERS)

# Words people use when they describe what is stuck: weighted, summed per sentence.
_TENSION = {
    r"\bnever\b|\bnobody\b|\bno-?one (?:(?:reads?|comes?|knows?|speaks?|listens?|asks?)\b)"
    r"|\brefus\w*|\bwon'?t\b|\bcan'?t\b|\bcannot\b|\bblock\w*|\bstuck\b|\bveto\w*"
    r"|\bdistrust\w*|\bmistrust\w*|\bsuspicio\w*|\bhostil\w*|\bresent\w*|\bfrustrat\w*|\bconflict\w*"
    r"|\bwithdr[ae]w\w*|\bpulled out\b|\bdisengag\w*|\bcooled\b|\bstall\w*|\bdominat\w*|\bbehind closed doors\b"
    r"|\balready (?:been )?(?:decided|made|agreed)\b|\bbefore the meeting\b|\belsewhere\b|\bhad to\b"
    r"|\bleaned on\b|\bforced\b|\binsist\w*|\boverturn\w*|\bresent\w*|\bblame\w*": 2.0,
    r"\bnot\b|n't\b|\brarely\b|\bseldom\b|\bjunior\b|\blate\b|\babsent\b|\black\w*|\bwithout\b|\bstruggl\w*"
    r"|\bresist\w*|\breluctan\w*|\bdelay\w*|\btension\w*|\bdisagree\w*|\bargu\w*|\bworr\w*|\bafraid\b|\bfear\w*"
    r"|\bdefensive\b|\bdifficult\w*|\bhard\b|\bproblem\w*|\bonly\b|\bnothing\b|\bwithout\b": 1.0,
    r"\bbut\b|\bhowever\b|\bthough\b|\bstill\b": 0.5,
}
_TENSION_RES = tuple((re.compile(p, re.I), w) for p, w in _TENSION.items())
_CLAUSE_END = re.compile(r"[;:,–—]\s|\s(?:and|but|because|so|which|while|although|though)\s|\.\s")
_PLACEHOLDER = re.compile(r"\{(title|rating|partner(?:\.[a-z0-9-]+)?|(?:answer|said)\.[a-z0-9-]+)\}")
INLINE_WORDS = 12  # a name or short phrase is written into the sentence; anything longer is quoted
_FIRST_CLAUSE = re.compile(r"[;:(–—]|,\s|\.\s")


def flat(text: str) -> str:
    return " ".join(text.split())


def clipped(text: str, limit: int = QUOTE_CHARS) -> str:
    """The text whole when it fits, else cut where a clause ends (a comma, semicolon, dash, "and", "but", a
    sentence end) with an ellipsis; a word boundary only when no clause ends in the first third."""
    said = flat(text)
    if len(said) <= limit:
        return said
    ends = [m.start() for m in _CLAUSE_END.finditer(said, 0, limit + 1) if m.start() >= limit // 3]
    cut = ends[-1] if ends else said.rfind(" ", 0, limit)
    return said[: cut if cut > 0 else limit].rstrip(" ,;:–—.") + "…"


def inline(text: str) -> str:
    """A short answer (a name: "The police neighbourhood inspector") written into a sentence as the person
    wrote it, up to its first clause, with a capital kept only where it is part of a name; quoted if long."""
    said = _FIRST_CLAUSE.split(flat(text), maxsplit=1)[0].strip().rstrip(".")
    words = said.split()
    if not words or len(words) > INLINE_WORDS:
        return quoted(text)
    first = words[0]
    following_capital = len(words) > 1 and words[1][:1].isupper()
    if first.lower() in _DETERMINERS or (len(words) > 1 and first[:1].isupper() and first[1:].islower()
                                         and not following_capital):
        words[0] = first.lower()  # "The ICB", "Housing associations", "Chairing the board"; "Age UK" stays
    return " ".join(words)


_DETERMINERS = {"the", "a", "an", "our", "my", "their", "his", "her", "its", "this", "that", "these", "those"}
_LEADING_NAME = re.compile(r"^((?:[A-Z][\w'’&-]*)(?:\s+[A-Z][\w'’&-]*)*)")


def leading_name(text: str) -> str | None:
    """A proper name the answer opens with ("Age UK get…", "Barnardo's said…"), for partners the list of
    kinds of organisation does not know."""
    match = _LEADING_NAME.match(flat(text))
    if not match:
        return None
    words = match.group(1).split()
    if words[0].lower() in _DETERMINERS | {"they", "we", "i", "it", "he", "she", "not", "most", "some", "nobody"}:
        return None
    return match.group(1) if len(words) > 1 or "'" in words[0] or "’" in words[0] else None


def quoted(text: str, limit: int = QUOTE_CHARS) -> str:
    return f"“{clipped(text, limit)}”"


@dataclass(frozen=True)
class Mention:
    name: str  # as the feedback names it: "the police", "the ICB"
    step_id: str
    position: int  # where in that answer it is first named


def partners_named(exercise: Exercise, answers: Sequence[Reflection]) -> list[Mention]:
    """The organisations named in the answers, each once, in the order the exercise asked and the person wrote."""
    order = {s.id: n for n, s in enumerate(exercise.steps)}
    found: dict[str, Mention] = {}
    for reflection in sorted(answers, key=lambda a: order.get(a.step_id, 99)):
        for mention in sorted(_mentions_in(reflection.step_id, reflection.answer or ""), key=lambda m: m.position):
            found.setdefault(mention.name, mention)
    return list(found.values())


MIN_TENSION = 1.5  # one "not" is not yet a difficulty; "not ... but" or "never" is
_NOT_A_DIFFICULTY = re.compile(r"\bnot (?:applicable|sure|really)\b|\bn/a\b", re.I)


def tension(text: str) -> float:
    text = _NOT_A_DIFFICULTY.sub(" ", text)
    return sum(weight * len(pattern.findall(text)) for pattern, weight in _TENSION_RES)


def difficulty(answers: Sequence[Reflection] | Sequence[_Said], skip: set[str]) -> tuple[str, str] | None:
    """The sentence in which the person describes most plainly what is stuck, and the step it answered."""
    best: tuple[float, str, str] | None = None
    for reflection in answers:
        if not reflection.answer or reflection.step_id in skip:
            continue
        for sentence in split_sentences(flat(reflection.answer)):
            score = tension(sentence)
            if score >= MIN_TENSION and (best is None or score > best[0]):
                best = (score, sentence, reflection.step_id)
    return None if best is None else (best[1], best[2])


def difficulties(answers: Sequence[Reflection]) -> list[tuple[str, str]]:
    """Every sentence that plainly says something is stuck (the strongest first, at most one weaker than
    the strongest by half), with the step it answered."""
    scored = [(tension(sentence), sentence, reflection.step_id) for reflection in answers if reflection.answer
              for sentence in split_sentences(flat(reflection.answer))]
    scored = sorted((s for s in scored if s[0] >= MIN_TENSION), key=lambda s: -s[0])
    return [(sentence, step) for score, sentence, step in scored if score >= scored[0][0] / 2]


def _sentence_with(text: str, position: int) -> str:
    """The sentence of `text` that contains the character at `position`."""
    start = 0
    for sentence in split_sentences(text):
        at = text.find(sentence, start)
        if at <= position < at + len(sentence) + 1:
            return sentence
        start = max(start, at + len(sentence))
    return text


def partner_for(answers: Mapping[str, str], mentions: Sequence[Mention], step_id: str | None) -> str:
    """The partner a sentence of feedback is about: the one named where the person describes what is stuck,
    else the first named in the step's answer (or anywhere, without a step), else "that partner"."""
    said = {k: v for k, v in answers.items() if v and (step_id is None or k == step_id)}
    found = difficulty([_Said(k, v) for k, v in said.items()], skip=set())
    if found is not None:
        named = sorted(_mentions_in(found[1], found[0]), key=lambda m: m.position)
        if named:
            return named[0].name
    for step, text in said.items():
        for mention in sorted(_mentions_in(step, text), key=lambda m: m.position):
            return mention.name
    return next((name for text in said.values() if (name := leading_name(text))), "that partner")


@dataclass(frozen=True)
class _Said:
    step_id: str
    answer: str | None


def _mentions_in(step_id: str, text: str) -> list[Mention]:
    taken: list[tuple[int, int]] = []
    found = []
    for pattern, name in _PARTNER_RES:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue  # "district council" is not also "the council"
            taken.append(match.span())
            found.append(Mention(_number_of(name, match.group(0)), step_id, match.start()))
    return found


def _number_of(name: str, written: str) -> str:
    """"the housing association" for "a housing association", "the housing associations" for several."""
    plural = name.endswith("s") and not name.endswith(("ss", "ICS", "VCS", "DWP"))
    if plural and not written.lower().rstrip("'’").endswith("s") and not written.isupper():
        return name[:-1]
    return name


def branch(rating: int | None) -> str:
    if rating is None:
        return "middle"
    return "low" if rating <= 2 else "high" if rating >= 4 else "middle"


def rating_given(exercise: Exercise, answers: Sequence[Reflection]) -> int | None:
    step = exercise.rating_step
    return next((a.rating for a in answers if step is not None and a.step_id == step.id), None)


def fill(template: str, exercise: Exercise, answers: Mapping[str, str], rating: int | None = None,
         mentions: Sequence[Mention] = ()) -> str:
    """The template with its placeholders filled: the person's words quoted, partners named as they were."""

    def value(match: re.Match[str]) -> str:
        text = _value(match.group(1))
        before = template[: match.start()].rstrip()
        return text[:1].upper() + text[1:] if not before or before.endswith((".", "?", "!")) else text

    def _value(name: str) -> str:
        if name == "title":
            return exercise.title
        if name == "rating":
            return f"{rating}/5" if rating is not None else "your rating"
        if name.startswith("partner"):
            step_id = name.partition(".")[2]
            return partner_for(answers, mentions, step_id or None)
        kind, _, step_id = name.partition(".")
        said = answers.get(step_id, "")
        if not said.strip():
            return "what you named"
        return inline(said) if kind == "said" else quoted(said)

    # A substitution, not str.format: the text is ours, but braces elsewhere must stay literal.
    return _PLACEHOLDER.sub(value, template).strip()


def reflection_lines(exercise: Exercise, answers: Sequence[Reflection], mentions: Sequence[Mention],
                     quoted_later: frozenset[str] = frozenset()) -> list[str]:
    """What the person wrote, reflected back in their own words: the partners they named (and what they said
    of the first), then the difficulty they described, when there is one. Answers the guidance that follows
    quotes itself (`quoted_later`) are not quoted here too."""
    by_step = {a.step_id: a for a in answers if a.answer}
    mentions_here = [m for m in mentions if m.step_id not in quoted_later]
    recaps = {s.id: (s.recap or s.prompt.rstrip("?")).lower() for s in exercise.steps}
    lines: list[str] = []
    used: set[str] = set()
    if mentions:
        names = [m.name for m in mentions[:MAX_NAMED]]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        lines.append(f"In “{exercise.title}” you named {listed}.")
        if mentions_here:
            first = mentions_here[0]
            sentence = _sentence_with(flat(by_step[first.step_id].answer or ""), first.position)
            if len(sentence.split()) > 3:
                lines.append(f"On {recaps.get(first.step_id, 'this')} you wrote {quoted(sentence)}.")
                used.add(sentence)
    elif first_text := next((s for s in exercise.steps if s.id in by_step and s.id not in quoted_later), None):
        lines.append(f"In “{exercise.title}”, on {recaps[first_text.id]}, you wrote "
                     f"{quoted(by_step[first_text.id].answer or '')}.")
        used.add(flat(by_step[first_text.id].answer or ""))
    short = {s.id for s in exercise.steps if s.short}  # names ("Nobody really") are not difficulties
    found = [f for f in difficulties([a for a in by_step.values() if a.step_id not in short | quoted_later])
             if f[0] not in used][:2]
    if len(found) == 1 or (found and {step for _, step in found} == {found[0][1]}):
        shown = " and ".join(quoted(sentence) for sentence, _ in found)
        lines.append(f"The difficulty you describe, on {recaps.get(found[0][1], 'this')}: {shown}.")
    elif found:
        (one, step_one), (two, step_two) = found
        lines.append(f"The difficulties you describe: {quoted(one)} (on {recaps.get(step_one, 'this')}) and "
                     f"{quoted(two)} (on {recaps.get(step_two, 'this')}).")
    return lines


def compose(exercise: Exercise, answers: Sequence[Reflection], earlier: Mapping[str, int] | None = None,
            names: Mapping[str, str] | None = None) -> str:
    """The closing feedback: the reflection, the guidance point and what the person's rating means for it,
    then one open question on its own line. With the rating step skipped, the person's latest self-ratings on
    the exercise's attributes choose the guidance instead, and the feedback says so."""
    written = {a.step_id: a.answer for a in answers if a.answer}
    mentions = partners_named(exercise, answers)
    rating = rating_given(exercise, answers)
    guide = exercise.feedback
    if isinstance(guide, str):  # a plain template: the reflection, then the template
        opening = " ".join(reflection_lines(exercise, answers, mentions, _quoting(guide)))
        return _tidy(f"{opening}\n\n{fill(guide, exercise, written, rating, mentions)}")
    assert isinstance(guide, Guide)
    linked = [(a, n) for a, n in (earlier or {}).items() if a in exercise.attributes]
    band = round(sum(n for _, n in linked) / len(linked)) if rating is None and linked else rating
    chosen = getattr(guide, branch(band))
    opening = " ".join(reflection_lines(exercise, answers, mentions,
                                        _quoting(guide.point + chosen + guide.question)))
    point = fill(guide.point, exercise, written, rating, mentions)
    if rating is None and linked and band is not None:
        shown = " and ".join(f"{(names or {}).get(a, a)} {n}/5" for a, n in linked)
        advice = (f"You left the rating out, so this goes by your latest self-assessment ({shown}). "
                  + fill(getattr(guide, branch(band)), exercise, written, band, mentions))
        return _tidy(f"{opening}\n\n{point} {advice}\n\n{fill(guide.question, exercise, written, band, mentions)}")
    advice = fill(getattr(guide, branch(rating)), exercise, written, rating, mentions)
    question = fill(guide.question, exercise, written, rating, mentions)
    return _tidy(f"{opening}\n\n{point} {advice}\n\n{question}")


def _quoting(template: str) -> frozenset[str]:
    """The steps whose answers a template quotes in full."""
    return frozenset(re.findall(r"\{answer\.([a-z0-9-]+)\}", template))


def _tidy(text: str) -> str:
    """A quote that ends its own sentence ends the feedback's too: “… the room.” not “… the room.”."""
    return re.sub(r"([.?!…])”([.,])", lambda m: m.group(1) + "”" + ("" if m.group(2) == "." else ","), text)
