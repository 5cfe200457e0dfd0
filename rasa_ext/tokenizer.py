"""One tokenizer for English and Chinese messages (Rasa 3.6 allows one tokenizer per pipeline).

Rasa's WhitespaceTokenizer finds no word boundaries in Chinese ("我想买手机" is one token), and its
JiebaTokenizer treats English differently from the WhitespaceTokenizer the English data was tuned on
(every space and punctuation mark becomes a token). This one splits the text exactly as the
WhitespaceTokenizer does, then cuts each run of Chinese characters inside a word into jieba's words
(with the shop's user dictionary: brands, product terms), so English messages get exactly the tokens
they always had. reports/languages.md compares it with JiebaTokenizer and a Chinese-only model.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

# CJK Unified Ideographs and extension A, as in shop.language.
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_WORD_CHAR = re.compile(r"\w")
# Punctuation left at the edges of a non-Chinese piece ("，6000" after "预算" was cut away); currency
# signs and "#"/"@" stay in front, as the WhitespaceTokenizer keeps them ("$500", "#KE-100002").
_LEADING_PUNCTUATION = re.compile(r"^[^\w$¥￥€£#@]+")
_TRAILING_PUNCTUATION = re.compile(r"[^\w%]+$")


class _WhitespaceKeepingChinese(WhitespaceTokenizer):
    """Rasa's WhitespaceTokenizer drops every word that its emoji pattern matches in full, and that
    pattern's range U+24C2..U+1F251 covers all Chinese characters ("笔记本" would vanish)."""

    def remove_emoji(self, text: str) -> str:
        return text if _HAN_RUN.search(text) else super().remove_emoji(text)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class MixedChineseTokenizer(JiebaTokenizer):
    """WhitespaceTokenizer's tokens, with Chinese runs cut by jieba.

    Inherits from JiebaTokenizer only for the user dictionaries (`dictionary_path`: a folder whose
    files jieba loads; they are copied into the model, so a trained model needs no data/ folder).
    """

    @staticmethod
    def supported_languages() -> list[str] | None:
        return None  # any: English and Chinese in one model

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**WhitespaceTokenizer.get_default_config(), **JiebaTokenizer.get_default_config()}

    def __init__(self, config: dict[str, Any], *args: Any) -> None:
        super().__init__(config, *args)
        self._whitespace = _WhitespaceKeepingChinese(config)

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        tokens: list[Token] = []
        for token in self._whitespace.tokenize(message, attribute):
            if _HAN_RUN.search(token.text):
                tokens.extend(self._split_mixed(token))
            else:
                tokens.append(token)
        return self._apply_token_pattern(tokens)

    def _split_mixed(self, token: Token) -> list[Token]:
        """Jieba's words for the Chinese runs of a token; the rest ("iPhone15", "KE-100002", "$500")
        as the WhitespaceTokenizer splits it, without the punctuation between them."""
        import jieba

        pieces: list[Token] = []
        position = 0
        for run in _HAN_RUN.finditer(token.text):
            pieces.extend(self._split_other(token.text[position : run.start()], token.start + position))
            for word, start, _ in jieba.tokenize(run.group()):
                pieces.append(Token(word, token.start + run.start() + start))
            position = run.end()
        pieces.extend(self._split_other(token.text[position:], token.start + position))
        return pieces

    def _split_other(self, text: str, offset: int) -> list[Token]:
        if not _WORD_CHAR.search(text):
            return []  # punctuation only ("，", ",", "?"): no token, as between English words
        tokens = []
        for word in self._whitespace.tokenize(Message(data={TEXT: text}), TEXT):
            leading = _LEADING_PUNCTUATION.search(word.text)
            trailing = _TRAILING_PUNCTUATION.search(word.text)
            start = word.start + (len(leading[0]) if leading else 0)
            end = word.end - (len(trailing[0]) if trailing else 0)
            if start < end:
                tokens.append(Token(text[start:end], offset + start))
        return tokens
