"""A self-contained HTML evaluation report: charts first, then every question.

No scripts, no external files: charts are inline SVG, so the report opens offline,
attaches to a CI run, and renders the same everywhere. All text from questions,
answers and documents is escaped.
"""

from __future__ import annotations

import html
from typing import Any

from assistant.evaluation import DEFINITIONS, RELEVANCE

_RATE_METRICS = ["hit@1", "hit@k", "mrr@k", "recall@k", "ndcg@10", "exact_match", "f1", "rouge_l", "similarity",
                 "answer_contains", "first_contains", "evidence_cited", "first_relevant", "citation_precision", "citation_recall",
                 "abstention_precision", "abstention_recall", "query_standalone", "readability_defects"]  # fmt: skip

_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 1180px; color: #1f2937; padding: 0 1rem; }
h1 { margin-bottom: .2rem } .sub { color: #6b7280; margin-top: 0 }
.cards { display: flex; gap: 1rem; flex-wrap: wrap; margin: 1rem 0 }
.card { border: 1px solid #e5e7eb; border-radius: 10px; padding: .8rem 1.1rem; min-width: 130px }
.card b { display: block; font-size: 1.6rem } .card span { color: #6b7280; font-size: .85rem }
.charts { display: grid; grid-template-columns: 1.3fr 1fr; gap: 1.5rem; align-items: start }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1.6rem } td, th { border-bottom: 1px solid #e5e7eb;
  padding: .35rem .5rem; text-align: left; vertical-align: top } th { background: #f9fafb }
.fail { color: #b91c1c; font-weight: 600 } .pass { color: #047857; font-weight: 600 }
.up { color: #047857 } .down { color: #b91c1c } details { margin: .2rem 0 } summary { cursor: pointer; color: #374151 }
.passage { white-space: pre-wrap; background: #f9fafb; border-left: 3px solid #d1d5db; padding: .3rem .6rem;
  font-size: .9em } .rel { border-left-color: #10b981 } .small { font-size: .85em; color: #6b7280 }
"""


def _e(value: Any) -> str:
    return html.escape(str(value))


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return _e(value)


def metrics_chart(summary: dict[str, Any], k: int) -> str:
    """Horizontal bars for every 0..1 metric."""
    names = [n for n in _RATE_METRICS if summary.get(n) is not None]
    row, label_w, bar_w = 26, 170, 380
    parts = [f'<svg role="img" aria-label="Metrics" width="{label_w + bar_w + 70}" height="{row * len(names) + 10}" '
             'xmlns="http://www.w3.org/2000/svg" class="chart" id="metrics-chart">']  # fmt: skip
    for i, name in enumerate(names):
        value = float(summary[name])
        y = i * row + 5
        label = name.replace("@k", f"@{k}")
        parts.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" font-size="13">{_e(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 2}" width="{bar_w}" height="18" fill="#f3f4f6" rx="3"/>')
        parts.append(f'<rect x="{label_w}" y="{y + 2}" width="{bar_w * value:.1f}" height="18" fill="#6366f1" rx="3"/>')
        parts.append(f'<text x="{label_w + bar_w + 8}" y="{y + 15}" font-size="13">{value:.3f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def latency_chart(rows: list[dict[str, Any]]) -> str:
    """Histogram of total answer time, 12 bins."""
    values = [float(r["timings_ms"].get("total", 0.0)) for r in rows]
    if not values:
        return ""
    low, high = min(values), max(values)
    width = (high - low) / 12 or 1.0
    bins = [0] * 12
    for v in values:
        bins[min(11, int((v - low) / width))] += 1
    tallest = max(bins)
    w, h, bar = 420, 200, 420 / 12
    parts = [f'<svg role="img" aria-label="Latency" width="{w}" height="{h + 40}" xmlns="http://www.w3.org/2000/svg" '
             'class="chart" id="latency-chart">']  # fmt: skip
    for i, count in enumerate(bins):
        bar_h = h * count / tallest
        parts.append(f'<rect x="{i * bar + 2:.1f}" y="{h - bar_h:.1f}" width="{bar - 4:.1f}" height="{bar_h:.1f}" '
                     f'fill="#10b981"><title>{count} answers, {low + i * width:.0f}-{low + (i + 1) * width:.0f} ms'
                     "</title></rect>")  # fmt: skip
    parts.append(f'<text x="0" y="{h + 18}" font-size="12">{low:.0f} ms</text>')
    parts.append(f'<text x="{w}" y="{h + 18}" font-size="12" text-anchor="end">{high:.0f} ms</text>')
    parts.append(f'<text x="{w / 2}" y="{h + 34}" font-size="12" text-anchor="middle">total time per answer</text>')
    parts.append("</svg>")
    return "".join(parts)


def _question_rows(rows: list[dict[str, Any]]) -> str:
    out = []
    for r in sorted(rows, key=lambda r: (r["passed"], r["id"])):
        status = '<span class="pass">pass</span>' if r["passed"] else '<span class="fail">fail</span>'
        facts = " · ".join(f"{k} {_fmt(r[k])}" for k in ("hit@k", "f1", "answer_contains", "evidence_cited") if k in r)
        cites = "".join(f'<details><summary>[{c["id"]}] {_e(c["source"])} · chars {c["start"]}–{c["end"]}</summary>'
                        f'<div class="passage">{_e(c["text"])}</div></details>' for c in r["citations"])  # fmt: skip
        passages = "".join(f'<div class="passage{" rel" if p["relevant"] else ""}">{_e(p["source"])} · '
                           f'{p["score"]:.2f}{" · relevant" if p["relevant"] else ""}\n{_e(p["text"])}</div>'
                           for p in r["retrieved"])  # fmt: skip
        kind = "unanswerable" if r["unanswerable"] else _e(r["reference"] or "")
        warning = f'<div class="small">⚠ {_e(r["warning"])}</div>' if r.get("warning") else ""
        out.append(f'<tr class="{"passed" if r["passed"] else "failed"}"><td>{status}</td><td>{_e(r["id"])}</td>'
                   f'<td>{_e(r["question"])}<div class="small">expected: {kind}</div></td>'
                   f'<td>{_e(r["answer"])}{warning}<div class="small">{facts}</div>{cites}'
                   f"<details><summary>retrieved passages</summary>{passages}</details></td></tr>")  # fmt: skip
    return "".join(out)


def _comparison(comparison: dict[str, Any] | None) -> str:
    if not comparison:
        return ""
    rows = []
    for name, d in comparison["metrics"].items():
        arrow = "up" if d["delta"] > 0 else "down" if d["delta"] < 0 else ""
        rows.append(f'<tr><td>{_e(name)}</td><td>{_fmt(d["old"])}</td><td>{_fmt(d["new"])}</td>'
                    f'<td class="{arrow}">{d["delta"]:+.4f}</td></tr>')  # fmt: skip
    better = ", ".join(_e(i) for i in comparison["better"]) or "none"
    worse = ", ".join(_e(i) for i in comparison["worse"]) or "none"
    return (f'<h2 id="comparison">Compared with the previous run</h2><table><tr><th>metric</th><th>before</th>'
            f'<th>now</th><th>change</th></tr>{"".join(rows)}</table>'
            f'<p><b class="up">Better:</b> {better}<br><b class="down">Worse:</b> {worse}</p>')  # fmt: skip


def render(result: dict[str, Any], title: str = "Evaluation", comparison: dict[str, Any] | None = None) -> str:
    summary, k = result["summary"], result["k"]
    cards = [("questions", summary["questions"]), ("passed", summary["passed"]), (f"hit@{k}", summary.get("hit@k")),
             ("answer F1", summary.get("f1")), ("abstention recall", summary.get("abstention_recall")),
             ("total p95", f'{summary.get("total_ms_p95", 0):.0f} ms')]  # fmt: skip
    card_html = "".join(f"<div class='card'><b>{_fmt(v)}</b><span>{_e(n)}</span></div>" for n, v in cards)
    table = "".join(
        f"<tr><td>{_e(n.replace('@k', f'@{k}'))}</td><td>{_fmt(summary.get(n))}</td><td>{_e(DEFINITIONS[n])}</td></tr>"
        for n in DEFINITIONS
    )
    latency = "".join(f"<tr><td>{_e(n)}</td><td>{_fmt(v)}</td></tr>" for n, v in summary.items() if n.endswith("_ms_p50")
                      or n.endswith("_ms_p95"))  # fmt: skip
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_STYLE}</style></head><body>
<h1>{_e(title)}</h1><p class="sub">{summary["questions"]} questions, top {k} passages. {_e(RELEVANCE)}</p>
<div class="cards">{card_html}</div>
<div class="charts"><div><h2>Metrics</h2>{metrics_chart(summary, k)}</div>
<div><h2>Latency</h2>{latency_chart(result["questions"])}<table>{latency}</table></div></div>
{_comparison(comparison)}
<h2>How each metric is computed</h2><table><tr><th>metric</th><th>value</th><th>definition</th></tr>{table}</table>
<h2>Questions, failures first</h2><table id="questions"><tr><th></th><th>id</th><th>question</th><th>answer</th></tr>
{_question_rows(result["questions"])}</table></body></html>"""
