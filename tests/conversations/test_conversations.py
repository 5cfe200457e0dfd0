"""Every conversation of tests/conversations/*.yml through the real servers (the session stack),
each turn checked against the catalogue and order data (harness.py). The benchmark
(scripts/benchmark-conversations) runs the same conversations and reports the share right."""

from __future__ import annotations

import pytest

from benchmarks.conversations import run_conversation
from tests.conversations.harness import Conversation, load_conversations

CONVERSATIONS = load_conversations()


def test_the_suite_is_big_and_bilingual_enough():
    # Issue 18: at least 80 conversations, a quarter in Chinese, a few mixed.
    languages = [c.language for c in CONVERSATIONS]
    assert len(CONVERSATIONS) >= 80
    assert languages.count("zh") >= len(CONVERSATIONS) / 4 - languages.count("mixed")
    assert languages.count("mixed") >= 3


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=[c.id for c in CONVERSATIONS])
def test_conversation(stack, conversation: Conversation):
    results = run_conversation(stack.url, stack.api_token, conversation, stack.identity_secret)
    wrong = [f"turn {r.index + 1} “{r.said}”: {'; '.join(r.failures)}\n    reply: {r.reply[:300]}"
             for r in results if not r.ok]
    assert not wrong, "\n".join(wrong)
