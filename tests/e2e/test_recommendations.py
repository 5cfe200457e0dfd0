"""Recommendation dialogues through the REST channel, the Rasa server and the action server."""

from tests.e2e.shopdata import listed_products
from tests.servers import Chat


def test_everything_at_once_gives_phones_within_budget(stack):
    reply = Chat(stack).text("recommend me a phone under $500")
    products = listed_products(reply)
    assert len(products) == 3, reply
    for row, price in products:
        assert row["category"] == "phones"
        assert price <= 500 and float(row["price"]) == price
        assert int(row["stock"]) > 0


def test_form_asks_for_what_is_missing_in_any_order(stack):
    chat = Chat(stack)
    assert "budget" in chat.text("I need a new laptop").lower()
    products = listed_products(chat.text("around 1000"))
    assert products
    assert all(row["category"] == "laptops" and 800 <= price <= 1200 for row, price in products)

    budget_first = Chat(stack)
    assert "what kind of product" in budget_first.text("I can spend up to 300 dollars").lower()
    products = listed_products(budget_first.text("headphones"))
    assert products and all(row["category"] == "headphones" and price <= 300 for row, price in products)


def test_brand_filter_and_ranking(stack):
    products = listed_products(Chat(stack).text("show me Samsung tvs between 400 and 1500"))
    assert products
    assert all(row["brand"] == "Samsung" and row["category"] == "tvs" for row, _ in products)
    ratings = [float(row["rating"]) for row, _ in products]
    assert ratings == sorted(ratings, reverse=True)


def test_shipping_question_inside_the_form_returns_to_the_form(stack):
    chat = Chat(stack)
    assert "budget" in chat.text("I'm looking for headphones").lower()
    digression = chat.text("how long does standard shipping take?")
    assert "3–5 business days" in digression
    assert "budget" in digression.lower()  # the form asks again
    products = listed_products(chat.text("under 200"))
    assert products and all(row["category"] == "headphones" and price <= 200 for row, price in products)


def test_more_and_cheaper_follow_ups(stack):
    chat = Chat(stack)
    first = listed_products(chat.text("recommend a laptop under $2000"))
    more = listed_products(chat.text("show me more"))
    assert more and not {r["product_id"] for r, _ in first} & {r["product_id"] for r, _ in more}
    cheaper = listed_products(chat.text("cheaper ones please"))
    assert cheaper
    assert max(price for _, price in cheaper) < min(price for _, price in more)


def test_product_question_answers_from_the_catalogue(stack):
    chat = Chat(stack)
    row, price = listed_products(chat.text("recommend me a camera under $1500"))[0]
    reply = chat.text(f"tell me more about the {row['name']}")
    assert row["name"] in reply and f"${price:,.2f}" in reply
