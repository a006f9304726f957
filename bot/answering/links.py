"""Links in answers: an address stays clickable only if it is in the bundled guidance or on the allow-list
(COACH_LINK_ALLOWLIST); every other one is shown defanged, `hxxps://example[.]com/path`.

Defanging is how security teams (the NCSC, CERTs, council IT) share addresses that nobody should open by
accident: no client turns it back into a link (Slack auto-links bare `example.com`, and a code span is one copy
and paste from a working link), yet the full address stays readable so a suspicious one can be reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from bot.answering.answer import Answer, Citation

# Addresses with a scheme, `www.` ones, and bare domains with a common top-level domain (which Slack and mail
# clients link on their own). Already-defanged text ("hxxps://", "[.]") does not match, so this is idempotent.
LINK = re.compile(
    r"\b(?:https?|ftp)://[^\s<>\"'`)\]]+|\bwww\.[^\s<>\"'`)\]]+"
    r"|\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:com|org|net|io|co|uk|gov|info|biz|xyz|example|ru|cn|top|"
    r"click|link|app|dev|me|ly|online|site|live|shop|zip|mov)\b(?:/[^\s<>\"'`)\]]*)?", re.IGNORECASE)
_TRAILING = ".,;:!?"  # sentence punctuation after an address is not part of it


@dataclass(frozen=True)
class LinkPolicy:
    urls: frozenset[str] = frozenset()  # exact: from the bundled guidance, allow-list entries with a scheme
    domains: frozenset[str] = frozenset()  # allow-listed domains: the domain and its subdomains

    def allows(self, address: str) -> bool:
        if address in self.urls or address.rstrip("/") in {u.rstrip("/") for u in self.urls}:
            return True
        host = _host(address)
        return any(host == d or host.endswith("." + d) for d in self.domains)


def link_policy(allowlist: Iterable[str] = (), guidance: Path | None = None) -> LinkPolicy:
    """Bundled guidance links plus the allow-list: entries with a scheme are exact addresses, others domains."""
    from bot.paths import knowledge_dir

    entries = list(allowlist)
    urls = {e for e in entries if "://" in e} | _links_in(guidance or knowledge_dir())
    domains = {e.lower().removeprefix("www.").strip("/") for e in entries if "://" not in e}
    return LinkPolicy(frozenset(urls), frozenset(domains))


def neutralise_links(text: str, policy: LinkPolicy) -> str:
    """The text with every address the policy does not allow defanged."""
    def one(match: re.Match[str]) -> str:
        address = match.group()
        tail = ""
        while address and address[-1] in _TRAILING:
            address, tail = address[:-1], address[-1] + tail
        return (address if policy.allows(address) else defang(address)) + tail

    return LINK.sub(one, text)


def clickable_links(text: str, policy: LinkPolicy) -> list[str]:
    """Addresses in the text that a reader could open and the policy does not allow (evaluation's check)."""
    return [m.group().rstrip(_TRAILING) for m in LINK.finditer(text) if not policy.allows(m.group().rstrip(_TRAILING))]


def defang(address: str) -> str:
    scheme, sep, rest = address.partition("://")
    if not sep:
        scheme, rest = "", address
    host, slash, path = rest.partition("/")
    shown = scheme.lower().replace("http", "hxxp").replace("ftp", "fxp") + "://" if scheme else ""
    return shown + host.replace(".", "[.]") + slash + path


def neutralise_answer(answer: Answer, policy: LinkPolicy) -> Answer:
    """The answer, its reflective question and its quoted sources with unapproved addresses defanged."""
    def hit_text(c: Citation) -> Citation:
        text = neutralise_links(c.hit.text, policy)
        return c if text == c.hit.text else replace(c, hit=replace(c.hit, text=text))

    question = answer.reflective_question
    return replace(answer, text=neutralise_links(answer.text, policy),
                   reflective_question=neutralise_links(question, policy) if question else question,
                   citations=[hit_text(c) for c in answer.citations])


def _host(address: str) -> str:
    if "://" not in address:
        address = "//" + address
    return (urlsplit(address).hostname or "").lower().removeprefix("www.")


@lru_cache(maxsize=4)
def _links_in(folder: Path) -> set[str]:
    found: set[str] = set()
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if path.suffix.lower() in {".md", ".markdown", ".txt", ".html", ".htm"} and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            found |= {m.group().rstrip(_TRAILING) for m in LINK.finditer(text) if "://" in m.group()}
    return found
