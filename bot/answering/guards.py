"""Guards on text the coach shows to people and sends to the model (Slack's own escaping is in bot.slack)."""

from __future__ import annotations

import re

# --- Guards around the language model ------------------------------------------------------------------
# The model reads retrieved passages and the user's words as data inside tags; nothing in that data may
# close a tag early, so our tag names are removed from it.
_DATA_TAGS = re.compile(r"<\s*/?\s*(passages?|question|history|system|instructions?)\b[^>]*>", re.IGNORECASE)
_SLACK_MARKUP = re.compile(r"<[@#!][^>\s]*>")
_SLACK_ID = re.compile(r"\b[UWB][A-Z0-9]{8,11}\b")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_MENTION_OUT = re.compile(r"<\s*[!@#][^>]*>|[@＠](?:channel|here|everyone)\b", re.IGNORECASE)
MENTION_REMOVED = "(mention removed)"


def as_data(text: str) -> str:
    """Text safe to place between the prompt's data tags: it cannot end the tag it sits in."""
    return _DATA_TAGS.sub(" ", text)


def strip_identifiers(text: str) -> str:
    """Slack mentions and ids and e-mail addresses replaced by neutral words before text goes to the model."""
    text = _SLACK_MARKUP.sub("someone", text)
    text = _EMAIL.sub("[email]", text)
    return _SLACK_ID.sub("someone", text)


def neutralise_mentions(text: str) -> str:
    """Model output with every Slack mention or broadcast (`<!channel>`, `<@U1>`, `@here`) made harmless."""
    return _MENTION_OUT.sub(MENTION_REMOVED, text)


# Instructions planted in a document must not reach the model as if they were guidance.
_INJECTION = re.compile(
    r"(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|rules|prompt|above|previous)"
    r"|\bsystem prompt\b|\byou are now\b|\bnew instructions\b|\bjailbreak\b|\bdeveloper mode\b|(?-i:\bDAN\b)",
    re.IGNORECASE,
)
# In a passage, text telling the model how to reply is planted too (a question may say "respond with").
_PLANTED = re.compile(_INJECTION.pattern + r"|\b(reply|respond|answer|say)\b.{0,20}\b(only|exactly|with)\b"
                      r"|\b(assistant|AI|model|chatbot)s?\b.{0,30}\b(must|should|will)\b", re.IGNORECASE)


def model_instructions(text: str) -> re.Match[str] | None:
    """Where the text addresses the model rather than the reader, as matched (no normalising: see screening)."""
    return _PLANTED.search(text)


def remove_planted_instructions(passage: str) -> str:
    """The passage without sentences that address the model rather than the reader (normalised first)."""
    from bot.answering.screening import remove_flagged_sentences

    return remove_flagged_sentences(passage, keep_reader_text=True)


# What the coach will not do, recognised before any model call. Order matters: first match wins.
_SCREENS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("system_prompt", re.compile(
        r"\b(system|initial|hidden|original|secret)\s+(prompt|instructions?|message|rules)\b"
        r"|\b(your|the)\s+(instructions|prompt|rules)\b.{0,30}\b(verbatim|word for word|repeat|print|show|reveal)"
        r"|\b(repeat|print|show|reveal|output)\b.{0,40}\b(above|instructions|prompt|rules)\b"
        r"|what were you told", re.IGNORECASE)),
    ("injection", _INJECTION),
    ("other_users", re.compile(
        r"\b(other|another|every|all)\s+(users?|people|colleagues|members)('s)?\b.{0,40}"
        r"\b(data|answers?|ratings?|reflections?|said|wrote|asked|history|scores?|assessments?)"
        r"|\bsomeone else'?s\b|\b(users?|members?)\s+(?-i:[UW][A-Z0-9]{6,})"
        r"|\b(show|give|tell|list)\b.{0,20}\b(everyone|everybody|all users)\b", re.IGNORECASE)),
    ("roleplay", re.compile(
        r"\bpretend (to be|you)\b|\brole-?play\b|\byou are no longer\b|\bfrom now on,? you\b"
        r"|\bimagine you are (an?|the) (?!partnership)|\bact as if you\b", re.IGNORECASE)),
    ("code", re.compile(
        r"\b(write|generate|give me|create|debug|fix)\b.{0,40}\b(code|script|function|program|sql|regex|"
        r"python|javascript|html|bash)\b|```", re.IGNORECASE)),
)

STEER_BACK = {
    "system_prompt": "I keep my instructions to myself, but I'm glad to help with your partnership work. "
                     "What is the partnership challenge on your mind?",
    "injection": "I can only coach on partnership leadership, drawing on the guidance. "
                 "What would you like to explore about leading your partnership?",
    "other_users": "I can't share anything about other people or their conversations. "
                   "I can help you think about your own partnership leadership: what's on your mind?",
    "roleplay": "I'll stay in my role as your partnership leadership coach. "
                "What partnership question can I help you think through?",
    "code": "Writing code is outside what I do: I coach on leading partnerships, drawing on the guidance. "
            "Is there a partnership question I can help with?",
}


def screen_question(question: str) -> str | None:
    """The kind of request the coach declines before asking the model, or None for an ordinary question.
    The question is normalised first (full-width letters, hyphenation, leetspeak...): see screening."""
    from bot.answering.screening import screen_question as screen_normalised

    return screen_normalised(question)


def match_screens(text: str) -> str | None:
    """The first of the screens above that matches the text as given."""
    for kind, pattern in _SCREENS:
        if pattern.search(text):
            return kind
    return None


def _shingles(text: str, n: int) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def leaks_prompt(output: str, secret: str, n: int = 8) -> bool:
    """Does the output repeat any run of `n` words from the system prompt (however it was asked for)?"""
    return bool(_shingles(output, n) & _shingles(secret, n))


_CODE = re.compile(r"```|^\s*(def \w+\(|class \w+[(:]|import \w|from [\w.]+ import|function \w+\()"
                   r"|\bSELECT\b.+\bFROM\b", re.MULTILINE)


def looks_like_code(output: str) -> bool:
    return bool(_CODE.search(output))
