"""What the shop's interaction log says about a customer's cart and purchases.

"Items in the cart" here means products the customer added to the cart (data/shop/interactions.csv)
with no later purchase of the same product: the shop page's cart as the log knows it. A guest has
no cart the assistant can see, and needs none: guests get no offers.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path


class ShoppingHistory:
    def __init__(self, open_carts: dict[str, tuple[str, ...]], purchasers: set[str]) -> None:
        self._open_carts = open_carts
        self._purchasers = purchasers

    @classmethod
    def load(cls, interactions_csv: str | Path) -> ShoppingHistory:
        added: dict[str, dict[str, str]] = defaultdict(dict)     # customer -> product -> last add time
        bought: dict[str, dict[str, str]] = defaultdict(dict)    # customer -> product -> last purchase time
        with open(interactions_csv, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                target = added if row["event"] == "add_to_cart" else bought if row["event"] == "purchase" else None
                if target is not None:
                    customer, product, when = row["customer_id"], row["product_id"], row["timestamp"]
                    target[customer][product] = max(when, target[customer].get(product, ""))
        carts = {}
        for customer, products in added.items():
            waiting = tuple(sorted(p for p, when in products.items() if bought[customer].get(p, "") < when))
            if waiting:
                carts[customer] = waiting
        return cls(carts, {customer for customer, products in bought.items() if products})

    def open_cart(self, customer_id: str | None) -> tuple[str, ...]:
        return self._open_carts.get(customer_id or "", ())

    def has_purchased(self, customer_id: str | None) -> bool:
        return (customer_id or "") in self._purchasers
