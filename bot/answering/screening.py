"""Screens for hostile text, run on normalised copies so rewording tricks do not slip past the patterns.

An attacker can defeat a plain regex with full-width letters (ｉｇｎｏｒｅ), zero-width characters or soft
hyphens inside a word, hyphenation (ig-nore), spaced letters (i g n o r e), leetspeak (1gn0r3), look-alike
Cyrillic letters, accents, or another language. Each screen therefore runs on a few variants of the text,
and a match on any variant counts. The variants are only ever screened, never shown or stored.

What is still missed is measured by `coach eval answers` over evals/attacks.yaml (see the README).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import replace
from functools import lru_cache

from bot.answering.guards import match_screens, model_instructions
from bot.retrieval.hits import Hit

# Zero-width characters, soft hyphen, word joiner, BOM, bidi marks: invisible, and they split words.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u034f\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062"
                                    "\u2063\u2064\u202a\u202b\u202c\u202d\u202e\ufeff"), None)
# Cyrillic and Greek letters that look like Latin ones (NFKC leaves them alone).
_CONFUSABLES = str.maketrans("аеорсухіјѕԁһӏАЕОРСУХІЈЅВНКМТΑΒΕΗΙΚΜΝΟΡΤΥΧαοικνρτυχ",
                             "aeopcyxijsdhlAEOPCYXIJSBHKMTABEHIKMNOPTYXaoiknptux")
_LEET = str.maketrans("0134578@$!|", "oieastbasil")
_HYPHENS = "-\u2010\u2011\u2012\u2013\u2014\u2212_.·*~"
_IN_WORD_MARK = re.compile(rf"(?<=[^\W\d_])[{re.escape(_HYPHENS)}]+(?=[^\W\d_])")
_LINE_BREAK_HYPHEN = re.compile(r"(?<=\w)-\s*\n\s*(?=\w)")  # "instruc-\ntions"
_SPACED_LETTERS = re.compile(r"\b(?:[^\W\d_][ .]){2,}[^\W\d_]\b")  # "i g n o r e", "s.y.s.t.e.m"
_MIXED_TOKEN = re.compile(r"\b(?=[\w@$!|]*[^\W\d_])(?=[\w@$!|]*[0-9@$!|])[\w@$!|]+")  # letters and digits


def normalise(text: str) -> str:
    """The text as a reader sees it: compatibility forms folded (NFKC), invisible characters removed,
    look-alike letters made Latin, accents dropped, line-break hyphenation joined."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_CONFUSABLES)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _LINE_BREAK_HYPHEN.sub("", text)


def variants(text: str) -> list[str]:
    """The normalised text and its de-obfuscated readings: in-word marks removed or read as spaces,
    spaced letters joined, and leetspeak folded in words that mix letters with digits or symbols."""
    base = normalise(text)
    joined = _IN_WORD_MARK.sub("", base)
    spaced = _IN_WORD_MARK.sub(" ", base)
    letters = _SPACED_LETTERS.sub(lambda m: re.sub(r"[ .]", "", m.group()), joined)
    leet = _MIXED_TOKEN.sub(lambda m: m.group().translate(_LEET), letters)
    return list(dict.fromkeys([base, joined, spaced, letters, leet]))


# --- Questions ------------------------------------------------------------------------------------------------
_TRANSLATED_INJECTION = re.compile(
    r"\b(ignor\w*|oubli\w*|olvid\w*|vergiss\w*|dimentica\w*|esquec\w*|anwybydd\w*|negeer\w*|vergeet)\b.{0,50}"
    r"\b(instructions?|consignes|regles|instrucciones|reglas|anweisungen|regeln|vorgaben|istruzioni|regole|"
    r"instrucoes|regras|cyfarwyddiadau|rheolau|instructies|regels)\b"
    r"|\b(instructions|instrucciones|istruzioni|instrucoes|anweisungen|cyfarwyddiadau)\b.{0,30}"
    r"\b(precedentes|anteriores|precedenti|vorherigen|fruheren|blaenorol|nouvelles|nuevas|neue)\b",
    re.IGNORECASE)
_PARAPHRASED_INJECTION = re.compile(
    r"\b(pay no (attention|heed)|set aside|throw out|abandon|stop following|no longer follow|(don'?t|do not) "
    r"follow|bypass|get around|switch off|turn off|disable|lift|drop)\b.{0,40}\b(instructions?|rules|guidelines|"
    r"directions|directives|prompt|programming|constraints|restrictions|guardrails|safeguards|filters?|"
    r"what you were told|limits)\b"
    r"|\b(ignore|disregard|forget|override)\b.{0,40}\b(guidelines|directives|constraints|restrictions|"
    r"guardrails|safeguards|programming|told|said|earlier|before)\b"
    r"|\b(without|with no|free of)\b.{0,15}\b(rules|restrictions|limits|filters|guardrails|censorship)\b"
    r"|\bunrestricted\b|\bunfiltered\b|\buncensored\b|\bno longer (a|the|bound)\b",
    re.IGNORECASE)
_PROMPT_EXTRACTION = re.compile(
    r"\byour\s+(own\s+)?(guidelines|instructions|directives|configuration|programming|prompts?|rules|"
    r"system message|initial message|setup|brief|operating (rules|principles))\b"
    r"|\bhow (were|are) you (set up|configured|programmed|instructed|prompted|briefed)\b"
    r"|\bwhat (were|are|have) you (been )?(told|instructed|programmed)\b"
    r"|\b(developer|creator|operator|admin)s?\b.{0,20}\b(told|tell|instruct\w*|said)\s+you\b"
    r"|\b(text|words|message|everything)\b.{0,20}\b(above|before)\b.{0,20}\b(this|my)\s+(message|question)\b"
    r"|\b(prompt|instructions?)\s+(du\s+|de\s+)?(systeme|sistema|systems?)\b|\bsystem-?(prompt|anweisung\w*)\b"
    r"|\b(tes|vos|tus|sus|deine|ihre|le tue|suas)\s+(instructions|consignes|instrucciones|anweisungen|"
    r"istruzioni|instrucoes|regles|reglas|regeln)\b",
    re.IGNORECASE)
_NOT_NAMES = r"(?:My|Your|Our|The|This|That|Its|His|Her|Their|A|An|Everyone|Everybody|Somebody|Someone)"
_EXFILTRATION = re.compile(
    rf"\b(?!{_NOT_NAMES}\b)[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?['’]s\s+(self[- ]?assessments?|ratings?|scores?|"
    r"reflections?|answers|results|data|history|conversations?|notes|check-?ins?|weekly (answers|check-?ins?))\b"
    r"|(?i:\b(rated?|scored?|assess(ed)?|mark(ed)?)\s+(himself|herself|themselves|themself)\b)"
    r"|<@[A-Z0-9]+(?:\|[^>]*)?>['’]s\b"
    r"|(?i:\b(his|her|their|colleague['’]?s?|manager['’]?s?|boss['’]?s?|team['’]s|deputy['’]?s?|director['’]?s?|"
    r"chair['’]?s?|staff['’]?s?)\s+(self[- ]?assessments?|ratings?|scores|reflections?|check-?ins?)\b)"
    r"|(?i:\b(ratings?|scores|self[- ]?assessments?|reflections)\s+(of|for|from|by)\s+(?!me\b|my\s*self\b)"
    r"(my\s+(colleague|manager|team|deputy|boss|director|staff)|someone|somebody|anyone|other|<@))"
    rf"|\b(ratings?|scores|self[- ]?assessments?|reflections)\s+(of|for|from|by)\s+(?!{_NOT_NAMES}\b)[A-Z][a-z]+\b"
    r"|(?i:\bhow\s+(did|does|has)\s+(my\s+)?(colleague|manager|boss|deputy|director)\b.{0,30}\b(rate|score|assess))",
)
_EXTRA_SCREENS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("system_prompt", _PROMPT_EXTRACTION),
    ("injection", _TRANSLATED_INJECTION),
    ("injection", _PARAPHRASED_INJECTION),
    ("other_users", _EXFILTRATION),
)


def screen_question(question: str) -> str | None:
    """The kind of request the coach declines, or None: the guards' screens and the extra ones above,
    run on every normalised variant of the question."""
    for variant in variants(question):
        if kind := match_screens(variant):
            return kind
        for kind, pattern in _EXTRA_SCREENS:
            if pattern.search(variant):
                return kind
    return None


# --- Passages -------------------------------------------------------------------------------------------------
_URL = re.compile(
    r"\b(?:https?|ftp|hxxps?)://[^\s<>\"')\]]+|\bwww\.[^\s<>\"')\]]+"
    r"|\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:com|org|net|io|co|uk|gov|info|biz|xyz|example|ru|cn|top|"
    r"click|link|app|dev|me|ly|online|site|live|shop|zip|mov)\b(?:/[^\s<>\"')\]]*)?", re.IGNORECASE)
_CREDENTIALS = re.compile(
    r"\b(verify|confirm|validate|reactivate|unlock|update|secure|re-?enter)\s+your\s+(account|identity|login|"
    r"log-?in|details|mailbox|e-?mail|password|credentials)\b"
    r"|\b(share|send|enter|provide|submit|give|type|tell|e-?mail|disclose|reveal|reply with|post)\b.{0,30}"
    r"\b(password|passcode|passphrase|pin|credentials|log-?in details|sign-?in details|security code|"
    r"verification code|one-time (pass)?code|2fa|mfa|bank details|card (number|details)|sort code)\b"
    r"|\byour\s+(password|credentials|passcode|pin number)\b", re.IGNORECASE)
_CALL_TO_ACTION = re.compile(
    r"\b(click|tap)\b.{0,20}\b(here|link|below|button|this)\b"
    r"|\b(log|sign)\s?-?(in|on)\b.{0,20}\b(at|via|here|through|using)\b"
    r"|\b(visit|go to|head to|navigate to|open)\b.{0,40}(https?://|www\.|\.\w{2,6}\b/?)"
    r"|\bdownload\b.{0,30}\b(attachment|file|app|form|here|now)\b"
    r"|\b(call|phone|text|whatsapp|ring)\b.{0,15}\+?\d[\d \-]{6,}"
    r"|\b(act now|within 24 hours|account (will be |has been )?(suspended|locked|closed|disabled))\b",
    re.IGNORECASE)
_ADDRESSES_ASSISTANT = re.compile(
    r"\bwhen (answering|responding|replying|you answer|you respond|you reply|asked about)\b"
    r"|\b(tell|instruct|remind) (the |every |all |each )?(readers?|users?)\b", re.IGNORECASE)
# What each flag means, in the words an operator reads in `coach ingest` output.
FLAG_REASONS = {
    "model_instruction": "gives instructions to the assistant",
    "credentials": "asks for credentials or account details",
    "call_to_action": "tells the reader to click, log in, visit or call",
    "link": "carries a link",
}


def passage_flags(text: str) -> list[str]:
    """Why a passage is not to be quoted as guidance unless its document is trusted (empty: it is fine)."""
    return list(_passage_flags(text))


@lru_cache(maxsize=4096)  # the same passages are retrieved again and again; screening one costs ~5 ms
def _passage_flags(text: str) -> tuple[str, ...]:
    flags: list[str] = []
    for variant in variants(text):
        for flag, found in (("model_instruction", model_instructions(variant) is not None
                             or _ADDRESSES_ASSISTANT.search(variant) is not None),
                            ("model_instruction", _PARAPHRASED_INJECTION.search(variant) is not None
                             or _TRANSLATED_INJECTION.search(variant) is not None),
                            ("credentials", _CREDENTIALS.search(variant) is not None),
                            ("call_to_action", _CALL_TO_ACTION.search(variant) is not None),
                            ("link", _URL.search(variant) is not None)):
            if found and flag not in flags:
                flags.append(flag)
    return tuple(f for f in FLAG_REASONS if f in flags)


def addresses_model(text: str) -> bool:
    """Does the text give instructions to the assistant (the one kind even a trusted document may not)?"""
    return "model_instruction" in passage_flags(text)


_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")


def remove_flagged_sentences(passage: str, keep_reader_text: bool = False) -> str:
    """The passage without the sentences that would be flagged: with `keep_reader_text` (a trusted document)
    only those addressing the assistant go. Unflagged passages keep their layout untouched."""
    def flagged(sentence: str) -> bool:
        return addresses_model(sentence) if keep_reader_text else bool(passage_flags(sentence))

    if not flagged(passage):
        return passage
    kept = [s for s in _SENTENCES.split(passage) if s.strip() and not flagged(s)]
    return " ".join(kept)


def usable_passages(hits: list[Hit], trusted_sources: Collection[str] = ()) -> list[Hit]:
    """The retrieved passages an answer may quote. A passage flagged at ingest is left out unless its
    document is trusted; in what is left, sentences that would be flagged are removed (an index built before
    the flags existed, or text planted at query time, is screened too). Even a trusted document may not
    instruct the assistant."""
    usable = []
    for hit in hits:
        trusted = hit.trusted or hit.source in trusted_sources
        if hit.flags and not trusted:
            continue
        text = remove_flagged_sentences(hit.text, keep_reader_text=trusted)
        if len(text.split()) >= 5:
            usable.append(hit if text == hit.text else replace(hit, text=text))
    return usable


_OUTPUT_SENTENCE = re.compile(r"(?<=[.!?])(?:\s*\[\d{1,3}(?:\s*,\s*\d{1,3})*\])*\s+|\n+")
_UNSAFE_IN_OUTPUT = ("model_instruction", "credentials", "call_to_action")  # links are defanged, not dropped


def drop_unsafe_sentences(text: str) -> str:
    """Model output without sentences that ask for credentials, tell the reader to click, log in or call, or
    pass on instructions; line breaks are kept (the coaching question sits on its own line)."""
    kept: list[str] = []
    start = 0
    for end in [m.end() for m in _OUTPUT_SENTENCE.finditer(text)] + [len(text)]:
        sentence = text[start:end]
        start = end
        if not any(f in _UNSAFE_IN_OUTPUT for f in _passage_flags(sentence.strip())):
            kept.append(sentence)
        elif "\n" in sentence:
            kept.append("\n")
    return "".join(kept)
