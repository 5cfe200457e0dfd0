"""A/B experiments: deterministic assignment, conversion rates with intervals, tests, a stopping rule.

The unit is the customer: a customer is exposed from their first decision in the experiment and
converts if a purchase is attributed to any of their decisions. Customers are independent, which
the tests below need; decisions of one customer are not.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scipy import stats

from shop.config import ExperimentArm, ExperimentSettings


def bucket(experiment: str, customer_id: str) -> float:
    """A stable number in [0, 1) for this customer in this experiment (same on every server, every run)."""
    digest = hashlib.sha256(f"{experiment}:{customer_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def assign(settings: ExperimentSettings, customer_id: str) -> ExperimentArm:
    point = bucket(settings.name, customer_id)
    cumulative = 0.0
    for arm in settings.arms:
        cumulative += arm.share
        if point < cumulative:
            return arm
    return settings.arms[-1]  # rounding of shares that add up to 1


def wilson_interval(successes: int, trials: int, alpha: float = 0.05) -> tuple[float, float]:
    """Wilson score interval for a proportion; sensible at 0 or n successes, unlike the normal one."""
    if trials == 0:
        return (0.0, 1.0)
    z = stats.norm.ppf(1 - alpha / 2)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def newcombe_interval(k1: int, n1: int, k0: int, n0: int, alpha: float = 0.05) -> tuple[float, float]:
    """Newcombe's hybrid score interval for p1 - p0 (built from the two Wilson intervals)."""
    if n1 == 0 or n0 == 0:
        return (-1.0, 1.0)
    p1, p0 = k1 / n1, k0 / n0
    l1, u1 = wilson_interval(k1, n1, alpha)
    l0, u0 = wilson_interval(k0, n0, alpha)
    diff = p1 - p0
    return (diff - math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2), diff + math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2))


def two_proportion_z(k1: int, n1: int, k0: int, n0: int) -> tuple[float, float]:
    """Pooled two-proportion z statistic and its two-sided p-value."""
    if n1 == 0 or n0 == 0:
        return (0.0, 1.0)
    pooled = (k1 + k0) / (n1 + n0)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))
    if se == 0:
        return (0.0, 1.0)
    z = (k1 / n1 - k0 / n0) / se
    return (z, 2 * stats.norm.sf(abs(z)))


def sample_size_per_arm(baseline: float, uplift: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Customers per arm to detect an absolute uplift with a two-sided test at this power."""
    p1 = min(baseline + uplift, 0.999)
    z_a, z_b = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
    p_bar = (baseline + p1) / 2
    n = (z_a * math.sqrt(2 * p_bar * (1 - p_bar)) + z_b * math.sqrt(
        baseline * (1 - baseline) + p1 * (1 - p1))) ** 2 / (p1 - baseline) ** 2
    return math.ceil(n)


def obrien_fleming_boundary(information: float, alpha: float = 0.05) -> float:
    """|z| needed to stop at this fraction of the planned sample (Lan-DeMets O'Brien-Fleming shape).

    Early looks need overwhelming evidence, the final look almost the nominal level, so checking
    the dashboard every day does not inflate the false-positive rate the way naive peeking does.
    """
    information = min(max(information, 1e-9), 1.0)
    return float(stats.norm.ppf(1 - alpha / 2) / math.sqrt(information))


@dataclass(frozen=True)
class ArmResult:
    arm: str
    strategy: str
    customers: int
    conversions: int
    revenue: float
    rate: float
    ci_low: float
    ci_high: float
    # Against the control arm (None for the control itself or when there is none)
    uplift: float | None = None
    uplift_ci_low: float | None = None
    uplift_ci_high: float | None = None
    relative_uplift: float | None = None
    z: float | None = None
    p_value: float | None = None
    decision: str = ""


@dataclass(frozen=True)
class ExperimentResult:
    name: str
    arms: tuple[ArmResult, ...]
    required_per_arm: int
    alpha: float

    def arm(self, name: str) -> ArmResult | None:
        return next((arm for arm in self.arms if arm.arm == name), None)


def analyse(settings: ExperimentSettings, exposures: Mapping[str, str], conversions: Iterable[str],
            revenue: Mapping[str, float] | None = None) -> ExperimentResult:
    """Rates, intervals, uplift, test and stopping decision per arm.

    ``exposures``: customer id -> experiment arm; ``conversions``: customers who converted;
    ``revenue``: customer id -> attributed purchase total.
    """
    converted = set(conversions)
    revenue = revenue or {}
    counts: dict[str, list[float]] = {arm.name: [0, 0, 0.0] for arm in settings.arms}
    for customer, arm in exposures.items():
        if arm in counts:
            counts[arm][0] += 1
            counts[arm][1] += customer in converted
            counts[arm][2] += revenue.get(customer, 0.0)
    required = sample_size_per_arm(settings.baseline_rate, settings.min_detectable_uplift,
                                   settings.alpha, settings.power)
    # One control compared with several arms: Bonferroni keeps the family-wise error at alpha.
    treated = [arm for arm in settings.arms if arm is not settings.control]
    alpha = settings.alpha / max(1, len(treated))
    control = settings.control
    n0, k0 = (int(counts[control.name][0]), int(counts[control.name][1])) if control else (0, 0)
    results = []
    for arm in settings.arms:
        n, k, money = int(counts[arm.name][0]), int(counts[arm.name][1]), float(counts[arm.name][2])
        low, high = wilson_interval(k, n, alpha)
        base = dict(arm=arm.name, strategy=arm.strategy, customers=n, conversions=k, revenue=round(money, 2),
                    rate=k / n if n else 0.0, ci_low=low, ci_high=high)
        if control is None or arm is control:
            results.append(ArmResult(**base, decision="control" if arm is control else ""))
            continue
        z, p = two_proportion_z(k, n, k0, n0)
        d_low, d_high = newcombe_interval(k, n, k0, n0, alpha)
        uplift = (k / n if n else 0.0) - (k0 / n0 if n0 else 0.0)
        relative = uplift / (k0 / n0) if n0 and k0 else None
        information = min(n, n0) / required if required else 1.0
        results.append(ArmResult(**base, uplift=uplift, uplift_ci_low=d_low, uplift_ci_high=d_high,
                                 relative_uplift=relative, z=z, p_value=p,
                                 decision=stopping_decision(z, information, alpha)))
    return ExperimentResult(settings.name, tuple(results), required, settings.alpha)


def stopping_decision(z: float, information: float, alpha: float) -> str:
    """continue / stop: <arm> wins / stop: <arm> loses / stop: no difference."""
    boundary = obrien_fleming_boundary(information, alpha)
    if abs(z) >= boundary:
        return "stop: better than control" if z > 0 else "stop: worse than control"
    if information >= 1.0:
        return "stop: no significant difference"
    return f"continue ({information:.0%} of the planned sample; z must pass ±{boundary:.2f})"
