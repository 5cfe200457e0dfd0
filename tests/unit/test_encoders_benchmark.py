"""benchmarks/encoders.py re-applies the pipeline's fallback rules and character n-grams outside Rasa;
these tests pin them to the real components, so the encoder figures stay the pipeline's."""

from __future__ import annotations

import json
import os
import subprocess

import numpy as np
import pytest

from benchmarks.encoders import FALLBACK, accepted, char_ngram_matrix, final_intent, pipeline_settings
from tests.servers import RASA_PY, REPO

# (best, confidence, runner-up confidence): around config.yml's thresholds, for an unguarded and a
# guarded intent (FallbackClassifier 0.45 / 0.05, SideEffectGuard 0.75 / 0.1 on 2026-12-04).
RANKINGS = [
    ("order_status", 0.9, 0.05), ("order_status", 0.45, 0.1), ("order_status", 0.44, 0.1),
    ("order_status", 0.5, 0.46), ("order_status", 0.5, 0.44), ("complaint", 0.74, 0.1),
    ("complaint", 0.75, 0.1), ("complaint", 0.8, 0.71), ("complaint", 0.8, 0.69), ("marketing_opt_out", 0.95, 0.0),
]

# Runs in the Rasa environment: config.yml's FallbackClassifier and SideEffectGuard on each ranking.
_REAL_RULES = """
import json, sys, yaml
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.training_data.message import Message
from rasa_ext.side_effect_guard import SideEffectGuard
steps = {s["name"].rsplit(".", 1)[-1]: s for s in yaml.safe_load(open("config.yml"))["pipeline"]}
rules = [FallbackClassifier({**FallbackClassifier.get_default_config(), **steps["FallbackClassifier"]}),
         SideEffectGuard({**SideEffectGuard.get_default_config(), **steps["SideEffectGuard"]})]
out = []
for intent, confidence, runner_up in json.load(sys.stdin):
    ranking = [{"name": intent, "confidence": confidence}, {"name": "other", "confidence": runner_up}]
    message = Message(data={"text": "x", "intent": ranking[0], "intent_ranking": ranking})
    for rule in rules:
        rule.process([message])
    out.append(message.get("intent")["name"])
print(json.dumps(out))
"""


@pytest.mark.skipif(not RASA_PY.exists(), reason="needs .venv-rasa (scripts/setup)")
def test_fallback_rules_are_the_pipelines() -> None:
    real = subprocess.run([str(RASA_PY), "-c", _REAL_RULES], cwd=REPO, input=json.dumps(RANKINGS),
                          capture_output=True, text=True, check=True,
                          env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    settings = pipeline_settings()
    ours = [final_intent([(intent, best), ("other", second)], settings) for intent, best, second in RANKINGS]
    assert ours == json.loads(real.stdout.strip().splitlines()[-1])
    assert FALLBACK in ours and "order_status" in ours and "complaint" in ours  # both sides of each line


def test_bitext_accepts_either_intent() -> None:
    assert accepted({"order_status", "shipping_info"}, "shipping_info")
    assert not accepted({"order_status", "shipping_info"}, FALLBACK)
    assert accepted("greet", "greet") and not accepted("greet", "goodbye")


def test_character_ngrams_as_the_classifier_reads_them() -> None:
    train = [["Where", "is", "order", "12345"], ["退货", "怎么", "办"]]
    rows = char_ngram_matrix(train, [["where", "is", "order", "999"], ["zzz"], ["退货"]], (1, 4)).toarray()
    # Numbers are one token (__NUMBER__), case is folded: the first row repeats the first example.
    assert np.allclose(rows[0], char_ngram_matrix(train, [train[0]], (1, 4)).toarray()[0])
    assert np.isclose(np.linalg.norm(rows[0]), 1.0) and np.isclose(np.linalg.norm(rows[2]), 1.0)
    # Only the space boundaries of " zzz " are in the training vocabulary (char_wb pads words).
    assert np.count_nonzero(rows[1]) == 1
