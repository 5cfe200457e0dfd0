"""Where the shop's own GPT-2 is kept: one directory per trained model under ``generator.artifact_dir``.

Written by the training (shop/grounded/train.py), read by the answerer's construction
(shop/grounded/build.py); its own module so that the action server's side never imports the training.
"""

from __future__ import annotations

from pathlib import Path

MODEL_PREFIX = "gpt2-"


def latest_model(artifact_dir: Path) -> Path | None:
    """The newest complete embedded model (a directory with a finished marker)."""
    done = sorted(artifact_dir.glob(f"{MODEL_PREFIX}*/training.json"), key=lambda p: p.stat().st_mtime)
    return done[-1].parent if done else None
