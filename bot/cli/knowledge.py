"""Commands over the guidance: ingest, search, ask, chat, config."""

from __future__ import annotations

import json
import logging
import sys
import uuid
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bot.cli import app
from bot.cli.coaching_common import checked_text
from bot.config import get_settings

console = Console(highlight=False, soft_wrap=True)  # no hard wraps: output is read by scripts too


def _setup_logging() -> None:
    logging.basicConfig(level=get_settings().log_level.upper(), format="%(levelname)s %(name)s: %(message)s")


@app.command()
def ingest(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders (default: the bundled guidance).")]
    = None,
    rebuild: Annotated[bool, typer.Option(help="Build a fresh index (needed after changing the model).")] = False,
) -> None:
    """Load, chunk and embed documents (Markdown, text, PDF, HTML) into the search index."""
    from bot.coaching import safeguarding, validation
    from bot.errors import InvalidInputError
    from bot.paths import knowledge_dir
    from bot.retrieval.embeddings import build_embedder
    from bot.retrieval.ingest import ingest as run_ingest

    _setup_logging()
    settings = get_settings()
    roots = paths or [settings.knowledge_dir or knowledge_dir()]
    for root in roots:
        if not root.exists():  # refused before the embedding model is loaded or the index touched
            raise InvalidInputError(f"{validation.shown(str(root), 200)} does not exist: give a file or folder "
                                    "of documents.", field="paths")
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("Loading the embedding model", total=None)
        embedder = build_embedder(settings)

        def progress(description: str, done: int, total: int) -> None:
            bar.update(task, description=description, completed=done, total=total)

        report = run_ingest(roots, settings.index_dir, embedder, rebuild=rebuild, progress=progress,
                            max_bytes=settings.max_document_bytes, chroma_url=settings.chroma_url)
        # Fitted here, once per exemplar set and model, rather than by the first messages a worker gets.
        bar.update(task, description="Preparing the safeguarding screen", completed=0, total=None)
        screen_ready = safeguarding.prepare()
    for problem in report.failed:
        console.print(f"[yellow]Warning:[/yellow] skipped {problem}")
    for passage in report.flagged:
        console.print(f"[yellow]Flagged[/yellow] (kept out of answers unless the document is trusted): {passage}")
    for refusal in report.refused:
        Console(stderr=True, highlight=False, soft_wrap=True).print(f"[red]Refused:[/red] {refusal}")
    console.print(
        f"Index at {settings.chroma_url or settings.index_dir}: {len(report.added)} added, "
        f"{len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {len(report.removed)} removed, {len(report.failed)} failed, "
        f"{len(report.refused)} refused ({report.chunks_written} chunks written)."
    )
    if not screen_ready:
        console.print("[yellow]Warning:[/yellow] the safeguarding screen's similarity layer could not start (see "
                      "the log); messages are screened on words alone.")
    if report.refused:
        raise typer.Exit(2)  # bad input, named above; the rest of the batch is ingested
    if not report.usable:
        raise typer.Exit(1)


@app.command()
def search(
    question: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int, typer.Option("--k", min=1, max=50, help="How many passages.")] = 5,
    source: Annotated[str | None, typer.Option(help="Only passages from this document (source id).",
                                               callback=checked_text)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list of hits.")] = False,
) -> None:
    """Hybrid search over the guidance, best passages first."""
    from bot.answering.question import clean_question
    from bot.bootstrap import retriever

    _setup_logging()
    text, notice = clean_question(question, get_settings().max_question_chars)
    if notice:
        Console(stderr=True).print(f"[yellow]{notice}[/yellow]")
    hits = retriever().search(text, k=k, filters={"source": source} if source else None)
    if as_json:
        print(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2))
        return
    table = Table("#", "score", "citation", "passage", show_lines=True)
    for i, hit in enumerate(hits, 1):
        table.add_row(str(i), f"{hit.similarity:.2f}", hit.citation, hit.text[:300])
    console.print(table)


def _print_answer(answer_dict: dict[str, object]) -> None:
    console.print(str(answer_dict["answer"]))
    if answer_dict.get("reflective_question"):
        console.print(f"\n[bold]To reflect on:[/bold] {answer_dict['reflective_question']}")
    if answer_dict.get("exercise_id"):  # the exercise that fits this answer, as a command to run
        console.print(f"[dim]An exercise on this: coach reflect {answer_dict['exercise_id']} --user YOU[/dim]")
    citations = answer_dict.get("citations") or []
    if citations:
        console.print("\n[bold]Sources[/bold]")
        for c in citations:  # type: ignore[attr-defined]
            console.print(f"  [{c['number']}] {c['citation']}")
    if answer_dict.get("notice"):
        console.print(f"\n[dim]{answer_dict['notice']}[/dim]")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="Your question about leading partnerships.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print answer, citations, covered, mode as JSON.")]
    = False,
) -> None:
    """Answer a question from the guidance, with numbered sources."""
    from bot.answering.question import clean_question
    from bot.bootstrap import answerer

    _setup_logging()
    clean_question(question, get_settings().max_question_chars)  # fail fast, before loading the model
    result = answerer().answer(question).to_dict()
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _print_answer(result)


CHAT_HELP = """Ask anything about leading partnerships; answers cite the guidance.
  /help     this help
  /history  what we have said so far
  /quit     leave (Ctrl-D works too)"""


@app.command()
def chat() -> None:
    """A conversation with the coach in the terminal."""
    from bot.bootstrap import answerer
    from bot.errors import InvalidInputError

    _setup_logging()
    engine = answerer()
    mode = "answers from the configured model" if get_settings().llm_configured else "offline guidance answers"
    console.print(f"[bold]Partnership Leadership Coach[/bold] ({mode}). /help for help.")
    session = f"terminal:{uuid.uuid4().hex}"  # one conversation, so follow-ups have context
    history: list[tuple[str, str]] = []
    while True:
        try:
            line = console.input("[bold cyan]you>[/bold cyan] ")
        except EOFError:
            break
        command = line.strip().lower()
        if command in {"/quit", "/exit", "/q"}:
            break
        if command == "/help":
            console.print(CHAT_HELP)
            continue
        if command == "/history":
            for who, said in history:
                console.print(f"[bold]{who}:[/bold] {said}")
            continue
        if command.startswith("/"):
            console.print(f"Unknown command {command}.\n{CHAT_HELP}")
            continue
        try:
            stream = engine.stream(line, session)
            streamed = False
            for piece in stream:  # tokens as the model writes them (none in offline mode)
                if not streamed:
                    console.print()
                streamed = True
                console.out(piece, end="", highlight=False)
            result = stream.answer.to_dict()
        except InvalidInputError as exc:
            console.print(f"[yellow]{exc}[/yellow]")
            continue
        history += [("you", line.strip()), ("coach", str(result["answer"]))]
        console.print()
        if streamed:  # the checked answer replaces the live text: bad citations removed, or a fallback
            console.rule(style="dim")
        _print_answer(result)
        console.print()
    console.print("Goodbye.")


@app.command("config")
def show_config(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Print the effective settings, secrets masked."""
    shown = get_settings().masked()
    if as_json:
        print(json.dumps(shown, indent=2, default=str))
        return
    table = Table("setting", "value")
    for name, value in shown.items():
        table.add_row(name, "" if value is None else str(value))
    console.print(table)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
