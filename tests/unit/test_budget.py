import pytest

from shop.budget import BudgetRange, parse_budget


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("under $500", (None, 500)),
        ("below 500 dollars", (None, 500)),
        ("less than 1k", (None, 1000)),
        ("no more than 1,200", (None, 1200)),
        ("max 1.5k", (None, 1500)),
        ("500 or less", (None, 500)),
        ("$300", (None, 300)),
        ("2 grand", (None, 2000)),
        ("over $1000", (1000, None)),
        ("at least 200", (200, None)),
        ("500+", (500, None)),
        ("between 200 and 400", (200, 400)),
        ("between 400 and 200", (200, 400)),
        ("from 300 to 600", (300, 600)),
        ("$200 to $400", (200, 400)),
        ("200-400", (200, 400)),
        ("1-2k", (1000, 2000)),
        ("around 800 bucks", (640, 960)),
        ("about 1000", (800, 1200)),
        ("an iphone 15 under 800", (None, 800)),
    ],
)
def test_budget_phrases_become_ranges(text, expected):
    budget = parse_budget(text)
    assert budget is not None
    assert (budget.min_price, budget.max_price) == expected


@pytest.mark.parametrize("text", ["no limit", "money is no object", "doesn't matter", "anything"])
def test_no_limit_is_an_unlimited_budget(text):
    assert parse_budget(text) == BudgetRange()
    assert parse_budget(text).unlimited


@pytest.mark.parametrize(
    "text", [None, "", "hello", "🙂🙂", "'; DROP TABLE products; --", "99999999", "0", "x" * 10_000]
)
def test_no_budget_in_text(text):
    assert parse_budget(text) is None


def test_range_contains_and_describe():
    budget = BudgetRange(200, 400)
    assert budget.contains(200) and budget.contains(400) and not budget.contains(401)
    assert budget.describe() == "between $200 and $400"
    assert BudgetRange(None, 500).describe() == "up to $500"
    assert BudgetRange(1000, None).describe() == "from $1,000"
    assert BudgetRange().describe() == "with no price limit"
