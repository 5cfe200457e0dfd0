"""Versioned artifacts on disk: fingerprint, save (atomically), load, list and prune.

An artifact is one ``recommender-<fingerprint>.npz`` file: the Recommender's arrays plus a JSON
metadata entry. npz, not pickle, so loading one runs no code and survives refactoring.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from shop.recommender.model import ARRAY_KEYS, Recommender

PREFIX = "recommender-"
SUFFIX = ".npz"
FORMAT_VERSION = 1


class ArtifactError(RuntimeError):
    """No usable artifact: none written yet, or the file is unreadable or incomplete."""


def fingerprint(data_files: Iterable[str | Path | None], hyperparameters: dict[str, Any]) -> str:
    """sha256 (16 hex digits) over the data files' bytes and the hyperparameters.

    A missing file (no feedback yet) counts as its name only, so creating it changes the fingerprint.
    """
    digest = hashlib.sha256(f"format={FORMAT_VERSION}\n".encode())
    for path in data_files:
        if path is None:
            continue
        path = Path(path)
        digest.update(f"file={path.name}\n".encode())
        if path.is_file():
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
    digest.update(json.dumps(hyperparameters, sort_keys=True).encode())
    return digest.hexdigest()[:16]


def artifact_path(directory: str | Path, fingerprint_: str) -> Path:
    return Path(directory) / f"{PREFIX}{fingerprint_}{SUFFIX}"


def list_artifacts(directory: str | Path) -> list[Path]:
    """Artifacts in the directory, newest first (by modification time, then name)."""
    folder = Path(directory)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f"{PREFIX}*{SUFFIX}"):
        try:
            found.append((path.stat().st_mtime_ns, path.name, path))
        except OSError:  # deleted between listing and stat (pruned by a trainer)
            continue
    return [path for _, _, path in sorted(found, reverse=True)]


def newest_artifact(directory: str | Path) -> Path | None:
    paths = list_artifacts(directory)
    return paths[0] if paths else None


def save(recommender: Recommender, directory: str | Path, keep: int = 3) -> Path:
    """Writes ``recommender-<fingerprint>.npz`` and prunes all but the newest ``keep``.

    Written to a temporary file and renamed, so a watcher never loads half a file.
    """
    if not recommender.fingerprint:
        raise ValueError("a recommender needs a fingerprint to be saved")
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    target = artifact_path(folder, recommender.fingerprint)
    meta = json.dumps(recommender.meta, sort_keys=True)
    handle, temporary = tempfile.mkstemp(prefix=".tmp-", suffix=SUFFIX, dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            np.savez(stream, meta=np.array(meta), **recommender.arrays)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; other processes must read it
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    prune(folder, keep)
    return target


def prune(directory: str | Path, keep: int) -> list[Path]:
    removed = []
    for path in list_artifacts(directory)[max(1, keep):]:
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def load(path: str | Path) -> Recommender:
    """The Recommender stored in an artifact; ArtifactError says why one cannot be used."""
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as stored:
            arrays = {key: stored[key] for key in ARRAY_KEYS if key in stored}
            meta = json.loads(str(stored["meta"]))
    except FileNotFoundError as exc:
        raise ArtifactError(f"no recommender artifact at {path}") from exc
    except (OSError, ValueError, KeyError) as exc:
        raise ArtifactError(f"cannot read recommender artifact {path}: {exc}") from exc
    if meta.get("format") != FORMAT_VERSION:
        raise ArtifactError(f"{path} has format {meta.get('format')!r}, this code reads {FORMAT_VERSION}")
    try:
        return Recommender(arrays, meta)
    except (ValueError, KeyError, TypeError) as exc:
        raise ArtifactError(f"recommender artifact {path} is incomplete: {exc}") from exc
