"""Orders: look-up, ownership checks, status descriptions and cancellation."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from urllib.parse import quote

from shop.state import StateStore

CANCELLABLE_STATUS = "processing"

# The carriers' public tracking pages (the shop ships with these four).
TRACKING_PAGES = {
    "UPS": "https://www.ups.com/track?tracknum={number}",
    "FedEx": "https://www.fedex.com/fedextrack/?trknbr={number}",
    "USPS": "https://tools.usps.com/go/TrackConfirmAction?tLabels={number}",
    "Canada Post": "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor={number}",
}


@dataclass(frozen=True)
class OrderItem:
    product_id: str
    quantity: int
    unit_price: float


@dataclass(frozen=True)
class Order:
    order_id: str
    customer_id: str
    order_date: str
    status: str
    shipping_method: str
    carrier: str
    tracking_number: str
    delivered_date: str
    total: float
    items: tuple[OrderItem, ...]

    @property
    def cancellable(self) -> bool:
        return self.status == CANCELLABLE_STATUS

    @property
    def tracking_url(self) -> str | None:
        """The carrier's tracking page for this parcel, when it has shipped with a known carrier."""
        page = TRACKING_PAGES.get(self.carrier)
        if page is None or not self.tracking_number:
            return None
        return page.format(number=quote(self.tracking_number, safe=""))


class CancelOutcome(Enum):
    CANCELLED = "cancelled"
    NOT_FOUND = "not_found"
    NOT_YOURS = "not_yours"
    NOT_CANCELLABLE = "not_cancellable"


class OrderBook:
    """The shop's orders (seed CSVs) with the status changes made since (state store)."""

    def __init__(self, orders_csv: Path, items_csv: Path, state: StateStore) -> None:
        self._state = state
        items: dict[str, list[OrderItem]] = defaultdict(list)
        with open(items_csv, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                items[row["order_id"]].append(
                    OrderItem(row["product_id"], int(row["quantity"]), float(row["unit_price"]))
                )
        self._orders: dict[str, Order] = {}
        self._by_customer: dict[str, list[str]] = defaultdict(list)
        with open(orders_csv, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                order = Order(
                    order_id=row["order_id"],
                    customer_id=row["customer_id"],
                    order_date=row["order_date"],
                    status=row["status"],
                    shipping_method=row["shipping_method"],
                    carrier=row.get("carrier") or "",
                    tracking_number=row.get("tracking_number") or "",
                    delivered_date=row.get("delivered_date") or "",
                    total=float(row["total"]),
                    items=tuple(items.get(row["order_id"], ())),
                )
                self._orders[order.order_id] = order
                self._by_customer[order.customer_id].append(order.order_id)

    def get(self, order_id: str | None) -> Order | None:
        if not order_id:
            return None
        order = self._orders.get(order_id.upper())
        if order is None:
            return None
        override = self._state.order_status_override(order.order_id)
        return replace(order, status=override) if override else order

    def for_customer(self, customer_id: str | None, limit: int = 5) -> list[Order]:
        """The customer's most recent orders first."""
        if not customer_id:
            return []
        ids = self._by_customer.get(customer_id, [])
        orders = [self.get(order_id) for order_id in ids]
        orders = [order for order in orders if order is not None]
        return sorted(orders, key=lambda order: order.order_date, reverse=True)[:limit]

    def cancel(self, order_id: str, customer_id: str | None = None) -> tuple[CancelOutcome, Order | None]:
        """Cancels an order that is still processing; anything else is refused with a reason."""
        order = self.get(order_id)
        if order is None:
            return CancelOutcome.NOT_FOUND, None
        if customer_id and order.customer_id != customer_id:
            return CancelOutcome.NOT_YOURS, None
        if not order.cancellable:
            return CancelOutcome.NOT_CANCELLABLE, order
        self._state.set_order_status(order.order_id, "cancelled", reason="cancelled by customer in chat")
        return CancelOutcome.CANCELLED, replace(order, status="cancelled")
