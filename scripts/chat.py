"""A chat in the terminal with the running Rasa server (``scripts/run``), over its REST channel.

Speaks Rasa's streaming protocol (``POST /webhooks/rest/webhook?stream=true``: one JSON message per
line), so each reply is printed as the bot sends it. Buttons are numbered through the whole reply;
typing a number sends that button. ``/stop`` (or Ctrl-D) ends the chat.

Why not Rasa's own console (``rasa.core.channels.console.record_messages``): it turns the last
message's buttons into a choice list that must be answered before anything can be typed, and it
prints nothing at all when a server answers with a JSON list, which is how the issue "the first
command opens a chat that never answers" went unnoticed. This one is standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

try:  # line editing and history where the platform has it
    import readline  # noqa: F401
except ImportError:  # pragma: no cover - Windows
    pass

STOP = "/stop"
# A turn that takes longer than this is given up (the generator's own limit is 1.2 s; a first turn
# after start-up loads models).
REPLY_TIMEOUT_SECONDS = 120


def stream_replies(url: str, sender: str, message: str) -> Iterator[dict[str, Any]]:
    """The bot's messages for one user message, as the server writes them."""
    body = json.dumps({"sender": sender, "message": message}).encode("utf-8")
    request = urllib.request.Request(f"{url.rstrip('/')}/webhooks/rest/webhook?stream=true", data=body,
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=REPLY_TIMEOUT_SECONDS) as reply:
        for line in reply:
            line = line.strip()
            if line:
                yield json.loads(line.decode("utf-8"))


def render(message: dict[str, Any], buttons: list[dict[str, Any]], name: str) -> str:
    """One bot message as terminal text; its buttons are appended to ``buttons`` and numbered."""
    lines = []
    if message.get("text"):
        lines.append(f"{name}: {message['text']}")
    if message.get("image"):
        lines.append(f"{name}: [image] {message['image']}")
    custom = message.get("custom")
    if isinstance(custom, dict) and not message.get("text"):
        summary = custom.get("text") or custom.get("name") or json.dumps(custom, ensure_ascii=False)
        lines.append(f"{name}: {summary}")
    for button in message.get("buttons") or []:
        buttons.append(button)
        lines.append(f"    [{len(buttons)}] {button.get('title', button.get('payload', ''))}")
    return "\n".join(lines)


def choose(text: str, buttons: list[dict[str, Any]]) -> tuple[str, str | None]:
    """(what to send, the chosen button's title): a number picks one of the last reply's buttons."""
    if text.isdigit() and 1 <= int(text) <= len(buttons):
        button = buttons[int(text) - 1]
        return str(button.get("payload") or button.get("title") or text), str(button.get("title") or "")
    return text, None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:5005")
    parser.add_argument("--sender", default=os.environ.get("SHOP_CHAT_SENDER") or f"shell-{uuid.uuid4().hex[:12]}",
                        help="the conversation id (default: SHOP_CHAT_SENDER, else a new one)")
    parser.add_argument("--name", default="Bot", help="the assistant's name in front of its replies")
    args = parser.parse_args()
    print(f"Chat with the assistant (type {STOP} or press Ctrl-D to quit; a number picks a button).",
          flush=True)
    buttons: list[dict[str, Any]] = []
    while True:
        try:
            text = input("You: ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if text == STOP:
            return 0
        if not text:
            continue
        message, title = choose(text, buttons)
        if title:
            print(f"  → {title}", flush=True)
        buttons = []
        try:
            for reply in stream_replies(args.url, args.sender, message):
                shown = render(reply, buttons, args.name)
                if shown:
                    print(shown, flush=True)
        except (urllib.error.URLError, OSError, ValueError) as error:
            print(f"(The assistant at {args.url} did not answer: {error}. Try again in a moment.)",
                  file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
