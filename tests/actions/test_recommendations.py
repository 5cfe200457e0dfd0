"""The recommendation form and its picks (actions/recommendations.py): what counts as a budget or a
category, picks within the filters from the real recommender, paging, and reactions to a pick."""

from __future__ import annotations

from typing import Any

from tests.actions.conftest import Chat, Reply

SHOWN = ["P00001", "P00106", "P00107"]  # the phones the recorded phones_en/phones_zh trackers show


def asked(slot: str, fixture: str = "guest_en", **slots: Any) -> Chat:
    """The recommendation form is asking for ``slot``."""
    return Chat(fixture, **slots).loop("recommend_form", slot)


def shown(shop: Any, reply: Reply) -> list[Any]:
    return [shop.catalog.get(product_id) for product_id in reply.slots["conversation"]["shown"]]


# --- the form's validation ---------------------------------------------------------------------


def test_a_budget_answer_becomes_a_price_range() -> None:
    reply = asked("budget", category="phones").user("under $500", "inform", {"budget": "under $500"}) \
        .run("validate_recommend_form")
    assert reply.slots == {"budget": "under $500", "budget_min": None, "budget_max": 500.0}
    around = asked("budget", category="phones").user("about 300 bucks", "inform").run("validate_recommend_form")
    assert (around.slots["budget_min"], around.slots["budget_max"]) == (240.0, 360.0)  # an untagged answer


def test_an_age_or_a_count_is_not_a_budget() -> None:
    for text, tagged in (("it's for my 8 year old", "8"), ("I need 3 of them", "3")):
        reply = asked("budget", category="phones").user(text, "inform", {"budget": tagged}) \
            .run("validate_recommend_form")
        assert reply.slots["budget"] is None and "budget_max" not in reply.slots, text
        assert reply.text == "Sorry, I didn't catch a budget in that.", text


def test_an_age_said_with_the_category_asks_for_no_budget_yet() -> None:
    reply = asked("category").user("a phone for my 10 year old", "request_recommendation", {"category": "phone"}) \
        .run("validate_recommend_form")
    assert reply.slots["category"] == "phones" and "budget" not in reply.slots
    assert reply.messages == []
    tagged = asked("category").user("a tablet for my 8 year old", "request_recommendation",
                                    {"category": "tablet", "budget": "8"}).run("validate_recommend_form")
    assert tagged.slots["category"] == "tablets" and tagged.slots["budget"] is None
    assert tagged.messages == []  # not asked for a budget yet: nothing to apologise for


def test_a_category_in_the_shoppers_words_and_one_the_shop_does_not_sell() -> None:
    phones = asked("category").user("a smartphone", "inform", {"category": "smartphone"}).run("validate_recommend_form")
    assert phones.slots["category"] == "phones"
    pizza = asked("category").user("pizza", "inform", {"category": "pizza"}).run("validate_recommend_form")
    assert pizza.slots["category"] is None
    assert pizza.text.startswith('Sorry, we don\'t sell "pizza". We have ') and "TVs" in pizza.text


def test_a_new_category_drops_the_budget_given_for_the_old_one() -> None:
    chat = asked("budget", category="phones", budget="under $500", budget_max=500.0)
    reply = chat.user("actually headphones", "inform", {"category": "headphones"}).run("validate_recommend_form")
    assert reply.slots["category"] == "headphones"
    assert reply.slots["budget"] is None and reply.slots["budget_max"] is None


def test_a_superlative_needs_no_budget() -> None:
    reply = asked("category").user("the cheapest iphone", "request_recommendation").run("validate_recommend_form")
    assert reply.slots["category"] == "phones" and reply.slots["requested_slot"] is None


def test_cheaper_than_what_was_shown_needs_no_budget() -> None:
    # phones_en has phones shown and no budget: "cheaper" is below them, not a question to ask.
    reply = Chat("phones_en", category="phones").loop("recommend_form", "budget") \
        .user("anything cheaper with 5g?", "request_recommendation").run("validate_recommend_form")
    assert reply.slots["requested_slot"] is None


def test_a_chinese_budget_in_yuan_becomes_dollars() -> None:
    reply = asked("budget", "guest_zh", category="phones").user("2000元以内", "inform", {"budget": "2000元"}) \
        .run("validate_recommend_form")
    assert reply.slots["budget_max"] == 277.78  # 2000 / 7.2 (shop.yml's rate)
    unknown = asked("category", "guest_zh").user("我想买披萨", "inform", {"category": "披萨"}) \
        .run("validate_recommend_form")
    assert unknown.text.startswith("抱歉,我们没有卖“披萨”。我们有") and "手机" in unknown.text


# --- the picks ---------------------------------------------------------------------------------


def test_picks_stay_within_the_category_and_budget_and_are_in_stock(shop: Any) -> None:
    chat = Chat("guest_en", category="phones", budget="under $500", budget_max=500.0)
    reply = chat.user("show me phones under $500", "request_recommendation").run("action_recommend_products")
    assert reply.texts[0] == "Here are my top phones for you up to $500:"
    products = shown(shop, reply)
    assert len(products) == 3 and reply.slots["shown_products"] == [p.product_id for p in products]
    for product in products:
        assert product.category == "phones" and product.price <= 500 and product.in_stock
    cards = reply.texts[1:4]
    for product, card in zip(products, cards, strict=True):
        assert card.startswith(f"• {product.name} — ${product.price:,.2f}, ★ {product.rating:.1f}")
    assert f'/more_like_this{{"product": "{products[0].product_id}"}}' in reply.payloads


def test_show_me_more_pages_on_and_cheaper_goes_below_everything_shown(shop: Any) -> None:
    more = Chat("phones_en").user("show me more", "request_recommendation").run("action_recommend_products")
    new = more.slots["conversation"]["shown"]
    assert new and not set(new) & set(SHOWN)
    assert more.slots["shown_products"] == SHOWN + new
    cheaper = Chat("phones_en").user("show me cheaper ones", "request_recommendation").run("action_recommend_products")
    assert cheaper.slots["budget_max"] == 299.98  # below the cheapest shown, the $299.99 Galaxy A25
    assert all(p.price <= 299.98 and p.category == "phones" for p in shown(shop, cheaper))


def test_nothing_in_the_budget_says_what_the_category_costs(shop: Any) -> None:
    reply = Chat("guest_en", category="tvs", budget="under $50", budget_max=50.0) \
        .user("a tv under $50", "request_recommendation").run("action_recommend_products")
    low, high = shop.catalog.price_range("tvs")
    assert reply.text == (f"I couldn't find any TVs in stock up to $50. Our TVs range from ${low:,.2f} to "
                          f"${high:,.2f}. Want to try another budget or brand?")
    assert "shown_products" not in reply.slots


def test_without_a_category_a_guest_is_asked_for_one() -> None:
    reply = Chat("guest_en").user("recommend something", "request_recommendation").run("action_recommend_products")
    assert reply.responses == ["utter_ask_category"] and reply.events == []


def test_a_customer_asking_for_something_like_last_time_gets_picks_from_their_purchase(shop: Any) -> None:
    reply = Chat("jane_en").user("something like what I bought last time", "request_recommendation") \
        .run("action_recommend_products")
    assert reply.texts[0].startswith("Since you bought the ") and reply.texts[0].endswith(", you might like:")
    bought = {item.product_id for order in shop.orders.for_customer("C00001", limit=50) for item in order.items}
    assert shown(shop, reply) and not {p.product_id for p in shown(shop, reply)} & bought


def test_chinese_picks_in_chinese_with_yuan_prices(shop: Any) -> None:
    chat = Chat("guest_zh", category="phones", budget="2000元以内", budget_max=277.78)
    reply = chat.user("推荐几款2000元以内的手机", "request_recommendation").run("action_recommend_products")
    assert reply.texts[0] == "为您推荐几款$278(约 ¥2,000)以内的手机:"
    for product, card in zip(shown(shop, reply), reply.texts[1:4], strict=True):
        assert card.startswith(f"• {product.display_name('zh')} — ${product.price:,.2f}(约 ¥")
        assert "条评价" in card
    assert reply.texts[-1] == "想再看看别的,还是要更便宜一点的?"


# --- reactions to a pick -----------------------------------------------------------------------


def test_not_interested_is_remembered_and_never_shown_again(shop: Any) -> None:
    chat = Chat("phones_en")
    reply = chat.user("not interested in the second one", "not_interested").run("action_not_interested")
    assert reply.text == "Got it, I won't suggest the Samsung Galaxy A25 5G 128GB again."
    assert "P00106" in shop.feedback.dismissed_by(f"guest:{chat.sender}")
    again = chat.user("phones under $500 please", "request_recommendation").run("action_recommend_products")
    assert "P00106" not in again.slots["conversation"]["shown"]


def test_not_interested_in_chinese_and_without_saying_which(shop: Any) -> None:
    chat = Chat("phones_zh")
    zh = chat.user("第一款不要了", "not_interested").run("action_not_interested")
    assert zh.text == f"明白了,以后不再给您推荐{shop.catalog.get('P00001').display_name('zh')}。"
    assert "P00001" in shop.feedback.dismissed_by(f"guest:{chat.sender}")
    which = Chat("phones_en").user("not for me", "not_interested").run("action_not_interested")
    assert which.text == "Which one do you mean?" and len(which.buttons) == 3


def test_more_like_a_card_shows_similar_products_not_shown_yet(shop: Any) -> None:
    chat = Chat("phones_en")
    reply = chat.user('/more_like_this{"product": "P00001"}', "more_like_this", {"product": "P00001"}) \
        .run("action_more_like_this")
    assert reply.texts[0] == "More like the Apple iPhone SE (3rd generation) 64GB:"
    similar = shown(shop, reply)
    assert similar and not {p.product_id for p in similar} & set(SHOWN)
    assert reply.slots["shown_products"][:3] == SHOWN  # paging keeps what was shown
    nothing = Chat("guest_en").user("more like that", "more_like_this").run("action_more_like_this")
    assert nothing.text.startswith("More like which product?")


def test_the_need_of_the_request_that_opened_the_form_holds_after_the_budget_answer(shop: Any) -> None:
    # "headphones for long flights" (noise cancelling, longest battery) → asked the budget → "under 300".
    reply = Chat("guest_en").user("I need new headphones for long flights", "request_recommendation",
                                  {"category": "headphones"}) \
        .loop("recommend_form", "budget").user("under 300", "inform", {"budget": "under 300"}) \
        .set(budget_max=300.0).loop(None).run("action_recommend_products")
    picks = shown(shop, reply)
    assert picks and all(p.attributes.get("noise_cancelling") and p.price <= 300 for p in picks)
