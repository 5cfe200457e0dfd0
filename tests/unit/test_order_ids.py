import pytest

from shop.order_ids import looks_like_order_attempt, parse_order_id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("KE-104233", "KE-104233"),
        ("my order is ke104233", "KE-104233"),
        ("order KE 104233 please", "KE-104233"),
        ("#104233", "KE-104233"),
        ("it's 104233", "KE-104233"),
    ],
)
def test_order_ids_are_canonicalised(text, expected):
    assert parse_order_id(text) == expected


@pytest.mark.parametrize("text", [None, "", "KE-12", "KE-1042331", "1234567", "hello", "🙂", "x" * 10_000])
def test_not_an_order_id(text):
    assert parse_order_id(text) is None


def test_bare_digits_need_a_prefix_when_required():
    assert parse_order_id("call me at 104233", require_prefix=True) is None
    assert parse_order_id("KE-104233", require_prefix=True) == "KE-104233"


@pytest.mark.parametrize("text", ["KE-12", "ke-abc", "#99", "order 12345", "'; DROP TABLE orders; -- 123"])
def test_malformed_attempts_are_recognised(text):
    assert looks_like_order_attempt(text)


@pytest.mark.parametrize("text", ["KE-104233", "how much is shipping", "", None])
def test_valid_ids_and_prose_are_not_attempts(text):
    assert not looks_like_order_attempt(text)
