"""The committed shop data, read directly so tests can check replies against it."""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data" / "shop"
_PRODUCT_LINE = re.compile(r"^• (?P<name>.+?) — \$(?P<price>[\d,]+\.\d\d)", re.MULTILINE)


@lru_cache(maxsize=1)
def products_by_name() -> dict[str, dict[str, str]]:
    with open(DATA / "products.csv", newline="", encoding="utf-8") as handle:
        return {row["name"]: row for row in csv.DictReader(handle)}


@lru_cache(maxsize=1)
def orders() -> list[dict[str, str]]:
    with open(DATA / "orders.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def owner_of(order_id: str) -> str:
    return next(o["customer_id"] for o in orders() if o["order_id"] == order_id)


def orders_with_status(status: str) -> list[str]:
    return [o["order_id"] for o in orders() if o["status"] == status]


def listed_products(reply: str) -> list[tuple[dict[str, str], float]]:
    """The catalogue rows of the products a recommendation lists, with the price shown."""
    found = []
    for match in _PRODUCT_LINE.finditer(reply):
        row = products_by_name()[match.group("name")]
        found.append((row, float(match.group("price").replace(",", ""))))
    return found


def customer_email(customer_id: str) -> str:
    with open(DATA / "customers.csv", newline="", encoding="utf-8") as handle:
        return next(r["email"] for r in csv.DictReader(handle) if r["customer_id"] == customer_id)


def purchased_product_ids(customer_id: str) -> list[str]:
    ids = {o["order_id"] for o in orders() if o["customer_id"] == customer_id}
    with open(DATA / "order_items.csv", newline="", encoding="utf-8") as handle:
        return [r["product_id"] for r in csv.DictReader(handle) if r["order_id"] in ids]
