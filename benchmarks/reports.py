"""Where the benchmarks write their reports: ``reports/<stem>.json`` for tools, ``.md`` for people."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REPORTS = Path(__file__).resolve().parents[1] / "reports"


def save_report(stem: str, data: Any, markdown: str) -> Path:
    """Writes both files (numpy figures become floats) and returns the Markdown one."""
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / f"{stem}.json").write_text(
        json.dumps(data, indent=2, ensure_ascii=False, default=float) + "\n", encoding="utf-8")
    path = REPORTS / f"{stem}.md"
    path.write_text(markdown.rstrip("\n") + "\n", encoding="utf-8")
    return path
