"""Trains the recommender when its inputs changed: ``python -m shop.recommender.train [--force]``.

Prints progress to stderr and the artifact's path to stdout. Exit status 0 when the artifact is up
to date (trained or not), 1 on failure.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from shop.config import Settings
from shop.feedback import export_feedback
from shop.recommender.artifact import ArtifactError, artifact_path, fingerprint, load, save
from shop.recommender.training import print_progress, train_from_files
from shop.state import StateStore, StateStoreUnavailable
from shop.training_cli import run


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


def train_with_feedback(settings: Settings, force: bool = False) -> tuple[Path, bool]:
    # Feedback is recorded in the state database (shared by every action server); the recommender
    # trains on its CSV export, so the fingerprint sees new feedback.
    state = StateStore(settings.state_url)
    try:
        export_feedback(state, settings.recommender.feedback)
    finally:
        state.close()
    return train_if_needed(settings, force=force)


def main(argv: list[str] | None = None) -> int:
    return run("python -m shop.recommender.train", __doc__, "recommender", train_with_feedback, argv,
               errors=(StateStoreUnavailable,))


if __name__ == "__main__":
    sys.exit(main())
