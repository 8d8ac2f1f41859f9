"""What a route needs from the app, as FastAPI dependencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ..metrics import Metrics
from ..wiring import Services


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def _metrics(request: Request) -> Metrics:
    metrics: Metrics = request.app.state.metrics
    return metrics


ServicesDep = Annotated[Services, Depends(_services)]
MetricsDep = Annotated[Metrics, Depends(_metrics)]
