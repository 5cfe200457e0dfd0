"""Run with the Rasa environment's Python (tests/test_rasa_project.py does): checks that
rasa_ext.tokenizer.MixedChineseTokenizer gives every English example exactly the tokens of
WhitespaceTokenizer, and that every annotated entity in the Chinese data starts and ends on a token
boundary (else DIET cannot learn it). Prints the problems as JSON: {"english": [...], "chinese": [...]}.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import jieba
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.loading import load_data

from rasa_ext.tokenizer import MixedChineseTokenizer

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    jieba.setLogLevel(logging.WARNING)
    for dictionary in (REPO / "data" / "zh").glob("*"):
        jieba.load_userdict(str(dictionary))
    mixed = MixedChineseTokenizer(MixedChineseTokenizer.get_default_config(), None, None)
    whitespace = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    problems: dict[str, list[str]] = {"english": [], "chinese": []}
    english = [*sorted((REPO / "data" / "nlu").glob("*.yml")), REPO / "tests" / "nlu" / "unseen.yml"]
    for path in english:
        for message in load_data(str(path)).training_examples:
            ours = [(t.text, t.start) for t in mixed.tokenize(message, "text")]
            theirs = [(t.text, t.start) for t in whitespace.tokenize(message, "text")]
            if ours != theirs:
                problems["english"].append(f"{message.get('text')!r}: {ours} != {theirs}")
    for path in (REPO / "data" / "nlu" / "zh", REPO / "tests" / "nlu" / "unseen_zh.yml"):
        for message in load_data(str(path)).training_examples:
            tokens = mixed.tokenize(message, "text")
            starts, ends = {t.start for t in tokens}, {t.end for t in tokens}
            for entity in message.get("entities") or []:
                if entity["start"] not in starts or entity["end"] not in ends:
                    tokens_text = [t.text for t in tokens]
                    problems["chinese"].append(f"{message.get('text')!r}: {entity['value']!r} vs {tokens_text}")
    json.dump(problems, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
