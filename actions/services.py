"""The shop's logic objects, built once per action-server process from shop.yml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from shop.catalog import Catalog
from shop.config import Settings, load_settings
from shop.customers import CustomerDirectory
from shop.feedback import FeedbackLog
from shop.knowledge import KnowledgeBase
from shop.orders import OrderBook
from shop.picks import ProductPicker
from shop.privacy import Privacy
from shop.recommender import RecommenderService
from shop.state import StateStore


@dataclass(frozen=True)
class Services:
    settings: Settings
    state: StateStore
    catalog: Catalog
    knowledge: KnowledgeBase
    orders: OrderBook
    customers: CustomerDirectory
    picker: ProductPicker
    feedback: FeedbackLog
    privacy: Privacy


@lru_cache(maxsize=1)
def services() -> Services:
    settings = load_settings()
    state = StateStore(settings.state_url)
    catalog = Catalog.load(settings.data.products, settings.data.interactions)
    recommender = RecommenderService(settings.recommender.artifact_dir, settings.recommender.reload_seconds)
    return Services(
        settings=settings,
        state=state,
        catalog=catalog,
        knowledge=KnowledgeBase.load(settings.data.knowledge_base),
        orders=OrderBook(settings.data.orders, settings.data.order_items, state),
        customers=CustomerDirectory(settings.data.customers, state),
        picker=ProductPicker(catalog, recommender),
        feedback=FeedbackLog(state),
        privacy=Privacy.from_settings(settings, state),
    )
