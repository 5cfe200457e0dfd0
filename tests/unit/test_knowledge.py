"""The policy knowledge base: every fact is findable, nothing is invented, hours are computed right."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from shop.knowledge import Answer, KnowledgeBase, KnowledgeBaseError

KB_PATH = Path(__file__).parents[2] / "data" / "shop" / "knowledge_base.yml"
NEW_YORK = ZoneInfo("America/New_York")

# The only figures the shop's policies contain. Any other number in a customer-facing text is an
# invented fact.
ALLOWED_NUMBERS = {"30", "5", "7", "6.95", "3", "49", "4.99", "14.99", "1", "2", "4", "150", "12", "14", "8"}
ALLOWED_AMOUNTS = {"$6.95", "$49", "$4.99", "$14.99", "$150"}
SPELLED_NUMBERS = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|"
    r"fifty|sixty|hundred|thousand|dozen|half)\b",
    re.IGNORECASE,
)

# fact id -> (NLU intent, strings the answer must contain, paraphrases written for this test).
PARAPHRASES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "returns_window": ("return_item", ("30 days", "original packaging"), (
        "Is there a time limit on returns?",
        "Can I return it if I've never used it and it's still in the packaging?",
        "how many days after it's delivered can I still return it",
    )),
    "returns_in_ear": ("return_item", ("defective", "earbuds"), (
        "I unsealed my in-ear headphones, are they still returnable?",
        "Can earbuds be returned once opened?",
        "my airpods were opened, can they go back?",
    )),
    "return_label": ("return_item", ("$6.95", "free return label"), (
        "Who covers the postage when I send an item back?",
        "Will you charge me for the return label?",
        "Do I get a free label if the item is faulty?",
    )),
    "refund_timing": ("return_item", ("5–7 business days", "original payment method"), (
        "How many days before the refund shows up?",
        "When do I get reimbursed after returning something?",
        "Does my money go back to the card I paid with?",
    )),
    "shipping_standard_time": ("shipping_info", ("3–5 business days",), (
        "How many days does regular delivery take?",
        "What's the transit time for standard delivery?",
        "standard shipping how many days",
    )),
    "shipping_cost": ("shipping_info", ("$49", "$4.99"), (
        "How much do I have to spend to get free shipping?",
        "What's the delivery charge on a small order?",
        "Is delivery free?",
    )),
    "shipping_express": ("shipping_info", ("1–2 business days", "$14.99"), (
        "What does expedited delivery cost and how fast is it?",
        "I need it quickly, do you have a faster shipping option?",
        "price of express delivery",
    )),
    "shipping_destinations": ("shipping_info", ("US and Canada",), (
        "Can you deliver to Germany?",
        "Do you send orders abroad?",
        "Is shipping available to the USA?",
    )),
    "shipping_same_day": ("shipping_info", ("2 pm ET", "same business day"), (
        "What time do I need to order by for it to go out today?",
        "Is there a same-day dispatch cutoff?",
        "if I buy this afternoon does it ship the same day",
    )),
    "payment_methods": ("payment_methods", ("PayPal", "Visa"), (
        "Which credit cards can I use?",
        "Can I pay in cash when the parcel arrives? Is cash on delivery an option?",
        "Is PayPal accepted at checkout?",
        "Do you accept American Express?",
    )),
    "payment_instalments": ("payment_methods", ("4 interest-free", "$150"), (
        "Can I pay for my TV in installments?",
        "Do you have an interest-free payment plan?",
        "Is there a way to split the cost into several payments?",
    )),
    "warranty_standard": ("warranty", ("1-year",), (
        "What warranty comes with a new laptop?",
        "My speaker stopped working, is it covered?",
        "How long are your products guaranteed for?",
    )),
    "warranty_extended": ("warranty", ("12%", "2 years"), (
        "What does the extended protection plan cost?",
        "Can I extend the coverage beyond the standard warranty?",
        "How long after buying can I add a protection plan?",
    )),
    "price_match": ("promotions", ("14 days", "own site"), (
        "The item got cheaper on your website after I bought it, can I get the lower price?",
        "Do you do price adjustments when something goes on sale?",
        "Will you match your own lower price?",
    )),
    "cancel_processing": ("cancel_order", ("processing",), (
        "Is it possible to cancel an order that already shipped?",
        "Until when can I cancel my purchase?",
        "Can I still stop my order?",
    )),
    "support_hours": ("human_handoff", ("8 am–8 pm", "Monday to Saturday"), (
        "What are your agents' working hours?",
        "Can I speak to a real person on a Sunday?",
        "When is live support open?",
    )),
}
CASES = [
    pytest.param(fact_id, intent, required, question, id=f"{fact_id}:{question[:30]}")
    for fact_id, (intent, required, questions) in PARAPHRASES.items()
    for question in questions
]
BAD_INPUTS = [
    "",
    "   \n\t ",
    "a" * 10_000,
    "shipping " * 1_200,
    "📦🚚❓🤔",
    "'; DROP TABLE orders; --",
    "' OR 1=1 --",
    "<script>alert('x')</script>",
    "\x00\x01\x02",
    "- -- --- $$$ %%% ???",
    "ｓｈｉｐｐｉｎｇ ｃｏｓｔ",  # full-width letters
    "ШИППИНГ доставка 配送",
]


def dashless(text: str) -> str:
    return text.replace("\u2013", "-").replace("\u2014", "-")


def contains(text: str, required: str) -> bool:
    return dashless(required).lower() in dashless(text).lower()


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load(KB_PATH)


# -- the file itself -------------------------------------------------------------------------------


def test_every_fact_is_well_formed(kb: KnowledgeBase) -> None:
    assert {fact.topic for fact in kb.facts} == {
        "returns", "refunds", "shipping", "payment", "warranty", "price_match", "cancellation", "support"
    }
    assert set(kb.topics) == {fact.topic for fact in kb.facts}
    for fact in kb.facts:
        assert fact.intents, fact.id
        assert len(fact.questions) >= 3, fact.id
        assert fact.keywords, fact.id
        assert 0 < len(fact.answer) <= 300 and fact.answer.endswith("."), fact.id
        assert kb.fact(fact.id) is fact


def test_every_fact_is_covered_by_this_test() -> None:
    assert set(PARAPHRASES) == {fact.id for fact in KnowledgeBase.load(KB_PATH).facts}


def test_paraphrases_are_not_copied_from_the_knowledge_base(kb: KnowledgeBase) -> None:
    def norm(text: str) -> str:
        return " ".join(re.findall(r"[a-z0-9]+", text.lower()))

    known = {norm(q) for fact in kb.facts for q in fact.questions}
    copied = [q for _, _, questions in PARAPHRASES.values() for q in questions if norm(q) in known]
    assert not copied


# -- retrieval -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("fact_id", "intent", "required", "question"), CASES)
def test_paraphrase_finds_the_fact(
    kb: KnowledgeBase, fact_id: str, intent: str, required: tuple[str, ...], question: str
) -> None:
    answer = kb.answer(question, intent)
    assert fact_id in answer.fact_ids, answer
    for figure in required:
        assert contains(answer.text, figure), (figure, answer.text)


@pytest.mark.parametrize(("fact_id", "intent", "required", "question"), CASES)
def test_paraphrase_finds_the_fact_without_an_intent(
    kb: KnowledgeBase, fact_id: str, intent: str, required: tuple[str, ...], question: str
) -> None:
    answer = kb.answer(question, None)
    assert fact_id in answer.fact_ids, answer
    for figure in required:
        assert contains(answer.text, figure), (figure, answer.text)


@pytest.mark.parametrize(
    ("question", "intent", "fact_id"),
    [
        ("Do you accept Amex?", "payment_methods", "payment_methods"),
        ("how long does a refund take", "return_item", "refund_timing"),
        ("can i return opened earbuds", "return_item", "returns_in_ear"),
        ("how much is express shipping", "shipping_info", "shipping_express"),
        ("can I buy the protection plan later", "warranty", "warranty_extended"),
        ("do you price match amazon", "promotions", "price_match"),
        # The text wins over a wrong NLU guess.
        ("how long do refunds take", "shipping_info", "refund_timing"),
        ("do you accept american express", "shipping_info", "payment_methods"),
        ("is there a warranty on laptops", "payment_methods", "warranty_standard"),
    ],
)
def test_specific_question_gets_exactly_that_fact(kb: KnowledgeBase, question: str, intent: str, fact_id: str) -> None:
    answer = kb.answer(question, intent)
    assert answer.kind == "fact"
    assert answer.fact_ids == (fact_id,)
    assert answer.text == kb.fact(fact_id).answer
    assert answer.topic == kb.fact(fact_id).topic
    assert answer.score > 0


def test_non_express_is_not_about_express(kb: KnowledgeBase) -> None:
    assert kb.answer("how fast is express shipping?").fact_ids == ("shipping_express",)
    assert kb.answer("how long does the non-express shipping take?").fact_ids != ("shipping_express",)


def test_cash_on_delivery_is_refused_not_offered(kb: KnowledgeBase) -> None:
    for question in ("can I pay cash on delivery?", "do you do COD", "can I pay in cash when it's delivered"):
        text = kb.answer(question, "payment_methods").text
        assert re.search(r"(don't|do not|no) (offer )?cash on delivery", text, re.IGNORECASE), text


@pytest.mark.parametrize("typo", ["shiping cost?", "paymnt with paypl", "how long is the warrenty", "refnd timing"])
def test_typos_are_tolerated(kb: KnowledgeBase, typo: str) -> None:
    answer = kb.answer(typo, None)
    assert answer.kind in {"fact", "overview"}
    assert answer.topic in {"shipping", "payment", "warranty", "refunds"}


def test_two_part_question_gets_both_facts(kb: KnowledgeBase) -> None:
    answer = kb.answer("How long do refunds take, and is return shipping free?", "return_item")
    assert set(answer.fact_ids) == {"refund_timing", "return_label"}
    assert contains(answer.text, "5-7 business days") and "$6.95" in answer.text

    answer = kb.answer("how fast is express shipping and do you accept apple pay", "shipping_info")
    assert set(answer.fact_ids) == {"shipping_express", "payment_methods"}


def test_single_question_does_not_drag_in_a_second_fact(kb: KnowledgeBase) -> None:
    for question, intent in [
        ("how many days does standard shipping take", "shipping_info"),
        ("is there a flash sale today?", "promotions"),
        ("my headphones broke after 3 months, warranty?", "warranty"),
    ]:
        assert len(kb.answer(question, intent).fact_ids) == 1, question


# -- generic questions and fallbacks ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "intent", "topics"),
    [
        ("tell me about shipping", "shipping_info", ["shipping"]),
        ("tell me about shipping", None, ["shipping"]),
        ("shipping info please", "shipping_info", ["shipping"]),
        ("what's your return policy?", "return_item", ["returns", "refunds"]),
        ("returns?", None, ["returns"]),
        ("warranty info", "warranty", ["warranty"]),
        ("payment options?", "payment_methods", ["payment"]),
        ("what are the rules on cancellation", None, ["cancellation"]),
        # Nothing specific matches: the intent's overview, never a guess.
        ("do you ship to po boxes", "shipping_info", ["shipping"]),
        ("do you take bitcoin", "payment_methods", ["payment"]),
        ("how do i file a warranty claim", "warranty", ["warranty"]),
        # A weak match outside the intent is not trusted: agents' hours say nothing about delivery.
        ("do you deliver on weekends", "shipping_info", ["shipping"]),
    ],
)
def test_generic_question_gets_the_overview(
    kb: KnowledgeBase, question: str, intent: str | None, topics: list[str]
) -> None:
    answer = kb.answer(question, intent)
    assert answer.kind == "overview"
    assert answer.text == " ".join(kb.topics[name].overview for name in topics)
    assert answer.topic == topics[0]
    assert set(answer.fact_ids) == {fact.id for fact in kb.facts if fact.topic in topics}


def test_unrelated_question_without_intent_gets_the_fallback(kb: KnowledgeBase) -> None:
    for question in ("what's the weather like in Paris?", "sing me a song", ""):
        answer = kb.answer(question, None)
        assert answer == Answer(kb.fallback, (), None, answer.score, kind="fallback")


def test_overview_mentions_every_figure_of_its_facts(kb: KnowledgeBase) -> None:
    figure = re.compile(r"\$?\d+(?:\.\d+)?%?")
    for name, topic in kb.topics.items():
        for fact in (f for f in kb.facts if f.topic == name):
            missing = set(figure.findall(fact.answer)) - set(figure.findall(topic.overview))
            assert not missing, (name, fact.id, missing)


# -- no invented facts -----------------------------------------------------------------------------


def all_customer_texts(kb: KnowledgeBase) -> list[str]:
    texts = [fact.answer for fact in kb.facts]
    texts += [topic.overview for topic in kb.topics.values()]
    texts += [kb.fallback, kb.support_hours.describe()]
    for intent, _, questions in PARAPHRASES.values():
        texts += [kb.answer(question, intent).text for question in questions]
    texts += [kb.answer(text, None).text for text in BAD_INPUTS]
    return texts


def test_every_number_in_any_answer_is_a_real_policy_figure(kb: KnowledgeBase) -> None:
    for text in all_customer_texts(kb):
        numbers = set(re.findall(r"\d+(?:[.,]\d+)?", text))
        assert numbers <= ALLOWED_NUMBERS, (numbers - ALLOWED_NUMBERS, text)
        amounts = set(re.findall(r"\$\d+(?:\.\d+)?", text))
        assert amounts <= ALLOWED_AMOUNTS, (amounts - ALLOWED_AMOUNTS, text)
        assert not SPELLED_NUMBERS.search(text), text


def test_every_policy_figure_is_stated_somewhere(kb: KnowledgeBase) -> None:
    stated = {n for fact in kb.facts for n in re.findall(r"\d+(?:\.\d+)?", fact.answer)}
    assert stated == ALLOWED_NUMBERS


def test_answers_are_copied_verbatim_from_the_file(kb: KnowledgeBase) -> None:
    pieces = [fact.answer for fact in kb.facts] + [t.overview for t in kb.topics.values()] + [kb.fallback]
    for intent, _, questions in PARAPHRASES.values():
        for question in questions:
            text = kb.answer(question, intent).text
            for piece in pieces:
                text = text.replace(piece, "")
            assert not text.strip(), text


# -- support hours ---------------------------------------------------------------------------------


def ny(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=NEW_YORK)


def test_support_hours_structure(kb: KnowledgeBase) -> None:
    hours = kb.support_hours
    assert hours.timezone == "America/New_York"
    assert hours.weekdays == frozenset(range(6))  # Monday to Saturday
    assert (hours.opens, hours.closes) == (time(8, 0), time(20, 0))
    assert hours.describe() == "Monday to Saturday, 8 am\u20138 pm ET"
    assert hours.describe() in kb.fact("support_hours").answer


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (ny(2024, 1, 17, 12), True),          # Wednesday noon
        (ny(2024, 1, 16, 7, 59), False),      # Tuesday, a minute before opening
        (ny(2024, 1, 16, 8, 0), True),        # opening minute
        (ny(2024, 1, 16, 19, 59), True),
        (ny(2024, 1, 16, 20, 0), False),      # closing time itself is closed
        (ny(2024, 1, 20, 10), True),          # Saturday
        (ny(2024, 1, 21, 12), False),         # Sunday noon
        (ny(2024, 7, 14, 12), False),         # Sunday in summer
        # Winter (EST, UTC-5) and summer (EDT, UTC-4) opening in UTC.
        (datetime(2024, 1, 15, 13, 0, tzinfo=timezone.utc), True),
        (datetime(2024, 1, 15, 12, 59, tzinfo=timezone.utc), False),
        (datetime(2024, 7, 15, 12, 0, tzinfo=timezone.utc), True),
        (datetime(2024, 7, 15, 11, 59, tzinfo=timezone.utc), False),
        # Sunday 09:00 in Tokyo is Saturday 19:00 in New York: open.
        (datetime(2024, 1, 14, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo")), True),
        # Monday 09:30 in Tokyo is still Sunday evening in New York: closed.
        (datetime(2024, 1, 15, 9, 30, tzinfo=ZoneInfo("Asia/Tokyo")), False),
        # Saturday 18:00 in Vancouver is Saturday 21:00 in New York: closed.
        (datetime(2024, 1, 20, 18, 0, tzinfo=ZoneInfo("America/Vancouver")), False),
        # Monday 05:30 in Vancouver is 08:30 in New York: open.
        (datetime(2024, 1, 22, 5, 30, tzinfo=ZoneInfo("America/Vancouver")), True),
        # Fixed offsets work too.
        (datetime(2024, 3, 6, 15, 0, tzinfo=timezone(timedelta(hours=2))), True),  # 08:00 EST
    ],
)
def test_support_hours_open_or_closed(kb: KnowledgeBase, moment: datetime, is_open: bool) -> None:
    assert kb.support_hours.is_open(moment) is is_open


def test_support_hours_refuse_naive_datetimes(kb: KnowledgeBase) -> None:
    with pytest.raises(ValueError):
        kb.support_hours.is_open(datetime(2024, 1, 17, 12, 0))


def test_next_opening(kb: KnowledgeBase) -> None:
    hours = kb.support_hours
    assert hours.next_opening(ny(2024, 1, 21, 12)) == ny(2024, 1, 22, 8)   # Sunday -> Monday
    assert hours.next_opening(ny(2024, 1, 20, 21)) == ny(2024, 1, 22, 8)   # Saturday night -> Monday
    assert hours.next_opening(ny(2024, 1, 16, 6)) == ny(2024, 1, 16, 8)    # early Tuesday
    assert hours.next_opening(ny(2024, 1, 16, 9)) == ny(2024, 1, 16, 9)    # already open


# -- robustness ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", BAD_INPUTS, ids=range(len(BAD_INPUTS)))
@pytest.mark.parametrize("intent", [None, "shipping_info", "greet", "not_an_intent"])
def test_bad_input_does_not_crash(kb: KnowledgeBase, text: str, intent: str | None) -> None:
    answer = kb.answer(text, intent)
    assert isinstance(answer, Answer)
    assert answer.text and answer.kind in {"fact", "overview", "fallback"}


def test_non_string_question_is_treated_as_empty(kb: KnowledgeBase) -> None:
    assert kb.answer(None, None).kind == "fallback"  # type: ignore[arg-type]


# -- loading errors --------------------------------------------------------------------------------


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError):
        KnowledgeBase.load(tmp_path / "nope.yml")


@pytest.mark.parametrize(
    "breakage",
    [
        lambda raw: raw["facts"][0].update(topic="astrology"),
        lambda raw: raw["facts"][0].update(intents=["greet"]),
        lambda raw: raw["facts"].append(dict(raw["facts"][0])),
        lambda raw: raw["support_hours"].update(timezone="Mars/Olympus_Mons"),
        lambda raw: raw["support_hours"].update(open="21:00"),
        lambda raw: raw.pop("topics"),
    ],
    ids=["unknown-topic", "unknown-intent", "duplicate-id", "bad-timezone", "open-after-close", "no-topics"],
)
def test_inconsistent_file_is_rejected(tmp_path: Path, breakage) -> None:  # type: ignore[no-untyped-def]
    raw = yaml.safe_load(KB_PATH.read_text(encoding="utf-8"))
    breakage(raw)
    path = tmp_path / "kb.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError):
        KnowledgeBase.load(path)


def test_an_overview_chosen_by_the_intent_alone_is_marked_as_a_guess(kb):
    assert kb.answer("do you sell refrigerators?", "return_item").guessed
    assert kb.answer("do you take bitcoin", "payment_methods").guessed
    assert not kb.answer("what is your return policy?", "return_item").guessed
    assert not kb.answer("how long does shipping take", "shipping_info").guessed
