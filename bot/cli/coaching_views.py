"""Terminal rendering for the coaching commands: user text shown safely, anchors, progress."""

from __future__ import annotations

import re

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bot.coaching.attributes import Attribute

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: str | None) -> str:
    """User text for the terminal: control characters made visible, rich markup escaped."""
    if text is None:
        return ""
    return escape(_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text))


def show_attribute(console: Console, attribute: Attribute, index: int, total: int) -> None:
    console.print(f"\n[bold]{index}/{total}. {escape(attribute.name)}[/bold]")
    console.print(f"[dim]{escape(attribute.description)}[/dim]")
    table = Table(show_header=False, box=None, padding=(0, 1))
    for rating, anchor in sorted(attribute.anchors.items()):
        table.add_row(f"[bold]{rating}[/bold]", escape(anchor))
    console.print(table)
