"""Custom actions of the Kestrel Electronics assistant (rasa-sdk).

Each module is thin: it reads the tracker, calls plain logic in ``shop/`` and
turns the result into messages and slot events. Importing them here registers
them with the action server (``rasa_sdk --actions actions``).
"""

import os

from actions import (  # noqa: F401
    answers,
    cart,
    conversation,
    fallback,
    marketing,
    order_problems,
    orders,
    recommendations,
    session,
    support,
)
from actions.services import warm_up

# Sanic imports this package in its primary process too, which never runs an action: only the
# worker processes (which Sanic marks with SANIC_WORKER_NAME) load the models.
if os.environ.get("SANIC_WORKER_NAME"):
    warm_up()
