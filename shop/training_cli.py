"""The command line shared by the training modules (``python -m shop.<part>.train [--force]``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from shop.config import ConfigError, Settings, load_settings

Trainer = Callable[[Settings, bool], tuple[Path, bool]]


def run(prog: str, doc: str, what: str, train: Trainer, argv: Sequence[str] | None = None,
        errors: tuple[type[Exception], ...] = ()) -> int:
    """Parses ``--force``/``--config``, trains if needed and prints the artifact's path to stdout.
    Exit status 0 when the artifact is up to date (trained now or not), 1 with the reason on stderr."""
    parser = argparse.ArgumentParser(prog=prog, description=doc.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="train even if an artifact for these inputs exists")
    parser.add_argument("--config", help="settings file (default: SHOP_CONFIG or shop.yml)")
    args = parser.parse_args(argv)
    try:
        path, trained = train(load_settings(args.config), args.force)
    except (ConfigError, OSError, ValueError, KeyError, *errors) as exc:
        print(f"{what} training failed: {exc}", file=sys.stderr)
        return 1
    print(f"{'Wrote' if trained else 'Up to date:'} {path}")
    return 0
