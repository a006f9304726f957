"""Your data: the erase confirmation modal and the messages around export and erasure."""

from __future__ import annotations

from bot.coaching.uploads import ErasureReport

FORGET_VIEW = "forget_me_confirm"


def forget_me_modal() -> dict:
    return {
        "type": "modal",
        "callback_id": FORGET_VIEW,
        "title": {"type": "plain_text", "text": "Erase your data"},
        "submit": {"type": "plain_text", "text": "Erase everything"},
        "close": {"type": "plain_text", "text": "Keep my data"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": (
            "This permanently deletes everything the coach holds about you: self-assessments and notes, exercise "
            "answers, weekly prompt settings, feedback, conversation history, and the files I sent you in Slack. "
            "It cannot be undone.\n\n"
            "Want a copy first? Cancel and run `/coach my-data`.")}}],
    }


def erased_message(report: ErasureReport) -> str:
    total = sum(report.rows.values())
    if not total and not report.files_deleted and not report.files_left:
        lines = ["There was nothing stored about you, so nothing was erased."]
    else:
        lines = [f"Done: I erased {total} record(s) about you."]
        lines += [f"• {table.replace('_', ' ')}: {n}" for table, n in sorted(report.rows.items()) if n]
    if report.files_deleted:
        lines.append(f"I deleted {len(report.files_deleted)} file(s) I had uploaded to Slack for you "
                     f"({_names(report.files_deleted)}).")
    if report.files_left:
        lines.append(f"Slack would not let me delete {len(report.files_left)} file(s) ({_names(report.files_left)}): "
                     "please ask your Slack workspace administrator to delete them.")
    lines.append("What only you can delete: your own messages in our conversation here stay in Slack until you "
                 "delete them (hover over a message, then More actions → Delete message).")
    return "\n".join(lines)


def _names(files: list) -> str:
    return ", ".join(sorted({f.filename for f in files}))
