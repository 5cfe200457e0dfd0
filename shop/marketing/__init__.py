"""Personal marketing offers: catalogue, consent and caps, coupons, bandit, experiments, reports.

Plain logic, no Rasa: the actions in actions/marketing.py call ``MarketingEngine``.
"""

from __future__ import annotations

from shop.config import MarketingSettings, Settings, load_marketing_settings
from shop.marketing.engine import NO_OFFER, CustomerLookup, Decision, MarketingEngine, OfferError, Redemption
from shop.marketing.history import ShoppingHistory
from shop.marketing.offers import Offer, OfferCatalogue, OfferContext
from shop.marketing.store import Coupon, MarketingStore

__all__ = [
    "NO_OFFER", "Coupon", "CustomerLookup", "Decision", "MarketingEngine", "MarketingSettings", "MarketingStore",
    "Offer", "OfferCatalogue", "OfferContext", "OfferError", "Redemption", "ShoppingHistory", "build_engine",
    "load_marketing_settings",
]


def build_engine(settings: Settings, customers: CustomerLookup,
                 marketing: MarketingSettings | None = None) -> MarketingEngine:
    """The engine over shop.yml's data files and ``marketing:`` section."""
    marketing = marketing or settings.marketing
    return MarketingEngine(marketing, OfferCatalogue.load(marketing.offers), MarketingStore(marketing.database_url),
                           customers, ShoppingHistory.load(settings.data.interactions))
