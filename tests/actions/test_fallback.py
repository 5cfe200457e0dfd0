"""Rasa's two-stage fallback asking "did you mean…?" (actions/fallback.py): in words, with a guard
for readings that would change something, and answers instead of guesses where the shop knows."""

from __future__ import annotations

from tests.actions.conftest import Chat


def unsure(text: str, *ranking: tuple[str, float]) -> Chat:
    """A message the NLU was unsure of: nlu_fallback first, then its guesses."""
    return Chat("guest_en").user(text, "nlu_fallback", ranking=[("nlu_fallback", 0.5), *ranking])


def test_an_unsure_reading_that_would_change_something_is_asked_about_in_its_own_words() -> None:
    reply = unsure("stop sending me stuff", ("marketing_opt_out", 0.6)).run("action_default_ask_affirmation")
    assert reply.text == "Do you want me to stop sending you offers and marketing emails?"
    assert reply.payloads == ["/marketing_opt_out", "/out_of_scope"]
    assert reply.events == []  # nothing changed until the shopper says yes


def test_a_question_the_shop_knows_is_answered_instead_of_guessed_at() -> None:
    reply = unsure("whats ur return window", ("return_item", 0.3)).run("action_default_ask_affirmation")
    assert "30 days of delivery" in reply.text and reply.buttons == []


def test_a_catalogue_request_is_answered_from_the_catalogue(shop) -> None:  # noqa: ANN001
    reply = unsure("a charger for my macbook air", ("product_question", 0.3)).run("action_default_ask_affirmation")
    assert reply.texts[0].startswith("Here are accessories with charger that work with the MacBook Air")
    for product_id in reply.slots["shown_products"]:
        product = shop.catalog.get(product_id)
        assert product.category == "accessories" and product.attributes.get("type") == "charger"


def test_an_unclear_message_asks_about_the_best_guess_in_words() -> None:
    reply = unsure("asdf qwer zxcv", ("order_status", 0.2)).run("action_default_ask_affirmation")
    assert reply.text == "Sorry, I'm not sure I understood. Is this about the status of an order?"
    assert reply.payloads == ["/order_status", "/out_of_scope"]


def test_no_guess_worth_asking_about_asks_to_rephrase() -> None:
    reply = unsure("blorp", ("greet", 0.2)).run("action_default_ask_affirmation")
    assert reply.responses == ["utter_ask_rephrase"]


def test_the_guess_in_chinese() -> None:
    chat = Chat("guest_zh").user("嗯嗯啊啊", "nlu_fallback", ranking=[("nlu_fallback", 0.5), ("order_status", 0.2)])
    reply = chat.run("action_default_ask_affirmation")
    assert reply.text.startswith("抱歉,我不太确定是否理解了您的意思。您是想问") and reply.text.endswith("吗?")
    assert reply.payloads == ["/order_status", "/out_of_scope"]
