"""Session start and identification (actions/session.py): a verified token links the account, a
typed email gets a one-time code only if it is an account's, and only the right code links it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.actions.conftest import Chat, mails


def code_mailed_to(workdir: Path, address: str) -> str | None:
    """The six-digit code in the newest mail to ``address``."""
    for mail in reversed(mails(workdir)):
        if mail["To"] == address:
            found = re.search(r"\b(\d{6})\b", mail.get_content())
            return found.group(1) if found else None
    return None


def test_session_start_links_the_customer_a_verified_token_names(shop: Any) -> None:
    chat = Chat("session_start_token")
    reply = chat.run("action_session_start")
    assert reply.kinds[0] == "session_started" and reply.kinds[-1] == "action"
    assert reply.slots == {"customer_id": "C00001", "customer_name": "Jane", "email": "jane.doe@example.com"}
    assert [line["action"] for line in shop.state.audit_lines("C00001")][-1] == "identity.linked"


def test_session_start_keeps_earlier_slots_and_carries_a_guest_opt_out_to_the_account(shop: Any) -> None:
    assert shop.customers.marketing_consent("C00002") is True
    reply = Chat("session_start_returning_zh").run("action_session_start")
    assert reply.slots["language"] == "zh" and reply.slots["marketing_opted_out"] is True
    assert reply.slots["customer_id"] == "C00002"
    assert "session_started_metadata" not in reply.slots  # the token is not kept as a slot
    assert shop.customers.marketing_consent("C00002") is False


def test_session_start_links_no_one_for_an_unknown_customer_id() -> None:
    chat = Chat("session_start_token")
    chat.state["slots"]["session_started_metadata"] = {"verified_customer_id": "C99999"}
    reply = chat.run("action_session_start")
    assert "customer_id" not in reply.slots


def test_an_accounts_email_gets_a_code_and_the_right_code_links_the_account(shop: Any, workdir: Path) -> None:
    chat = Chat("guest_en")
    sent = chat.user("noahtanaka531@example.org", "inform", {"email": "noahtanaka531@example.org"}) \
        .run("action_identify_customer")
    assert "six-digit code" in sent.text and "10 minutes" in sent.text
    assert sent.slots == {"email": "noahtanaka531@example.org"}
    assert "customer_id" not in sent.slots  # an email typed proves nothing yet
    code = code_mailed_to(workdir, "noahtanaka531@example.org")
    assert code is not None

    linked = chat.user(code, "inform", {"verification_code": code}).run("action_verify_code")
    assert linked.text == "Thanks, Noah! I've linked this chat to your account."
    assert linked.slots["customer_id"] == "C00002"


def test_a_wrong_code_links_nothing_and_counts_down(workdir: Path) -> None:
    chat = Chat("guest_en")
    chat.user("jane.doe@example.com", "inform", {"email": "jane.doe@example.com"}).run("action_identify_customer")
    right = code_mailed_to(workdir, "jane.doe@example.com")
    wrong = "000000" if right != "000000" else "111111"
    reply = chat.user(wrong, "inform", {"verification_code": wrong}).run("action_verify_code")
    assert re.fullmatch(r"That code isn't right\. You have \d more tries\.", reply.text)
    assert reply.slots == {}


def test_an_email_without_an_account_gets_the_same_reply_and_no_mail(workdir: Path) -> None:
    before = len(mails(workdir))
    stranger = Chat("guest_en").user("nobody@nowhere.example", "inform", {"email": "nobody@nowhere.example"}) \
        .run("action_identify_customer")
    customer = Chat("guest_en").user("jane.doe@example.com", "inform", {"email": "jane.doe@example.com"}) \
        .run("action_identify_customer")
    assert stranger.text == customer.text  # the chat must not tell who is a customer
    assert [m["To"] for m in mails(workdir)[before:]] == ["jane.doe@example.com"]


def test_a_guest_checking_an_order_keeps_the_email_for_the_form_without_a_code(workdir: Path) -> None:
    before = len(mails(workdir))
    chat = Chat("order_form_guest_en").set(order_id="KE-100002", requested_slot="email")
    reply = chat.user("jane.doe@example.com", "inform", {"email": "jane.doe@example.com"}) \
        .run("action_identify_customer")
    assert reply.slots == {"email": "jane.doe@example.com"} and reply.messages == []
    assert len(mails(workdir)) == before


def test_six_digits_with_no_code_pending_are_an_order_number() -> None:
    reply = Chat("guest_en").user("104233", "inform").run("action_verify_code")
    assert reply.slots == {"order_id": "KE-104233"}
    assert {"event": "followup", "name": "order_status_form"} in [
        {k: e.get(k) for k in ("event", "name")} for e in reply.events]


def test_the_code_is_sent_and_asked_for_in_chinese(workdir: Path) -> None:
    chat = Chat("guest_zh")
    reply = chat.user("我的邮箱是 jane.doe@example.com", "inform", {"email": "jane.doe@example.com"}) \
        .run("action_identify_customer")
    assert reply.text.startswith("如果这个邮箱地址关联了账户") and "10 分钟内有效" in reply.text
    assert "Jane,您好" in mails(workdir)[-1].get_content()
    nothing = Chat("guest_zh").user("654321", "inform").run("action_verify_code")
    assert nothing.slots == {"order_id": "KE-654321"}


def test_wrong_codes_count_down_to_a_cancelled_code(shop: Any, workdir: Path) -> None:
    chat = Chat("guest_en")
    chat.user("noahtanaka531@example.org", "inform", {"email": "noahtanaka531@example.org"}) \
        .run("action_identify_customer")
    right = code_mailed_to(workdir, "noahtanaka531@example.org")
    wrong = "000000" if right != "000000" else "111111"
    replies = [chat.user(wrong, "inform", {"verification_code": wrong}).run("action_verify_code").text
               for _ in range(5)]
    assert [r.split(". ")[1] for r in replies[:4]] == [f"You have {n} more tries." for n in (4, 3, 2, 1)]
    assert replies[4] == ("That code isn't right either, so I've cancelled it. Type your email address again "
                          "for a new one.")
    assert shop.state.pending_code(chat.sender) is None
    late = chat.user(right, "inform", {"verification_code": right}).run("action_verify_code")
    assert "customer_id" not in late.slots  # the right code, after it was cancelled, links nothing


def test_a_customer_typing_their_own_email_is_told_the_chat_is_linked(workdir: Path) -> None:
    before = len(mails(workdir))
    reply = Chat("jane_en").user("jane.doe@example.com", "inform", {"email": "jane.doe@example.com"}) \
        .run("action_identify_customer")
    assert reply.text == "This chat is already linked to that account." and reply.events == []
    assert len(mails(workdir)) == before
