"""Follow-ups over the conversation state (actions/conversation.py): comparisons of what was shown,
and the form's questions, not repeated after a digression."""

from __future__ import annotations

from tests.actions.conftest import Chat


def test_two_products_compared_by_name_side_by_side() -> None:
    reply = Chat("phones_en").user("compare the iPhone SE and the Galaxy A25", "compare_products") \
        .run("action_compare_products")
    lines = reply.text.split("\n")
    assert lines[:3] == ["Here's how they compare:", "1. Apple iPhone SE (3rd generation) 64GB",
                         "2. Samsung Galaxy A25 5G 128GB"]
    assert "price: 1) $343.00 | 2) $299.99" in lines and "battery: 1) 2018 mAh | 2) 5000 mAh" in lines
    assert lines[-1] == ("The Samsung Galaxy A25 5G 128GB is $43.01 cheaper than the Apple iPhone SE (3rd "
                         "generation) 64GB.")
    assert reply.slots["conversation"]["compared"] == ["P00001", "P00106"]


def test_the_web_chat_gets_the_comparison_as_a_table() -> None:
    reply = Chat("phones_en", channel="socketio").user("compare the first two", "compare_products") \
        .run("action_compare_products")
    [table] = [custom["data"] for custom in reply.custom]
    assert table["type"] == "comparison_table" and table["product_ids"] == ["P00001", "P00106"]
    assert {"label": "price", "values": ["$343.00", "$299.99"]} in table["rows"]
    assert reply.texts == []


def test_a_comparison_needs_two_products_and_compares_all_shown_in_chinese() -> None:
    nothing = Chat("guest_en").user("compare them", "compare_products").run("action_compare_products")
    assert nothing.text == "I haven't shown you any products yet. What are you looking for?"
    zh = Chat("phones_zh").user("对比一下这几款", "compare_products").run("action_compare_products")
    lines = zh.text.split("\n")
    assert lines[0] == "对比如下:" and len([line for line in lines if line[:2] in ("1.", "2.", "3.")]) == 3
    assert "价格: 1) $343.00(约 ¥2,470) | 2) $299.99(约 ¥2,160) | 3) $399.99(约 ¥2,880)" in lines
    assert lines[-1] == "三星 Galaxy A25 5G 128GB比三星 Galaxy A35 5G 128GB便宜 $100.00(约 ¥720)。"


def test_the_forms_questions_are_asked_once_not_after_every_digression() -> None:
    asking = Chat("guest_en").loop("recommend_form", "category").user("I want something", "request_recommendation")
    assert asking.run("action_ask_category").responses == ["utter_ask_category"]
    digression = Chat("guest_en").loop("recommend_form", "category").user("do you ship to Canada?", "shipping_info")
    assert digression.run("action_ask_category").messages == []
    budget = Chat("guest_en", category="phones").loop("recommend_form", "budget") \
        .user("phones", "request_recommendation").run("action_ask_budget")
    assert budget.responses == ["utter_ask_budget"] and budget.messages[0]["category"] == "phones"
    zh = Chat("guest_zh", category="phones").loop("recommend_form", "budget").user("手机", "request_recommendation") \
        .run("action_ask_budget")
    assert zh.messages[0]["category"] == "手机"
    after = Chat("guest_en", category="phones").loop("recommend_form", "budget") \
        .user("what's your return policy?", "return_item").run("action_ask_budget")
    assert after.messages == []


def test_which_of_these_has_the_biggest_battery_compares_batteries_not_screens() -> None:
    # "biggest" alone ("the biggest one") means the screen; beside a field word, that field.
    reply = Chat("phones_en").user("which of these has the biggest battery?", "product_question") \
        .run("action_answer_product_question")
    assert reply.texts == ["The Samsung Galaxy A25 5G 128GB has a 5000 mAh battery (tied with the Samsung Galaxy "
                           "A35 5G 128GB), the biggest of these 3.\nThe Apple iPhone SE (3rd generation) 64GB has a "
                           "2018 mAh battery."]
    assert reply.slots["conversation"]["focus"] == "P00106"
    screen = Chat("phones_en").user("and which has the biggest screen?", "product_question") \
        .run("action_answer_product_question")
    assert screen.texts[0].startswith("The Samsung Galaxy A35 5G 128GB has a 6.6-inch screen, the biggest of these 3.")


def test_cheaper_after_a_list_asks_for_a_new_list_but_which_of_these_is_cheapest_answers_from_it() -> None:
    # The Chinese "Cheaper" button sends 有没有更便宜的; NLU may read it as a product question.
    cheaper = Chat("phones_zh").user("有没有更便宜的", "product_question").run("action_answer_product_question")
    assert {"event": "followup", "name": "action_recommend_products"} in [
        {k: e.get(k) for k in ("event", "name")} for e in cheaper.events]
    among = Chat("phones_en").user("which of these is the cheapest?", "ask_about_shown") \
        .run("action_answer_product_question")
    assert not any(e.get("event") == "followup" for e in among.events) and "$" in among.text


def test_the_cheaper_one_is_one_of_the_list_not_a_new_list() -> None:
    reply = Chat("phones_en").user("how long does the battery last on the cheaper one?", "ask_about_shown") \
        .run("action_answer_product_question")
    assert not any(e.get("event") == "followup" for e in reply.events) and "mAh" in reply.text
