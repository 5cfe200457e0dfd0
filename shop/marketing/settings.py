"""The ``marketing:`` section of shop.yml: caps, decision points, bandit, experiment and store."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shop.config import ConfigError, read_config

STRATEGIES = ("plain", "bandit", "uniform", "biggest_discount")
DECISION_POINTS = ("promotions", "recommendation", "price_objection", "leaving")
ALGORITHMS = ("lints", "linucb")


@dataclass(frozen=True)
class ExperimentArm:
    name: str
    strategy: str
    share: float


@dataclass(frozen=True)
class ExperimentSettings:
    name: str = "offers"
    arms: tuple[ExperimentArm, ...] = (
        ExperimentArm("control", "plain", 0.1),
        ExperimentArm("bandit", "bandit", 0.9),
    )
    alpha: float = 0.05
    power: float = 0.8
    baseline_rate: float = 0.05
    min_detectable_uplift: float = 0.02

    @property
    def control(self) -> ExperimentArm | None:
        """The arm the others are compared with: the first one on the plain strategy."""
        return next((arm for arm in self.arms if arm.strategy == "plain"), None)


@dataclass(frozen=True)
class BanditSettings:
    algorithm: str = "linucb"
    exploration: float = 0.5
    ridge: float = 1.0


@dataclass(frozen=True)
class MarketingSettings:
    database_url: str
    offers: Path
    max_offers_per_week: int = 2
    decision_points: tuple[str, ...] = DECISION_POINTS
    coupon_valid_days: int = 14
    attribution_days: int = 7
    bandit: BanditSettings = field(default_factory=BanditSettings)
    experiment: ExperimentSettings = field(default_factory=ExperimentSettings)


def database_url(value: str, base: Path) -> str:
    """A URL as given, or an SQLite URL for a file path; relative SQLite paths are relative to ``base``."""
    value = value.strip()
    if "://" not in value:
        path = Path(value)
        return f"sqlite:///{path if path.is_absolute() else base / path}"
    if value.startswith("sqlite:///") and value != "sqlite:///:memory:":
        path = Path(value.removeprefix("sqlite:///"))
        if not path.is_absolute():
            return f"sqlite:///{base / path}"
    return value


def load_marketing_settings(path: str | Path | None = None) -> MarketingSettings:
    """Reads ``marketing:`` from ``SHOP_CONFIG`` or shop.yml; every key has a default."""
    raw, config_path = read_config(path)
    try:
        return parse_marketing_settings(raw.get("marketing") or {}, config_path.parent)
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"settings file {config_path}: marketing section is invalid: {exc}") from exc


def parse_marketing_settings(raw: dict[str, Any], base: Path) -> MarketingSettings:
    offers = Path(os.environ.get("SHOP_OFFERS") or raw.get("offers", "data/shop/offers.yml"))
    bandit_raw = raw.get("bandit") or {}
    bandit = BanditSettings(
        algorithm=str(bandit_raw.get("algorithm", BanditSettings.algorithm)).lower(),
        exploration=float(bandit_raw.get("exploration", BanditSettings.exploration)),
        ridge=float(bandit_raw.get("ridge", 1.0)),
    )
    if bandit.algorithm not in ALGORITHMS:
        raise ValueError(f"bandit.algorithm must be one of {ALGORITHMS}, not {bandit.algorithm!r}")
    if bandit.exploration < 0 or bandit.ridge <= 0:
        raise ValueError("bandit.exploration must be >= 0 and bandit.ridge > 0")
    settings = MarketingSettings(
        database_url=database_url(os.environ.get("SHOP_MARKETING_DB") or raw.get("database", "var/marketing.db"),
                                  base),
        offers=offers if offers.is_absolute() else base / offers,
        max_offers_per_week=int(raw.get("max_offers_per_week", 2)),
        decision_points=tuple(raw.get("decision_points", DECISION_POINTS)),
        coupon_valid_days=int(raw.get("coupon_valid_days", 14)),
        attribution_days=int(raw.get("attribution_days", 7)),
        bandit=bandit,
        experiment=_experiment(raw.get("experiment") or {}),
    )
    unknown = set(settings.decision_points) - set(DECISION_POINTS)
    if unknown:
        raise ValueError(f"unknown decision points {sorted(unknown)}; known: {DECISION_POINTS}")
    if settings.max_offers_per_week < 0 or settings.coupon_valid_days < 1 or settings.attribution_days < 1:
        raise ValueError("max_offers_per_week must be >= 0, coupon_valid_days and attribution_days >= 1")
    return settings


def _experiment(raw: dict[str, Any]) -> ExperimentSettings:
    defaults = ExperimentSettings()
    arms = tuple(
        ExperimentArm(str(arm["name"]), str(arm["strategy"]), float(arm["share"])) for arm in raw.get("arms", [])
    ) or defaults.arms
    for arm in arms:
        if arm.strategy not in STRATEGIES:
            raise ValueError(f"experiment arm {arm.name!r}: strategy must be one of {STRATEGIES}")
        if arm.share < 0:
            raise ValueError(f"experiment arm {arm.name!r}: share must not be negative")
    if len({arm.name for arm in arms}) != len(arms):
        raise ValueError("experiment arm names must be unique")
    if abs(sum(arm.share for arm in arms) - 1.0) > 1e-6:
        raise ValueError(f"experiment arm shares must add up to 1, not {sum(arm.share for arm in arms):g}")
    experiment = ExperimentSettings(
        name=str(raw.get("name", defaults.name)),
        arms=arms,
        alpha=float(raw.get("alpha", defaults.alpha)),
        power=float(raw.get("power", defaults.power)),
        baseline_rate=float(raw.get("baseline_rate", defaults.baseline_rate)),
        min_detectable_uplift=float(raw.get("min_detectable_uplift", defaults.min_detectable_uplift)),
    )
    if not (0 < experiment.alpha < 1 and 0 < experiment.power < 1 and 0 < experiment.baseline_rate < 1
            and 0 < experiment.min_detectable_uplift < 1):
        raise ValueError("experiment alpha, power, baseline_rate and min_detectable_uplift must lie in (0, 1)")
    return experiment
