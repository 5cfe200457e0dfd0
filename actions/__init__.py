"""Custom actions of the Kestrel Electronics assistant (rasa-sdk).

Each module is thin: it reads the tracker, calls plain logic in ``shop/`` and
turns the result into messages and slot events. Importing them here registers
them with the action server (``rasa_sdk --actions actions``).
"""

from actions import answers, fallback, marketing, orders, recommendations, session, support  # noqa: F401
