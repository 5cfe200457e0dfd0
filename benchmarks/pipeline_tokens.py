"""The pipeline's tokens for benchmarks/encoders.py; run with the Rasa environment's Python.

The character n-grams that the pipeline's intent classifier reads (CountVectorsFeaturizer
`char_ngrams`) are counted over the tokens of `rasa_ext.tokenizer.MixedChineseTokenizer`: jieba's
words for Chinese, with the shop's dictionary. jieba and Rasa live in .venv-rasa only, so the
encoder benchmark (in .venv-actions, where the encoders are) asks this script for the tokens
instead of re-implementing the tokenizer. Reads a JSON list of texts on stdin, writes a JSON list
of token lists on stdout.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import jieba
from rasa.shared.nlu.training_data.message import Message

from rasa_ext.tokenizer import MixedChineseTokenizer

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    jieba.setLogLevel(logging.WARNING)
    # config.yml's `dictionary_path: data/zh`, loaded as tests/tokenizer_check.py does.
    for dictionary in sorted((REPO / "data" / "zh").glob("*")):
        jieba.load_userdict(str(dictionary))
    tokenizer = MixedChineseTokenizer(MixedChineseTokenizer.get_default_config(), None, None)
    texts = json.load(sys.stdin)
    tokens = [[t.text for t in tokenizer.tokenize(Message(data={"text": text}), "text")] for text in texts]
    json.dump(tokens, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
