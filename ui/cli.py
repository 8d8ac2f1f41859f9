"""The ``assistant`` command: ingest documents, ask questions, chat, evaluate.

    $ assistant ingest data/corpus
    $ assistant ask "Who is India's ambassador to the U.S.?" --json
    $ assistant chat
    $ assistant eval eval/seed_questions.jsonl --fail-under hit@k=0.9
    $ assistant ingest handbook/ --collection hr-handbook
    $ assistant collections
    $ assistant mcp   # for an agent: MCP over stdio
    $ assistant ask "How many leave days?" --collection hr-handbook --source 'policies/*.md' --type pdf
    $ assistant feedback export liked.jsonl && assistant eval liked.jsonl

Each command parses its arguments, makes one call into the core and renders the
result. Errors meant for users (``AssistantError``) become one line on stderr and
exit status 1; nothing prints a traceback.
"""

from __future__ import annotations

import json
import re
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assistant.app import Application, build_application
from assistant.collections import DEFAULT, check_name
from assistant.conversation import Turn
from assistant.conversation_store import ConversationStore, conversations_path
from assistant.evaluation import Evaluator, compare, gated_metrics, load_questions
from assistant.feedback import feedback_items
from assistant.filters import SourceFilter
from assistant.settings import load_settings
from core.errors import AssistantError, StoreLockedError
from ingest.pipeline import IngestReport
from ingest.sharding import Shard

from .remote import RunningServer, announce, withdraw
from .render import answer_text, print_report, summary_table
from .report import render as render_report

app = typer.Typer(
    name="assistant",
    help="A grounded assistant: answers questions from your documents, with citations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


LlmUrl = Annotated[
    str | None, typer.Option("--llm-base-url", help="An OpenAI-compatible server, e.g. http://localhost:11434/v1.")
]
LlmModel = Annotated[str | None, typer.Option("--llm-model", help="The model name on that server.")]


LogLevel = Literal["debug", "info", "warning", "error"]
LogFormat = Literal["text", "json"]
Collection = Annotated[
    str,
    typer.Option(
        "--collection", "-c", help="The collection (document set) to use; `assistant collections` lists them."
    ),
]
Sources = Annotated[
    list[str] | None,
    typer.Option("--source", "-s", help="Answer only from documents whose source matches this glob, e.g. "
                 "'handbook/*.md' (repeat for any of several)."),
]  # fmt: skip
Types = Annotated[
    list[str] | None,
    typer.Option("--type", "-t", help="Answer only from documents of this file type: txt, md, html, pdf or docx "
                 "(repeat for several)."),
]  # fmt: skip
Direct = Annotated[
    bool,
    typer.Option("--direct", help="Open the index in this process even when `assistant serve` holds it (fails then)."),
]
ShardOption = Annotated[
    str | None,
    typer.Option(
        "--shard",
        metavar="I/N",
        help="Ingest only shard I of N of the files; N processes (on any machines sharing a Chroma server) "
        "together build the index one would.",
    ),
]


@contextmanager
def application(
    llm_base_url: str | None = None, llm_model: str | None = None, beside_server: bool = False,
    held: str | None = None,
) -> Iterator[Application | RunningServer]:  # fmt: skip
    """Open the store and model for one command; report user errors as one line.

    With ``beside_server``, an index held by a running `assistant serve` is not an
    error: the command goes through that server's API. Without, ``held`` is the
    error then (``{url}`` and ``{pid}`` name the server).
    """
    opened: Application | None = None
    given = {"llm_base_url": llm_base_url, "llm_model": llm_model, "api_key": _KEY.get()}
    overrides = {k: v for k, v in given.items() if v}
    try:
        settings = load_settings(**overrides)
        try:
            opened = build_application(settings)
        except StoreLockedError:
            server = RunningServer.find(settings) if beside_server or held else None
            if server is None:
                raise
            if held:
                raise AssistantError(held.format(url=server.url, pid=server.pid)) from None
            err.print(f"Asking the running server at {server.url} (pid {server.pid}), which holds the index; "
                      "--direct opens the index here instead.", markup=False)  # fmt: skip
            yield server
            return
        yield opened
    except AssistantError as error:
        err.print(f"Error: {error}", markup=False)
        raise typer.Exit(1) from None
    except OSError as error:
        # A data or model folder this user cannot write, a full disk: say which path.
        where = f" ({error.filename})" if error.filename else ""
        err.print(f"Error: {error.strerror or error}{where}. Check that ASSISTANT_DATA_DIR and "
                  "ASSISTANT_MODEL_CACHE_DIR name folders this user can write.", markup=False)  # fmt: skip
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    finally:
        if opened is not None:
            opened.close()


# `--key`, given before the command, for this invocation.
_KEY: ContextVar[str | None] = ContextVar("key", default=None)


@app.callback()
def options(
    key: Annotated[
        str | None,
        typer.Option("--key", help="The API key to send when a running `assistant serve` answers (else "
                     "ASSISTANT_API_KEY, else the first of ASSISTANT_API_KEYS)."),
    ] = None,
) -> None:  # fmt: skip
    """A grounded assistant: answers questions from your documents, with citations."""
    _KEY.set(key)


def in_collection(svc: Application | RunningServer, name: str, create: bool = False) -> Application | RunningServer:
    """``svc`` for collection ``name``; with ``create``, a missing one is made (and said so)."""
    if isinstance(svc, RunningServer):
        return svc.in_collection(name)
    assert svc.collections is not None  # built by build_application
    if create and not svc.collections.exists(name):
        svc.collections.create(name)
        err.print(f"Created the collection {name!r}.", markup=False)
    return svc.collections.get(name)


@app.command()
def ingest(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders (default: the corpus folder).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object with the summary.")] = False,
    collection: Collection = DEFAULT,
    direct: Direct = False,
    shard: ShardOption = None,
) -> None:
    """Add, update or remove documents so the collection matches PATHS (a new collection is created)."""
    part = _shard(shard)
    with application(beside_server=not direct and part is None) as opened:
        svc = in_collection(opened, collection, create=True)
        if isinstance(svc, RunningServer):
            report = svc.ingest(paths or [load_settings().corpus_dir])
            _print_ingest(report, as_json)
            return
        targets = paths or [svc.settings.corpus_dir]
        with Progress(
            TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), console=err, transient=True, disable=not err.is_terminal,
        ) as progress:  # fmt: skip
            task = progress.add_task("Ingesting", total=None)

            def on_progress(done: int, total: int, current: str) -> None:
                progress.update(task, completed=done, total=total, description=f"Ingesting {current}"[:60])

            report = svc.documents.ingest(targets, on_progress=on_progress, shard=part)
            if part is None and (report.added or report.updated or report.removed):
                # The keyword index is brought up to date and saved now, while ingest is
                # waited for anyway: the first question after it would otherwise build
                # it (4 s for the 15k passages of Python's documentation here). One
                # shard of many leaves it to the questions, as the others still write.
                progress.update(task, description="Indexing keywords", total=None)
                svc.assistant.retriever.warm_up()
    _print_ingest(report, as_json)


def _shard(text: str | None) -> Shard | None:
    """``--shard I/N``, checked: it needs an index that several processes can write."""
    if text is None:
        return None
    try:
        part = Shard.parse(text)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--shard") from None
    if not load_settings().chroma_url:
        err.print(
            "--shard splits the files among processes that write to one Chroma server: run `chroma run --path DIR "
            "--port N` and set ASSISTANT_CHROMA_URL (an index in a data folder is opened by one process at a time).",
            markup=False,
        )
        raise typer.Exit(2)
    return part


def _print_ingest(report: IngestReport, as_json: bool) -> None:
    if as_json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
        for skipped in report.skipped:
            err.print(f"skipped (unsupported type): {skipped}", markup=False)
    else:
        print_report(err, report)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def ask(
    questions: Annotated[list[str], typer.Argument(help="One or more questions.")],
    as_json: Annotated[bool, typer.Option("--json", help="One answer object per line, in order.")] = False,
    top_k: Annotated[
        int | None, typer.Option("--top-k", min=1, max=50, help="Passages an answer cites at most.")
    ] = None,
    llm_base_url: LlmUrl = None,
    llm_model: LlmModel = None,
    collection: Collection = DEFAULT,
    source: Sources = None,
    file_type: Types = None,
    direct: Direct = False,
) -> None:
    """Answer each question from the indexed documents (the model loads once)."""
    with application(llm_base_url, llm_model, beside_server=not direct) as opened:
        only = SourceFilter.of(source, file_type)
        svc = in_collection(opened, collection)
        for question in questions:
            answer = svc.assistant.ask(question, top_k=top_k, only=only)
            if as_json:
                print(answer.model_dump_json(), flush=True)
            else:
                out.print(answer_text(answer))


@app.command()
def chat(
    top_k: Annotated[
        int | None, typer.Option("--top-k", min=1, max=50, help="Passages an answer cites at most.")
    ] = None,
    llm_base_url: LlmUrl = None,
    llm_model: LlmModel = None,
    collection: Collection = DEFAULT,
    source: Sources = None,
    file_type: Types = None,
    direct: Direct = False,
) -> None:
    """A conversation in the terminal; follow-up questions use what came before."""
    with application(llm_base_url, llm_model, beside_server=not direct) as opened:
        only = SourceFilter.of(source, file_type)
        svc = in_collection(opened, collection)
        history: list[Turn] = []
        interactive = sys.stdin.isatty()
        if interactive:
            out.print("Ask about your documents. [dim]/new starts over, /quit or Ctrl-D leaves.[/dim]")
        while True:
            try:
                question = input("> " if interactive else "").strip()
            except EOFError:
                break
            if question in ("/quit", "/exit"):
                break
            if question == "/new":
                history.clear()
                out.print("[dim]New conversation.[/dim]")
                continue
            if not question:
                continue
            try:
                answer = svc.assistant.ask(question, history=history, top_k=top_k, only=only)
            except AssistantError as error:
                err.print(f"Error: {error}", markup=False)
                continue
            out.print(answer_text(answer))
            out.print()
            history += [Turn(role="user", content=question), Turn(role="assistant", content=answer.answer)]


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    llm_base_url: LlmUrl = None,
    llm_model: LlmModel = None,
    log_level: Annotated[LogLevel, typer.Option("--log-level", help="What the server logs on stderr.")] = "info",
    log_format: Annotated[
        LogFormat, typer.Option("--log-format", help="text: a line for people; json: one object a line.")
    ] = "text",
) -> None:
    """Serve the chat page at /, the API under /v1 and its docs at /docs."""
    import uvicorn

    from .server import build_app, configure_logging
    from .wiring import Services

    with application(llm_base_url, llm_model) as opened:
        assert isinstance(opened, Application)  # no beside_server: never the server
        services = Services(opened)
        embedded = opened.settings.chroma_url is None
        try:
            app = build_app(services)
            if embedded:
                announce(opened.settings, host, port, services.local_token)  # CLI commands started now use it
            err.print(f"Serving on http://{host}:{port}  (API docs: http://{host}:{port}/docs)", markup=False)
            # One line per request, and errors with their traceback, for whoever runs the server.
            configure_logging(log_level, log_format)
            # uvicorn shuts down on SIGTERM, then raises it again with the handler it found:
            # the default one would end the process before the cleanup below.
            signal.signal(signal.SIGTERM, _stopped)
            uvicorn.run(app, host=host, port=port, log_level="warning",
                        timeout_graceful_shutdown=max(1, round(opened.settings.shutdown_grace_s)))  # fmt: skip
        finally:
            if embedded:
                withdraw(opened.settings)
            services.close_jobs()


def _stopped(signum: int, frame: object) -> None:
    """SIGTERM once the server has shut down: leave through the cleanup, exiting 0."""
    raise SystemExit(0)


@app.command("mcp")
def mcp_stdio() -> None:
    """Serve the MCP tools (search, ask, collections) and documents over stdio, for an agent that starts this command."""
    from .keys import ALL
    from .mcp_server import build_mcp

    held = ("`assistant serve` (pid {pid}) holds the index: connect the agent to its MCP endpoint, {url}/mcp, or "
            "stop the server first.")  # fmt: skip
    with application(held=held) as opened:
        assert isinstance(opened, Application) and opened.collections is not None  # no beside_server
        opened.assistant.warm_up()
        build_mcp(opened.collections.get, lambda _: ALL, opened.collections.names).run("stdio")


@app.command("eval")
def evaluate_set(
    questions: Annotated[Path, typer.Argument(help="A question set, JSONL or CSV (see eval/seed_questions.jsonl).")],
    out: Annotated[Path, typer.Option("--out", help="Where results.json and report.html go.")] = Path("eval/out"),
    top_k: Annotated[
        int | None, typer.Option("--top-k", min=1, max=50, help="Passages an answer cites at most.")
    ] = None,
    fail_under: Annotated[
        list[str] | None, typer.Option("--fail-under", help="METRIC=VALUE; exit 1 when a metric is below it.")
    ] = None,
    compare_to: Annotated[
        Path | None, typer.Option("--compare", help="An earlier results.json to compare with.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print results.json to stdout too.")] = False,
    llm_base_url: LlmUrl = None,
    llm_model: LlmModel = None,
    collection: Collection = DEFAULT,
    direct: Direct = False,
) -> None:
    """Score the answers on a question set: retrieval, answers, citations, abstention, latency."""
    gates = _parse_gates(fail_under or [])
    with application(llm_base_url, llm_model, beside_server=not direct) as opened:
        svc = in_collection(opened, collection)
        items = load_questions(questions)
        previous = _read_results(compare_to) if compare_to else None
        if isinstance(svc, RunningServer):
            payload = svc.evaluate(items, top_k)
        else:
            with Progress(
                TextColumn("Evaluating"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                console=err, transient=True, disable=not err.is_terminal,
            ) as progress:  # fmt: skip
                task = progress.add_task("eval", total=len(items))
                result = Evaluator(svc.assistant, top_k).run(items, lambda d, _: progress.update(task, completed=d))
            payload = result.to_json()
    comparison = compare(payload, previous) if previous else None
    if comparison:
        payload["comparison"] = comparison
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "report.html").write_text(render_report(payload, f"Evaluation of {questions.name}", comparison), "utf-8")
    if as_json:
        print(json.dumps(payload, ensure_ascii=False))
    else:
        out.mkdir(parents=True, exist_ok=True)
        err.print(summary_table(payload["summary"], payload["k"], comparison))
    err.print(f"Wrote {out / 'results.json'} and {out / 'report.html'}", markup=False)
    summary = payload["summary"]
    missed = [f"{name} {summary.get(name)} < {value}" for name, value in gates.items()
              if (summary.get(name) or 0.0) < value]  # fmt: skip
    if missed:
        err.print("Below the gate: " + "; ".join(missed), markup=False)
        raise typer.Exit(1)


collections_app = typer.Typer(help="List, create and delete collections (named document sets).")
app.add_typer(collections_app, name="collections")


@collections_app.callback(invoke_without_command=True)
def collections(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list of {name, documents, chunks}.")] = False,
    direct: Direct = False,
) -> None:
    """List the collections with their document and passage counts."""
    if ctx.invoked_subcommand is not None:
        return
    with application(beside_server=not direct) as svc:
        if isinstance(svc, RunningServer):
            listed = svc.collections()
        else:
            assert svc.collections is not None
            listed = [info.to_json() for info in svc.collections.list()]
    if as_json:
        print(json.dumps(listed, ensure_ascii=False))
        return
    width = max(len(str(c["name"])) for c in listed)
    for c in listed:
        out.print(f"{c['name']:<{width}}  {_counted(c)}", markup=False)


def _counted(info: dict[str, object]) -> str:
    documents, chunks = int(str(info["documents"])), int(str(info["chunks"]))
    return (f"{documents} {'document' if documents == 1 else 'documents'}, "
            f"{chunks} {'passage' if chunks == 1 else 'passages'}")  # fmt: skip


@collections_app.command("create")
def create_collection(
    name: Annotated[str, typer.Argument(help="1-32 lowercase letters, digits and hyphens.")],
    direct: Direct = False,
) -> None:
    """Create an empty collection (`assistant ingest PATH --collection NAME` also creates one)."""
    with application(beside_server=not direct) as svc:
        if isinstance(svc, RunningServer):
            svc.create_collection(name)
        else:
            assert svc.collections is not None
            svc.collections.create(name)
    out.print(f"Created the collection {name!r}.", markup=False)


@collections_app.command("delete")
def delete_collection(
    name: Annotated[str, typer.Argument(help="The collection to delete, with all its documents.")],
    direct: Direct = False,
) -> None:
    """Delete a collection: its passages, its document list, its uploaded files (not `default`)."""
    with application(beside_server=not direct) as svc:
        if isinstance(svc, RunningServer):
            deleted = svc.delete_collection(name)
        else:
            assert svc.collections is not None
            deleted = svc.collections.delete(name).to_json()
    out.print(f"Deleted the collection {name!r} ({_counted(deleted)}).", markup=False)


feedback_app = typer.Typer(help="Feedback on saved answers, as question sets for `assistant eval`.")
app.add_typer(feedback_app, name="feedback")


@feedback_app.command("export")
def export_feedback(
    out_file: Annotated[Path, typer.Argument(help="Where the question set is written (JSONL).")],
    collection: Collection = DEFAULT,
    rating: Annotated[
        Literal["up", "down"],
        typer.Option("--rating", help="up: questions `assistant eval` runs; down: answers to review, with comments."),
    ] = "up",
) -> None:
    """Write the collection's rated answers as a question set (it reads the saved
    conversations directly, also beside a running server)."""
    try:
        settings = load_settings()
        check_name(collection)
        path = conversations_path(settings)
        items = []
        if path.exists():
            store = ConversationStore(path)
            try:
                items = feedback_items(store, collection, rating)
            finally:
                store.close()
        if not items:
            err.print(f"Error: no answer in the collection {collection!r} is rated {rating} yet; rate answers on the "
                      "chat page or with POST /v1/feedback first.", markup=False)  # fmt: skip
            raise typer.Exit(1)
        lines = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)
        out_file.write_text(lines, encoding="utf-8")
    except AssistantError as error:
        err.print(f"Error: {error}", markup=False)
        raise typer.Exit(1) from None
    except OSError as error:
        err.print(f"Error: cannot write {out_file}: {error.strerror or error}.", markup=False)
        raise typer.Exit(1) from None
    named = "" if collection == DEFAULT else f" --collection {collection}"
    use = f"run it with `assistant eval {out_file}{named}`" if rating == "up" else \
        "write the right `answer` into those to keep as tests"  # fmt: skip
    err.print(f"Wrote {len(items)} {'answer' if len(items) == 1 else 'answers'} rated {rating} in {collection!r} to "
              f"{out_file}; {use}.", markup=False)  # fmt: skip


def _read_results(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        err.print(f"Error: cannot read {path} as results.json ({type(error).__name__})", markup=False)
        raise typer.Exit(1) from None
    if not isinstance(data, dict) or "summary" not in data:
        err.print(f"Error: {path} is not a results.json written by `assistant eval`", markup=False)
        raise typer.Exit(1)
    return data


def _parse_gates(specs: list[str]) -> dict[str, float]:
    gates = {}
    known = gated_metrics()
    for spec in specs:
        name, _, value = spec.partition("=")
        name = name.strip()
        if name not in known and re.fullmatch(r"(hit|mrr|recall)@\d+", name):
            name = name.split("@")[0] + "@k"  # "hit@5" gates hit@k, whatever k the run uses
        if name not in known:
            raise typer.BadParameter(f"{spec.partition('=')[0]!r} is not a metric; use one of {', '.join(known)}",
                                     param_hint="--fail-under")  # fmt: skip
        try:
            gates[name] = float(value)
        except ValueError:
            raise typer.BadParameter(
                f"{spec!r}: write METRIC=VALUE, e.g. hit@k=0.9", param_hint="--fail-under"
            ) from None
    return gates


def main() -> None:
    app()


if __name__ == "__main__":
    main()
