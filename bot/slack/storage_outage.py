"""What a person is told when the database cannot be reached while their request is handled after the ack.

Slack does not resend a request that was acknowledged, so saying nothing would lose it silently. The reply says
what happened in the person's terms; the operator's details (which database, which setting) stay in the logs.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient

from bot.slack.delivery import Thread, post_reply
from bot.slack.replies import section

log = logging.getLogger(__name__)
TRY_AGAIN = "I cannot reach my records just now, so I have not taken in your message. Please send it again in a minute."


def tell_to_try_again(client: WebClient, thread: Thread, exc: Exception) -> None:
    log.warning("database unavailable while handling a message: %s", exc)
    post_reply(client, thread, [section(TRY_AGAIN)], TRY_AGAIN)
