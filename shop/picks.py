"""What to show a shopper who asked for recommendations: the personal model first, catalogue search as the fallback."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from shop.catalog import Catalog, Product
from shop.recommender import Recommendation, Recommender, RecommenderService, UserProfile
from shop.recommender.explain import label

log = logging.getLogger(__name__)

CATEGORY_LABELS = {
    "phones": "phones", "laptops": "laptops", "tablets": "tablets", "headphones": "headphones",
    "smartwatches": "smartwatches", "cameras": "cameras", "tvs": "TVs", "accessories": "accessories",
}


@dataclass(frozen=True)
class Pick:
    product: Product
    reason: str


@dataclass(frozen=True)
class Picks:
    items: list[Pick]
    personalised: bool  # False: the recommender was unavailable and the catalogue's best sellers stand in


@dataclass(frozen=True)
class Request:
    """What the shopper asked for; every filter is hard (never broken by a pick)."""

    customer_id: str | None = None
    category: str | None = None
    brand: str | None = None
    min_price: float | None = None
    max_price: float | None = None
    exclude_ids: tuple[str, ...] = ()
    segment: str | None = None
    region: str | None = None
    age_band: str | None = None


class ProductPicker:
    def __init__(self, catalog: Catalog, recommender: RecommenderService) -> None:
        self.catalog = catalog
        self.recommender = recommender

    def _model(self) -> Recommender | None:
        model = self.recommender.get()
        if model is None:
            log.warning("recommender unavailable (%s): showing popular products instead",
                        self.recommender.last_error or "no model loaded")
        return model

    def recommend(self, request: Request, k: int) -> Picks:
        model = self._model()
        if model is not None:
            profile = UserProfile(segment=request.segment, region=request.region, age_band=request.age_band)
            found = model.recommend(
                request.customer_id, profile, category=request.category, brand=request.brand,
                min_price=request.min_price, max_price=request.max_price, exclude_ids=request.exclude_ids, k=k,
            )
            return Picks(self._products(found), personalised=True)
        products = self.catalog.search(category=request.category, brand=request.brand,
                                       min_price=request.min_price, max_price=request.max_price,
                                       exclude_ids=request.exclude_ids, limit=k)
        return Picks([Pick(p, _popular_reason(p)) for p in products], personalised=False)

    def similar(self, product_id: str, exclude_ids: Iterable[str], k: int) -> Picks:
        """More like one product: nearest in the model's space, else same category and price range."""
        exclude = tuple(exclude_ids)
        model = self._model()
        if model is not None and model.has_item(product_id):
            return Picks(self._products(model.similar(product_id, k=k, exclude_ids=exclude)), personalised=True)
        anchor = self.catalog.get(product_id)
        if anchor is None:
            return Picks([], personalised=False)
        products = self.catalog.search(category=anchor.category, min_price=anchor.price * 0.7,
                                       max_price=anchor.price * 1.3, exclude_ids=(product_id, *exclude), limit=k)
        return Picks([Pick(p, f"similar to the {anchor.name}") for p in products], personalised=False)

    def last_purchase(self, customer_id: str | None) -> str | None:
        model = self.recommender.get()
        return None if model is None else model.latest_purchase(customer_id)

    def _products(self, found: list[Recommendation]) -> list[Pick]:
        # The catalogue is the source of truth for price and stock; the model's copy may be older.
        picks = []
        for rec in found:
            product = self.catalog.get(rec.product_id)
            if product is not None and product.in_stock:
                picks.append(Pick(product, rec.reason))
        return picks


def _popular_reason(product: Product) -> str:
    return f"a best seller in {label(product.category)}"
