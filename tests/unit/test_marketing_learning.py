"""The bandit in the simulator (fixed seeds) and the A/B statistics against known values."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from shop.config import ExperimentArm, ExperimentSettings
from shop.marketing import OfferCatalogue, load_marketing_settings
from shop.marketing import simulator as sim
from shop.marketing.bandit import ArmState, LinearBandit
from shop.marketing.experiments import (
    analyse,
    assign,
    bucket,
    newcombe_interval,
    obrien_fleming_boundary,
    sample_size_per_arm,
    stopping_decision,
    two_proportion_z,
    wilson_interval,
)


@pytest.fixture(scope="module")
def offers() -> OfferCatalogue:
    return OfferCatalogue.load(load_marketing_settings().offers)


@pytest.fixture(scope="module")
def customers(offers: OfferCatalogue) -> list[sim.SimCustomer]:
    return sim.simulated_customers(offers, 30_000, seed=7)


def test_the_bandit_converges_to_the_best_offer_and_beats_the_baselines(offers, customers):
    settings = load_marketing_settings().bandit
    bandit = sim.run("bandit", sim.BanditStrategy(settings.algorithm, settings.exploration), customers, seed=11)
    uniform = sim.run("uniform", sim.uniform, customers, seed=11)
    biggest = sim.run("biggest", sim.biggest_discount(offers), customers, seed=11)
    assert sim.share_of_best_choices(bandit, customers, last=5000) > 0.6
    assert sim.share_of_best_choices(uniform, customers, last=5000) < 0.3
    assert bandit.cumulative_regret[-1] < 0.5 * min(uniform.cumulative_regret[-1], biggest.cumulative_regret[-1])
    # Regret grows ever more slowly: the second half adds less than the first.
    half = len(customers) // 2
    assert bandit.cumulative_regret[-1] - bandit.cumulative_regret[half] < bandit.cumulative_regret[half]
    # Per segment, the arm chosen most in the last stretch is that segment's best arm.
    best = sim.best_arm_by_segment()
    recent = list(zip(customers[-5000:], bandit.arms[-5000:], strict=True))
    for segment in best:
        chosen = [arm for c, arm in recent if c.context.segment == segment and best[segment] in c.eligible]
        assert max(set(chosen), key=chosen.count) == best[segment], segment


def test_the_simulation_is_reproducible(offers):
    first = sim.simulated_customers(offers, 500, seed=3)
    again = sim.simulated_customers(offers, 500, seed=3)
    a = sim.run("a", sim.BanditStrategy("lints", 0.25), first, seed=5)
    b = sim.run("b", sim.BanditStrategy("lints", 0.25), again, seed=5)
    assert a.arms == b.arms and np.array_equal(a.conversions, b.conversions)


def test_linucb_prefers_the_rewarded_arm_and_breaks_ties_deterministically():
    bandit = LinearBandit("linucb", 0.1)
    x = np.array([1.0, 0.0])
    good, bad = ArmState.fresh(2, 1.0), ArmState.fresh(2, 1.0)
    assert bandit.choose(x, ["good", "bad"], [good, bad], np.random.default_rng(0)) == "good"  # tie: first
    for _ in range(50):
        good.pull(x)
        good.reward(x, 1.0)
        bad.pull(x)
    assert bandit.choose(x, ["bad", "good"], [bad, good], np.random.default_rng(0)) == "good"
    with pytest.raises(ValueError):
        bandit.choose(x, [], [], np.random.default_rng(0))


# Statistics -------------------------------------------------------------------------------
def test_assignment_is_deterministic_and_follows_the_split():
    settings = ExperimentSettings(name="exp", arms=(ExperimentArm("control", "plain", 0.2),
                                                    ExperimentArm("bandit", "bandit", 0.8)))
    assert bucket("exp", "C00001") == bucket("exp", "C00001") != bucket("other", "C00001")
    arms = [assign(settings, f"C{i:05d}").name for i in range(20_000)]
    assert arms[:50] == [assign(settings, f"C{i:05d}").name for i in range(50)]
    assert abs(arms.count("control") / len(arms) - 0.2) < 0.01


def test_wilson_interval_matches_the_textbook():
    low, high = wilson_interval(10, 100)
    assert low == pytest.approx(0.0552, abs=1e-4) and high == pytest.approx(0.1744, abs=1e-4)
    assert wilson_interval(0, 0) == (0.0, 1.0)
    assert wilson_interval(0, 50)[0] == pytest.approx(0.0, abs=1e-12)


def test_z_test_agrees_with_the_chi_square_test():
    z, p = two_proportion_z(60, 1000, 40, 1000)
    chi2, p_chi, _, _ = stats.chi2_contingency([[60, 940], [40, 960]], correction=False)
    assert p == pytest.approx(p_chi) and z * z == pytest.approx(chi2)
    low, high = newcombe_interval(60, 1000, 40, 1000)
    assert low < 0.02 < high and low > -0.01


def test_sample_size_and_stopping_rule():
    n = sample_size_per_arm(0.05, 0.02)
    assert 2000 < n < 2400   # the usual figure for 5% -> 7% at alpha 0.05, power 0.8
    assert obrien_fleming_boundary(0.25) == pytest.approx(2 * 1.959964, rel=1e-4)
    assert obrien_fleming_boundary(1.0) == pytest.approx(1.959964, rel=1e-4)
    assert stopping_decision(2.5, 0.25, 0.05).startswith("continue")
    assert stopping_decision(4.5, 0.25, 0.05) == "stop: better than control"
    assert stopping_decision(-2.1, 1.0, 0.05) == "stop: worse than control"
    assert stopping_decision(1.0, 1.0, 0.05) == "stop: no significant difference"


def test_analyse_reports_uplift_over_control():
    settings = ExperimentSettings(name="e", arms=(ExperimentArm("control", "plain", 0.5),
                                                  ExperimentArm("bandit", "bandit", 0.5)),
                                  baseline_rate=0.05, min_detectable_uplift=0.02)
    exposures = {f"c{i}": "control" for i in range(3000)} | {f"b{i}": "bandit" for i in range(3000)}
    converted = [f"c{i}" for i in range(150)] + [f"b{i}" for i in range(240)]
    result = analyse(settings, exposures, converted, {"b0": 100.0})
    control, bandit = result.arm("control"), result.arm("bandit")
    assert control.rate == pytest.approx(0.05) and bandit.rate == pytest.approx(0.08)
    assert bandit.uplift == pytest.approx(0.03) and bandit.uplift_ci_low > 0
    assert bandit.p_value < 0.001 and bandit.decision == "stop: better than control"
    assert bandit.revenue == 100.0 and control.decision == "control"
