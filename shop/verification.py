"""One-time codes that prove a shopper owns an email address (and so the account behind it).

A code is six random digits, mailed to the address; the conversation keeps only a salted scrypt hash
of it (shop/state.py), with the account it would link. It expires after ``CODE_TTL_SECONDS`` and
allows ``MAX_ATTEMPTS`` tries. An email without an account gets the same treatment without a mail
(the shopper is told the same either way), so the chat does not reveal who has an account. Codes
are never logged.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from shop.state import StateStore

CODE_DIGITS = 6
CODE_TTL_SECONDS = 600  # 10 minutes: long enough to open a mailbox, short for a guesser
MAX_ATTEMPTS = 5  # five tries in a million: a guesser's chance per code is 1 in 200,000
# scrypt with N=2**14, r=8 (16 MB): 110 ms per hash measured on the shared 2-core machine, so the
# million possible codes of one stolen hash cost hours of CPU, far beyond the code's 10 minutes,
# while a shopper waits a tenth of a second once.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "maxmem": 64 * 1024 * 1024, "dklen": 32}


class CodeOutcome(enum.Enum):
    VERIFIED = "verified"
    WRONG = "wrong"  # attempts remain
    LOCKED = "locked"  # the last attempt failed: the code is gone
    EXPIRED = "expired"
    NONE_PENDING = "none_pending"


@dataclass(frozen=True)
class CodeCheck:
    outcome: CodeOutcome
    customer_id: str | None = None
    attempts_left: int = 0


def _hash(code: str, salt: bytes) -> bytes:
    return hashlib.scrypt(code.encode("ascii"), salt=salt, **_SCRYPT)


def normalise_code(text: str | None) -> str | None:
    """The six digits of a typed code ("482 913", "482913"), or None."""
    if not isinstance(text, str):
        return None
    digits = "".join(ch for ch in text[:40] if ch.isdigit())
    return digits if len(digits) == CODE_DIGITS else None


class Verifier:
    def __init__(self, state: StateStore, clock: Callable[[], float] = time.time) -> None:
        self._state = state
        self._clock = clock

    def issue(self, sender_id: str, customer_id: str | None) -> str:
        """A new code for the conversation (replacing any pending one); the caller mails it."""
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        salt = secrets.token_bytes(16)
        stored = f"{salt.hex()}${_hash(code, salt).hex()}"
        self._state.put_code(sender_id, customer_id, stored, self._clock() + CODE_TTL_SECONDS)
        return code

    def discard(self, sender_id: str) -> None:
        self._state.drop_code(sender_id)

    def check(self, sender_id: str, typed: str) -> CodeCheck:
        row = self._state.pending_code(sender_id)
        if row is None:
            return CodeCheck(CodeOutcome.NONE_PENDING)
        customer_id, stored, expires_at, attempts = row
        if expires_at <= self._clock():
            self._state.drop_code(sender_id)
            return CodeCheck(CodeOutcome.EXPIRED)
        salt_hex, _, digest_hex = stored.partition("$")
        code = normalise_code(typed) or ""
        matches = bool(code) and hmac.compare_digest(_hash(code, bytes.fromhex(salt_hex)).hex(), digest_hex)
        if matches and customer_id:
            self._state.drop_code(sender_id)
            return CodeCheck(CodeOutcome.VERIFIED, customer_id)
        if attempts + 1 >= MAX_ATTEMPTS:
            self._state.drop_code(sender_id)
            return CodeCheck(CodeOutcome.LOCKED)
        self._state.count_code_attempt(sender_id)
        return CodeCheck(CodeOutcome.WRONG, attempts_left=MAX_ATTEMPTS - attempts - 1)
