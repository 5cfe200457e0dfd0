"""``rasa`` with the HTTP API's token taken from the environment, not from the command line.

    RASA_API_TOKEN=… python -m rasa_ext.serve run --enable-api --model … (any ``rasa`` arguments)

``rasa run --auth-token SECRET`` puts the token where ``ps`` shows it to every user of the machine;
here it is read from ``RASA_API_TOKEN`` and handed to Rasa's own command-line parser inside the
process (a process's visible command line is the one it was started with).
"""

from __future__ import annotations

import os
import sys

TOKEN_ENV = "RASA_API_TOKEN"


def main() -> None:
    token = os.environ.get(TOKEN_ENV, "")
    if token and "--auth-token" not in sys.argv:
        sys.argv.extend(["--auth-token", token])
    sys.argv[0] = "rasa"
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
