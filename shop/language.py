"""Which language a shopper's message is written in: English or Chinese.

Pure standard library, because both environments import it: the Rasa server's NLU component
(Python 3.10) sets the `language` slot from it, and the action server (Python 3.11) falls back
to it when the slot is not set yet.
"""

from __future__ import annotations

import re
from typing import Literal

Language = Literal["en", "zh"]
LANGUAGES: tuple[Language, ...] = ("en", "zh")
DEFAULT_LANGUAGE: Language = "en"

# CJK Unified Ideographs (and extension A), plus the full-width punctuation Chinese typists use.
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# One English word is enough to switch only when it is plainly conversational; a lone
# "iPhone" or "OK" typed by a Chinese-speaking shopper says nothing about their language.
_ENGLISH_ONE_WORD = frozenset(
    "hi hello hey thanks thank thx bye goodbye yes yeah yep no nope nah please help sorry".split()
)


def detect(text: str | None) -> Language | None:
    """The language of `text`, or None when it gives no clear signal (numbers, a model name,
    a button payload such as "/affirm"), so that the conversation keeps its current language."""
    if not text or text.startswith("/"):
        return None
    if _HAN.search(text):
        return "zh"
    words = _LATIN_WORD.findall(text)
    if len(words) >= 2 or (len(words) == 1 and words[0].lower() in _ENGLISH_ONE_WORD):
        return "en"
    return None


def normalise(language: object) -> Language:
    """A supported language code from a slot value ("zh", "zh-CN", None, ...)."""
    code = str(language or "").strip().lower()[:2]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE  # type: ignore[return-value]
