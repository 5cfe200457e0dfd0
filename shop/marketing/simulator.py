"""A shop with known truth: simulated customers whose conversion rate per segment x offer is fixed.

Used by the benchmark (scripts/benchmark-marketing) and by the tests that check the bandit finds
the best offer. Strategies see only what production sees (segment, decision point, first purchase,
cart band, which offers are eligible) and learn from Bernoulli conversions; regret is measured
against the true rates, so it is expected regret, free of the coin flips' noise.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from shop.config import BanditSettings
from shop.marketing.bandit import ArmState, LinearBandit
from shop.marketing.engine import NO_OFFER
from shop.marketing.features import DIMENSION, feature_vector
from shop.marketing.offers import OfferCatalogue, OfferContext

# True conversion rates (a purchase within the attribution window) per segment and arm. Each
# segment has a different best offer, and the biggest discount is best for only one of them.
TRUE_RATES: dict[str, dict[str, float]] = {
    "bargain_hunter":  {NO_OFFER: 0.030, "pct10": 0.060, "pct20_over300": 0.050, "fixed25_over150": 0.072,
                        "free_express": 0.040, "bundle_audio": 0.045, "student12": 0.060, "first_order15": 0.065},
    "family":          {NO_OFFER: 0.040, "pct10": 0.055, "pct20_over300": 0.045, "fixed25_over150": 0.068,
                        "free_express": 0.050, "bundle_audio": 0.060, "student12": 0.055, "first_order15": 0.062},
    "gamer":           {NO_OFFER: 0.045, "pct10": 0.055, "pct20_over300": 0.078, "fixed25_over150": 0.060,
                        "free_express": 0.055, "bundle_audio": 0.065, "student12": 0.055, "first_order15": 0.065},
    "professional":    {NO_OFFER: 0.050, "pct10": 0.055, "pct20_over300": 0.060, "fixed25_over150": 0.052,
                        "free_express": 0.078, "bundle_audio": 0.058, "student12": 0.055, "first_order15": 0.062},
    "student":         {NO_OFFER: 0.030, "pct10": 0.050, "pct20_over300": 0.035, "fixed25_over150": 0.050,
                        "free_express": 0.038, "bundle_audio": 0.045, "student12": 0.082, "first_order15": 0.065},
    "tech_enthusiast": {NO_OFFER: 0.055, "pct10": 0.060, "pct20_over300": 0.070, "fixed25_over150": 0.058,
                        "free_express": 0.065, "bundle_audio": 0.088, "student12": 0.060, "first_order15": 0.065},
}
# Shares of the shop's customers (data/shop/customers.csv).
SEGMENT_SHARES = {"bargain_hunter": 0.233, "family": 0.178, "gamer": 0.132, "professional": 0.176,
                  "student": 0.134, "tech_enthusiast": 0.147}
# Where decisions happen, and how much more likely a purchase is there (the same for every arm).
POINT_SHARES = {"promotions": 0.2, "recommendation": 0.45, "price_objection": 0.15, "leaving": 0.2}
POINT_LIFT = {"promotions": 0.9, "recommendation": 1.0, "price_objection": 1.15, "leaving": 1.3}
CATEGORIES = ("phones", "laptops", "tablets", "headphones", "smartwatches", "cameras", "tvs", "accessories")
FIRST_PURCHASE_SHARE = 0.2
SIM_DAY = date(2026, 12, 1)  # every offer in data/shop/offers.yml is valid then


@dataclass(frozen=True)
class SimCustomer:
    context: OfferContext
    point: str
    eligible: tuple[str, ...]            # arms that may be chosen, no_offer last
    rates: np.ndarray                    # true conversion rate of each eligible arm


def true_rate(segment: str, arm: str, point: str) -> float:
    return min(1.0, TRUE_RATES[segment][arm] * POINT_LIFT[point])


def simulated_customers(offers: OfferCatalogue, n: int, seed: int) -> list[SimCustomer]:
    rng = np.random.default_rng(seed)
    segments = rng.choice(list(SEGMENT_SHARES), size=n, p=np.array(list(SEGMENT_SHARES.values())) / 1.0)
    points = rng.choice(list(POINT_SHARES), size=n, p=list(POINT_SHARES.values()))
    first = rng.random(n) < FIRST_PURCHASE_SHARE
    categories = rng.choice(CATEGORIES, size=n)
    carts = np.where(points == "leaving", rng.lognormal(5.3, 0.8, size=n), 0.0)
    customers = []
    known: dict[tuple, tuple[tuple[str, ...], np.ndarray]] = {}  # eligibility and rates repeat: compute once
    for i in range(n):
        context = OfferContext(segment=str(segments[i]), first_purchase=bool(first[i]),
                               categories=(str(categories[i]),), cart_value=float(round(carts[i], 2)))
        key = (context.segment, context.first_purchase, context.categories, str(points[i]))
        if key not in known:
            eligible = tuple(o.offer_id for o in offers.eligible(context, SIM_DAY, {}) if o.offer_id in
                             TRUE_RATES[context.segment]) + (NO_OFFER,)
            known[key] = (eligible, np.array([true_rate(context.segment, arm, str(points[i])) for arm in eligible]))
        eligible, rates = known[key]
        customers.append(SimCustomer(context, str(points[i]), eligible, rates))
    return customers


Strategy = Callable[[SimCustomer, np.random.Generator], int]


@dataclass
class BanditStrategy:
    """The production bandit (same features, same scoring) learning online from simulated outcomes."""

    algorithm: str = BanditSettings.algorithm
    exploration: float = BanditSettings.exploration
    ridge: float = BanditSettings.ridge
    states: dict[str, ArmState] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.bandit = LinearBandit(self.algorithm, self.exploration)
        self._x: np.ndarray | None = None

    def _state(self, arm: str) -> ArmState:
        if arm not in self.states:
            self.states[arm] = ArmState.fresh(DIMENSION, self.ridge)
        return self.states[arm]

    def __call__(self, customer: SimCustomer, rng: np.random.Generator) -> int:
        self._x = feature_vector(customer.context, customer.point)
        scores = self.bandit.scores(self._x, [self._state(arm) for arm in customer.eligible], rng)
        return int(np.argmax(scores))

    def learn(self, customer: SimCustomer, choice: int, converted: bool) -> None:
        state = self._state(customer.eligible[choice])
        state.pull(self._x)
        if converted:
            state.reward(self._x, 1.0)


def uniform(customer: SimCustomer, rng: np.random.Generator) -> int:
    return int(rng.integers(len(customer.eligible)))


def no_offer(customer: SimCustomer, rng: np.random.Generator) -> int:
    return len(customer.eligible) - 1


def oracle(customer: SimCustomer, rng: np.random.Generator) -> int:
    return int(np.argmax(customer.rates))


def biggest_discount(offers: OfferCatalogue) -> Strategy:
    def choose(customer: SimCustomer, rng: np.random.Generator) -> int:
        values = [offers.get(arm).nominal_discount(customer.context.cart_value) if arm != NO_OFFER else -1.0
                  for arm in customer.eligible]
        return int(np.argmax(values))
    return choose


@dataclass
class RunResult:
    name: str
    chosen_rates: np.ndarray        # true rate of the arm chosen for each customer
    best_rates: np.ndarray          # true rate of the best eligible arm
    baseline_rates: np.ndarray      # true rate of no offer
    conversions: np.ndarray         # simulated outcomes (0/1)
    arms: list[str]

    @property
    def cumulative_regret(self) -> np.ndarray:
        return np.cumsum(self.best_rates - self.chosen_rates)

    @property
    def expected_conversion_rate(self) -> float:
        return float(self.chosen_rates.mean())

    @property
    def uplift_vs_no_offer(self) -> float:
        """Relative gain in expected conversions over showing no offer to the same customers."""
        return float(self.chosen_rates.sum() / self.baseline_rates.sum() - 1)


def run(name: str, strategy: Strategy | BanditStrategy, customers: Sequence[SimCustomer], seed: int) -> RunResult:
    rng = np.random.default_rng(seed)
    n = len(customers)
    chosen, best, baseline, outcomes, arms = (np.empty(n), np.empty(n), np.empty(n), np.zeros(n, dtype=np.int8), [])
    learner = strategy if isinstance(strategy, BanditStrategy) else None
    for i, customer in enumerate(customers):
        choice = strategy(customer, rng)
        converted = bool(rng.random() < customer.rates[choice])
        if learner is not None:
            learner.learn(customer, choice, converted)
        chosen[i], best[i], baseline[i] = customer.rates[choice], customer.rates.max(), customer.rates[-1]
        outcomes[i] = converted
        arms.append(customer.eligible[choice])
    return RunResult(name, chosen, best, baseline, outcomes, arms)


def best_arm_by_segment() -> dict[str, str]:
    """The best offer per segment when every offer is eligible (the truth the bandit should find)."""
    return {segment: max(rates, key=rates.get) for segment, rates in TRUE_RATES.items()}


def share_of_best_choices(result: RunResult, customers: Sequence[SimCustomer], last: int) -> float:
    """How often the last ``last`` choices were the best eligible arm."""
    pairs = zip(customers[-last:], result.arms[-last:], strict=True)
    hits = [c.eligible[int(np.argmax(c.rates))] == arm for c, arm in pairs]
    return float(np.mean(hits))

