"""Structure-aware chunking: sections and paragraphs are the units; no chunk over MAX_CHARS.

Short neighbouring paragraphs of one section are packed together; a paragraph longer than the limit is
split at sentence boundaries; a lead-in ending in ':' stays with the list it introduces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.retrieval.documents import Document

MAX_CHARS = 1000
VERSION = "2"  # part of every document's indexed version: a change here re-chunks indexes built before it
TARGET_CHARS = 400  # packing stops once a chunk reaches this: focused passages retrieved better (evals/)

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'‘“(]?[A-Z0-9])")
_NATIVE_PARA = re.compile(r"^(?:\*\*)?(\d+)\.(?:\*\*)?\s+")


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    source: str
    title: str
    citation: str  # the document citation plus the paragraph reference
    heading: str  # heading path, e.g. "Leading questions > The successful partnership leader"
    ref: str  # "¶3" or "¶3–5"
    text: str
    position: int  # order within the document

    def embedding_text(self) -> str:
        # Titles and headings carry meaning the paragraph itself may not repeat.
        return f"{self.heading}\n{self.text}"


@dataclass
class _Block:
    heading: str
    number: str  # paragraph number as cited
    text: str


def plain(markdown: str) -> str:
    """Markdown emphasis and quote markers removed; list bullets kept, they carry structure."""
    lines = []
    for line in markdown.split("\n"):
        line = re.sub(r"^>\s?", "", line.strip())
        line = line.replace("**", "")
        if len(line) > 2 and line.startswith("*") and line.endswith("*"):
            line = line[1:-1]
        lines.append(line)
    return "\n".join(lines)


_ABBREVIATION = re.compile(r"(?:\b(?:Ref|e\.g|i\.e|eg|ie|etc|No|p|pp|cf|Dr|Mr|Mrs|Ms|St|vs)\.)$", re.I)


def split_sentences(text: str) -> list[str]:
    sentences: list[str] = []
    for piece in (s.strip() for s in _SENTENCE_END.split(text)):
        if not piece:
            continue
        if sentences and _ABBREVIATION.search(sentences[-1]):
            sentences[-1] = f"{sentences[-1]} {piece}"  # "(Ref. 16)" is not a sentence break
        else:
            sentences.append(piece)
    return sentences


def _blocks(doc: Document) -> list[_Block]:
    """Paragraph blocks with their heading path; list items stay in the block of their list."""
    headings: list[str] = []
    blocks: list[_Block] = []
    counter = 0
    numbered = bool(re.search(r"^\*\*\d+\.\*\*", doc.text, flags=re.M))
    for raw in re.split(r"\n\s*\n", doc.text):
        para = raw.strip()
        if not para:
            continue
        heading = re.match(r"^(#{1,6})\s+(.+)$", para)
        if heading and "\n" not in para:
            level = len(heading.group(1))
            headings = [*headings[: level - 1], heading.group(2).strip()]
            continue
        counter += 1
        native = _NATIVE_PARA.match(para)
        if native:
            number = native.group(1)
        elif numbered and headings[1:]:
            number = headings[-1]  # unnumbered text in a numbered document is cited by its section
        elif numbered:
            number = ""  # an epigraph or quotation between the author's numbered paragraphs has no number
        else:
            number = str(counter)
        path = " > ".join(headings) if headings else doc.title
        if not headings or headings[0] != doc.title:
            path = f"{doc.title} > {path}" if headings else doc.title
        blocks.append(_Block(heading=path, number=number, text=plain(para)))
    return _merge_leadins(blocks)


def _merge_leadins(blocks: list[_Block]) -> list[_Block]:
    merged: list[_Block] = []
    for block in blocks:
        prev = merged[-1] if merged else None
        if prev and prev.heading == block.heading and prev.text.endswith(":") and block.text.startswith("- "):
            merged[-1] = _Block(prev.heading, prev.number, f"{prev.text}\n{block.text}")
        else:
            merged.append(block)
    return merged


def _pieces(block: _Block) -> list[str]:
    """The block itself, or sentence-aligned pieces of it when it is over the limit."""
    if len(block.text) <= MAX_CHARS:
        return [block.text]
    units = [u for line in block.text.split("\n") for u in split_sentences(line)]
    pieces: list[str] = []
    current = ""
    for unit in units:
        while len(unit) > MAX_CHARS:  # a single run-on "sentence": cut at a space
            cut = unit.rfind(" ", 0, MAX_CHARS)
            cut = cut if cut > 0 else MAX_CHARS
            if current:
                pieces.append(current)
                current = ""
            pieces.append(unit[:cut])
            unit = unit[cut:].strip()
        sep = "\n" if unit.startswith("- ") else " "
        if current and len(current) + 1 + len(unit) > TARGET_CHARS:
            pieces.append(current)
            current = unit
        else:
            current = f"{current}{sep}{unit}" if current else unit
    if current:
        pieces.append(current)
    return pieces


def _ref(first: str, last: str) -> str:
    if not first.isdigit():
        return first.split(":")[0]  # a section, e.g. "Case study 4"
    if first == last or not last.isdigit():
        return f"¶{first}"
    return f"¶{first}–{last}"


def chunk_document(doc: Document) -> list[Chunk]:
    chunks: list[Chunk] = []
    pending: list[tuple[_Block, str]] = []

    def flush() -> None:
        if not pending:
            return
        numbers = [block.number for block, _ in pending if block.number]
        # Only numbered paragraphs count: a quotation before ¶83 does not make the passage "¶4–83".
        ref = _ref(numbers[0], numbers[-1]) if numbers else "quotation"
        text = "\n\n".join(piece for _, piece in pending)
        position = len(chunks)
        chunks.append(
            Chunk(
                chunk_id=f"{doc.source}:{doc.content_hash[:12]}:{position}",
                source=doc.source,
                title=doc.title,
                citation=f"{doc.citation}, {ref}",
                heading=pending[0][0].heading,
                ref=ref,
                text=text,
                position=position,
            )
        )
        pending.clear()

    for block in _blocks(doc):
        for piece in _pieces(block):
            size = sum(len(p) + 2 for _, p in pending) + len(piece)
            same_section = not pending or pending[0][0].heading == block.heading
            if pending and (not same_section or size > MAX_CHARS or size - len(piece) >= TARGET_CHARS):
                flush()
            pending.append((block, piece))
    flush()
    return chunks


def passage_sentences(passage: str) -> list[str]:
    """Sentences of a passage as an answer would quote them: list items are completed by the lead-in
    that introduces them ("The successful leader will have: - an ability to ..."), paragraph numbers dropped."""
    result: list[str] = []
    lead = ""
    for block in passage.split("\n"):
        block = block.strip()
        if not block:
            continue
        if block.startswith("- "):
            item = block[2:].strip().rstrip(" ,;")
            # A lower-case item continues its lead-in; a capitalised one is a sentence of its own.
            text = f"{lead} {item}" if lead and item[:1].islower() else item[:1].upper() + item[1:]
            result.append(text if text.endswith((".", "?", "!")) else text + ".")
            continue
        sentences = split_sentences(block)
        if sentences and sentences[-1].endswith(":"):
            lead = sentences[-1].rstrip(":").strip()
            sentences = sentences[:-1]
        else:
            lead = ""
        result.extend(re.sub(r"^\d+\.\s+", "", s) for s in sentences)
    return result
