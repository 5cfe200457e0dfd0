"""Trains the recommender when its inputs changed: ``python -m shop.recommender.train [--force]``.

Prints progress to stderr and the artifact's path to stdout. Exit status 0 when the artifact is up
to date (trained or not), 1 on failure.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from shop.config import ConfigError, Settings, load_settings
from shop.feedback import export_feedback
from shop.recommender.artifact import ArtifactError, artifact_path, fingerprint, load, save
from shop.recommender.training import print_progress, train_from_files
from shop.state import StateStore, StateStoreUnavailable


def current_fingerprint(settings: Settings) -> str:
    files = (settings.data.products, settings.data.customers, settings.data.interactions,
             settings.recommender.feedback)
    return fingerprint(files, settings.recommender.hyperparameters())


def train_if_needed(settings: Settings, force: bool = False, quiet: bool = False) -> tuple[Path, bool]:
    """(artifact path, whether it was trained now); skips training when the fingerprint is unchanged."""
    key = current_fingerprint(settings)
    target = artifact_path(settings.recommender.artifact_dir, key)
    if not force and target.is_file():
        try:
            load(target)
            return target, False
        except ArtifactError:
            pass  # unreadable: train again and overwrite it
    say = (lambda *_: None) if quiet else (lambda text: print(text, file=sys.stderr, flush=True))
    say(f"Training the recommender (fingerprint {key}, {settings.recommender.epochs} epochs)")
    started = time.perf_counter()
    model = train_from_files(settings, progress=None if quiet else print_progress, fingerprint=key)
    path = save(model, settings.recommender.artifact_dir, keep=settings.recommender.keep_artifacts)
    say(f"Trained in {time.perf_counter() - started:.1f} s")
    return path, True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shop.recommender.train", description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="train even if an artifact for these inputs exists")
    parser.add_argument("--config", help="settings file (default: SHOP_CONFIG or shop.yml)")
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.config)
        # Feedback is recorded in the state database (shared by every action server); the
        # recommender trains on its CSV export, so the fingerprint sees new feedback.
        state = StateStore(settings.state_url)
        try:
            export_feedback(state, settings.recommender.feedback)
        finally:
            state.close()
        path, trained = train_if_needed(settings, force=args.force)
    except (ConfigError, StateStoreUnavailable, OSError, ValueError, KeyError) as exc:
        print(f"recommender training failed: {exc}", file=sys.stderr)
        return 1
    print(f"{'Wrote' if trained else 'Up to date:'} {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
