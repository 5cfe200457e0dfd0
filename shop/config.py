"""Loads shop.yml, the one place where the action server's settings live."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CONFIG = REPO_ROOT / "shop.yml"


@dataclass(frozen=True)
class DataPaths:
    products: Path
    customers: Path
    interactions: Path
    orders: Path
    order_items: Path
    knowledge_base: Path


@dataclass(frozen=True)
class Settings:
    shop_name: str
    assistant_name: str
    support_email: str
    data: DataPaths
    state_db: Path
    page_size: int


class ConfigError(ValueError):
    """The configuration file is missing, unreadable or incomplete."""


def load_settings(path: str | Path | None = None) -> Settings:
    """Reads the settings file (``SHOP_CONFIG`` or shop.yml) and applies env overrides."""
    config_path = Path(path or os.environ.get("SHOP_CONFIG") or DEFAULT_CONFIG)
    try:
        raw: dict[str, Any] = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read settings file {config_path}: {exc}") from exc
    base = config_path.parent

    def resolve(value: str | os.PathLike[str]) -> Path:
        candidate = Path(value)
        return candidate if candidate.is_absolute() else base / candidate

    try:
        shop, data, state = raw["shop"], raw["data"], raw["state"]
        paths = DataPaths(**{key: resolve(data[key]) for key in DataPaths.__dataclass_fields__})
        return Settings(
            shop_name=str(shop["name"]),
            assistant_name=str(shop.get("assistant_name", "Assistant")),
            support_email=str(shop["support_email"]),
            data=paths,
            state_db=resolve(os.environ.get("SHOP_STATE_DB") or state["database"]),
            page_size=int(raw.get("recommendations", {}).get("page_size", 3)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"settings file {config_path} is incomplete: {exc!r}") from exc
