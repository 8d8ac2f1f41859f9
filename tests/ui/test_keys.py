"""Keys scoped to collections: the keys file, read as the server reads it at start."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.settings import Settings
from core.errors import SettingsError
from ui.keys import ALL, Access, KeyRing


def ring(tmp_path: Path, scopes: object, plain: list[str] | None = None) -> KeyRing:
    path = tmp_path / "keys.json"
    path.write_text(scopes if isinstance(scopes, str) else json.dumps(scopes), encoding="utf-8")
    return KeyRing.from_settings(Settings(api_keys=plain or [], api_keys_file=path))


def test_each_key_reaches_what_its_scope_names(tmp_path: Path) -> None:
    keys = ring(tmp_path, {"bot-key": {"read": ["hr"]}, "editor-key": {"write": ["hr"]},
                           "ops-key": {"read": ["*"], "write": ["default"]}}, plain=["admin-key"])  # fmt: skip
    assert keys.required
    assert keys.lookup("admin-key") is ALL
    bot, editor, ops = keys.lookup("bot-key"), keys.lookup("editor-key"), keys.lookup("ops-key")
    assert bot == Access(frozenset({"hr"}), frozenset())
    assert (bot.can_read("hr"), bot.can_write("hr"), bot.can_read("default")) == (True, False, False)  # type: ignore[union-attr]
    assert (editor.can_read("hr"), editor.can_write("hr"), editor.can_read("default")) == (True, True, False)  # type: ignore[union-attr]
    assert ops.readable(["default", "hr", "legal"]) == ["default", "hr", "legal"]  # type: ignore[union-attr]
    assert (ops.can_write("default"), ops.can_write("hr")) == (True, False)  # type: ignore[union-attr]
    assert keys.lookup("bot-ke") is None and keys.lookup("") is None


def test_no_keys_means_an_open_server() -> None:
    assert KeyRing.from_settings(Settings()).required is False


@pytest.mark.parametrize(
    ("scopes", "message"),
    [
        ("{not json", "is not valid JSON (Expecting property name enclosed in double quotes: line 1 column 2 (char 1))."),
        ([], 'must hold a JSON object from key to scope, e.g. {"KEY": {"read": ["hr-handbook"], "write": []}}.'),
        ({"bot-key": ["hr"]}, 'the key starting \'bot-\' must map to {"read": [...], "write": [...]} (either may be '
         "left out, not both)."),
        ({"bot-key": {"reads": ["hr"]}}, 'the key starting \'bot-\' must map to {"read": [...], "write": [...]} '
         "(either may be left out, not both)."),
        ({"bot-key": {"read": "hr"}}, 'the key starting \'bot-\': "read" must be a list of collection names (or "*").'),
        ({"bot-key": {"write": ["HR"]}}, "the key starting 'bot-': 'HR' cannot name a collection: use 1-32 lowercase "
         "letters, digits and hyphens, starting and ending with a letter or digit (e.g. hr-handbook)."),
        ({"bot key": {"read": ["hr"]}}, "the key starting 'bot ' is empty or holds spaces or commas; use a plain token."),
    ],
    ids=["not-json", "not-an-object", "scope-a-list", "unknown-field", "names-not-a-list", "bad-name", "space"],
)  # fmt: skip
def test_a_bad_keys_file_says_what_to_fix(tmp_path: Path, scopes: object, message: str) -> None:
    with pytest.raises(SettingsError) as refused:
        ring(tmp_path, scopes)
    assert str(refused.value) == f"ASSISTANT_API_KEYS_FILE ({tmp_path / 'keys.json'}) {message}".replace(
        ") the", "): the"
    )


def test_a_key_given_twice_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as refused:
        ring(tmp_path, {"admin-key": {"read": ["hr"]}}, plain=["admin-key"])
    assert str(refused.value) == ("An API key is listed twice (it starts with 'admi'); give each key once, in "
                                  "ASSISTANT_API_KEYS or in ASSISTANT_API_KEYS_FILE.")  # fmt: skip


def test_a_missing_keys_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as refused:
        KeyRing.from_settings(Settings(api_keys_file=tmp_path / "nope.json"))
    assert (
        str(refused.value)
        == f"ASSISTANT_API_KEYS_FILE ({tmp_path / 'nope.json'}) cannot be read: No such file or directory."
    )
