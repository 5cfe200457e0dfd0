"""A conversation's transcript for a human agent, with personal data masked as in the logs.

Pure standard library (plus shop.pii): the action server (ticket emails, Python 3.11) and the Rasa
server's Chatwoot connector (Python 3.10) both build it from Rasa's conversation events.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from shop.pii import mask_text

# An agent reads the end of a conversation first; 40 turns cover every handoff in the test stories
# (the longest is 14) with room to spare, and keep a ticket email well under 20 kB.
MAX_LINES = 40
MAX_LINE_CHARS = 500


@dataclass(frozen=True)
class Line:
    speaker: str  # "shopper" or "assistant"
    text: str
    at: float | None = None  # Unix time, when the event has one


def lines_from_events(events: Iterable[Mapping[str, Any]]) -> list[Line]:
    """The shopper's and the assistant's messages, in order, from Rasa events (dicts)."""
    lines = []
    for event in events:
        kind = event.get("event")
        if kind not in ("user", "bot"):
            continue
        text = event.get("text")
        if not isinstance(text, str) or not text.strip():
            continue
        stamp = event.get("timestamp")
        lines.append(Line("shopper" if kind == "user" else "assistant", text,
                          float(stamp) if isinstance(stamp, (int, float)) else None))
    return lines


def render(lines: list[Line], max_lines: int = MAX_LINES) -> str:
    """Plain text, one message a line, masked; the last ``max_lines`` messages when there are more."""
    shown = lines[-max_lines:]
    out = [f"[... {len(lines) - len(shown)} earlier messages left out]"] if len(shown) < len(lines) else []
    for line in shown:
        when = datetime.fromtimestamp(line.at, timezone.utc).strftime("%H:%M ") if line.at else ""
        text = " ".join(mask_text(line.text).split())
        if len(text) > MAX_LINE_CHARS:
            text = text[:MAX_LINE_CHARS] + "…"
        out.append(f"{when}{line.speaker}: {text}")
    return "\n".join(out)


def transcript(events: Iterable[Mapping[str, Any]], max_lines: int = MAX_LINES) -> str:
    """The masked transcript of a conversation's events."""
    return render(lines_from_events(events), max_lines)
