"""shop.order_advice: one order against the shop's terms, with figures from the knowledge base."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from shop.order_advice import OrderAdvisor, OrderTerms, OrderTermsError, days_ago
from shop.orders import Order, OrderItem

DATA = Path(__file__).parents[2] / "data" / "shop"


def _order(status: str, ordered: str, delivered: str = "", price: float = 1200.0) -> Order:
    return Order("KE-123456", "C1", ordered, status, "standard", "", "", delivered, price,
                 (OrderItem("P00001", 1, price),))


@pytest.fixture(scope="module")
def advisor() -> OrderAdvisor:
    return OrderAdvisor(OrderTerms.load(DATA / "knowledge_base.yml"))


def test_the_terms_match_what_the_policy_texts_say():
    raw = yaml.safe_load((DATA / "knowledge_base.yml").read_text())
    terms = OrderTerms.load(DATA / "knowledge_base.yml")
    assert f"within {terms.return_window_days} days of delivery" in raw["topics"]["returns"]["overview"]
    warranty = " ".join(raw["topics"]["warranty"]["overview"].split())
    assert f"{terms.protection_plan_rate * 100:g}% of the item price" in warranty
    assert f"within {terms.protection_plan_window_days} days of purchase" in warranty


def test_return_window(advisor):
    inside = advisor.returns(_order("delivered", "2026-11-20", "2026-11-25"), date(2026, 12, 3))
    assert inside.days_since_delivery == 8 and inside.days_left == 22 and inside.within_window
    past = advisor.returns(_order("delivered", "2026-08-14", "2026-08-20"), date(2026, 12, 3))
    assert not past.within_window and past.days_since_delivery == 105
    assert advisor.returns(_order("shipped", "2026-11-13"), date(2026, 12, 3)).delivered is None


def test_processing_time_against_the_dispatch_promise(advisor):
    late = advisor.dispatch(_order("processing", "2026-11-19T18:42:07Z"), date(2026, 12, 3))
    assert late.business_days_processing == 10 and late.late
    fresh = advisor.dispatch(_order("processing", "2026-12-02T10:00:00Z"), date(2026, 12, 3))
    assert fresh.business_days_processing == 1 and not fresh.late
    assert advisor.dispatch(_order("shipped", "2026-11-19"), date(2026, 12, 3)) is None


def test_protection_plan_price_and_window(advisor):
    plan = advisor.protection_plan(1200.0, date(2026, 10, 22), date(2026, 12, 3))
    assert plan.price == 144.0 and plan.days_since_purchase == 42 and not plan.available
    assert advisor.protection_plan(500.0, date(2026, 11, 23), date(2026, 12, 3)).days_left == 20


@pytest.mark.parametrize("text, days", [("bought 6 weeks ago", 42), ("two days ago", 2), ("last month", 30),
                                        ("六周前买的", 42), ("3天前", 3), ("no date here", None)])
def test_days_ago(text, days):
    assert days_ago(text) == days


def test_a_knowledge_base_without_terms_is_an_error(tmp_path):
    path = tmp_path / "kb.yml"
    path.write_text("version: 1\n")
    with pytest.raises(OrderTermsError):
        OrderTerms.load(path)
