"""What Slack refuses in a payload's blocks, as the fake Web API checks it (invalid_blocks).

slack_sdk's own models check most limits (`validate_json`: section text 3,000, header 150, modal title 24,
private_metadata 3,000, 1-100 blocks in a view); the few they let through are checked here from Slack's
reference (api.slack.com/reference/block-kit/blocks and /block-elements: option and button text 75 characters,
any text object in a context 3,000, 50 blocks in a message). A block type slack_sdk does not know is refused.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MESSAGE_BLOCKS = 50
SHORT_TEXT = 75  # an option's or a button's text
CONTEXT_TEXT = 3000


def message_violations(blocks: Any) -> list[str]:
    if not isinstance(blocks, list):
        return ["blocks must be a list [json-pointer:/blocks]"]
    errors = [f"no more than {MESSAGE_BLOCKS} items allowed [json-pointer:/blocks]"] \
        if len(blocks) > MESSAGE_BLOCKS else []
    return errors + block_violations(blocks)


def view_violations(view: Any) -> list[str]:
    if not isinstance(view, dict):
        return ["view must be an object [json-pointer:/view]"]
    try:
        View(**view).validate_json()
    except (SlackObjectFormationError, TypeError, KeyError) as exc:
        return [f"{exc} [json-pointer:/view]"]
    return block_violations(view.get("blocks") or [])


def block_violations(blocks: list[Any]) -> list[str]:
    errors: list[str] = []
    for index, block in enumerate(blocks):
        where = f"[json-pointer:/blocks/{index}]"
        if not isinstance(block, dict):
            errors.append(f"block must be an object {where}")
            continue
        try:
            parsed = Block.parse(block)
            if parsed is None or type(parsed) is Block:
                errors.append(f"unsupported block type {block.get('type')!r} {where}")
                continue
            parsed.validate_json()
        except (SlackObjectFormationError, TypeError, KeyError) as exc:
            errors.append(f"{exc} {where}")
            continue
        errors += [f"{problem} {where}" for problem in _short_texts(block)]
    return errors


def _short_texts(block: dict) -> list[str]:
    problems = []
    if block.get("type") == "context":
        problems += [f"context text over {CONTEXT_TEXT}" for e in block.get("elements") or []
                     if len(str(e.get("text") or "")) > CONTEXT_TEXT]
    elements = list(block.get("elements") or [])
    for key in ("accessory", "element"):
        if isinstance(block.get(key), dict):
            elements.append(block[key])
    for element in elements:
        if element.get("type") == "button" and len(str((element.get("text") or {}).get("text") or "")) > SHORT_TEXT:
            problems.append(f"button text over {SHORT_TEXT}")
        options = list(element.get("options") or []) + [o for g in element.get("option_groups") or []
                                                        for o in g.get("options") or []]
        problems += [f"option text over {SHORT_TEXT}" for o in options
                     if len(str((o.get("text") or {}).get("text") or "")) > SHORT_TEXT]
    return problems
