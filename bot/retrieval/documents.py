"""Load guidance documents (Markdown with front matter, text, PDF, HTML) into plain `Document`s."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = {".md", ".markdown", ".txt", ".pdf", ".html", ".htm"}


@dataclass(frozen=True)
class Document:
    source: str  # stable id: front matter `source_id`, else the file stem
    title: str
    citation: str  # short citation string without paragraph reference
    text: str  # Markdown-ish body: '#' headings, blank-line paragraphs, '- ' list items
    path: str
    content_hash: str
    trusted: bool = False  # front matter `trusted: true`: an operator vouches for its links and calls to action


class UnreadableDocumentError(Exception):
    """A file could not be turned into text; the message names the file and the reason."""


class RefusedDocumentError(UnreadableDocumentError):
    """A file `coach ingest` will not read at all: not a supported type, not a regular file, or too large."""


def check_acceptable(path: Path, max_bytes: int) -> None:
    """Refuse, before reading a byte, what is not a guidance document: a system file named on the command
    line, a device or pipe, or a file so large that embedding it would tie the machine up for minutes."""
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise RefusedDocumentError(f"{path}: not a supported document type (supported: {kinds})")
    if not path.is_file():
        raise RefusedDocumentError(f"{path}: not a regular file")
    size = path.stat().st_size
    if size > max_bytes:
        raise RefusedDocumentError(f"{path}: {size:,} bytes is over the limit of {max_bytes:,} "
                                   "(COACH_MAX_DOCUMENT_BYTES)")


def discover(paths: Iterable[Path]) -> Iterator[Path]:
    """Every supported file under the given files and directories, in a stable order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix.lower() in SUPPORTED_SUFFIXES and p.is_file())
        else:
            yield path


def load(path: Path) -> Document:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UnreadableDocumentError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if not raw.strip():
        raise UnreadableDocumentError(f"{path}: the file is empty")
    suffix = path.suffix.lower()
    meta: dict[str, str] = {}
    if suffix == ".pdf":
        body = _pdf_text(path, raw)
    else:
        text = _decode(path, raw)
        if suffix in {".html", ".htm"}:
            meta, body = _html_text(text)
        elif suffix in {".md", ".markdown"}:
            meta, body = _markdown(path, text)
        else:
            body = text
    body = body.replace("\r\n", "\n").strip()
    if len(re.sub(r"\W", "", body)) < 20:
        raise UnreadableDocumentError(f"{path}: no readable text found")
    title = str(meta.get("title") or _first_heading(body) or path.stem.replace("-", " ").replace("_", " "))
    return Document(
        source=str(meta.get("source_id") or path.stem),
        title=title,
        citation=str(meta.get("citation") or title),
        text=body,
        path=str(path.resolve()),
        content_hash=hashlib.sha256(raw).hexdigest(),
        trusted=str(meta.get("trusted", "")).strip().lower() in {"true", "yes", "1"},
    )


def _decode(path: Path, raw: bytes) -> str:
    if b"\x00" in raw[:4096]:
        raise UnreadableDocumentError(f"{path}: looks like a binary file, not text")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _markdown(path: Path, text: str) -> tuple[dict[str, str], str]:
    import frontmatter

    try:
        post = frontmatter.loads(text)
    except Exception as exc:  # malformed YAML front matter
        raise UnreadableDocumentError(f"{path}: front matter is not valid YAML ({exc})") from exc
    return {k: str(v) for k, v in post.metadata.items()}, post.content


def _html_text(html: str) -> tuple[dict[str, str], str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for clutter in soup(["script", "style", "nav", "header", "footer", "aside", "form", "noscript"]):
        clutter.decompose()
    meta = {"title": soup.title.get_text(strip=True)} if soup.title and soup.title.get_text(strip=True) else {}
    blocks: list[str] = []
    for element in soup.find_all(["h1", "h2", "h3", "h4", "p", "li", "blockquote"]):
        text = " ".join(element.get_text(" ", strip=True).split())
        if not text:
            continue
        if element.name in {"h1", "h2", "h3", "h4"}:
            blocks.append("#" * int(element.name[1]) + " " + text)
        elif element.name == "li":
            blocks.append("- " + text)
        elif element.find_parent("li") is None:
            blocks.append(text)
    return meta, "\n\n".join(blocks)


def _pdf_text(path: Path, raw: bytes) -> str:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(raw))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise UnreadableDocumentError(f"{path}: not a readable PDF ({exc})") from exc
    # PDF text has hard line breaks; blank lines (or page breaks) are the only paragraph signal.
    return "\n\n".join(page.strip() for page in pages if page.strip())


def _first_heading(body: str) -> str | None:
    match = re.search(r"^#{1,3}\s+(.+)$", body, flags=re.M)
    return match.group(1).strip() if match else None
