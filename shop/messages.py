"""The message catalogue: every text the action server sends, per language (data/shop/messages.yml)."""

from __future__ import annotations

import string
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from shop.language import DEFAULT_LANGUAGE, LANGUAGES, normalise
from shop.yaml_file import load_mapping


class MessageCatalogError(ValueError):
    """The catalogue file is missing, unreadable or has a key without a text in every language."""


def placeholders(template: str) -> frozenset[str]:
    """The names of the ``{placeholders}`` in a format string."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


class Messages:
    """Texts by key and language; ``text("zh", "order.kept", order_id=...)``."""

    def __init__(self, texts: Mapping[str, Mapping[str, str]]) -> None:
        self._texts = {key: dict(by_language) for key, by_language in texts.items()}

    @classmethod
    def load(cls, path: str | Path) -> Messages:
        raw = load_mapping(path, "message catalogue", MessageCatalogError)
        if not raw or not all(isinstance(v, dict) for v in raw.values()):
            raise MessageCatalogError(f"message catalogue {path} must map keys to {{language: text}}")
        return cls({str(k): {str(lang): str(text) for lang, text in v.items()} for k, v in raw.items()})

    @property
    def keys(self) -> list[str]:
        return list(self._texts)

    def template(self, language: str, key: str) -> str:
        by_language = self._texts[key]  # an unknown key is a programming error: let it show
        return by_language.get(normalise(language)) or by_language[DEFAULT_LANGUAGE]

    def text(self, language: str, key: str, **values: Any) -> str:
        return self.template(language, key).format(**values)

    def problems(self) -> list[str]:
        """Keys missing a language, or whose languages disagree on the placeholders."""
        found = []
        for key, by_language in self._texts.items():
            missing = [lang for lang in LANGUAGES if not by_language.get(lang)]
            if missing:
                found.append(f"{key}: no text for {', '.join(missing)}")
                continue
            names = {lang: placeholders(by_language[lang]) for lang in LANGUAGES}
            if len(set(names.values())) > 1:
                found.append(f"{key}: placeholders differ {names}")
        return found


@lru_cache(maxsize=4)
def load_messages(path: str | Path) -> Messages:
    return Messages.load(path)
