"""A passage read as an answer would quote it: prose sentences, lists with their lead-in, and lead-ins whose
list the source lost; plus the sentences an answer must not quote on their own.

`read_passage` yields the same sentence strings as `bot.retrieval.chunking.passage_sentences` (whose vectors
are computed at ingest), tagged with where they stand, so the composer can keep a list whole, carry the
sentence a "They …" points back to, and leave out source lines, dated remarks and list fragments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.retrieval.chunking import split_sentences

Kind = Literal["prose", "item", "orphan_lead"]

# A sentence opening with one of these reads as a continuation of the one before: quoted alone, "they" may
# bind to the wrong people (councillors read as voluntary-sector representatives). "So if X is to be realised,
# members need to …" is not among them: it states its own condition and draws its own conclusion.
_POINTS_BACK = re.compile(
    r"^(?:this|these|that|those|they|them|their|such|it|its|he|she|his|her|instead|actually|also|"
    r"once (?:those|these|this))\b",
    re.IGNORECASE)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# Remarks tied to a date or an event that has passed ("on 6 May", "after May 2010", "launched at the recent LGA
# conference"): quoted as if current they mislead. A year inside a title ("NHS 1989 Act") dates nothing, and a
# finding reported from research ("Recent research for the ODPM shows that 47 per cent …") is evidence the
# citation dates, not a remark about the time of writing: it is the answer to "how many LSPs …".
_DATED = re.compile(
    rf"\b\d{{1,2}} (?:{_MONTHS})\b|\b(?:{_MONTHS}) (?:19|20)\d\d\b|\b(?:19|20)\d\d\b(?! Act)|"
    r"\brecent(?:ly)? (?:LGA conference|conference)\b|\bwas launched\b|\bthis year\b|\bnext phase\b",
    re.IGNORECASE)
# Lines about the text rather than of it: a source note, an attribution, a quotation used as an epigraph, a
# standfirst describing the article.
_SOURCE_LINE = re.compile(r"^(?:sources?:|—|-\s|'|‘|“|\")|^[A-Z]\w+ [A-Z]\w+ (?:looks at|examines|argues|writes)\b")
# The author speaking of himself or his research project ("I am confident we will identify …", "We would be keen
# to hear …"): about the article, not guidance to a leader.
_AUTHOR = re.compile(r"^(?:I|We)\b|\b(?:I am|I was|our findings|this project|this research)\b")
_COUNTED = re.compile(r"\b(two|three|four|five|six|seven|eight|nine|ten)\b\W+(\w+)(?:\W+(\w+))?", re.IGNORECASE)


@dataclass(frozen=True)
class Piece:
    text: str  # as passage_sentences renders it (list items completed by their lead-in)
    kind: Kind
    list_id: int | None = None  # items of one list share it; an orphan lead-in has its own
    lead: str = ""  # a list item's lead-in, without the colon
    item: str = ""  # a list item's own words, without trailing "; and"


def read_passage(passage: str, continues_list: str = "", list_follows: bool = False) -> list[Piece]:
    """Pieces in reading order. `continues_list` is the lead-in of a list that ran on from the passage before
    (its items here have no lead-in of their own); `list_follows` says the next passage opens with list items,
    so a closing lead-in here is not an orphan."""
    pieces: list[Piece] = []
    lead = continues_list
    list_id = 0 if continues_list else -1
    blocks = [b.strip() for b in passage.split("\n") if b.strip()]
    for n, block in enumerate(blocks):
        if block.startswith("- "):
            raw = block[2:].strip().rstrip(" ,;")
            item = re.sub(r";?\s+and$", "", raw).rstrip(" ,;")  # "…partner agencies; and" is a list's joint
            if list_id < 0:
                list_id = n
            # The text as passage_sentences renders it (a lead-in only from this passage): its vector is cached.
            local = lead if lead != continues_list or not continues_list else ""
            text = f"{local} {raw}" if local and raw[:1].islower() else raw[:1].upper() + raw[1:]
            pieces.append(Piece(text if text.endswith((".", "?", "!")) else text + ".", "item", list_id, lead, item))
            continue
        sentences = [re.sub(r"^\d+\.\s+", "", s) for s in split_sentences(block)]
        lead, list_id = "", -1
        if sentences and sentences[-1].endswith(":"):
            lead, list_id = sentences[-1].rstrip(":").strip(), n + 1
            sentences = sentences[:-1]
            following = next((b for b in blocks[n + 1:]), "")
            if not following.startswith("- ") and (n + 1 < len(blocks) or not list_follows):
                pieces.extend(Piece(s, "prose") for s in sentences)
                pieces.append(Piece(lead, "orphan_lead", n + 1, lead))
                lead, list_id = "", -1
                continue
        pieces.extend(Piece(s, "prose") for s in sentences)
    return pieces


def trailing_lead(passage: str) -> str:
    """The lead-in of a list still open at the end of the passage (its items may run on into the next one)."""
    lead = ""
    for block in (b.strip() for b in passage.split("\n") if b.strip()):
        if block.startswith("- "):
            continue
        sentences = split_sentences(block)
        lead = sentences[-1].rstrip(":").strip() if sentences and sentences[-1].endswith(":") else ""
    return lead


def ends_with_orphan_lead(passage: str) -> str:
    """A closing lead-in with no list after it ("There are thus three identifiable elements …:")."""
    blocks = [b.strip() for b in passage.split("\n") if b.strip()]
    if not blocks or blocks[-1].startswith("- "):
        return ""
    sentences = split_sentences(blocks[-1])
    return sentences[-1].rstrip(":").strip() if sentences and sentences[-1].endswith(":") else ""


def points_back(sentence: str) -> bool:
    return bool(_POINTS_BACK.match(sentence.strip()))


def dated(sentence: str) -> bool:
    return bool(_DATED.search(sentence))


def source_line(sentence: str) -> bool:
    text = sentence.strip()
    return bool(_SOURCE_LINE.match(text) or _AUTHOR.search(text))


def fragment(sentence: str) -> bool:
    """A piece that is not a sentence: a list remnant ("…partner agencies; and."), a lower-case start."""
    text = sentence.strip()
    return (not text[:1].isupper() and not text[:1].isdigit()) or bool(re.search(r"(?:;|\band)\s*\.?$", text))


def counted_noun(lead: str) -> tuple[str, set[str]] | None:
    """("three", {"identifiable", "elements"}) from a lead-in that counts what it names."""
    match = _COUNTED.search(lead)
    if not match:
        return None
    return match.group(1).lower(), {w.lower() for w in match.groups()[1:] if w}


def quotation(sentence: str) -> bool:
    """A sentence that is all quotation (an epigraph, a practitioner's words)."""
    text = sentence.strip()
    return text[:1] in "'‘“\"" and text[-1:] in "'’”\""


def attribution(line: str) -> str:
    """Who a quotation is from ("— Police district commander"), short; "" when the line is not one."""
    text = line.strip()
    if not text.startswith("—"):
        return ""
    return text.lstrip("— ").split(",")[0].strip()
