"""The settings loader (shop/config.py): defaults, the environment's overrides, bad values, marketing."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from shop.config import (
    DEFAULT_CONFIG,
    ENVIRONMENT,
    REPO_ROOT,
    ConfigError,
    EmbeddedLMSettings,
    ExperimentArm,
    GeneratorSettings,
    Limit,
    MailSettings,
    MarketingSettings,
    RecommenderSettings,
    load_marketing_settings,
    load_settings,
    parse_marketing_settings,
)
from shop.currency import DEFAULT_YUAN_PER_DOLLAR, Currency

MINIMAL = {
    "shop": {"name": "Test Shop", "support_email": "help@test.example"},
    "data": {key: f"data/{key}.csv" for key in
             ("products", "customers", "interactions", "orders", "order_items", "knowledge_base")},
    "state": {"database": "var/state.db"},
}


@pytest.fixture(autouse=True)
def _no_overrides(monkeypatch):
    """The developer's or CI's own SHOP_* variables must not leak into these tests."""
    for name in (*ENVIRONMENT, "SHOP_CONFIG"):
        monkeypatch.delenv(name, raising=False)


def write(tmp_path: Path, raw: dict, name: str = "shop.yml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


def with_section(section: str, values: dict) -> dict:
    return {**MINIMAL, section: values}


# Defaults ------------------------------------------------------------------------------------------
def test_a_minimal_file_gets_every_default_relative_to_itself(tmp_path):
    settings = load_settings(write(tmp_path, MINIMAL))
    assert settings.assistant_name == "Assistant" and settings.page_size == 3
    assert settings.data.products == tmp_path / "data" / "products.csv"
    # The optional data files default to the committed ones, wherever the settings file is.
    assert settings.data.messages == REPO_ROOT / "data" / "shop" / "messages.yml"
    assert settings.state_db == tmp_path / "var" / "state.db"
    assert settings.state_url == f"sqlite:///{tmp_path / 'var' / 'state.db'}"
    assert settings.recommender.artifact_dir == tmp_path / "models" / "recommender"
    assert settings.recommender.feedback == tmp_path / "var" / "feedback.csv"
    assert settings.generator.artifact_dir == tmp_path / "models" / "generator"
    assert settings.mail.sink == tmp_path / "var" / "log" / "mail.log"
    assert settings.marketing.database_url == f"sqlite:///{tmp_path / 'var' / 'marketing.db'}"
    assert settings.marketing.offers == tmp_path / "data" / "shop" / "offers.yml"
    assert settings.privacy.tracker_url == "" and settings.privacy.retention_days == 90.0
    # The rest are the types' own defaults: written once, in shop/config.py.
    assert settings.recommender == dataclasses.replace(RecommenderSettings(),
                                                       artifact_dir=settings.recommender.artifact_dir,
                                                       feedback=settings.recommender.feedback)
    assert settings.generator.embedded == EmbeddedLMSettings()
    assert settings.yuan_per_dollar == DEFAULT_YUAN_PER_DOLLAR == Currency().yuan_per_dollar
    assert settings.limits.codes_per_email == Limit(3, 3600)
    assert settings.marketing.experiment.control == ExperimentArm("control", "plain", 0.1)


def test_the_committed_file_reads_and_keeps_its_sections_apart():
    settings = load_settings(DEFAULT_CONFIG)
    assert settings.recommender.loss == "warp" and settings.recommender.no_components == 16
    assert settings.privacy.tracker_url == f"sqlite:///{REPO_ROOT / 'var' / 'tracker.db'}"
    assert settings.marketing.bandit.algorithm == "linucb"
    assert settings.marketing == load_marketing_settings(DEFAULT_CONFIG)
    assert settings.mail.port == 587 and not settings.mail.sends


def test_settings_built_in_code_resolve_paths_against_the_repository():
    assert RecommenderSettings().artifact_dir == REPO_ROOT / "models" / "recommender"
    assert GeneratorSettings(retrieve=5).retrieve == 5
    assert MailSettings(tls="ssl").port == 465 and MailSettings().port == 587
    # replace() validates again, as a constructor does.
    with pytest.raises(ValueError, match="greater than or equal to 1"):
        dataclasses.replace(RecommenderSettings(), epochs=0)


def test_empty_sections_and_empty_keys_mean_their_defaults(tmp_path):
    raw = {**MINIMAL, "recommender": None, "mail": {"host": None, "tls": "ssl"}, "marketing": None}
    settings = load_settings(write(tmp_path, raw))
    assert settings.recommender.epochs == 15
    assert settings.mail.host == "" and settings.mail.port == 465
    assert settings.marketing.max_offers_per_week == 2


def test_nested_keys_of_the_file_land_on_flat_fields(tmp_path):
    raw = {**MINIMAL, "recommender": {"model": {"loss": "BPR", "epochs": 3}, "event_weights": {"view": 2}},
           "recommendations": {"page_size": 5}, "identity": {"limits": {"codes_per_email": [1, 60]}},
           "mail": {"from": "shop@test.example"}, "generator": {"embedded": {"n_layer": 2}}}
    settings = load_settings(write(tmp_path, raw))
    assert settings.recommender.loss == "bpr" and settings.recommender.epochs == 3
    assert settings.recommender.event_weights.view == 2.0 and settings.recommender.event_weights.purchase == 5.0
    assert settings.page_size == 5
    assert settings.limits.codes_per_email == Limit(1, 60) and settings.limits.lookups_per_client == Limit(30, 3600)
    assert settings.mail.sender == "shop@test.example"
    assert settings.generator.embedded.n_layer == 2


def test_a_password_in_the_file_is_ignored(tmp_path, monkeypatch):
    path = write(tmp_path, with_section("mail", {"password": "in-git"}))
    assert load_settings(path).mail.password == ""
    monkeypatch.setenv("SHOP_SMTP_PASSWORD", "secret")
    assert load_settings(path).mail.password == "secret"


# The environment -----------------------------------------------------------------------------------
# Every variable docs/setup-and-configuration.md and shop.yml document, with the field it sets.
OVERRIDES = [
    ("SHOP_STATE_DB", "/srv/state.db", lambda s: s.state_db == Path("/srv/state.db")
     and s.state_url == "sqlite:////srv/state.db"),
    ("SHOP_STATE_URL", "postgresql+psycopg://k@db/k", lambda s: s.state_url == "postgresql+psycopg://k@db/k"),
    ("SHOP_TRACKER_URL", "rasa/tracker.db", lambda s: s.privacy.tracker_url.endswith("/rasa/tracker.db")
     and s.privacy.tracker_url.startswith("sqlite:////")),
    ("SHOP_EVENTS_URL", "postgresql://e@db/e", lambda s: s.privacy.events_url == "postgresql://e@db/e"),
    ("SHOP_RETENTION_DAYS", "30", lambda s: s.privacy.retention_days == 30.0),
    ("SHOP_YUAN_PER_DOLLAR", "7.05", lambda s: s.yuan_per_dollar == 7.05),
    ("SHOP_EMAIL_TICKETS", "0", lambda s: s.support.email_tickets is False),
    ("SHOP_EMAIL_TICKETS", "Off", lambda s: s.support.email_tickets is False),
    ("SHOP_EMAIL_TICKETS", "1", lambda s: s.support.email_tickets is True),
    ("SHOP_RECOMMENDER_DIR", "/srv/rec", lambda s: s.recommender.artifact_dir == Path("/srv/rec")),
    ("SHOP_FEEDBACK", "fb.csv", lambda s: s.recommender.feedback == s.data.products.parents[1] / "fb.csv"),
    ("SHOP_GENERATOR_MODEL", "distilgpt2", lambda s: s.generator.model == "distilgpt2"),
    ("SHOP_GENERATOR_DIR", "/srv/gen", lambda s: s.generator.artifact_dir == Path("/srv/gen")),
    ("SHOP_SMTP_HOST", "smtp.test", lambda s: s.mail.host == "smtp.test" and s.mail.sends),
    ("SHOP_SMTP_PORT", "2525", lambda s: s.mail.port == 2525),
    ("SHOP_SMTP_USER", "kes", lambda s: s.mail.user == "kes"),
    ("SHOP_SMTP_PASSWORD", "pw", lambda s: s.mail.password == "pw"),
    ("SHOP_SMTP_TLS", "SSL", lambda s: s.mail.tls == "ssl" and s.mail.port == 465),
    ("SHOP_MAIL_FROM", "kes@test.example", lambda s: s.mail.sender == "kes@test.example"),
    ("SHOP_MAIL_SINK", "/srv/mail.log", lambda s: s.mail.sink == Path("/srv/mail.log")),
    ("SHOP_MARKETING_DB", "/srv/m.db", lambda s: s.marketing.database_url == "sqlite:////srv/m.db"),
    ("SHOP_MARKETING_DB", "postgresql+psycopg://m@db/m", lambda s: s.marketing.database_url == "postgresql+psycopg://m@db/m"),
    ("SHOP_OFFERS", "/srv/offers.yml", lambda s: s.marketing.offers == Path("/srv/offers.yml")),
]


@pytest.mark.parametrize(("name", "value", "check"), OVERRIDES, ids=[f"{n}={v}" for n, v, _ in OVERRIDES])
def test_each_environment_variable_overrides_its_key(tmp_path, monkeypatch, name, value, check):
    monkeypatch.setenv(name, value)
    assert check(load_settings(write(tmp_path, MINIMAL)))


def test_every_override_is_tested_and_documented():
    documented = (REPO_ROOT / "docs" / "setup-and-configuration.md").read_text(encoding="utf-8")
    assert {name for name, _, _ in OVERRIDES} == set(ENVIRONMENT)
    assert [name for name in ENVIRONMENT if name not in documented] == []


def test_an_empty_variable_counts_as_unset(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOP_RETENTION_DAYS", "")
    assert load_settings(write(tmp_path, MINIMAL)).privacy.retention_days == 90.0


def test_shop_config_picks_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOP_CONFIG", str(write(tmp_path, {**MINIMAL, "shop": {**MINIMAL["shop"], "name": "Other"}})))
    assert load_settings().shop_name == "Other"
    assert load_marketing_settings().database_url == f"sqlite:///{tmp_path / 'var' / 'marketing.db'}"


# Bad values ----------------------------------------------------------------------------------------
BAD = [
    ("privacy", {"retention_days": 0}, "privacy.retention_days: Input should be greater than 0"),
    ("privacy", {"retention_days": "soon"}, "privacy.retention_days: Input should be a valid number"),
    ("currency", {"yuan_per_dollar": -1}, "currency.yuan_per_dollar"),
    ("recommender", {"model": {"loss": "hinge"}}, "recommender.model.loss: must be one of"),
    ("recommender", {"model": {"epochs": 0}}, "recommender.model.epochs: Input should be greater than or equal to 1"),
    ("recommender", {"half_life_days": -5}, "recommender.half_life_days"),
    ("generator", {"retrieve": 2, "prompt_passages": 3}, "generator: prompt_passages must not exceed retrieve"),
    ("generator", {"embedded": {"n_embd": 100, "n_head": 3}}, "generator.embedded: n_embd must be a multiple"),
    ("generator", {"timeout_seconds": 0}, "generator.timeout_seconds"),
    ("mail", {"tls": "starttls-ish"}, "mail.tls: must be one of"),
    ("mail", {"port": 70000}, "mail.port: Input should be less than 65536"),
    ("support", {"live_channels": "chatwoot"}, "support.live_channels"),
    ("checkout", {"cart_url": "https://shop.example/cart"}, "checkout: cart_url needs {items}"),
    ("identity", {"limits": {"codes_per_email": [0, 60]}}, "identity.limits.codes_per_email.count"),
    ("identity", {"limits": {"guesses": [1, 60]}}, "identity.limits.guesses: Unexpected keyword argument"),
    ("recommendations", {"page_size": "three"}, "recommendations.page_size: Input should be a valid integer"),
    ("marketing", {"bandit": {"algorithm": "magic"}}, "marketing.bandit.algorithm: must be one of"),
    ("marketing", {"decision_points": ["checkout"]}, "marketing.decision_points: unknown decision points"),
    ("marketing", {"max_offers_per_week": -1}, "marketing.max_offers_per_week"),
    ("marketing", {"experiment": {"arms": [{"name": "a", "strategy": "plain", "share": 0.5}]}},
     "marketing.experiment: experiment arm shares must add up to 1"),
    ("marketing", {"experiment": {"arms": [{"name": "a", "strategy": "x", "share": 1}]}},
     "marketing.experiment.arms.0.strategy: must be one of"),
    ("marketing", {"experiment": {"alpha": 1.5}}, "marketing.experiment.alpha"),
]


@pytest.mark.parametrize(("section", "values", "message"), BAD, ids=[m.split(":")[0] for _, _, m in BAD])
def test_a_bad_value_names_its_key(tmp_path, section, values, message):
    path = write(tmp_path, with_section(section, values))
    with pytest.raises(ConfigError, match="has a bad value") as raised:
        load_settings(path)
    assert message in str(raised.value) and str(path) in str(raised.value)


def test_a_bad_value_from_the_environment_names_the_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOP_SMTP_PORT", "smtp")
    with pytest.raises(ConfigError, match=r"mail\.port: .*\(got 'smtp', from SHOP_SMTP_PORT\)"):
        load_settings(write(tmp_path, MINIMAL))


def test_missing_keys_are_named(tmp_path):
    raw = {**MINIMAL, "shop": {"name": "x"}, "data": {"products": "p.csv"}}
    with pytest.raises(ConfigError, match="incomplete") as raised:
        load_settings(write(tmp_path, raw))
    assert "shop.support_email is missing" in str(raised.value)
    assert "data.knowledge_base is missing" in str(raised.value)


def test_a_section_that_is_not_a_mapping_is_named(tmp_path):
    with pytest.raises(ConfigError, match="has a bad value: recommender: must be a mapping"):
        load_settings(write(tmp_path, {**MINIMAL, "recommender": [1, 2]}))


# The marketing section -----------------------------------------------------------------------------
def test_the_marketing_section_reads_alone(tmp_path):
    path = write(tmp_path, {"marketing": {"database": "sqlite:///m.db", "max_offers_per_week": 4,
                                          "bandit": {"algorithm": "LinTS", "exploration": 0.2},
                                          "experiment": {"name": "e", "arms": [
                                              {"name": "control", "strategy": "plain", "share": 0.5},
                                              {"name": "b", "strategy": "bandit", "share": 0.5}]}}})
    marketing = load_marketing_settings(path)
    assert marketing.database_url == f"sqlite:///{tmp_path / 'm.db'}"  # relative to the file
    assert marketing.max_offers_per_week == 4 and marketing.coupon_valid_days == 14
    assert marketing.bandit.algorithm == "lints" and marketing.bandit.ridge == 1.0
    assert [arm.name for arm in marketing.experiment.arms] == ["control", "b"]
    with pytest.raises(ConfigError, match="incomplete"):
        load_settings(path)  # the rest of shop.yml is not optional


def test_marketing_defaults_and_overrides(tmp_path, monkeypatch):
    assert parse_marketing_settings({}, tmp_path) == MarketingSettings(
        database_url=f"sqlite:///{tmp_path / 'var' / 'marketing.db'}", offers=tmp_path / "data/shop/offers.yml")
    assert parse_marketing_settings({"experiment": {"arms": []}}, tmp_path).experiment.arms == \
        MarketingSettings().experiment.arms
    monkeypatch.setenv("SHOP_OFFERS", "elsewhere.yml")
    assert parse_marketing_settings({"offers": "x.yml"}, tmp_path).offers == tmp_path / "elsewhere.yml"
    assert parse_marketing_settings({"database": "sqlite:///:memory:"}, tmp_path).database_url == "sqlite:///:memory:"
