"""Rasa's training log cut to what a person waiting wants to see: each component's start and end
with the elapsed time, and every tenth epoch with its loss (``rasa train | python -m rasa_ext.training_progress``).

``rasa train --quiet`` prints nothing for minutes; without it, TensorFlow's and Rasa's warnings bury
the progress, and tqdm redraws its epoch bar with carriage returns. Errors and tracebacks pass through.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterator
from typing import BinaryIO, TextIO

EPOCH_STEP = 10  # print every tenth epoch: DIET and TED run 40-60, so 4-6 lines each
_COMPONENT = re.compile(r"(Starting to train|Finished training) component '([^']+)'")
_EPOCH = re.compile(r"Epochs:\s+\d+%\|[^|]*\|\s*(\d+)/(\d+) \[")
_LOSS = re.compile(r"t_loss=[\d.]+")
_PASS = re.compile(r"Traceback|Error|error:|Your Rasa model is trained|Nothing changed")


def _lines(stream: BinaryIO) -> Iterator[str]:
    """Lines ended by a newline or a carriage return, as they arrive (tqdm ends its redraws with \r
    only, so reading by newline would hold a whole training's epochs back)."""
    pending = b""
    while chunk := stream.read1(4096) if hasattr(stream, "read1") else stream.read(4096):
        pending += chunk
        *complete, pending = re.split(rb"[\r\n]", pending)
        for line in complete:
            yield line.decode("utf-8", "replace")
    if pending:
        yield pending.decode("utf-8", "replace")


def follow(stream: BinaryIO, out: TextIO = sys.stdout) -> None:
    started = time.monotonic()
    shown_epoch = None
    for line in _lines(stream):
        stamp = f"[{time.monotonic() - started:5.0f} s]"
        if component := _COMPONENT.search(line):
            verb = "training" if component.group(1).startswith("Starting") else "trained "
            out.write(f"  {stamp} {verb} {component.group(2)}\n")
            shown_epoch = None
        elif epoch := _EPOCH.search(line):
            done, total = int(epoch.group(1)), int(epoch.group(2))
            if done and (done % EPOCH_STEP == 0 or done == total) and (done, total) != shown_epoch:
                shown_epoch = (done, total)
                loss = _LOSS.search(line)
                out.write(f"  {stamp}   epoch {done}/{total} {loss.group(0) if loss else ''}".rstrip() + "\n")
        elif _PASS.search(line):
            out.write(line + "\n")
        else:
            continue
        out.flush()


if __name__ == "__main__":
    follow(sys.stdin.buffer)
