"""A scripted terminal session with ``rasa shell`` (it runs its own Rasa server) and the real action server;
the conversation is kept in the same SQLite tracker store as the session's Rasa server, which then
carries it on: conversations outlive the Rasa process that held them."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator

import pexpect
import pytest

from tests.servers import RASA_BIN, REPO, Chat, Stack, free_port, latest_model

PROMPT = "Your input ->"
CONVERSATION = "shell-shopper"


@pytest.fixture(scope="module")
def shell(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[pexpect.spawn]:
    """``rasa shell`` with the shared action server and tracker database."""
    child = None
    try:
        child = pexpect.spawn(
            str(RASA_BIN), ["shell", "--model", str(latest_model()), "--endpoints", "endpoints.yml",
                            "--port", str(free_port()), "--conversation-id", CONVERSATION],
            cwd=str(REPO), env={**stack.env(), "TERM": "dumb", "COLUMNS": "200"},
            encoding="utf-8", timeout=60, dimensions=(60, 200), logfile=sys.stdout if "-s" in sys.argv else None,
        )
        child.expect("Bot loaded", timeout=300)
        child.expect(PROMPT)
        yield child
    finally:
        if child is not None:
            # /stop ends the session, but rasa shell then takes a minute to shut its server down and
            # ignores SIGHUP/SIGINT (so pexpect's close alone can fail): the conversation is stored
            # by then, so a few seconds' grace, then kill.
            child.sendline("/stop")
            try:
                child.expect(pexpect.EOF, timeout=5)
            except pexpect.TIMEOUT:
                child.kill(signal.SIGKILL)
                child.wait()
            child.close(force=True)


def ask(shell: pexpect.spawn, text: str) -> None:
    shell.sendline(text)


def test_order_status_in_the_terminal(shell):
    ask(shell, "where is my order KE-100002?")
    shell.expect(r"KE-100002 \(.*\), placed on 2026-11-13, has shipped with UPS, tracking number 1Z4K7E9R0312345678")
    shell.expect("https://www.ups.com/track")
    shell.expect(PROMPT)


def test_recommendations_and_a_button_choice_in_the_terminal(shell):
    ask(shell, "recommend me a phone under $500")
    shell.expect("Here are my top phones for you")
    # Each card prints its numbered buttons, then its text.
    for _ in range(3):
        shell.expect(r"2: More like this \(/more_like_this")
        shell.expect(r"• (.+?) — \$(\d[\d,]*\.\d\d), ★ \d\.\d")
        assert float(shell.match.group(2).replace(",", "")) <= 500
    # The last message's buttons become a choice: Enter takes the first, "Show me more".
    shell.expect("Want to see more, or something cheaper")
    shell.expect("Show me more")
    shell.send("\r")
    shell.expect("Here are more phones")
    shell.expect("Want to see more, or something cheaper")


def test_the_rest_server_carries_on_the_shell_conversation(shell, stack):
    chat = Chat(stack, sender=CONVERSATION)
    said = [e["text"] for e in chat.tracker()["events"] if e["event"] == "user"]
    assert said[:2] == ["where is my order KE-100002?", "recommend me a phone under $500"]
    assert chat.slot("category") == "phones"
    # The next page of the shell's phones: the search (category, budget, pages seen) came along.
    assert "phones" in chat.text("show me more").lower()
