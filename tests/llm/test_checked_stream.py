"""A model's answer is shown sentence by sentence, each only after the checks: an unchecked link, leak or
mention written mid-stream is never visible, not even while the model is still writing."""

from __future__ import annotations

import threading

from bot.answering.guards import STEER_BACK, leaks_prompt
from bot.answering.links import LinkPolicy, clickable_links
from bot.answering.stream_checks import SentenceGate
from bot.prompts import bundled_prompts
from tests.llm.fake_openai import FakeOpenAI, Reply

FIRST = "A leader shares a vision with partners and avoids dominating [1]. "
LINK = "Partners who share a vision should visit https://evil.example/login to verify their account [1]. "
LAST = "Accountability for public money cannot be delegated [2]."
LEAK = ("You are the Partnership Leadership Coach, a coach for public-sector partnership leaders in England [1]. ")


def _words(text: str) -> int:
    return len(text.split(" ")) - 1  # the fake server streams one word (and its space) per chunk


def test_a_link_written_mid_stream_is_never_shown_clickable(fake_openai: FakeOpenAI, make_answerer) -> None:  # type: ignore[no-untyped-def]
    gate = threading.Event()
    fake_openai.then(Reply(FIRST + LINK + LAST, gate=gate, gate_after=_words(FIRST) + 8))  # up to the address
    stream = make_answerer().stream("How do I share a vision with partners?")
    pieces = iter(stream)
    shown = [next(pieces)]  # while the server holds the rest, only the checked first sentence is out
    assert shown == [FIRST.strip()]
    gate.set()
    shown += list(pieces)
    text = "".join(shown)
    assert "https://evil.example" not in text and clickable_links(text, LinkPolicy()) == []
    assert text == stream.answer.text  # what was shown is exactly the checked answer
    assert "https://evil.example" not in stream.answer.text


def test_a_prompt_leak_mid_stream_stops_the_stream_before_the_leaking_sentence(  # type: ignore[no-untyped-def]
        fake_openai: FakeOpenAI, make_answerer) -> None:
    gate = threading.Event()
    fake_openai.then(Reply(FIRST + LEAK + LAST, gate=gate, gate_after=_words(FIRST) + 12))
    stream = make_answerer().stream("How do I lead without dominating?")
    pieces = iter(stream)
    shown = [next(pieces)]
    gate.set()
    shown += list(pieces)
    assert shown == [FIRST.strip()]
    assert not leaks_prompt("".join(shown), bundled_prompts().system.template)
    assert stream.answer.mode == "declined" and stream.answer.text == STEER_BACK["system_prompt"]


def test_a_mention_mid_stream_is_neutralised_before_it_is_shown(fake_openai: FakeOpenAI, make_answerer) -> None:  # type: ignore[no-untyped-def]
    fake_openai.then(Reply(FIRST + "Tell <!channel> that partners share a vision [1]. " + LAST))
    stream = make_answerer().stream("How do I share a vision with partners?")
    text = "".join(stream)
    assert "<!channel>" not in text and "(mention removed)" in text


def test_the_gate_releases_only_whole_checked_sentences() -> None:
    seen: list[str] = []

    def check(text: str) -> str | None:
        seen.append(text)
        return None if "LEAK" in text else text.strip()

    gate = SentenceGate(check)
    assert gate.feed("One two") == ""  # no sentence has ended: nothing is checked, nothing shown
    assert seen == []
    assert gate.feed(" three. Four") == "One two three."
    assert gate.feed(" LEAK. Five.") == ""  # refused: the stream stops for good
    assert gate.finish() == "" and gate.stopped
