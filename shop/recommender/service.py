"""Keeps the newest trained artifact loaded in a long-running process, and swaps in newer ones."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from shop import metrics
from shop.recommender.artifact import ArtifactError, list_artifacts, load
from shop.recommender.model import Recommender

log = logging.getLogger(__name__)


class RecommenderService:
    """Loads the newest artifact once and reloads when a newer file appears, without a restart.

    The directory is listed at most once every ``check_seconds``, so ``get()`` is cheap enough to
    call on every request. A file that cannot be loaded is skipped (and logged once); the model in
    use, if any, stays in use. ``get()`` returns None when there is no usable model: callers fall
    back to plain popularity or catalogue search. ``require()`` raises ArtifactError instead.
    """

    def __init__(self, directory: str | Path, check_seconds: float = 30.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.directory = Path(directory)
        self.check_seconds = check_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._model: Recommender | None = None
        self._loaded: tuple[Path, int] | None = None  # path and mtime of what is in use
        self._failed: set[tuple[Path, int]] = set()
        self._checked_at: float | None = None
        self.last_error: str | None = None

    @property
    def loaded_path(self) -> Path | None:
        return self._loaded[0] if self._loaded else None

    def get(self) -> Recommender | None:
        now = self._clock()
        if self._checked_at is None or now - self._checked_at >= self.check_seconds:
            with self._lock:
                if self._checked_at is None or now - self._checked_at >= self.check_seconds:
                    self._checked_at = now
                    self._refresh()
        return self._model

    def require(self) -> Recommender:
        model = self.get()
        if model is None:
            raise ArtifactError(self.last_error or f"no recommender artifact in {self.directory}")
        return model

    def _refresh(self) -> None:
        for path in list_artifacts(self.directory):
            try:
                key = (path, path.stat().st_mtime_ns)
            except OSError:
                continue
            if key == self._loaded:
                return  # the newest usable file is the one in use
            if key in self._failed:
                continue
            try:
                model = load(path)
            except ArtifactError as exc:
                metrics.RECOMMENDER_RELOADS.labels("failed").inc()
                self._failed.add(key)
                self._report(f"skipping recommender artifact: {exc}")
                continue
            self._model, self._loaded, self.last_error = model, key, None
            metrics.RECOMMENDER_RELOADS.labels("loaded").inc()
            log.info("recommender loaded %s (fingerprint %s, %d items)", path.name, model.fingerprint, len(model))
            return
        if self._model is None:
            self._report(f"no usable recommender artifact in {self.directory}; falling back to popularity")

    def _report(self, message: str) -> None:
        # Logged once per distinct problem, not on every check.
        if message != self.last_error:
            log.warning(message)
        self.last_error = message
