"""Block Kit's limits, in one place, applied to every payload before it is sent.

Slack refuses a whole message or view (`invalid_blocks`) when one field is over its limit, so nothing the coach
sends may be refused for its size: long text is split into more sections, or cut with a visible marker where it
cannot be split (a header, a title, an option); a message of more than 50 blocks goes out as several messages,
all blocks kept in order, so the feedback buttons that end an answer are never dropped.

The figures are Slack's (api.slack.com/reference/block-kit/blocks, /composition-objects, /surfaces/views).
"""

from __future__ import annotations

import copy
from typing import Any

SECTION_TEXT = 3000  # a section's text, and any mrkdwn/plain_text object in a section or context
MESSAGE_BLOCKS = 50  # blocks in one message
VIEW_BLOCKS = 100  # blocks in a modal or the Home tab
HEADER_TEXT = 150
OPTION_TEXT = 75  # an option's text in a select or radio group
BUTTON_TEXT = 75
PLACEHOLDER_TEXT = 150
LABEL_TEXT = 2000  # an input block's label
ALT_TEXT = 2000
MODAL_TITLE = 24  # a modal's title, submit and close labels
PRIVATE_METADATA = 3000
CONTEXT_ELEMENTS = 10
MARKER = "…"  # shows where text was cut


class PayloadTooLarge(ValueError):
    """Something that cannot be cut without breaking it (a view's private_metadata, a view of >100 blocks)."""


def cut(text: str, limit: int) -> str:
    """`text`, or its start with the marker when it is longer than `limit`."""
    return text if len(text) <= limit else text[: limit - len(MARKER)].rstrip() + MARKER


def fit_message(blocks: list[dict]) -> list[list[dict]]:
    """The blocks of one message made to fit: as many messages as needed, in order, none dropped."""
    fitted = fit_blocks(blocks)
    return [fitted[i : i + MESSAGE_BLOCKS] for i in range(0, len(fitted), MESSAGE_BLOCKS)] or [[]]


def fit_view(view: dict) -> dict:
    """A modal or Home tab that Slack accepts; raises PayloadTooLarge for what no cut can mend."""
    fitted = dict(view)
    fitted["blocks"] = fit_blocks(view.get("blocks") or [])
    if len(fitted["blocks"]) > VIEW_BLOCKS:
        raise PayloadTooLarge(f"a view holds at most {VIEW_BLOCKS} blocks, not {len(fitted['blocks'])}")
    if view.get("type") == "modal":
        for key in ("title", "submit", "close"):
            if isinstance(view.get(key), dict):
                fitted[key] = _text(view[key], MODAL_TITLE)
    if len(view.get("private_metadata") or "") > PRIVATE_METADATA:
        raise PayloadTooLarge(f"private_metadata is limited to {PRIVATE_METADATA} characters")
    return fitted


def fit_blocks(blocks: list[dict]) -> list[dict]:
    """Each block within its limits; an over-long plain section becomes several sections."""
    out: list[dict] = []
    for block in blocks:
        out.extend(_fit_block(copy.deepcopy(block)))
    return out


def _fit_block(block: dict) -> list[dict]:
    kind = block.get("type")
    if kind == "section":
        return _fit_section(block)
    if kind == "header" and isinstance(block.get("text"), dict):
        block["text"] = _text(block["text"], HEADER_TEXT)
    elif kind == "context":
        elements = block.get("elements") or []
        block["elements"] = [_text(e, SECTION_TEXT) if e.get("type") in ("mrkdwn", "plain_text") else e
                             for e in elements[:CONTEXT_ELEMENTS]]
    elif kind == "actions":
        block["elements"] = [_fit_element(e) for e in block.get("elements") or []]
    elif kind == "input":
        if isinstance(block.get("label"), dict):
            block["label"] = _text(block["label"], LABEL_TEXT)
        if isinstance(block.get("element"), dict):
            block["element"] = _fit_element(block["element"])
    elif kind == "image":
        if block.get("alt_text"):
            block["alt_text"] = cut(str(block["alt_text"]), ALT_TEXT)
        if isinstance(block.get("title"), dict):
            block["title"] = _text(block["title"], ALT_TEXT)
    return [block]


def _fit_section(block: dict) -> list[dict]:
    if isinstance(block.get("accessory"), dict):
        block["accessory"] = _fit_element(block["accessory"])
    if isinstance(block.get("fields"), list):
        block["fields"] = [_text(f, 2000) for f in block["fields"][:10]]
    text = block.get("text")
    if not isinstance(text, dict) or len(str(text.get("text") or "")) <= SECTION_TEXT:
        return [block]
    from bot.slack.blocks.text import split_text  # (it takes its limits from here)

    pieces = split_text(str(text["text"]), SECTION_TEXT)
    # The first piece keeps the block's id; the accessory (a menu asking about the text) goes with the last.
    out = [{"type": "section", "text": {**text, "text": piece}} for piece in pieces]
    if "block_id" in block:
        out[0]["block_id"] = block["block_id"]
    for key in ("accessory", "fields"):
        if key in block:
            out[-1][key] = block[key]
    return out


def _fit_element(element: dict) -> dict:
    if element.get("type") == "button" and isinstance(element.get("text"), dict):
        element["text"] = _text(element["text"], BUTTON_TEXT)
    if isinstance(element.get("placeholder"), dict):
        element["placeholder"] = _text(element["placeholder"], PLACEHOLDER_TEXT)
    for key in ("options", "initial_options"):
        if isinstance(element.get(key), list):
            element[key] = [_fit_option(o) for o in element[key]]
    if isinstance(element.get("initial_option"), dict):
        element["initial_option"] = _fit_option(element["initial_option"])
    for group in element.get("option_groups") or []:
        group["options"] = [_fit_option(o) for o in group.get("options") or []]
    return element


def _fit_option(option: dict) -> dict:
    if isinstance(option.get("text"), dict):
        option = {**option, "text": _text(option["text"], OPTION_TEXT)}
    return option


def _text(obj: Any, limit: int) -> Any:
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        return obj
    return {**obj, "text": cut(obj["text"], limit)}
