"""Terminal rendering of answers and ingest reports (rich, markup-safe)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from assistant.answer import Answer
from ingest.pipeline import IngestReport


def answer_text(answer: Answer) -> Text:
    """The answer, then one line per citation: number, source, place and passage."""
    out = Text(answer.answer, style="dim" if answer.abstained else "")
    if answer.warning:
        out.append(f"\n({answer.warning})", style="yellow")
    if answer.citations:
        out.append("\n\nSources\n", style="bold")
    for citation in answer.citations:
        out.append(f"[{citation.id}] ", style="bold cyan")
        out.append(citation.source, style="cyan")
        out.append(f"  chars {citation.start}-{citation.end}  score {citation.score:.2f}\n", style="dim")
        passage = " ".join(citation.text.split())
        out.append(f"    {passage[:300]}{'…' if len(passage) > 300 else ''}\n", style="italic")
    return out


def print_report(console: Console, report: IngestReport) -> None:
    counts = (
        f"{len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed, {len(report.failed)} failed; {report.chunks} chunks in the index"
    )
    console.print(counts, highlight=False)
    for skipped in report.skipped:
        console.print(Text(f"skipped (unsupported type): {skipped}", style="yellow"))
    for failure in report.failed:
        console.print(Text(f"failed: {failure['error']}", style="red"))


def summary_table(summary: dict[str, Any], k: int, comparison: dict[str, Any] | None = None) -> Table:
    table = Table(title="Evaluation", show_header=True, header_style="bold")
    table.add_column("metric")
    table.add_column("value", justify="right")
    if comparison:
        table.add_column("change", justify="right")
    for name, value in summary.items():
        shown = "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)
        cells = [name.replace("@k", f"@{k}"), shown]
        if comparison:
            delta = comparison["metrics"].get(name, {}).get("delta")
            cells.append("" if delta is None else f"{delta:+.3f}")
        table.add_row(*cells)
    return table
