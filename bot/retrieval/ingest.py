"""Incremental ingestion: unchanged documents skipped by content hash, changed ones replaced,
removed ones deleted. A file that cannot be read is reported and its previous version kept."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.private_files import restrict
from bot.retrieval import off_topic, planted, snapshot
from bot.retrieval.authored_questions import AuthoredQuestions
from bot.retrieval.chunking import VERSION as CHUNKER_VERSION
from bot.retrieval.chunking import chunk_document, passage_sentences
from bot.retrieval.documents import (
    Document,
    RefusedDocumentError,
    UnreadableDocumentError,
    check_acceptable,
    discover,
    load,
)
from bot.retrieval.embeddings import Embedder
from bot.retrieval.sentence_vectors import SentenceVectors
from bot.retrieval.store import IndexStore

log = logging.getLogger(__name__)

# (description, done, total) -> None; the CLI turns this into a progress bar.
Progress = Callable[[str, int, int], None]


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # "path: reason"
    refused: list[str] = field(default_factory=list)  # "path: reason": wrong type or over the size limit
    flagged: list[str] = field(default_factory=list)  # "source ¶ref: reasons", passages kept out of answers
    chunks_written: int = 0

    @property
    def usable(self) -> bool:
        """False when nothing at all could be ingested: the CLI exits non-zero then."""
        return bool(self.added or self.updated or self.unchanged) or not self.failed


def ingest(
    paths: Iterable[Path],
    index_dir: Path,
    embedder: Embedder,
    rebuild: bool = False,
    progress: Progress | None = None,
    max_bytes: int = 2_000_000,
    chroma_url: str | None = None,
) -> IngestReport:
    """Index `paths` under `index_dir`, or on the Chroma server at `chroma_url` (caches still in `index_dir`)."""
    roots = [p.resolve() for p in paths]
    report = IngestReport()
    docs: list[Document] = []
    for path in discover(roots):
        try:
            check_acceptable(path, max_bytes)
            docs.append(load(path))
        except RefusedDocumentError as exc:
            log.warning("Refused %s", exc)
            report.refused.append(str(exc))
        except UnreadableDocumentError as exc:
            log.warning("Skipped %s", exc)
            report.failed.append(str(exc))
    docs = _unique_sources(docs, report)
    questions = AuthoredQuestions.load_for(roots, report.failed)
    off_topic_examples = off_topic.load_examples(roots, report.failed)
    # A document's version covers its authored questions too: editing them re-indexes the document.
    # ... and so does the chunker's version: a fix to how passages are cut or cited reaches existing indexes.
    docs = [replace(d, content_hash=_chunked_hash(planted.versioned_hash(questions.versioned_hash(d)))) for d in docs]

    store = IndexStore.open_for_writing(index_dir, embedder.name, rebuild=rebuild, url=chroma_url)
    indexed = store.documents()
    todo = [d for d in docs if indexed.get(d.source, {}).get("hash") != d.content_hash]
    report.unchanged = [d.source for d in docs if d not in todo]

    for done, doc in enumerate(todo):
        if progress:
            progress(f"Embedding {doc.source}", done, len(todo))
        previous = indexed.get(doc.source)
        report.flagged += _write(store, doc, embedder, questions)
        report.chunks_written += len(chunk_document(doc))
        if previous and previous["hash"]:
            store.delete(previous["ids"] + previous["stale_ids"])
            report.updated.append(doc.source)
        else:
            if previous:
                store.delete(previous["stale_ids"])
            report.added.append(doc.source)
    if progress:
        progress("Embedding", len(todo), len(todo))

    loaded = {d.source for d in docs}
    for source, info in indexed.items():
        if source in loaded or not info["path"]:
            continue
        gone = Path(info["path"])
        # Only a file that is gone is removed: one that failed to load keeps its previous version.
        if any(gone == r or r in gone.parents for r in roots) and not gone.exists():
            store.delete(info["ids"] + info["stale_ids"])
            report.removed.append(source)
    store.publish()
    if store.url is None:  # what retrievers read instead of opening Chroma (bot.retrieval.snapshot)
        snapshot.write(store)
    _precompute_sentence_vectors(store, embedder)
    if off_topic_examples is not None:
        off_topic.refresh(store.index_dir, embedder, off_topic_examples, store.url)
    _fit_scope_model(store, embedder)
    restrict(store.index_dir)  # Chroma creates its files with the umask's mode: owner only, like the database
    return report


def _chunked_hash(content_hash: str) -> str:
    # Hashed afresh, not suffixed: chunk ids take the hash's first characters, and must change with it.
    return hashlib.sha256(f"{content_hash}:chunker{CHUNKER_VERSION}".encode()).hexdigest()


def _fit_scope_model(store: IndexStore, embedder: Embedder) -> None:
    """Fit the scope model now (bot.retrieval.scope_model), so the first question after an ingest does not wait
    for it: loading a retriever fits it to exactly the examples it will use and keeps it beside the index."""
    from bot.retrieval.hybrid import HybridRetriever

    HybridRetriever(store, embedder)


def _precompute_sentence_vectors(store: IndexStore, embedder: Embedder) -> None:
    from bot.retrieval.hybrid import SENTENCE_VECTORS_FILE

    cache = SentenceVectors(store.index_dir / SENTENCE_VECTORS_FILE, embedder)
    sentences = [s for chunk in store.current_chunks() for s in passage_sentences(chunk.text)]
    if sentences:
        cache.vectors(sentences)
    cache.keep_only(sentences)
    cache.save()


def _write(store: IndexStore, doc: Document, embedder: Embedder, questions: AuthoredQuestions) -> list[str]:
    """One document version: its passages and the authored questions attached to them, in one add.
    Returns the passages flagged as unsafe to quote (see bot.retrieval.planted)."""
    chunks = chunk_document(doc)
    safety = [planted.chunk_metadata(c.text, doc.trusted) for c in chunks]
    asked = [(chunk, q) for chunk in chunks for q in questions.for_passage(doc.source, chunk.text)]
    texts = [c.embedding_text() for c in chunks] + [q for _, q in asked]
    vectors = embedder.embed(texts)
    common = {"path": doc.path, "doc_hash": doc.content_hash, "record_count": len(texts), "ingested_at": time.time()}
    chunk_meta = [
        {"kind": "chunk", "source": c.source, "title": c.title, "citation": c.citation, "heading": c.heading,
         "ref": c.ref, "position": c.position, **common, **flags}
        for c, flags in zip(chunks, safety, strict=True)
    ]
    question_meta = [{"kind": "question", "source": c.source, "parent": c.chunk_id, **common} for c, _ in asked]
    store.add(
        ids=[c.chunk_id for c in chunks] + [f"{c.chunk_id}|q{i}" for i, (c, _) in enumerate(asked)],
        texts=[c.text for c in chunks] + [q for _, q in asked],
        embeddings=vectors,
        metadatas=chunk_meta + question_meta,
    )
    return [f"{c.source} {c.ref}: {planted.describe(flags['flags'].split(','))}"
            + (" (trusted document)" if doc.trusted else "")
            for c, flags in zip(chunks, safety, strict=True) if flags["flags"]]


def _unique_sources(docs: list[Document], report: IngestReport) -> list[Document]:
    seen: dict[str, Document] = {}
    for doc in docs:
        if doc.source in seen:
            report.failed.append(f"{doc.path}: same source id '{doc.source}' as {seen[doc.source].path}")
            continue
        seen[doc.source] = doc
    return list(seen.values())
