"""``GET /metrics`` in Prometheus' text format, from the ``prometheus-client`` package.

Counted as they happen: requests by route and status with their durations, answers
given through the API by mode (``extractive-fallback`` counts the language model's
failures, ``abstained`` the declines) with the time of each stage. Read when scraped: passages and documents in the index, upload jobs by
status. Each app has its own registry, so several apps in one process (tests, workers
behind one import) never share counts. Sample queries: docs/DEPLOY.md.
"""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Iterator
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from assistant.answer import Answer

if TYPE_CHECKING:
    from .wiring import Services

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Routes are labelled by their template, so ids never become label values, and a path or
# method no route serves gets one label: a client cannot grow /metrics by making them up.
_TEMPLATES = {"documents": "/v1/documents/{id}", "jobs": "/v1/jobs/{id}", "models": "/v1/models/{id}"}
_FIXED = {"/healthz", "/readyz", "/metrics", "/docs", "/openapi.json", "/", "/mcp"}
_V1 = frozenset("ask chat collections conversations documents eval feedback ingest jobs models".split())
_METHODS = frozenset("GET HEAD POST PUT PATCH DELETE OPTIONS".split())
UNKNOWN = "/v1/{unknown}"


def route_of(path: str) -> str:
    """``/v1/documents/abc`` -> ``/v1/documents/{id}``; the page's own paths -> ``page``;
    a path under ``/v1`` that no route serves -> ``/v1/{unknown}``."""
    if path in _FIXED:
        return path
    parts = path.split("/")
    if len(parts) >= 3 and parts[1] == "v1":
        if parts[2] not in _V1 or (parts[2] == "chat" and parts[3:] != ["completions"]):
            return UNKNOWN
        if len(parts) >= 4 and parts[2] in _TEMPLATES:
            return _TEMPLATES[parts[2]]
        return "/".join(parts[:4]) if parts[2] == "chat" else "/".join(parts[:3])
    return "page"


def method_of(method: str) -> str:
    """The request's method, or ``other`` for one HTTP does not define."""
    return method if method in _METHODS else "other"


class Metrics:
    def __init__(self, services: Services):
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "assistant_http_requests", "HTTP requests answered", ["method", "route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "assistant_http_request_duration_seconds", "Time to the last byte of the response", ["method", "route"],
            buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60), registry=self.registry,
        )  # fmt: skip
        self.answers = Counter("assistant_answers", "Answers given, by mode", ["mode"], registry=self.registry)
        self.stages = Histogram(
            "assistant_answer_stage_seconds", "Time of each stage of an answer", ["stage"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30), registry=self.registry,
        )  # fmt: skip
        self.registry.register(_IndexAndJobs(services))

    def request(self, method: str, path: str, status: int, seconds: float) -> None:
        route, method = route_of(path), method_of(method)
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def answer(self, answer: Answer) -> None:
        label = "abstained" if answer.abstained and answer.mode == "extractive" else answer.mode
        self.answers.labels(label).inc()
        for stage, ms in (answer.timings_ms or {}).items():
            self.stages.labels(stage).observe(ms / 1000)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class _IndexAndJobs(Collector):
    """What the index and the job queue hold at the moment of the scrape."""

    def __init__(self, services: Services):
        self.services = services

    def collect(self) -> Iterator[Metric]:
        store = self.services.assistant.store
        passages = GaugeMetricFamily("assistant_index_passages", "Passages (chunks) in the index")
        passages.add_metric([], store.count())
        yield passages
        documents = GaugeMetricFamily("assistant_index_documents", "Documents in the index")
        documents.add_metric([], len(self.services.documents.indexed()))
        yield documents
        jobs = GaugeMetricFamily("assistant_upload_jobs", "Upload jobs kept in memory, by status", labels=["status"])
        tally = Tally(job.status for job in self.services.jobs.recent(limit=10_000))
        for status in ("queued", "running", "done", "failed"):
            jobs.add_metric([status], tally.get(status, 0))
        yield jobs

    def describe(self) -> Iterator[Metric]:
        return iter(())
