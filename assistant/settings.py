"""All configuration, in one typed object read from ``ASSISTANT_*`` variables or ``.env``.

Only this module reads the environment; components get plain values as arguments.

    >>> Settings(top_k=3).top_k
    3
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlparse

from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from core.errors import SettingsError


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Where the embedded index lives (DATA_DIR/index).")
    corpus_dir: Path = Field(Path("data/corpus"), description="What `assistant ingest` reads by default.")
    chroma_url: str | None = Field(None, description="A Chroma server, e.g. http://127.0.0.1:8001; unset = embedded.")
    collection: str = Field("assistant", min_length=3, max_length=40)

    top_k: int = Field(5, ge=1, le=50, description="Passages an answer cites at most (and a language model reads).")
    candidate_pool: int = Field(
        15, ge=1, le=200, description="Passages the extractive answerer reads to choose its sentences (at least top_k)."
    )
    min_relevance: float = Field(
        0.20, ge=-1.0, le=1.0, description="Abstain when the best passage's cosine similarity is below this."
    )
    retrieval: Literal["dense", "hybrid"] = Field(
        "hybrid", description="dense: embeddings only; hybrid: embeddings and BM25 fused by reciprocal rank."
    )
    answer_sentences: int = Field(3, ge=1, le=10, description="Most sentences in an extractive answer.")
    chunk_tokens: int = Field(256, ge=32, le=256, description="Target chunk size in word pieces (hard limit 256).")
    embed_headings: bool = Field(True, description="Embed each chunk with its heading trail.")
    embedding_backend: Literal["torch", "onnx", "onnx-int8"] = Field(
        "onnx-int8",
        description="torch: sentence-transformers; onnx: the same model on ONNX Runtime; onnx-int8: "
        "ONNX with int8 weights (fastest; docs/BENCHMARKS.md has the speed and quality of each).",
    )
    embed_batch_size: int | None = Field(
        None, ge=1, le=1024, description="Texts per model call; unset = the backend's best (64 torch, 8 onnx)."
    )
    model_cache_dir: Path = Field(
        default_factory=lambda: Path.home() / ".cache" / "assistant",
        description="Where the ONNX export of the bundled model and its word-piece table are kept (made once, on first use).",
    )

    llm_base_url: str | None = Field(
        None, description="An OpenAI-compatible server, e.g. http://localhost:11434/v1; unset = extractive answers."
    )
    llm_model: str = Field("llama3.2", description="The model name the server knows.")
    llm_api_key: str | None = Field(None, description="Sent as a Bearer token; local servers need none.")
    llm_timeout_s: float = Field(30.0, gt=0, description="Past this, the answer falls back to extractive.")
    llm_temperature: float = Field(0.1, ge=0, le=2)
    llm_max_tokens: int = Field(512, ge=16)
    unsupported_sentences: Literal["flag", "drop"] = Field(
        "flag", description="What to do with a generated sentence its cited passage does not support."
    )

    max_question_chars: int = Field(2000, ge=10)
    max_history_turns: int = Field(20, ge=0)

    api_keys: Annotated[list[str], NoDecode] = Field(
        [], description="Comma-separated keys reaching every collection; when set, the API and the web UI require one."
    )
    api_keys_file: Path | None = Field(
        None, description="A JSON file of keys scoped to collections: {KEY: {read: [...], write: [...]}}."
    )
    api_key: str | None = Field(
        None, description="The key `assistant` commands send to a running server (default: the first of api_keys)."
    )
    cors_origins: Annotated[list[str], NoDecode] = Field([], description="Comma-separated origins allowed by CORS.")
    max_upload_mb: float = Field(
        20.0, gt=0, description="Largest request body, and most bytes of files in one upload, in MB."
    )
    max_bodies_mb: float = Field(
        200.0,
        gt=0,
        description="Most MB of API request bodies held in memory at once, by all requests together; "
        "a request that would go past it gets 503 before its body is read.",
    )
    # At most what the form parser reads of one request (1000 parts).
    max_upload_files: int = Field(100, ge=1, le=1000, description="Most files in one upload; more are refused (422).")
    write_wait_s: float = Field(
        2.0, gt=0, description="How long a delete waits for an upload job or another write to finish before a 503."
    )
    max_concurrent_requests: int = Field(32, ge=1, description="Requests answered at once; more get 503.")
    page_cache_max_age_s: int = Field(
        3600, ge=1, description="Files sent to the chat page and not read since are deleted once this old."
    )
    body_read_timeout_s: float = Field(
        10.0, gt=0, description="A request body that pauses longer than this gets 408 (and holds no slot meanwhile)."
    )
    shutdown_grace_s: float = Field(
        10.0,
        gt=0,
        description="On SIGTERM, connections still open this long after are closed (an open chat page "
        "keeps one), so the server stops before a process manager's SIGKILL.",
    )

    @field_validator("chroma_url", "llm_base_url", "llm_api_key")
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("chroma_url", "llm_base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None:
            parsed = urlparse(value)
            if parsed.scheme not in ("http", "https") or not parsed.hostname:
                raise ValueError(f"must look like http://host:port, got {value!r}")
        return value

    @field_validator("data_dir", "corpus_dir", "model_cache_dir")
    @classmethod
    def _not_a_file(cls, value: Path) -> Path:
        if value.exists() and not value.is_dir():
            raise ValueError(f"{value} is a file; name a folder")
        return value

    @field_validator("max_bodies_mb")
    @classmethod
    def _holds_one_upload(cls, value: float, info: ValidationInfo) -> float:
        largest = info.data.get("max_upload_mb")
        if largest is not None and value < largest:
            raise ValueError(f"{value:g} MB is less than one upload of ASSISTANT_MAX_UPLOAD_MB ({largest:g} MB), "
                             "which could then never be read; raise it")  # fmt: skip
        return value

    @field_validator("api_keys", "cors_origins", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @property
    def upload_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"


def load_settings(**overrides: object) -> Settings:
    """``Settings`` from the environment and ``.env``, with a bad value reported as a
    ``SettingsError`` naming the variable to fix, not as a validation traceback."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        problems = []
        for item in error.errors():
            field = str(item["loc"][0]) if item["loc"] else "?"
            message = str(item["msg"]).removeprefix("Value error, ")
            problems.append(f"ASSISTANT_{field.upper()}: {message}")
        raise SettingsError("Bad setting: " + "; ".join(problems) + ". Fix it in the environment or in .env.") from None
