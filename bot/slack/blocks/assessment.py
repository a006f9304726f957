"""The self-assessment modal: the nine attributes, 1-5 with behavioural anchors, optional notes."""

from __future__ import annotations

from bot.coaching.attributes import AttributeSet
from bot.errors import InvalidInputError
from bot.slack.escaping import escape_for_slack
from bot.slack.limits import LABEL_TEXT as LABEL_LIMIT
from bot.slack.limits import SECTION_TEXT as SECTION_LIMIT
from bot.slack.limits import cut as _cut

ASSESS_VIEW = "self_assessment"
RATING_BLOCK = "rating."  # + attribute id
RATING_ACTION = "rating"
NOTES_BLOCK = "notes"
NOTES_ACTION = "notes_input"


def assessment_modal(attribute_set: AttributeSet, ratings_optional: bool = True) -> dict:
    blocks: list[dict] = [{"type": "context", "elements": [{"type": "mrkdwn", "text": escape_for_slack(
        f"Rate yourself 1 (rarely) to 5 (consistently) on each attribute. Source: {attribute_set.citation}")}]}]
    for attribute in attribute_set.attributes:
        # Every anchor whole, in a section above the choice: option texts are cut by Slack at 75 characters,
        # and nobody should rate themselves against half a sentence.
        anchors = "\n".join(f"*{n}* – {escape_for_slack(text)}" for n, text in sorted(attribute.anchors.items()))
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": _cut(
            f"*{escape_for_slack(attribute.name)}*\n{escape_for_slack(attribute.description)}\n{anchors}",
            SECTION_LIMIT)}})
        blocks.append({
            "type": "input",
            "block_id": RATING_BLOCK + attribute.id,
            "optional": ratings_optional,
            "label": {"type": "plain_text", "text": _cut(f"Your rating: {attribute.name}", LABEL_LIMIT)},
            "element": {
                "type": "static_select",
                "action_id": RATING_ACTION,
                "placeholder": {"type": "plain_text", "text": "Choose 1–5"},
                "options": [_option(n) for n in sorted(attribute.anchors)],
            },
        })
    blocks.append({
        "type": "input",
        "block_id": NOTES_BLOCK,
        "optional": True,
        "label": {"type": "plain_text", "text": "Notes (private to you)"},
        "element": {"type": "plain_text_input", "action_id": NOTES_ACTION, "multiline": True},
    })
    return {"type": "modal", "callback_id": ASSESS_VIEW, "title": {"type": "plain_text", "text": "Self-assessment"},
            "submit": {"type": "plain_text", "text": "Save"}, "close": {"type": "plain_text", "text": "Cancel"},
            "blocks": blocks}


def submitted_values(view: dict) -> tuple[dict[str, int], str | None]:
    """Ratings by attribute id and the notes, from a view_submission's state."""
    ratings: dict[str, int] = {}
    notes = None
    for block_id, actions in view.get("state", {}).get("values", {}).items():
        if block_id.startswith(RATING_BLOCK):
            selected = (actions.get(RATING_ACTION) or {}).get("selected_option")
            if selected:
                attribute_id = block_id.removeprefix(RATING_BLOCK)
                value = str(selected.get("value", ""))
                if value not in {"1", "2", "3", "4", "5"}:  # only a forged payload carries anything else
                    raise InvalidInputError("Ratings are the whole numbers 1 to 5.", field=f"ratings.{attribute_id}")
                ratings[attribute_id] = int(value)
        elif block_id == NOTES_BLOCK:
            notes = (actions.get(NOTES_ACTION) or {}).get("value")
    return ratings, notes


def error_block(field: str | None, attribute_ids: list[str]) -> str:
    """The modal block an InvalidInputError's field belongs to."""
    if field and field.startswith("ratings."):
        return RATING_BLOCK + field.removeprefix("ratings.")
    if field == "notes":
        return NOTES_BLOCK
    return RATING_BLOCK + attribute_ids[0]


def saved_summary(ratings: dict[str, int], names: dict[str, str]) -> str:
    lines = [f"• {escape_for_slack(names.get(a, a))}: *{n}*/5" for a, n in ratings.items()]
    return "Saved your self-assessment. See how it changes over time on my Home tab.\n" + "\n".join(lines)


def _option(rating: int) -> dict:
    return {"text": {"type": "plain_text", "text": str(rating)}, "value": str(rating)}
