"""The shop's logic objects, built once per action-server process from shop.yml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from shop.catalog import Catalog
from shop.config import Settings, load_settings
from shop.customers import CustomerDirectory
from shop.knowledge import KnowledgeBase
from shop.orders import OrderBook
from shop.state import StateStore


@dataclass(frozen=True)
class Services:
    settings: Settings
    state: StateStore
    catalog: Catalog
    knowledge: KnowledgeBase
    orders: OrderBook
    customers: CustomerDirectory


@lru_cache(maxsize=1)
def services() -> Services:
    settings = load_settings()
    state = StateStore(settings.state_db)
    return Services(
        settings=settings,
        state=state,
        catalog=Catalog.load(settings.data.products, settings.data.interactions),
        knowledge=KnowledgeBase.load(settings.data.knowledge_base),
        orders=OrderBook(settings.data.orders, settings.data.order_items, state),
        customers=CustomerDirectory(settings.data.customers, state),
    )
