"""Side effects only when meant: ambiguous messages change nothing, a clear request or a Yes still does."""

from pathlib import Path

import yaml

from tests.servers import Chat

AMBIGUOUS = yaml.safe_load((Path(__file__).parents[1] / "nlu" / "ambiguous.yml").read_text(encoding="utf-8"))
# Actions that change something for the shopper (a setting, a ticket, feedback, a coupon, an order, data).
SIDE_EFFECT_ACTIONS = {
    "action_marketing_opt_out", "action_marketing_opt_in", "action_file_complaint", "action_human_handoff",
    "action_not_interested", "action_accept_offer", "action_cancel_order", "action_confirm_data_deletion",
}


def _actions_since(chat: Chat, user_turn: int) -> list[str]:
    """Actions run after the user's `user_turn`-th message (0-based) of the conversation."""
    seen, actions = -1, []
    for event in chat.tracker()["events"]:
        if event.get("event") == "user":
            seen += 1
        elif event.get("event") == "action" and seen >= user_turn:
            actions.append(event.get("name"))
    return actions


def test_ambiguous_messages_take_no_side_effect(stack):
    assert len(AMBIGUOUS["messages"]) >= 60
    wrong = []
    for case in AMBIGUOUS["messages"]:
        chat = Chat(stack)
        turn = 0
        if case.get("after"):
            chat.say(case["after"])
            turn = 1
        chat.say(case["text"])
        taken = SIDE_EFFECT_ACTIONS.intersection(_actions_since(chat, turn))
        if taken:
            wrong.append((case["text"], sorted(taken)))
    assert wrong == []


def test_an_unsure_opt_out_is_asked_first_and_yes_does_it(stack):
    chat = Chat(stack)
    reply = chat.say("too many emails from you guys")  # read as an opt-out, but not surely (0.66)
    assert "stop sending you offers" in " ".join(r.get("text") or "" for r in reply)
    assert not chat.slot("marketing_opted_out")
    yes = next(b["payload"] for r in reply for b in r.get("buttons") or [] if b["title"] == "Yes")
    chat.say(yes)
    assert chat.slot("marketing_opted_out") is True


def test_a_clear_opt_out_acts_at_once(stack):
    chat = Chat(stack)
    chat.say("unsubscribe me from all marketing emails")
    assert chat.slot("marketing_opted_out") is True
