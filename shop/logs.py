"""JSON log lines as an option for both servers (``LOG_FORMAT=json``), for log collectors.

One JSON object a line: time (UTC, ISO 8601), level, logger, message, and the exception when there is
one. Personal data is masked before this formatter sees a record (shop.pii's record factory), so the
JSON lines are masked like the text ones. Pure standard library: the Rasa server imports it too.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime, timezone

LOG_FORMAT_ENV = "LOG_FORMAT"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def json_logs_requested() -> bool:
    return os.environ.get(LOG_FORMAT_ENV, "").strip().lower() == "json"


def use_json_logs(loggers: tuple[str, ...] = ("", "sanic.root", "sanic.error", "sanic.access", "rasa",
                                              "rasa_sdk")) -> bool:
    """With ``LOG_FORMAT=json``, every handler of these loggers writes JSON lines; returns whether it did."""
    if not json_logs_requested():
        return False
    formatter = JsonFormatter()
    for name in loggers:
        for handler in logging.getLogger(name).handlers:
            handler.setFormatter(formatter)
    return True
