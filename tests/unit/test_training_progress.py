"""rasa_ext/training_progress.py: Rasa's training log cut to its phases and every tenth epoch."""

from __future__ import annotations

import io

from rasa_ext.training_progress import follow


def test_phases_and_every_tenth_epoch_are_shown_and_the_noise_is_not():
    log = ("WARNING tensorflow something noisy\n"
           "INFO rasa.engine.training.hooks - Starting to train component 'DIETClassifier'.\n"
           + "".join(f"Epochs: {n * 100 // 40:3d}%|#   | {n}/40 [00:0{n % 10}<00:10, t_loss={3 - n / 20:.2f}]\r"
                     for n in range(41))
           + "INFO rasa.engine.training.hooks - Finished training component 'DIETClassifier'.\n"
           "Your Rasa model is trained and saved at 'models/kestrel.tar.gz'.\n")
    out = io.StringIO()
    follow(io.BytesIO(log.encode()), out)
    lines = [line.split("] ", 1)[-1].strip() for line in out.getvalue().splitlines()]
    assert lines == ["training DIETClassifier", "epoch 10/40 t_loss=2.50", "epoch 20/40 t_loss=2.00",
                     "epoch 30/40 t_loss=1.50", "epoch 40/40 t_loss=1.00", "trained  DIETClassifier",
                     "Your Rasa model is trained and saved at 'models/kestrel.tar.gz'."]
