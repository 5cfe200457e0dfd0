"""A scripted terminal session with ``rasa shell`` (it runs its own Rasa server) and the real action server."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator

import pexpect
import pytest

from tests.servers import RASA_BIN, REPO, Stack, free_port, latest_model

PROMPT = "Your input ->"


@pytest.fixture(scope="module")
def shell(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[pexpect.spawn]:
    """``rasa shell`` with the shared action server and a tracker database of its own."""
    tracker = tmp_path_factory.mktemp("shell") / "tracker.db"
    child = None
    try:
        child = pexpect.spawn(
            str(RASA_BIN), ["shell", "--model", str(latest_model()), "--endpoints", "endpoints.yml",
                            "--port", str(free_port())],
            cwd=str(REPO), env={**stack.env(), "RASA_TRACKER_DB": str(tracker), "TERM": "dumb", "COLUMNS": "200"},
            encoding="utf-8", timeout=60, dimensions=(60, 200), logfile=sys.stdout if "-s" in sys.argv else None,
        )
        child.expect("Bot loaded", timeout=300)
        child.expect(PROMPT)
        yield child
    finally:
        if child is not None:
            # /stop ends the session, but rasa shell may take a while to shut its server down (and
            # then ignores SIGHUP/SIGINT, so pexpect's close alone can fail): wait, then kill.
            child.sendline("/stop")
            try:
                child.expect(pexpect.EOF, timeout=60)
            except pexpect.TIMEOUT:
                child.kill(signal.SIGKILL)
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
