"""Masks personal data (emails, phone numbers, card numbers with their security code and expiry,
social security numbers, street addresses) in text.

Used where text leaves the conversation turn: log records of both servers and the conversation
events Rasa stores. Plain ``re`` so the Rasa server (Python 3.10) can import it too.
"""

from __future__ import annotations

import logging
import re
from typing import Any

# Linear in the text: a match may start only where a run of address characters starts (the
# look-behind), and the domain's labels are split on dots, so no run is scanned twice. Without the
# look-behind every position of a long run started a scan to its end (quadratic: 40 kB took 9 s).
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# 13-19 digits, optionally grouped by spaces, dots or dashes; masked only when the Luhn check passes,
# so long order or product numbers stay readable.
_CARD_CANDIDATE = re.compile(r"(?<![\w.-])\d(?:[ .-]?\d){12,18}(?![\w-]|\.\d)")
# US social security numbers: 3-2-4 digits with dashes or spaces (bare nine digits are too common).
SSN = re.compile(r"(?<![\w-])\d{3}([- ])\d{2}\1\d{4}(?![\w-])")
# A card's security code and expiry, recognised by the word before them ("CVV 123", "exp 04/27").
CARD_SECRETS = re.compile(
    r"\b(?:cvv2?|cvc2?|csc|security code|card code|exp(?:iry|iration|ires)?(?: date)?|valid thru)"
    r"[\s:.#=-]{0,3}(?:is\s+)?(?:\d{3,4}(?!\d)|\d{1,2}\s?[/-]\s?\d{2,4}(?!\d))",
    re.IGNORECASE,
)
# North American numbers (the shop serves the US and Canada), with or without +1, and other
# international numbers written with a leading +.
PHONE = re.compile(
    r"(?<![\w+])(?:\+?1[\s.-]?)?(?:\(\d{3}\)|\d{3})[\s.-]?\d{3}[\s.-]?\d{4}(?!\w)"
    r"|(?<![\w+])\+\d{1,3}(?:[\s.-]?\d{2,4}){2,5}(?!\w)"
)
_STREET_TYPES = (
    r"street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|"
    r"terrace|parkway|pkwy|crescent|cres|highway|hwy|circle|cir|square|sq|trail|trl"
)
ADDRESS = re.compile(
    rf"\b\d{{1,6}}(?:\s+[A-Za-z][A-Za-z'.-]*){{1,4}}\s+(?:{_STREET_TYPES})\b\.?"
    r"(?:,?\s*(?:apt|apartment|suite|unit|#)\.?\s*\w+)?",
    re.IGNORECASE,
)
# Not inside a code of our own: ticket "KT-C5C1C4" has the shape of a postal code.
CANADIAN_POSTAL_CODE = re.compile(r"(?<![\w-])[A-Za-z]\d[A-Za-z][ -]?\d[A-Za-z]\d(?![\w-])")

_DIGIT = re.compile(r"\d")

EMAIL_MASK, PHONE_MASK, CARD_MASK, ADDRESS_MASK = "[email]", "[phone]", "[card]", "[address]"
SSN_MASK = "[ssn]"


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _mask_card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return CARD_MASK if _luhn_ok(digits) else match.group(0)


def mask_text(text: str) -> str:
    """The text with personal data replaced by placeholders ([email], [card], [ssn], [phone], [address]).

    Every pattern is linear in the text (1 MB in well under a second: tests/unit/test_pii.py)."""
    if not text or not isinstance(text, str):
        return text
    # Each pattern needs an "@" or a digit: a C-speed scan for them spares prose the patterns' work.
    if "@" in text:
        text = EMAIL.sub(EMAIL_MASK, text)
    if _DIGIT.search(text):
        text = CARD_SECRETS.sub(CARD_MASK, text)
        text = _CARD_CANDIDATE.sub(_mask_card, text)  # before phones: a card number contains phone-like runs
        text = SSN.sub(SSN_MASK, text)
        text = PHONE.sub(PHONE_MASK, text)
        text = ADDRESS.sub(ADDRESS_MASK, text)
        text = CANADIAN_POSTAL_CODE.sub(ADDRESS_MASK, text)
    return text


MASKED_VALUE = "[masked]"


def mask_data(value: Any) -> Any:
    """Every string inside a JSON-like value masked (dict keys are kept).

    An entity taken from a masked part of its message ("Baker Street" out of "221 Baker Street",
    "4111" out of a card number) is masked too: on its own it matches no pattern, but it is a piece
    of what the message's masking removed."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        masked = {key: mask_data(item) for key, item in value.items()}
        text = value.get("text")
        if isinstance(text, str) and isinstance(value.get("entities"), list) and masked.get("text") != text:
            masked["entities"] = [_mask_entity(entity, text, masked["text"]) for entity in masked["entities"]]
        return masked
    if isinstance(value, list):
        return [mask_data(item) for item in value]
    return value


class TurnMasker:
    """Masks one conversation's events in order: every string as ``mask_data`` does, and a slot value
    taken from a masked part of the latest user message (an SSN read as a budget, a street name as an
    address slot), which on its own matches no pattern."""

    def __init__(self) -> None:
        self._text = self._masked = ""

    def mask(self, event: dict[str, Any]) -> dict[str, Any]:
        masked = mask_data(event)
        if event.get("event") == "user" and isinstance(event.get("text"), str):
            self._text, self._masked = event["text"], str(masked.get("text") or "")
        elif event.get("event") == "slot" and isinstance(event.get("value"), str):
            value = event["value"]
            if value and value in self._text and value not in self._masked:
                masked["value"] = MASKED_VALUE
        return masked


def _mask_entity(entity: Any, text: str, masked_text: str) -> Any:
    if not isinstance(entity, dict):
        return entity
    start, end = entity.get("start"), entity.get("end")
    span = text[start:end] if isinstance(start, int) and isinstance(end, int) else str(entity.get("value", ""))
    if span and span not in masked_text:
        return {**entity, "value": MASKED_VALUE}
    return entity


class MaskingFilter(logging.Filter):
    """A logging filter that masks personal data in a record's message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a malformed record is logged as it is
            return True
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


_installed = False


def install_log_masking() -> None:
    """Masks personal data in every log record of this process, whatever handler writes it.

    A record factory rather than a handler filter: handlers are added by Rasa, rasa-sdk and
    Sanic at different times, while every record passes through the factory.
    """
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()
    masking = MaskingFilter()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        masking.filter(record)
        return record

    logging.setLogRecordFactory(factory)
    _installed = True
