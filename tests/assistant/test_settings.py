"""Every setting with a value that cannot work is refused by name, before anything opens."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.settings import Settings, load_settings
from core.errors import SettingsError

BAD = {
    "chroma_url": ("localhost:8001", "must look like http://host:port, got 'localhost:8001'"),
    "collection": ("x", "String should have at least 3 characters"),
    "top_k": ("0", "Input should be greater than or equal to 1"),
    "candidate_pool": ("0", "Input should be greater than or equal to 1"),
    "min_relevance": ("high", "Input should be a valid number, unable to parse string as a number"),
    "retrieval": ("bm25", "Input should be 'dense' or 'hybrid'"),
    "answer_sentences": ("11", "Input should be less than or equal to 10"),
    "chunk_tokens": ("512", "Input should be less than or equal to 256"),
    "embed_headings": ("maybe", "Input should be a valid boolean, unable to interpret input"),
    "embedding_backend": ("gpu", "Input should be 'torch', 'onnx' or 'onnx-int8'"),
    "embed_batch_size": ("0", "Input should be greater than or equal to 1"),
    "llm_base_url": ("ollama", "must look like http://host:port, got 'ollama'"),
    "llm_timeout_s": ("0", "Input should be greater than 0"),
    "llm_temperature": ("3", "Input should be less than or equal to 2"),
    "llm_max_tokens": ("8", "Input should be greater than or equal to 16"),
    "unsupported_sentences": ("hide", "Input should be 'flag' or 'drop'"),
    "max_question_chars": ("5", "Input should be greater than or equal to 10"),
    "max_history_turns": ("-1", "Input should be greater than or equal to 0"),
    "max_upload_mb": ("0", "Input should be greater than 0"),
    "max_upload_files": ("0", "Input should be greater than or equal to 1"),
    "max_bodies_mb": (
        "5",
        "5 MB is less than one upload of ASSISTANT_MAX_UPLOAD_MB (20 MB), which could then never be read; raise it",
    ),
    "write_wait_s": ("-2", "Input should be greater than 0"),
    "max_concurrent_requests": ("0", "Input should be greater than or equal to 1"),
    "body_read_timeout_s": ("never", "Input should be a valid number, unable to parse string as a number"),
    "page_cache_max_age_s": ("0", "Input should be greater than or equal to 1"),
    "shutdown_grace_s": ("0", "Input should be greater than 0"),
}
# Folders: a file in their place is refused (see the test below); any text is a valid
# model name, key or origin (a keys file is read, and checked, by tests/ui/test_keys.py).
FREE = {"data_dir", "corpus_dir", "model_cache_dir", "llm_model", "llm_api_key", "api_key", "api_keys", "api_keys_file",
        "cors_origins"}  # fmt: skip


def test_every_setting_is_covered() -> None:
    assert set(BAD) | FREE == set(Settings.model_fields)


@pytest.mark.parametrize(("name", "bad", "message"), [(n, *v) for n, v in BAD.items()], ids=list(BAD))
def test_a_bad_value_names_its_variable(monkeypatch: pytest.MonkeyPatch, name: str, bad: str, message: str) -> None:
    monkeypatch.setenv(f"ASSISTANT_{name.upper()}", bad)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert str(raised.value) == (
        f"Bad setting: ASSISTANT_{name.upper()}: {message}. Fix it in the environment or in .env."
    )


@pytest.mark.parametrize("name", ["data_dir", "corpus_dir", "model_cache_dir"])
def test_a_file_where_a_folder_belongs_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str) -> None:
    afile = tmp_path / "notes.txt"
    afile.write_text("x")
    monkeypatch.setenv(f"ASSISTANT_{name.upper()}", str(afile))
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert str(raised.value) == (
        f"Bad setting: ASSISTANT_{name.upper()}: {afile} is a file; name a folder. Fix it in the environment or in .env."
    )
