"""The shop's customers: identification by id or email, and marketing consent."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from shop.state import StateStore

_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")


@dataclass(frozen=True)
class Customer:
    customer_id: str
    first_name: str
    last_name: str
    email: str
    segment: str
    region: str
    age_band: str
    signup_date: str
    marketing_consent: bool


def find_email(text: str | None) -> str | None:
    """The first email address in the text, lower-cased."""
    if not text or not isinstance(text, str):
        return None
    match = _EMAIL_RE.search(text[:2000])
    return match.group(0).lower() if match else None


class CustomerDirectory:
    def __init__(self, customers_csv: Path, state: StateStore) -> None:
        self._state = state
        self._by_id: dict[str, Customer] = {}
        self._by_email: dict[str, str] = {}
        with open(customers_csv, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                customer = Customer(
                    customer_id=row["customer_id"],
                    first_name=row["first_name"],
                    last_name=row["last_name"],
                    email=row["email"].lower(),
                    segment=row["segment"],
                    region=row["region"],
                    age_band=row["age_band"],
                    signup_date=row["signup_date"],
                    marketing_consent=row["marketing_consent"].strip().lower() == "true",
                )
                self._by_id[customer.customer_id] = customer
                self._by_email[customer.email] = customer.customer_id

    def get(self, customer_id: str | None) -> Customer | None:
        """The profile, unless the customer had their data erased (then they are unknown here)."""
        if not customer_id or not isinstance(customer_id, str):
            return None
        customer = self._by_id.get(customer_id.strip().upper())
        if customer is None or self._state.is_erased(customer.customer_id):
            return None
        return customer

    def by_email(self, email: str | None) -> Customer | None:
        email = find_email(email)
        return self.get(self._by_email.get(email, "")) if email else None

    def marketing_consent(self, customer_id: str) -> bool:
        """Consent as it is now: a change made in chat wins over the seed data."""
        override = self._state.marketing_consent(customer_id)
        if override is not None:
            return override
        customer = self.get(customer_id)
        return bool(customer and customer.marketing_consent)

    def set_marketing_consent(self, customer_id: str, consent: bool) -> None:
        self._state.set_marketing_consent(customer_id, consent)
