"""Chinese through the running servers: the reply follows the shopper's language, turn by turn."""

import re

from tests.servers import Chat

HAN = re.compile(r"[\u4e00-\u9fff]")

CHINESE_GREETING = "推荐商品"  # a button title of utter_greet's Chinese variation
ENGLISH_GREETING = "Recommend a product"


def test_a_chinese_greeting_gets_the_chinese_greeting(stack):
    chat = Chat(stack)
    reply = chat.text("你好，在吗？")
    assert "您好" in reply and CHINESE_GREETING in reply and ENGLISH_GREETING not in reply
    assert chat.slot("language") == "zh"


def test_the_language_follows_a_switch_and_survives_messages_without_a_signal(stack):
    chat = Chat(stack)
    assert CHINESE_GREETING in chat.text("你好")
    assert ENGLISH_GREETING in chat.text("hello there")
    assert chat.slot("language") == "en"
    # A button payload says nothing about the language: the conversation keeps English.
    assert ENGLISH_GREETING in chat.text("/greet")
    assert chat.slot("language") == "en"
    reply = chat.text("你好呀")
    assert CHINESE_GREETING in reply and ENGLISH_GREETING not in reply
    assert CHINESE_GREETING in chat.text("/greet")
    chat.say("12345")
    assert chat.slot("language") == "zh"


def test_the_issues_example_starts_a_phone_recommendation_in_chinese(stack):
    chat = Chat(stack)
    reply = chat.text("我想购买新手机,有什么推荐吗?")
    assert chat.slot("category") == "phones"
    assert "预算" in reply  # the recommendation form asks for the budget, in Chinese


YUAN_PER_DOLLAR = 7.2  # shop.yml currency.yuan_per_dollar
CARD_PRICE = re.compile(r"— \$([\d,]+\.\d\d)")


def test_a_chinese_shopper_is_served_in_chinese_end_to_end_and_can_switch_to_english(stack):
    chat = Chat(stack, customer="C00001")  # signed in: the order's details are theirs to see
    chat.text("我想购买新手机,有什么推荐吗?")
    cards = chat.text("三千元以内")
    prices = [float(p.replace(",", "")) for p in CARD_PRICE.findall(cards)]
    assert "手机" in cards and "¥" in cards and prices, cards
    assert max(prices) <= 3000 / YUAN_PER_DOLLAR
    order = chat.text("我的订单 KE-100002 到哪了?")
    assert "订单 KE-100002" in order and "UPS" in order and "发货" in order
    assert "30 天" in chat.text("退货期限是多久?")
    # The shopper switches to English: the very next reply is English.
    english = chat.text("how long does express shipping take?")
    assert "1–2 business days" in english and not HAN.search(english)
    assert chat.slot("language") == "en"
