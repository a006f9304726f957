"""Text safe to post in Slack: formatting for this surface lives with it, not in the core."""

from __future__ import annotations

import re

# Slack turns these words into notifications for a whole channel when a message asks it to parse them.
_BROADCAST_WORDS = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
_ZERO_WIDTH_SPACE = "\u200b"


def escape_for_slack(text: str) -> str:
    """Text safe to post in Slack: it can mention nobody and nothing is parsed as a link or command.

    Slack's control sequences all start with `<` (`<!channel>`, `<@U123>`, `<#C1>`, `<url|label>`), so
    escaping `&`, `<` and `>` as Slack documents neutralises them; a zero-width space inside bare
    `@channel` / `@here` / `@everyone` keeps them inert even where Slack links names.
    """
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST_WORDS.sub(lambda m: "@" + _ZERO_WIDTH_SPACE + m.group(1), escaped)
