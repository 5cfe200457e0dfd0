"""Rate limits on what an attacker would repeat: order look-ups, code requests, failed verifications.

Each limit counts events in a sliding window per key (the conversation, the client address, the email),
in the shared state store (shop/state.py), so that several action-server processes enforce one limit.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable

# The limits are settings (``identity.limits``), typed and checked in shop/config.py; re-exported here.
from shop.config import Limit, RateLimitSettings
from shop.state import StateStore

__all__ = ["Limit", "RateLimitSettings", "RateLimiter"]

logger = logging.getLogger(__name__)


def _key(kind: str, scope: str, value: str) -> str:
    # Emails and addresses are personal data: the key holds a digest, never the value.
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]
    return f"{kind}:{scope}:{digest}"


class RateLimiter:
    def __init__(self, state: StateStore, settings: RateLimitSettings | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self._state = state
        self.settings = settings or RateLimitSettings()
        self._clock = clock

    def _take(self, kind: str, scopes: list[tuple[str, str | None, Limit]], sender_id: str) -> bool:
        """Counts one event in every scope; False (and an audit line) when one of them is over."""
        now = self._clock()
        for scope, value, limit in scopes:
            if not value:
                continue
            if not self._state.hit(_key(kind, scope, value), limit.count, limit.window_seconds, now):
                logger.warning("rate limit: %s per %s exceeded (%s in %.0f s)", kind, scope, limit.count,
                               limit.window_seconds)
                self._state.audit("rate_limited", "-", sender_id[:64], f"{kind} per {scope}")
                return False
        return True

    def allow_lookup(self, sender_id: str, client: str | None) -> bool:
        s = self.settings
        return self._take("lookup", [("conversation", sender_id, s.lookups_per_conversation),
                                     ("client", client, s.lookups_per_client)], sender_id)

    def allow_code(self, sender_id: str, client: str | None, email: str) -> bool:
        s = self.settings
        return self._take("code", [("email", email.lower(), s.codes_per_email),
                                   ("conversation", sender_id, s.codes_per_conversation),
                                   ("client", client, s.codes_per_client)], sender_id)

    def may_verify(self, sender_id: str, client: str | None) -> bool:
        """Whether this conversation and client may still try a code (failures under their limits)."""
        s, now = self.settings, self._clock()
        for scope, value, limit in (("conversation", sender_id, s.failures_per_conversation),
                                    ("client", client, s.failures_per_client)):
            if value and self._state.count_hits(_key("failure", scope, value), limit.window_seconds, now) \
                    >= limit.count:
                self._state.audit("rate_limited", "-", sender_id[:64], f"verification per {scope}")
                return False
        return True

    def record_failure(self, sender_id: str, client: str | None) -> None:
        s, now = self.settings, self._clock()
        for scope, value, limit in (("conversation", sender_id, s.failures_per_conversation),
                                    ("client", client, s.failures_per_client)):
            if value:
                # Counted even past the limit (hit() refuses then): may_verify() already said no.
                self._state.hit(_key("failure", scope, value), limit.count + 1, limit.window_seconds, now)
