"""Personal offers: consent, caps, coupons, attribution, the store and its erasure (real SQLite files)."""

from __future__ import annotations

import dataclasses
import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from shop.config import ConfigError, ExperimentArm, load_marketing_settings, load_settings, parse_marketing_settings
from shop.customers import CustomerDirectory
from shop.marketing import NO_OFFER, MarketingEngine, MarketingStore, OfferCatalogue, OfferError, ShoppingHistory
from shop.marketing.offers import OfferCatalogueError, OfferContext, parse_offer
from shop.state import StateStore

NOW = datetime(2026, 12, 1, 12, 0)
CONSENTING = "C00001"   # tech_enthusiast, consent true in customers.csv
SHOP = load_settings()


def _customers_without_consent() -> str:
    import csv
    with open(SHOP.data.customers, newline="", encoding="utf-8") as handle:
        return next(r["customer_id"] for r in csv.DictReader(handle) if r["marketing_consent"] == "false")


@pytest.fixture(scope="module")
def history() -> ShoppingHistory:
    return ShoppingHistory.load(SHOP.data.interactions)


@pytest.fixture
def make_engine(tmp_path: Path, history: ShoppingHistory):
    state = StateStore(tmp_path / "state.db")
    customers = CustomerDirectory(SHOP.data.customers, state)
    base = load_marketing_settings()

    def build(arms: tuple[ExperimentArm, ...] = (ExperimentArm("all", "bandit", 1.0),), **changes) -> MarketingEngine:
        experiment = dataclasses.replace(base.experiment, arms=arms)
        settings = dataclasses.replace(base, database_url=f"sqlite:///{tmp_path / 'marketing.db'}",
                                       experiment=experiment, **changes)
        return MarketingEngine(settings, OfferCatalogue.load(settings.offers), MarketingStore(settings.database_url),
                               customers, history)
    return build


def _offer_decision(engine: MarketingEngine, customer: str = CONSENTING, now: datetime = NOW):
    """Decisions until one shows an offer (the bandit may choose no offer first)."""
    for _ in range(20):
        decision = engine.decide(customer, "promotions", sender_id="s1", now=now)
        if decision is None or decision.offer is not None:
            return decision
    raise AssertionError("the bandit never made an offer")


# Consent ---------------------------------------------------------------------
def test_anonymous_shoppers_get_no_offer_and_nothing_is_logged(make_engine):
    engine = make_engine()
    assert engine.decide(None, "promotions", now=NOW) is None
    assert engine.decide("C99999", "promotions", now=NOW) is None  # unknown id
    assert engine.store.events() == []


def test_no_offer_without_consent_from_the_data_or_after_opting_out(make_engine):
    engine = make_engine()
    assert engine.decide(_customers_without_consent(), "promotions", now=NOW) is None
    engine.customers.set_marketing_consent(CONSENTING, False)
    for point in ("promotions", "recommendation", "price_objection"):
        assert engine.decide(CONSENTING, point, now=NOW) is None
    assert engine.decide(CONSENTING, "leaving", cart_value=500, now=NOW) is None
    engine.customers.set_marketing_consent(CONSENTING, True)   # opted back in
    assert engine.decide(CONSENTING, "promotions", now=NOW) is not None


def test_an_opt_out_in_this_chat_stops_offers_even_with_consent_on_the_account(make_engine):
    engine = make_engine()
    assert engine.decide(CONSENTING, "promotions", chat_opted_out=True, now=NOW) is None


def test_an_offer_cannot_be_accepted_after_opting_out(make_engine):
    engine = make_engine()
    decision = _offer_decision(engine)
    engine.customers.set_marketing_consent(CONSENTING, False)
    with pytest.raises(OfferError, match="opted out"):
        engine.accept(decision.decision_id, CONSENTING, now=NOW)
    assert engine.store.coupons_of(CONSENTING) == []


# Frequency cap -----------------------------------------------------------------
def test_weekly_cap_holds_across_points_and_restarts_and_frees_up_after_a_week(make_engine):
    engine = make_engine(max_offers_per_week=2)
    shown = 0
    for _ in range(30):
        decision = engine.decide(CONSENTING, "price_objection", now=NOW)
        if decision is None:
            break
        shown += decision.offer is not None
    assert shown == 2
    assert engine.decide(CONSENTING, "promotions", now=NOW + timedelta(days=3)) is None
    restarted = make_engine(max_offers_per_week=2)   # a new process on the same database
    assert restarted.decide(CONSENTING, "recommendation", now=NOW + timedelta(days=6)) is None
    assert restarted.decide(CONSENTING, "promotions", now=NOW + timedelta(days=8)) is not None


def test_a_zero_cap_means_no_offers_at_all(make_engine):
    assert make_engine(max_offers_per_week=0).decide(CONSENTING, "promotions", now=NOW) is None


def test_leaving_needs_items_in_the_cart_and_switched_off_points_make_no_offer(make_engine):
    engine = make_engine(decision_points=("promotions",))
    assert engine.decide(CONSENTING, "recommendation", now=NOW) is None
    assert make_engine().decide(CONSENTING, "leaving", cart_value=0, now=NOW) is None


# Control group and assignment ------------------------------------------------------
def test_the_control_group_gets_the_plain_strategy_and_assignment_is_stable(make_engine):
    engine = make_engine(arms=(ExperimentArm("control", "plain", 0.5), ExperimentArm("bandit", "bandit", 0.5)))
    groups = {}
    for number in range(1, 60):
        customer = f"C{number:05d}"
        if not engine.may_contact(customer):
            continue
        decision = engine.decide(customer, "promotions", now=NOW)
        groups[customer] = decision.variant
        if decision.variant == "control":
            assert decision.arm == NO_OFFER and decision.offer is None
    assert set(groups.values()) == {"control", "bandit"}
    again = make_engine(arms=engine.settings.experiment.arms)
    for customer, variant in list(groups.items())[:10]:
        assert again.decide(customer, "recommendation", now=NOW).variant == variant


def test_biggest_discount_strategy_picks_the_largest_saving(make_engine):
    engine = make_engine(arms=(ExperimentArm("big", "biggest_discount", 1.0),))
    decision = engine.decide(CONSENTING, "leaving", cart_value=800, categories=["phones"], now=NOW)
    assert decision.arm == "pct20_over300"


# Coupons ------------------------------------------------------------------------------
def test_a_coupon_is_issued_on_acceptance_once_and_works_once(make_engine):
    engine = make_engine()
    decision = _offer_decision(engine)
    coupon = engine.accept(decision.decision_id, CONSENTING, now=NOW)
    assert coupon.code.startswith("KES-") and coupon.offer_id == decision.arm
    assert engine.accept(decision.decision_id, CONSENTING, now=NOW).code == coupon.code  # idempotent
    offer = engine.offers.get(coupon.offer_id)
    total = max(offer.min_basket, 200.0)
    done = engine.redeem(coupon.code.lower(), "KE-900001", total, customer_id=CONSENTING, now=NOW)
    assert done.discount == offer.discount_on(total) > 0
    with pytest.raises(OfferError, match="already been used"):
        engine.redeem(coupon.code, "KE-900002", total, now=NOW)
    kinds = [e["kind"] for e in engine.store.events(decision_id=decision.decision_id)]
    assert kinds == ["decision", "shown", "accepted", "redeemed", "purchase"]


def test_concurrent_redemptions_of_one_code_succeed_once(make_engine):
    engine = make_engine()
    coupon = engine.accept(_offer_decision(engine).decision_id, CONSENTING, now=NOW)
    results: list[str] = []

    def checkout(order: str) -> None:
        try:
            engine.redeem(coupon.code, order, 1000.0, now=NOW)
            results.append("ok")
        except OfferError:
            results.append("refused")
    threads = [threading.Thread(target=checkout, args=(f"KE-7{i:05d}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok"] + ["refused"] * 7


def test_codes_are_only_for_their_owner_valid_orders_and_before_expiry(make_engine):
    engine = make_engine()
    decision = _offer_decision(engine)
    coupon = engine.accept(decision.decision_id, CONSENTING, now=NOW)
    with pytest.raises(OfferError, match="not a valid coupon"):
        engine.redeem("KES-FAKE-CODE", "KE-1", 500, now=NOW)
    with pytest.raises(OfferError, match="another customer"):
        engine.redeem(coupon.code, "KE-1", 500, customer_id="C00002", now=NOW)
    with pytest.raises(OfferError, match="positive"):
        engine.redeem(coupon.code, "KE-1", -5, now=NOW)
    with pytest.raises(OfferError, match="expired"):
        engine.redeem(coupon.code, "KE-1", 500, now=NOW + timedelta(days=60))
    if engine.offers.get(coupon.offer_id).min_basket:
        with pytest.raises(OfferError, match="at least"):
            engine.redeem(coupon.code, "KE-1", 1.0, now=NOW)


def test_nobody_can_accept_someone_elses_or_an_invented_decision(make_engine):
    engine = make_engine()
    decision = _offer_decision(engine)
    with pytest.raises(OfferError):
        engine.accept(decision.decision_id, "C00002", now=NOW)
    with pytest.raises(OfferError):
        engine.accept("not-a-decision", CONSENTING, now=NOW)
    with pytest.raises(OfferError):
        engine.accept(None, CONSENTING, now=NOW)


# Attribution and the bandit's state ----------------------------------------------------
def test_a_purchase_converts_the_latest_decision_once_and_rewards_its_arm(make_engine):
    engine = make_engine()
    decision = engine.decide(CONSENTING, "recommendation", now=NOW)
    before = {arm["arm"]: arm["rewards"] for arm in engine.store.arm_summary()}
    assert engine.record_purchase(CONSENTING, "KE-500001", 120.0, now=NOW + timedelta(days=1)) == decision.decision_id
    assert engine.record_purchase(CONSENTING, "KE-500001", 120.0, now=NOW + timedelta(days=1)) is None  # duplicate
    after = {arm["arm"]: arm["rewards"] for arm in engine.store.arm_summary()}
    assert after[decision.arm] == before.get(decision.arm, 0.0) + 1.0
    # Outside the attribution window nothing is credited.
    assert engine.record_purchase(CONSENTING, "KE-500002", 50.0, now=NOW + timedelta(days=30)) is None


def test_bandit_state_survives_a_new_store_on_the_same_database(make_engine):
    engine = make_engine(max_offers_per_week=10)
    for _ in range(3):
        engine.decide(CONSENTING, "recommendation", now=NOW)
    pulls = sum(arm["pulls"] for arm in engine.store.arm_summary())
    engine.store.close()
    assert sum(arm["pulls"] for arm in make_engine().store.arm_summary()) == pulls == 3


def test_erase_customer_removes_their_events_and_coupons_only(make_engine):
    engine = make_engine()
    engine.accept(_offer_decision(engine).decision_id, CONSENTING, now=NOW)
    engine.decide("C00002", "promotions", now=NOW)
    removed = engine.store.erase_customer(CONSENTING)
    assert removed >= 4
    assert engine.store.events(customer_id=CONSENTING) == [] and engine.store.coupons_of(CONSENTING) == []
    assert engine.store.events(customer_id="C00002")
    assert engine.store.erase_customer("C12345") == 0


def test_the_budget_cap_stops_an_offer(make_engine):
    engine = make_engine()
    context = OfferContext(segment="student", first_purchase=True, categories=("phones",))
    everything = {o.offer_id for o in engine.offers.eligible(context, NOW.date(), {})}
    spent = {"student12": 10_000.0}
    assert "student12" in everything
    assert "student12" not in {o.offer_id for o in engine.offers.eligible(context, NOW.date(), spent)}


# Catalogue, history and settings ---------------------------------------------------------
def test_offer_eligibility_rules():
    offers = OfferCatalogue.load(load_marketing_settings().offers)
    gamer = OfferContext(segment="gamer", first_purchase=False, categories=("tvs",))
    ids = {o.offer_id for o in offers.eligible(gamer, date(2026, 12, 1), {})}
    assert "student12" not in ids and "first_order15" not in ids and "bundle_audio" not in ids
    assert {"pct10", "free_express"} <= ids
    assert offers.eligible(gamer, date(2030, 1, 1), {}) == []  # all expired


@pytest.mark.parametrize("raw, message", [
    ({"id": "x", "title": "t", "kind": "magic", "value": 1, "valid_from": "2026-01-01",
      "valid_until": "2026-02-01", "budget": 1}, "kind"),
    ({"id": "x", "title": "t", "kind": "percent", "value": 150, "valid_from": "2026-01-01",
      "valid_until": "2026-02-01", "budget": 1}, "value"),
    ({"id": "x", "title": "t", "kind": "fixed", "value": 5, "valid_from": "2026-03-01",
      "valid_until": "2026-02-01", "budget": 1}, "before"),
    ({"id": "no_offer", "title": "t", "kind": "fixed", "value": 5, "valid_from": "2026-01-01",
      "valid_until": "2026-02-01", "budget": 1}, "id"),
    ({"id": "x", "kind": "fixed", "value": 5, "valid_from": "2026-01-01", "valid_until": "2026-02-01",
      "budget": 1}, "title"),
])
def test_bad_offers_are_refused_with_a_reason(raw, message):
    with pytest.raises(OfferCatalogueError, match=message):
        parse_offer(raw)


def test_open_cart_is_added_but_not_bought(history):
    assert history.open_cart("C00001") == ()          # bought what they added
    assert history.open_cart("C00002")                # still waiting in the cart
    assert history.has_purchased("C00001") and history.open_cart(None) == ()


def test_settings_errors_are_clear(tmp_path):
    with pytest.raises(ValueError, match="add up to 1"):
        parse_marketing_settings({"experiment": {"arms": [{"name": "a", "strategy": "plain", "share": 0.5}]}},
                                 tmp_path)
    with pytest.raises(ValueError, match="strategy"):
        parse_marketing_settings({"experiment": {"arms": [{"name": "a", "strategy": "x", "share": 1}]}}, tmp_path)
    with pytest.raises(ValueError, match="decision points"):
        parse_marketing_settings({"decision_points": ["checkout"]}, tmp_path)
    bad = tmp_path / "shop.yml"
    bad.write_text("marketing: {bandit: {algorithm: magic}}")
    with pytest.raises(ConfigError, match="algorithm"):
        load_marketing_settings(bad)


def test_database_url_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOP_MARKETING_DB", str(tmp_path / "m.db"))
    assert load_marketing_settings().database_url == f"sqlite:///{tmp_path / 'm.db'}"
    monkeypatch.setenv("SHOP_MARKETING_DB", "postgresql+psycopg://shop@db/shop")
    assert load_marketing_settings().database_url == "postgresql+psycopg://shop@db/shop"
    monkeypatch.delenv("SHOP_MARKETING_DB")
    assert load_marketing_settings().database_url.endswith("/var/marketing.db")


def test_the_manager_report_has_the_funnel_uplift_segments_and_weeks(make_engine, tmp_path):
    from shop.marketing.report import collect, write_report
    engine = make_engine(arms=(ExperimentArm("control", "plain", 0.3), ExperimentArm("bandit", "bandit", 0.7)),
                         max_offers_per_week=10)
    orders = 0
    for day in range(0, 21, 4):
        for number in range(1, 31):
            customer, now = f"C{number:05d}", NOW + timedelta(days=day)
            decision = engine.decide(customer, "recommendation", now=now)
            if decision and decision.offer and number % 3 == 0:
                coupon = engine.accept(decision.decision_id, customer, now=now)
                if number % 2 == 0:
                    orders += 1
                    engine.redeem(coupon.code, f"KE-8{orders:05d}", 400.0, now=now)
            elif decision and number % 5 == 0:
                orders += 1
                engine.record_purchase(customer, f"KE-8{orders:05d}", 80.0, now=now)
    data = collect(engine.store, engine.settings)
    assert {"control", "bandit"} == {arm.arm for arm in data.experiment.arms}
    assert data.by_offer.shown.sum() == len(engine.store.events(kinds=["shown"]))
    assert not data.uplift_by_segment.empty and not data.uplift_over_time.empty
    page = write_report(engine.store, engine.settings, tmp_path / "report.html").read_text()
    assert page.count("data:image/png;base64,") == 4
    for heading in ("Uplift over the control group", "Offers", "Segments", "Over time", "revenue with coupons"):
        assert heading in page
