"""Identity tokens and what the channels pass on (rasa_ext/identity.py), one-time codes
(shop/verification.py) and rate limits (shop/rate_limits.py) on a real SQLite state store."""

from __future__ import annotations

import subprocess
import time

import jwt
import pytest

from rasa_ext.identity import MAX_METADATA_CHARS, Identity
from shop.rate_limits import Limit, RateLimiter, RateLimitSettings
from shop.state import StateStore
from shop.verification import MAX_ATTEMPTS, CodeOutcome, Verifier
from tests.servers import RASA_PY, REPO

SECRET = "s" * 32


def token(sub: str = "c00001", lifetime: int = 600, key: str = SECRET, **claims) -> str:
    return jwt.encode({"sub": sub, "exp": int(time.time()) + lifetime, **claims}, key, algorithm="HS256")


def test_only_a_valid_token_names_a_customer_and_other_keys_are_dropped():
    identity = Identity(secret=SECRET)
    clean = identity.metadata({"token": token(), "customer_id": "C00002", "email": "x@y.org"}, "10.0.0.1")
    assert clean["verified_customer_id"] == "C00001" and set(clean) == {"verified_customer_id", "client"}
    assert "10.0.0.1" not in str(clean)
    for bad in (token(lifetime=-600), token(key="other" * 8), "not.a.jwt", 42, token(sub="")):
        assert "verified_customer_id" not in identity.metadata({"token": bad}, None)
    no_expiry = jwt.encode({"sub": "C00001"}, SECRET, algorithm="HS256")
    assert identity.customer_id(no_expiry) is None
    assert identity.metadata({"token": token(), "pad": "x" * MAX_METADATA_CHARS}, None) == {}
    assert Identity().customer_id(token()) is None  # no key configured: nobody is verified


RS256_CHECK = """
import time, jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from rasa_ext.identity import Identity
key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                       serialization.PublicFormat.SubjectPublicKeyInfo).decode()
identity = Identity(public_key=public)
exp = int(time.time()) + 600
assert identity.customer_id(jwt.encode({"sub": "C00001", "exp": exp}, key, algorithm="RS256")) == "C00001"
other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
assert identity.customer_id(jwt.encode({"sub": "C00001", "exp": exp}, other, algorithm="RS256")) is None
print("ok")
"""


def test_rs256_tokens_are_checked_with_the_shops_public_key():
    """In the Rasa environment, where the channels run (it has the cryptography package RS256 needs)."""
    result = subprocess.run([str(RASA_PY), "-c", RS256_CHECK], cwd=REPO, capture_output=True, text=True,
                            timeout=120)
    assert result.stdout.strip() == "ok", result.stderr[-2000:]


@pytest.fixture
def state(tmp_path):
    store = StateStore(tmp_path / "state.db")
    yield store
    store.close()


def test_codes_verify_once_expire_and_lock_after_five_attempts(state):
    clock = [1000.0]
    verifier = Verifier(state, clock=lambda: clock[0])
    code = verifier.issue("rest:a", "C00001")
    assert code not in str(state.pending_code("rest:a"))  # only a hash is stored
    assert verifier.check("rest:a", "999999" if code != "999999" else "000000").outcome is CodeOutcome.WRONG
    assert verifier.check("rest:a", code).customer_id == "C00001"
    assert verifier.check("rest:a", code).outcome is CodeOutcome.NONE_PENDING  # used up

    code = verifier.issue("rest:b", "C00001")
    outcomes = [verifier.check("rest:b", "x").outcome for _ in range(MAX_ATTEMPTS)]
    assert outcomes[-1] is CodeOutcome.LOCKED and verifier.check("rest:b", code).outcome is CodeOutcome.NONE_PENDING

    code = verifier.issue("rest:c", None)  # an email without an account: no code can match
    assert verifier.check("rest:c", code).outcome is CodeOutcome.WRONG
    code = verifier.issue("rest:d", "C00001")
    clock[0] += 601
    assert verifier.check("rest:d", code).outcome is CodeOutcome.EXPIRED


def test_rate_limits_slide_and_are_shared_through_the_database(state, tmp_path):
    clock = [0.0]
    settings = RateLimitSettings(lookups_per_conversation=Limit(2, 60))
    first = RateLimiter(state, settings, clock=lambda: clock[0])
    other_process = RateLimiter(StateStore(tmp_path / "state.db"), settings, clock=lambda: clock[0])
    assert first.allow_lookup("rest:a", None) and other_process.allow_lookup("rest:a", None)
    assert not first.allow_lookup("rest:a", None)
    assert first.allow_lookup("rest:b", None)
    clock[0] += 61
    assert other_process.allow_lookup("rest:a", None)
    assert [line["action"] for line in state.audit_lines()] == ["rate_limited"]
