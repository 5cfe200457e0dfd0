"""Who the shopper is, as the channels pass it on: a signed token checked here, nothing taken on trust.

The shop's site (or its backend) sends a JWT with the conversation, in the message metadata under
``token``: HS256 with a secret shared with the shop (``SHOP_IDENTITY_SECRET``), or RS256 signed with
the shop's private key and checked with its public key (``SHOP_IDENTITY_PUBLIC_KEY``, a PEM file).
Claims: ``sub`` = the customer id, ``exp`` = expiry (required). PyJWT checks the signature, the
algorithm (only the configured one: no ``none``, no HS/RS confusion) and the expiry.

Every channel hands the message metadata through :meth:`Identity.metadata`, which returns a fresh
dict with only what the actions may use:
- ``verified_customer_id``: the token's subject, when the token is valid (actions/session.py links
  the account from it); a client cannot set this key itself, since every key it sent is dropped;
- ``client``: a keyed digest of the client's network address, for the rate limits (shop/rate_limits.py),
  so that no address is stored in the conversations.
A missing, malformed, forged or expired token leaves the shopper anonymous; the refusal is logged
with its reason, never with the token.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt

logger = logging.getLogger(__name__)

SECRET_ENV = "SHOP_IDENTITY_SECRET"
PUBLIC_KEY_ENV = "SHOP_IDENTITY_PUBLIC_KEY"
# A JWT with a customer id and an expiry is ~200 characters; a metadata object far bigger is not the
# shop's, and parsing or storing it must stay cheap (it is stored with every message).
MAX_TOKEN_CHARS = 2048
MAX_METADATA_CHARS = 4096
# Tokens from the shop's clock a few seconds ahead still count.
CLOCK_LEEWAY_SECONDS = 30
MAX_CUSTOMER_ID_CHARS = 32  # the state store's customer id column


@dataclass(frozen=True)
class Identity:
    """The shop's token-checking key: a shared secret (HS256) or a public key (RS256), or neither."""

    secret: str = ""
    public_key: str = ""

    @classmethod
    def from_env(cls) -> Identity:
        key_file = os.environ.get(PUBLIC_KEY_ENV, "")
        public_key = Path(key_file).read_text(encoding="ascii") if key_file else ""
        return cls(secret=os.environ.get(SECRET_ENV, ""), public_key=public_key)

    @property
    def enabled(self) -> bool:
        return bool(self.secret or self.public_key)

    def customer_id(self, token: Any) -> str | None:
        """The customer a valid token names; None (and a log line with the reason) otherwise."""
        if not isinstance(token, str) or not token:
            return None
        if not self.enabled:
            logger.warning("Ignoring an identity token: no %s or %s is configured", SECRET_ENV, PUBLIC_KEY_ENV)
            return None
        if len(token) > MAX_TOKEN_CHARS:
            logger.warning("Refused an identity token: longer than %s characters", MAX_TOKEN_CHARS)
            return None
        key, algorithm = (self.public_key, "RS256") if self.public_key else (self.secret, "HS256")
        try:
            claims = jwt.decode(token, key, algorithms=[algorithm], leeway=CLOCK_LEEWAY_SECONDS,
                                options={"require": ["exp", "sub"]})
        except jwt.PyJWTError as exc:
            logger.warning("Refused an identity token: %s", type(exc).__name__)
            return None
        subject = claims.get("sub")
        if not isinstance(subject, str) or not 0 < len(subject) <= MAX_CUSTOMER_ID_CHARS:
            logger.warning("Refused an identity token: its subject is not a customer id")
            return None
        return subject.strip().upper()

    def client_digest(self, address: str | None) -> str | None:
        """A digest of the client's address, keyed so that it cannot be reversed by trying addresses."""
        if not address:
            return None
        key = (self.secret or self.public_key or "kestrel").encode()
        return hmac.new(key, address.encode("utf-8", "replace"), hashlib.sha256).hexdigest()[:24]

    def metadata(self, raw: Any, client_address: str | None) -> dict[str, Any]:
        """The metadata the actions get: the verified customer and the client digest, nothing else."""
        clean: dict[str, Any] = {}
        client = self.client_digest(client_address)
        if client:
            clean["client"] = client
        if not isinstance(raw, dict) or not raw:
            return clean
        try:
            size = len(json.dumps(raw, ensure_ascii=False))
        except (TypeError, ValueError, RecursionError):
            size = MAX_METADATA_CHARS + 1
        if size > MAX_METADATA_CHARS:
            logger.warning("Ignored message metadata of more than %s characters", MAX_METADATA_CHARS)
            return clean
        customer_id = self.customer_id(raw.get("token"))
        if customer_id:
            clean["verified_customer_id"] = customer_id
        return clean
