"""Debian's Chromium, headless, driven by Playwright (its own browser downloads are never used)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from playwright.sync_api import BrowserContext, Playwright

CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    """The system Chromium (``CHROMIUM`` overrides); scripts/setup installs it when missing."""
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise RuntimeError("Chromium not found: run scripts/setup (it installs Debian's chromium) or set CHROMIUM.")
    return path


def open_browser(playwright: Playwright, user_data_dir: Path) -> BrowserContext:
    """A headless Chromium with a fresh profile in ``user_data_dir`` (localStorage lives there across reloads)."""
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir), executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS,
        viewport={"width": 1280, "height": 900},
    )
