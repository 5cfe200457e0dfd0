"""Chinese through the running servers: the reply follows the shopper's language, turn by turn."""

from tests.servers import Chat

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
