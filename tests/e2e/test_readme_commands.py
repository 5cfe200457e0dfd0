"""The README's first command, run as a new user runs it: ``scripts/run`` in a pseudo-terminal.

It sets up (nothing to do: the session's environments), trains (nothing to do: the session's models),
starts the action server, the Rasa server and the shop page, and leaves the user in the chat. The
conversation below goes through the project's checked REST channel in its streaming form, which is
what the chat speaks; ``/stop`` must stop the servers with it. The conversation is kept in the
session stack's tracker database, so the session's own Rasa server carries it on afterwards.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest
import requests

from tests.servers import ACTIONS_PY, REPO, Chat, Stack, free_port

PROMPT = "You: "
SENDER = "terminal-shopper"


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


class Session:
    """``scripts/run`` in a pseudo-terminal, and the ports it was told to use."""

    def __init__(self, stack: Stack, workdir: Path, *args: str) -> None:
        self.rasa_port, self.actions_port, self.web_port = free_port(), free_port(), free_port()
        env = {**stack.env(), "TERM": "dumb", "COLUMNS": "200",
               "RASA_PORT": str(self.rasa_port), "ACTIONS_PORT": str(self.actions_port),
               "WEB_PORT": str(self.web_port), "SHOP_LOG_DIR": str(workdir / "log"),
               # Its own runtime state; only the conversations are shared with the session stack.
               "SHOP_STATE_DB": str(workdir / "shop_state.db"), "SHOP_FEEDBACK": str(workdir / "feedback.csv"),
               "SHOP_MARKETING_DB": str(workdir / "marketing.db"), "SHOP_CHAT_SENDER": SENDER}
        env.pop("ACTION_ENDPOINT_URL")  # scripts/run points Rasa at its own action server
        self.child = pexpect.spawn(str(REPO / "scripts" / "run"), list(args), cwd=str(REPO), env=env, encoding="utf-8",
                                   timeout=90, dimensions=(60, 200),
                                   logfile=sys.stdout if "-s" in sys.argv else None)

    def say(self, text: str) -> str:
        """Sends a line and returns everything printed up to the next prompt."""
        self.child.sendline(text)
        self.child.expect_exact(PROMPT)
        return self.child.before


@pytest.fixture(scope="module")
def session(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    run = Session(stack, tmp_path_factory.mktemp("scripts-run"))
    try:
        # Set-up and training have nothing to do; starting the three servers takes a minute or two.
        run.child.expect("Chat with the assistant", timeout=1000)
        run.child.expect_exact(PROMPT)
        yield run
    finally:
        if run.child.isalive():
            run.child.sendline("/stop")
            try:
                run.child.expect(pexpect.EOF, timeout=60)
            except pexpect.TIMEOUT:
                run.child.terminate(force=True)
        run.child.close(force=True)


def test_a_greeting_is_answered(session):
    printed = session.say("hi")
    assert "Kes: Hi! I'm Kes, the Kestrel Electronics assistant" in printed
    assert re.search(r"\[1\] Recommend a product", printed)


def test_a_recommendation_prints_every_card_and_its_buttons(session):
    printed = session.say("recommend me a phone under $500")
    assert "Kes: Here are my top phones for you" in printed
    prices = [float(p.replace(",", "")) for p in re.findall(r"• .+? — \$(\d[\d,]*\.\d\d), ★ \d\.\d", printed)]
    assert len(prices) == 3 and all(price <= 500 for price in prices)
    # Buttons are numbered through the whole reply: three cards with three buttons, then the follow-up.
    assert len(re.findall(r"\[\d+\] Details", printed)) == 3
    assert "Want to see more, or something cheaper?" in printed
    session.more = re.search(r"\[(\d+)\] Show me more", printed).group(1)


def test_a_button_is_chosen_by_its_number(session):
    printed = session.say(session.more)
    assert "→ Show me more" in printed
    assert "Kes: Here are more phones" in printed


def test_chinese_in_the_terminal(session):
    printed = session.say("有没有500块以下的耳机?")
    assert re.search(r"Kes: .*[\u4e00-\u9fff]", printed), printed
    assert "耳机" in printed


def test_stop_ends_the_chat_and_the_servers(session, stack):
    ports = (session.rasa_port, session.actions_port, session.web_port)
    assert all(port_open(port) for port in ports)
    session.child.sendline("/stop")
    session.child.expect(pexpect.EOF, timeout=60)
    session.child.close()
    assert session.child.exitstatus == 0
    assert not any(port_open(port) for port in ports)


def test_the_session_stack_carries_on_the_terminal_conversation(stack):
    # The conversation outlives the servers that held it: the session's Rasa server has it.
    chat = Chat(stack, sender=SENDER)
    said = [event["text"] for event in chat.tracker()["events"] if event["event"] == "user"]
    assert said[:2] == ["hi", "recommend me a phone under $500"]
    assert "phones" in chat.text("show me more").lower()


def test_run_serve_starts_the_servers_and_ctrl_c_stops_them(stack, tmp_path):
    """``scripts/run serve``: the three servers and no chat; Ctrl-C stops all of them."""
    run = Session(stack, tmp_path, "serve")
    try:
        run.child.expect("Servers running; press Ctrl-C to stop.", timeout=1000)
        reply = requests.post(f"http://127.0.0.1:{run.rasa_port}/webhooks/rest/webhook",
                              json={"sender": "serve-check", "message": "hi"}, timeout=60).json()
        assert "Kestrel Electronics assistant" in reply[0]["text"]
        page = requests.get(f"http://127.0.0.1:{run.web_port}/", timeout=10)
        assert page.status_code == 200 and "chat" in page.text.lower()
        run.child.sendintr()
        run.child.expect(pexpect.EOF, timeout=60)
    finally:
        run.child.close(force=True)
    assert not any(port_open(port) for port in (run.rasa_port, run.actions_port, run.web_port))


def test_the_data_generator_command_writes_the_committed_data(tmp_path):
    subprocess.run([str(ACTIONS_PY), "scripts/generate_shop_data.py", "--out", str(tmp_path)], cwd=REPO,
                   check=True, capture_output=True, timeout=600)
    written = sorted(path.name for path in tmp_path.iterdir())
    assert written
    for name in written:
        assert (tmp_path / name).read_bytes() == (REPO / "data" / "shop" / name).read_bytes(), name
