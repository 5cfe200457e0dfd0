"""Reading the shop's YAML data files (knowledge base, messages, offers) with one clear error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def load_mapping(path: str | Path, what: str, error: type[Exception]) -> dict[str, Any]:
    """The mapping in ``path``; ``error`` names ``what`` the file is when it is missing, not YAML,
    or not a mapping (an empty file is an empty mapping)."""
    try:
        raw: Any = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise error(f"cannot read {what} {path}: {exc}") from exc
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise error(f"{what} {path} is not a mapping")
    return raw
