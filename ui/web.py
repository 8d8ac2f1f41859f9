"""The chat page (Gradio), mounted at ``/`` in the same app as the API.

It streams answers, shows each ``[n]`` citation as a collapsible passage with the
quoted sentence highlighted, keeps a sources panel for the latest answer, takes
uploads, and carries the conversation so follow-ups work. Everything that comes from
documents is escaped before it is rendered: a document cannot inject HTML.
"""

from __future__ import annotations

import contextlib
import html
import itertools
import json
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# Set before gradio is imported: no analytics calls from an offline machine.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr

from assistant.answer import Answer, Citation, marked_sentences
from assistant.conversation import Turn
from assistant.evaluation import Evaluator, load_questions
from assistant.quoting import opens_with_referent, verbatim
from core.errors import AssistantError
from ingest.loaders import LOADERS, title_from_name

from .jobs import IngestJob
from .report import render as render_report
from .text_input import lone_surrogate_message
from .web_collections import CollectionPicker, PageKeys, index_status
from .wiring import Services

EXAMPLES = [
    "Who is India's ambassador to the U.S.?",
    "How many rounds of trade negotiations have been completed?",
    "What tariff did the U.S. impose on some Indian exports?",
]

CSS = """
/* One screen: header, chat, question box, "New chat" and examples fit a 1366x768 laptop. */
#page-title h1 { font-size: 1.6rem; margin: 0 0 2px; }
#page-title p, #index-status p { margin: 0; }
#chat { min-height: 240px; }
/* The chat's label sits above the messages, not over them: scrolled text never hides under it. */
#chat label[data-testid="block-label"] { position: static; flex: none; margin: 0 0 4px; }
#chat [role="log"] { flex: 1 1 0; min-height: 0; }
#chat .thought-group .title, #chat .thought-group .title .prose { font-size: 14px; color: var(--body-text-color); }
#examples { gap: 4px; }
.sources-panel .src { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 10px;
  margin-bottom: 8px; }
/* Sources are read, not glanced at: body colour (AA contrast) and body size. */
.sources-panel .src-head { font-size: 14px; color: var(--body-text-color); margin-bottom: 4px; }
.sources-panel .src-text { white-space: pre-wrap; font-size: 15px; line-height: 1.5; color: var(--body-text-color); }
.sources-panel .cell-gap { color: var(--body-text-color-subdued); }
.sources-panel mark, .message mark { background: #fde68a; color: #1f2937; padding: 0 2px; border-radius: 2px; }
footer { display: none !important; }
/* A source opened in the chat: Gradio fades it twice (0.8 x 0.8) and sets it at 12px. */
#chat .thought-group .message-content, #chat .thought-group .message-content .md { opacity: 1 !important; }
#chat .thought-group .message-content, #chat .thought-group .message-content :is(p, mark) { font-size: 14px !important; }
/* White on the theme's orange is 3.6:1; this darker orange reaches 5.2:1 (WCAG AA). */
#ask { background: #c2410c !important; border-color: #c2410c !important; }
#ask:hover { background: #9a3412 !important; }
"""

# The chat's raw messages are markdown with every special escaped, so a document cannot
# inject links, images or math. Gradio copies a message, and labels it for screen
# readers, from that raw markdown; this script gives both the text as rendered instead.
PLAIN_TEXT_JS = """
if (!window.plainChatText) {
  window.plainChatText = true;
  const MESSAGES = '[data-testid="user"], [data-testid="bot"]';
  const shown = (element) => element.innerText.replace(/\\n{3,}/g, "\\n\\n").trim();
  const relabel = () => {
    for (const message of document.querySelectorAll(`#chat :is(${MESSAGES})`)) {
      const label = `${message.dataset.testid}'s message: ${shown(message)}`;
      if (message.getAttribute("aria-label") !== label) message.setAttribute("aria-label", label);
    }
    // A source's title in the chat is the control that opens it; the unlabelled arrow
    // button Gradio nests inside it is decoration
    // (inert: not focusable, not in the accessibility tree, clicks go to the title).
    for (const arrow of document.querySelectorAll('#chat [role="button"] button:not([inert])')) arrow.inert = true;
  };
  new MutationObserver(relabel).observe(document.getElementById("chat") || document.body, {subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: ["aria-label"]});
  relabel();
  // A message's copy button copies what the reader sees: the answer with its [n] markers,
  // then its sources, one a line (and any passage opened under its source).
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("#chat .message-buttons button");
    if (!button || !/^Copy/.test(button.getAttribute("aria-label") || "")) return;
    let row = button.closest(".message-buttons").previousElementSibling;
    while (row && !row.classList.contains("message-row")) row = row.previousElementSibling;
    if (!row) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    let text = "", previous = null;
    for (const message of row.querySelectorAll(MESSAGES)) {
      const source = message.querySelector(".thought-group") !== null;
      text += (previous === null ? "" : source && previous ? "\\n" : "\\n\\n") + shown(message);
      previous = source;
    }
    navigator.clipboard.writeText(text).then(() => {
      button.setAttribute("aria-label", "Copied message");
      button.title = "Copied message";
      setTimeout(() => { button.setAttribute("aria-label", "Copy message"); button.title = "Copy message"; }, 2000);
    });
  }, true);
}
"""

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>$])")


def escape_markdown(text: str) -> str:
    """Document text as literal characters: no HTML, no markdown formatting."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(text, quote=False))


def cited_sentences(answer: Answer) -> dict[int, list[str]]:
    """The answer's sentences grouped by the citation numbers that follow them."""
    found: dict[int, list[str]] = {}
    for sentence, numbers in marked_sentences(answer.answer):
        for number in numbers:
            found.setdefault(number, []).append(sentence)
    return found


def highlighted(citation: Citation, sentences: list[str], escape: Any) -> str:
    """The passage with each quoted sentence wrapped in <mark>, everything else escaped."""
    spans = []
    for sentence in sentences:
        # A bracketed referent ("[Kwatra] also met ...") is the answerer's; it stands for the
        # passage's opening pronoun, which is marked with the rest of the sentence.
        quote = verbatim(sentence)
        start = citation.text.find(quote) if quote else -1
        keyed = opens_with_referent(sentence)
        key = re.escape(sentence[sentence.index("[") + 1 : sentence.index("]")]) if keyed else ""
        if start >= 0 and keyed:
            # "[Coding Club] 3:15pm–4:15pm": the time in the Coding Club's row, though the
            # same time stands in rows above it.
            row = re.search(rf"(?:^|\n){key}\t[^\n]*", citation.text)
            if row and (within := citation.text.find(quote, row.start(), row.end())) >= 0:
                start = within
        if start < 0 and quote.strip():
            # A sentence quoted with the command line under it ("... by the following.
            # $ git config ...") spans the line break between them.
            across = re.search(r"\s+".join(map(re.escape, quote.split())), citation.text)
            if across:
                spans.append(across.span())
            continue
        end = start + len(quote)
        if keyed:
            # "[^A c] create a new window": the row's first cell, a tab before the quote,
            # is marked with it; "[Kwatra] also met ...": the pronoun it stands for is.
            if cell := re.search(rf"(?:^|\n){key}\t[^\n]*$", citation.text[:start]):
                start = cell.start() + (cell.group(0)[:1] == "\n")
            elif pronoun := re.search(r"\w+ +$", citation.text[:start]):
                start = pronoun.start()
        spans.append((start, end))
    spans.sort()
    out, cursor = [], 0
    for start, end in spans:
        if start < cursor:
            continue
        out.append(escape(citation.text[cursor:start]))
        # A mark never spans a line break: markdown would end it with the paragraph.
        out += [
            f"<mark>{escape(part)}</mark>" if part.strip() else part
            for part in re.split(r"(\s*\n\s*)", citation.text[start:end])
        ]
        cursor = end
    out.append(escape(citation.text[cursor:]))
    return "".join(out)


# A table row's cells, which the passage keeps apart by tabs, set apart as cells: a tab in
# running text is a few spaces at most, and "Race director" ran into "Gareth Lowther".
_CELL_GAP = '<span class="cell-gap"> │ </span>'


def location(citation: Citation) -> str:
    return f"chars {citation.start}–{citation.end}"


def source_label(citation: Citation, full_path: bool = False) -> str:
    """What a reader knows a cited document by: its title and its file's name ("Wrenfield
    House: Guest Information · wrenfield-house-guest-information.md"), or its whole path
    with ``full_path``; the name alone when the title was only made from it."""
    path = Path(citation.source)
    named = citation.source if full_path else path.name
    return named if citation.title in ("", title_from_name(path)) else f"{citation.title} · {named}"


def sources_html(answer: Answer | None) -> str:
    if answer is None:
        return '<div class="sources-panel"><p><em>Sources of the latest answer appear here.</em></p></div>'
    if not answer.citations:
        return '<div class="sources-panel"><p><em>No sources: the documents do not answer this.</em></p></div>'
    sentences = cited_sentences(answer)
    blocks = []
    for c in answer.citations:
        head = f"<b>[{c.id}]</b> {html.escape(source_label(c, full_path=True))} · {location(c)} · score {c.score:.2f}"
        body = highlighted(c, sentences.get(c.id, []), html.escape).replace("\t", _CELL_GAP)
        blocks.append(f'<div class="src" id="source-{c.id}"><div class="src-head">{head}</div>'
                      f'<div class="src-text">{body}</div></div>')  # fmt: skip
    return '<div class="sources-panel">' + "".join(blocks) + "</div>"


def answer_messages(answer: Answer, question: str = "") -> list[dict[str, Any]]:
    """The answer bubble, then one collapsible message per citation.

    A follow-up rewritten to stand on its own shows what was searched, so a reader can
    see whom "he" was taken to mean.
    """
    text = escape_markdown(answer.answer)
    text = re.sub(r"\\\[(\d+)\\\]", r"**[\1]**", text)  # markers stand out, still plain text
    if answer.query and question and answer.query != " ".join(question.split()):
        text += f"\n\n*Searched as: “{escape_markdown(answer.query)}”*"
    for span in answer.unsupported:
        text += f"\n\n*⚠ Not clearly supported by its passage: “{escape_markdown(span.text)}”*"
    if answer.warning:
        text += f"\n\n*⚠ {escape_markdown(answer.warning)}*"
    messages: list[dict[str, Any]] = [{"role": "assistant", "content": text}]
    sentences = cited_sentences(answer)
    for c in answer.citations:
        messages.append({
            "role": "assistant",
            "content": highlighted(c, sentences.get(c.id, []), escape_markdown),
            "metadata": {"title": f"[{c.id}] {escape_markdown(source_label(c))}", "status": "done"},
        })  # fmt: skip
    return messages


_POLL_S = 0.5  # how often the page's upload line is brought up to date


def job_progress(job: IngestJob) -> str:
    """The upload line while its job waits or runs."""
    total = job.files_total
    noun = "file" if total == 1 else "files"
    if job.status == "queued":
        return f"⏳ {total} {noun} waiting for an upload before them to finish…"
    return f"⏳ Adding {total} {noun}: {job.files_done} of {total} stored ({job.chunks} passages)…"


def job_outcome(job: IngestJob) -> str:
    """The upload line once its job has ended: what changed, or why nothing did."""
    if job.status == "failed" or job.result is None:
        return f"**Nothing was added:** {escape_markdown(str(job.error))}"
    r = job.result
    lines = [f"Added {len(r['added'])}, updated {len(r['updated'])}, unchanged {len(r['unchanged'])} "
             f"({job.chunks} passages)."]  # fmt: skip
    lines += [f"- failed: {escape_markdown(f['error'])}" for f in r["failed"]]
    return "\n".join(lines)


def forget_uploads(files: list[str]) -> None:
    """Remove an upload's files from the page's cache once read: no URL of the page
    serves a document afterwards, to this user or any other."""
    for name in files:
        path = Path(name)
        path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            path.parent.rmdir()  # the upload's own folder, when nothing else is in it


@contextmanager
def shown_on_page() -> Iterator[None]:
    """The page's one error path: a user error (``AssistantError``) becomes the page's
    error notice with the same one-line message the CLI and the API give."""
    try:
        yield
    except AssistantError as err:
        raise gr.Error(str(err)) from None


def build_web(services: Services, page: PageKeys | None = None) -> gr.Blocks:
    """The page over ``services``; ``page`` knows each signed-in user's key."""
    from .web_saved import SavedChats  # it renders with this module's helpers

    picker = CollectionPicker(services, page or PageKeys(services.keys))
    saved = SavedChats(services)

    # `collection` defaults to None (the session's first collection): API callers may leave it out.
    def respond(
        message: str, chat: list[dict[str, Any]], history: list[dict[str, str]], conversation: str | None,
        request: gr.Request, collection: str | None = None,
    ) -> Iterator[tuple[Any, Any, Any, Any, Any]]:  # fmt: skip
        question = (message or "").strip()
        if not question:
            raise gr.Error("Type a question first.")
        if problem := lone_surrogate_message(question):
            raise gr.Error(f"The question {problem}")
        turns = [Turn.model_validate(t) for t in history]
        app = picker.readable(collection, request)
        with shown_on_page():
            pieces = app.assistant.stream(question, history=turns)
            first = next(pieces)
        chat = [*chat, {"role": "user", "content": escape_markdown(question)}, {"role": "assistant", "content": ""}]
        streamed = ""
        for piece in itertools.chain([first], pieces):
            if isinstance(piece, Answer):
                if piece.warning:
                    gr.Warning(piece.warning)
                chat = chat[:-1] + answer_messages(piece, question)
                history = [*history, {"role": "user", "content": question},
                           {"role": "assistant", "content": piece.answer}]  # fmt: skip
                conversation = saved.save(request, conversation, question, piece, collection=app.collection)
                yield chat, history, sources_html(piece), "", conversation
                return
            streamed += piece
            chat[-1] = {"role": "assistant", "content": escape_markdown(streamed)}
            yield chat, history, gr.skip(), "", gr.skip()

    def new_chat() -> tuple[list[Any], list[Any], str, str, None]:
        return [], [], sources_html(None), "", None

    def add_documents(files: list[str] | None, request: gr.Request,
                      collection: str | None = None) -> Iterator[tuple[str, str, Any]]:  # fmt: skip
        if not files:
            raise gr.Error("Choose one or more files first.")
        try:
            app = picker.writable(collection, request)
            with shown_on_page():
                job = services.jobs.submit([(Path(f).name, Path(f).read_bytes()) for f in files], app.documents,
                                           app.collection)  # fmt: skip
        finally:
            forget_uploads(files)
        while not job.ended.wait(_POLL_S):
            yield job_progress(job), gr.skip(), gr.skip()
        yield job_outcome(job), index_status(app), None

    def run_eval(file: str | None, request: gr.Request, collection: str | None = None) -> tuple[str, str, list[str]]:
        if not file:
            raise gr.Error("Choose a question set (.jsonl or .csv) first.")
        with shown_on_page():
            questions = load_questions(Path(file))
            result = Evaluator(picker.readable(collection, request).assistant).run(questions).to_json()
        folder = Path(tempfile.mkdtemp(prefix="eval-"))
        report = render_report(result, f"Evaluation of {Path(file).name}")
        (folder / "report.html").write_text(report, encoding="utf-8")
        (folder / "results.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        s = result["summary"]

        def shown(name: str) -> str:
            return "–" if s.get(name) is None else f"{s[name]:.3f}"

        line = (f"**{s['passed']} of {s['questions']} passed** · hit@{result['k']} {shown('hit@k')} · "
                f"answer contains reference {shown('answer_contains')} · "
                f"abstention recall {shown('abstention_recall')}")  # fmt: skip
        frame = f'<iframe title="Evaluation report" srcdoc="{html.escape(report, quote=True)}" ' \
                'style="width:100%;height:900px;border:1px solid #e5e7eb;border-radius:8px"></iframe>'  # fmt: skip
        return line, frame, [str(folder / "report.html"), str(folder / "results.json")]

    # Files anyone may send to the page's upload route and never use: deleted once old,
    # checked a few times within that age (the page reads its own uploads at once).
    age = services.settings.page_cache_max_age_s
    with gr.Blocks(title="Grounded Assistant", delete_cache=(max(1, min(age // 4, 600)), age)) as demo:
        gr.Markdown("# Grounded Assistant\nAsk questions about your documents. Answers quote the documents, "
                    "and every sentence links to the passage it came from.", elem_id="page-title")  # fmt: skip
        with gr.Row(equal_height=True):
            status = gr.Markdown(elem_id="index-status")  # filled per session, as the picker is
            collection = picker.dropdown()
        history = gr.State([])
        with gr.Tab("Chat"), gr.Row(equal_height=False):
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(
                    label="Conversation",
                    # The rest of the screen, after the header, the question box and the examples.
                    height="calc(100vh - 400px)",
                    elem_id="chat",
                    buttons=["copy"],
                    placeholder="Ask a question to start.",
                    group_consecutive_messages=True,
                    # Passages are quoted, never typeset: "$$x^2$$" in a document stays text.
                    latex_delimiters=[],
                )
                with gr.Row():
                    box = gr.Textbox(
                        placeholder="Ask about your documents…",
                        show_label=False,
                        scale=6,
                        autofocus=True,
                        elem_id="question",
                        max_length=services.settings.max_question_chars,
                    )
                    with gr.Column(scale=1, min_width=120):
                        ask = gr.Button("Ask", variant="primary", elem_id="ask")
                        new = gr.Button("New chat", size="sm", elem_id="new-chat")
                with gr.Column(elem_id="examples"):
                    gr.Examples(EXAMPLES, inputs=box, label="Examples (bundled corpus)")
            with gr.Column(scale=2):
                gr.Markdown("### Sources")
                sources = gr.HTML(sources_html(None), elem_id="sources")
                with gr.Accordion("Add documents", open=False):
                    files = gr.File(file_count="multiple", file_types=sorted(LOADERS), label="Files")
                    add = gr.Button("Add to index", elem_id="add-documents")
                    added = gr.Markdown(elem_id="upload-status")
                saved.render()
        with gr.Tab("Evaluate"):
            gr.Markdown("Upload a question set (JSONL or CSV with `question` and optionally `answer`, `evidence`, "
                        "`sources`, `unanswerable`, `history`) to score the answers. See `eval/seed_questions.jsonl`.")  # fmt: skip
            with gr.Row():
                question_set = gr.File(file_types=[".jsonl", ".csv"], label="Question set", elem_id="question-set")
                evaluate = gr.Button("Run evaluation", variant="primary", elem_id="run-eval")
                liked = gr.Button("Run the answers rated 👍", elem_id="run-liked")
            eval_summary = gr.Markdown(elem_id="eval-summary")
            downloads = gr.File(label="report.html and results.json", file_count="multiple", interactive=False)
            eval_report = gr.HTML(elem_id="eval-report")
        # No markup of its own: it runs the page's plain-text script once the page is up.
        gr.HTML("", js_on_load=PLAIN_TEXT_JS, container=False, padding=False, elem_id="plain-text")
        evaluate.click(run_eval, [question_set, collection], [eval_summary, eval_report, downloads],
                       api_name="evaluate")  # fmt: skip
        # The liked answers, exported as `assistant feedback export` writes them, run as any uploaded set.
        liked.click(saved.liked_set, [collection], question_set, api_name=False).then(  # type: ignore[arg-type]
            run_eval, [question_set, collection], [eval_summary, eval_report, downloads], api_name=False
        )  # type: ignore[arg-type]
        conversation = gr.State(None)
        outputs = [chatbot, history, sources, box, conversation]
        # Gradio runs one event of a kind at a time unless told: each person's question would
        # wait for everyone else's (a language model's answer takes seconds). Questions from
        # the button and the box share one limit, as many at once as the API answers.
        asking = {"concurrency_id": "ask", "concurrency_limit": services.settings.max_concurrent_requests}
        ask.click(respond, [box, chatbot, history, conversation, collection], outputs, api_name="ask",
                  **asking).then(saved.listed, [conversation, collection], saved.picker, api_name=False)  # type: ignore[arg-type]  # fmt: skip
        # False keeps these events out of the API (one "ask" endpoint); Gradio's stubs say str.
        box.submit(respond, [box, chatbot, history, conversation, collection], outputs, api_name=False,  # type: ignore[arg-type]
                   **asking).then(saved.listed, [conversation, collection], saved.picker, api_name=False)  # type: ignore[arg-type]  # fmt: skip
        new.click(new_chat, None, outputs, api_name=False)  # type: ignore[arg-type]
        saved.wire(demo, chatbot, history, sources, conversation, collection)
        # Each upload's page waits on its own job; the jobs themselves run one at a time.
        add.click(add_documents, [files, collection], [added, status, files], api_name="add_documents",
                  concurrency_limit=8)  # fmt: skip
        # Another collection is another conversation: the chat starts over.
        collection.change(picker.status, [collection], status, api_name=False).then(  # type: ignore[arg-type]
            new_chat, None, outputs, api_name=False).then(  # type: ignore[arg-type]
            saved.listed, [conversation, collection], saved.picker, api_name=False)  # type: ignore[arg-type]  # fmt: skip
        demo.load(picker.loaded, None, [collection, status], api_name=False)  # type: ignore[arg-type]
    return demo
