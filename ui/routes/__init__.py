"""The API's routes, one module per subject, each an ``APIRouter`` (included by ``ui.api``)."""
