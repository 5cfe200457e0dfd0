"""Disjoint linear contextual bandit: one ridge regression per arm, Thompson sampling or LinUCB.

Each arm keeps ``A = ridge * I + sum(x x^T)`` and ``b = sum(reward * x)``. A decision adds its
context to the chosen arm's ``A`` at once (reward 0 so far); a conversion that arrives later adds
``x`` to ``b``. Because the model is linear least squares, this delayed update is exact: the
posterior afterwards is what it would have been had the reward been known at decision time.

Both rules only need the score of each arm, ``x . theta``: LinUCB adds ``alpha * sqrt(x^T A^-1 x)``
to the mean, and Thompson sampling draws the score from its exact marginal
``N(x . mu, v^2 x^T A^-1 x)`` (sampling a whole ``theta`` would give the same distribution of
scores at d times the cost).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from shop.config import ALGORITHMS, BanditSettings


@dataclass
class ArmState:
    a: np.ndarray        # d x d
    b: np.ndarray        # d
    pulls: int = 0
    rewards: float = 0.0
    _a_inv: np.ndarray | None = field(default=None, repr=False, compare=False)

    @property
    def a_inv(self) -> np.ndarray:
        if self._a_inv is None:
            self._a_inv = np.linalg.inv(self.a)
        return self._a_inv

    @classmethod
    def fresh(cls, dimension: int, ridge: float) -> ArmState:
        return cls(np.eye(dimension) * ridge, np.zeros(dimension))

    def pull(self, x: np.ndarray) -> None:
        self.a += np.outer(x, x)
        if self._a_inv is not None:  # Sherman-Morrison keeps the inverse current in O(d^2)
            a_inv_x = self._a_inv @ x
            self._a_inv -= np.outer(a_inv_x, a_inv_x) / (1.0 + x @ a_inv_x)
        self.pulls += 1

    def reward(self, x: np.ndarray, reward: float) -> None:
        self.b += reward * x
        self.rewards += reward


class LinearBandit:
    """Chooses among arms by their contexts' scores; state lives in ``ArmState`` objects."""

    def __init__(self, algorithm: str = BanditSettings.algorithm,
                 exploration: float = BanditSettings.exploration) -> None:
        if algorithm not in ALGORITHMS:
            raise ValueError(f"unknown bandit algorithm {algorithm!r}")
        self.algorithm = algorithm
        self.exploration = exploration

    def scores(self, x: np.ndarray, states: Sequence[ArmState], rng: np.random.Generator) -> np.ndarray:
        means = np.empty(len(states))
        widths = np.empty(len(states))
        for i, state in enumerate(states):
            a_inv_x = state.a_inv @ x
            means[i] = a_inv_x @ state.b          # x . A^-1 b (A is symmetric)
            widths[i] = np.sqrt(max(float(x @ a_inv_x), 0.0))
        if self.algorithm == "linucb":
            return means + self.exploration * widths
        return rng.normal(means, self.exploration * widths + 1e-12)

    def choose(self, x: np.ndarray, arms: Sequence[str], states: Sequence[ArmState],
               rng: np.random.Generator) -> str:
        """The arm with the best score; ties go to the earlier arm, so LinUCB is deterministic."""
        if not arms:
            raise ValueError("no arms to choose from")
        return arms[int(np.argmax(self.scores(x, states, rng)))]
