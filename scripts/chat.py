"""`rasa shell` against the already running server (rasa shell would start a second one)."""

from __future__ import annotations

import argparse
import asyncio
import uuid

from rasa.core.channels.console import record_messages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://localhost:5005")
    parser.add_argument("--sender", default=f"shell-{uuid.uuid4().hex[:8]}")
    args = parser.parse_args()
    asyncio.run(record_messages(args.sender, server_url=args.url))


if __name__ == "__main__":
    main()
