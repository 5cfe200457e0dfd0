"""The shop's logic objects, built once per action-server process from shop.yml."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from functools import lru_cache

from shop.catalog import Catalog
from shop.catalog_query import CatalogQuery
from shop.config import Settings, load_settings
from shop.currency import Currency
from shop.customers import CustomerDirectory
from shop.feedback import FeedbackLog
from shop.grounded.answerer import GroundedAnswerer
from shop.grounded.build import build_answerer
from shop.handoff import HelpDesk
from shop.knowledge import KnowledgeBase
from shop.marketing import MarketingEngine, build_engine
from shop.messages import Messages, load_messages
from shop.order_advice import OrderAdvisor, OrderTerms
from shop.orders import OrderBook
from shop.picks import ProductPicker
from shop.privacy import Privacy
from shop.rate_limits import RateLimiter
from shop.recommender import RecommenderService
from shop.state import StateStore
from shop.verification import Verifier


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
    answerer: GroundedAnswerer
    marketing: MarketingEngine
    privacy: Privacy
    messages: Messages
    currency: Currency
    help_desk: HelpDesk
    query: CatalogQuery
    advisor: OrderAdvisor
    verifier: Verifier
    limits: RateLimiter


_BUILD_LOCK = threading.Lock()
_WARM = threading.Event()
log = logging.getLogger(__name__)


def is_warm() -> bool:
    """Whether the services are built and the models loaded (the action server's readiness)."""
    return _WARM.is_set()


def services() -> Services:
    # The warm-up thread and the first action may ask at once; build only once.
    with _BUILD_LOCK:
        return _build()


def warm_up() -> None:
    """Builds the services and loads the models in the background as the action server starts, so
    the first shopper does not wait for the sentence encoder and the language model."""

    def run() -> None:
        try:
            built = services()
        except Exception:  # the actions report the same problem when they are called
            log.exception("Building the action server's services failed")
            return
        built.picker.recommender.get()  # loads the model now (and counts the load), not on the first recommendation
        try:
            built.answerer.warm_up()
        except Exception:  # the answerer falls back to the best passage: still ready to serve
            log.exception("Warming up the language model failed")
        _WARM.set()

    threading.Thread(target=run, name="warm-up", daemon=True).start()


@lru_cache(maxsize=1)
def _build() -> Services:
    settings = load_settings()
    state = StateStore(settings.state_url)
    catalog = Catalog.load(settings.data.products, settings.data.interactions, settings.data.products_zh)
    knowledge = KnowledgeBase.load(settings.data.knowledge_base, settings.data.knowledge_base_zh)
    recommender = RecommenderService(settings.recommender.artifact_dir, settings.recommender.reload_seconds)
    customers = CustomerDirectory(settings.data.customers, state)
    marketing = build_engine(settings, customers)
    messages = load_messages(settings.data.messages)
    currency = Currency(settings.yuan_per_dollar)
    return Services(
        settings=settings,
        state=state,
        catalog=catalog,
        knowledge=knowledge,
        orders=OrderBook(settings.data.orders, settings.data.order_items, state),
        customers=customers,
        picker=ProductPicker(catalog, recommender),
        feedback=FeedbackLog(state),
        answerer=build_answerer(settings.generator, knowledge, catalog, replies=messages.text,
                                price=lambda dollars: currency.price(dollars, "zh")),
        marketing=marketing,
        privacy=Privacy.from_settings(settings, state, marketing.store),
        messages=messages,
        currency=currency,
        help_desk=HelpDesk(state, settings),
        query=CatalogQuery.load(catalog, settings.data.query_terms, settings.data.query_terms_zh),
        advisor=OrderAdvisor(OrderTerms.load(settings.data.knowledge_base)),
        verifier=Verifier(state),
        limits=RateLimiter(state, settings.limits),
    )
