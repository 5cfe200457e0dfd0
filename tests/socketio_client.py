"""A socket.io client for the web chat channel, run in the Rasa environment (it has python-socketio;
long-polling, as its websocket transport needs a newer aiohttp than Rasa pins):

    .venv-rasa/bin/python -m tests.socketio_client URL ORIGIN WAIT_SECONDS MESSAGE_JSON...

Requests a session, sends each message (a JSON object: message and metadata), waits for replies and
prints {"session_id": ..., "replies": [...], "error": ...} as JSON. Tests call it through ``socketio_chat``.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from typing import Any


async def _chat(url: str, origin: str, wait: float, messages: list[dict[str, Any]]) -> dict[str, Any]:
    import socketio

    client = socketio.AsyncClient()
    replies: list[Any] = []
    confirmed = asyncio.Event()
    session: dict[str, str] = {}

    @client.on("session_confirm")
    async def on_confirm(session_id: Any) -> None:
        session["id"] = session_id if isinstance(session_id, str) else session_id.get("session_id")
        confirmed.set()

    @client.on("bot_uttered")
    async def on_reply(data: Any) -> None:
        replies.append(data)

    try:
        await client.connect(url, headers={"Origin": origin}, transports=["polling"], socketio_path="/socket.io",
                             wait_timeout=10)
    except Exception as error:  # noqa: BLE001 - the test reads the refusal
        return {"session_id": None, "replies": [], "error": str(error)}
    await client.emit("session_request", {"session_id": None})
    await asyncio.wait_for(confirmed.wait(), 10)
    for message in messages:
        await client.emit("user_uttered", {"session_id": session["id"], **message})
        deadline = asyncio.get_running_loop().time() + wait
        count = len(replies)
        while asyncio.get_running_loop().time() < deadline and len(replies) == count:
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)
    await client.disconnect()
    return {"session_id": session["id"], "replies": replies, "error": None}


def socketio_chat(url: str, origin: str, *messages: dict[str, Any], wait: float = 30) -> dict[str, Any]:
    """Runs this client in the Rasa environment and returns what it printed."""
    from tests.servers import RASA_PY, REPO

    result = subprocess.run([str(RASA_PY), "-m", "tests.socketio_client", url, origin, str(wait),
                             *map(json.dumps, messages)], cwd=REPO, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    print(json.dumps(asyncio.run(_chat(sys.argv[1], sys.argv[2], float(sys.argv[3]),
                                       [json.loads(m) for m in sys.argv[4:]]))))
