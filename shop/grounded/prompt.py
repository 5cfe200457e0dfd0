"""The prompt format, shared by training (shop.grounded.corpus) and generation (shop.grounded.lm).

A pretrained GPT-2 reads it as plain text; the shop's own small GPT-2 is trained on exactly this
layout, so changing it means retraining (the training fingerprint includes this file's version).
"""

from __future__ import annotations

from collections.abc import Sequence

PROMPT_VERSION = 1
ANSWER_MARK = "Answer:"
MAX_PASSAGE_CHARS = 700     # a product sheet is ~600 characters; cut anything longer
MAX_HISTORY_CHARS = 200     # per earlier turn: enough to resolve "it", short enough to stay cheap


def build_prompt(question: str, passages: Sequence[str], history: Sequence[tuple[str, str]] = ()) -> str:
    """Passages first (the model copies from them), then recent turns, then the question."""
    lines = ["Facts:"]
    lines += [f"[{i}] {_clip(text, MAX_PASSAGE_CHARS)}" for i, text in enumerate(passages, 1)]
    for speaker, text in history:
        lines.append(f"{speaker}: {_clip(text, MAX_HISTORY_CHARS)}")
    lines.append(f"Question: {_clip(question, MAX_HISTORY_CHARS * 2)}")
    lines.append(ANSWER_MARK)
    return "\n".join(lines)


def _clip(text: str, limit: int) -> str:
    text = " ".join(str(text).split())  # newlines would break the layout
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
