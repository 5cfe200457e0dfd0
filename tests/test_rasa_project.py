"""Rasa's own checks, run with the project's Rasa environment and trained model."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.servers import RASA_BIN, REPO, latest_model

# Held-out phrasings (tests/nlu/unseen.yml, and unseen_zh.yml in Chinese) are never trained on;
# these are the floors below which the assistant no longer understands new wordings.
MIN_MACRO_F1 = 0.85
MIN_INTENT_F1 = 0.6
UNSEEN = {"en": "tests/nlu/unseen.yml", "zh": "tests/nlu/unseen_zh.yml"}
# English and Chinese test stories, run in one `rasa test core` (one model load).
TEST_STORIES = ("tests/test_stories.yml", "tests/test_stories_zh.yml")


def rasa(*args: str, cwd: Path = REPO, timeout: int = 900) -> subprocess.CompletedProcess:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", SQLALCHEMY_SILENCE_UBER_WARNING="1")
    return subprocess.run(
        [str(RASA_BIN), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_training_data_is_valid():
    result = rasa("data", "validate", "--max-history", "5")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    warnings = [line for line in result.stderr.splitlines() if "UserWarning" in line]
    # Rasa's validator cannot see responses that forms ask with or actions send;
    # those are the only warnings allowed, and each must really be used that way.
    unexplained = []
    for line in warnings:
        match = re.search(r"The utterance '(utter_\w+)' is not used in any story or rule", line)
        if not (match and _used_outside_stories(match.group(1))):
            unexplained.append(line)
    assert not unexplained, "\n".join(unexplained)


def _used_outside_stories(response: str) -> bool:
    forms_ask = response.startswith("utter_ask_") and response.removeprefix("utter_ask_") in _form_slots()
    fallback = response in ("utter_ask_rephrase", "utter_default")  # Rasa's fallback actions send these
    in_actions = any(f'"{response}"' in path.read_text() for path in (REPO / "actions").glob("*.py"))
    return forms_ask or fallback or in_actions


def _form_slots() -> set[str]:
    domain = yaml.safe_load((REPO / "domain.yml").read_text())
    return {slot for form in domain["forms"].values() for slot in form["required_slots"]}


def test_tokenizer_keeps_english_tokens_and_chinese_entity_boundaries():
    """rasa_ext.tokenizer.MixedChineseTokenizer (tests/tokenizer_check.py, in the Rasa environment)."""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    result = subprocess.run([str(RASA_BIN.parent / "python"), "-m", "tests.tokenizer_check"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    problems = json.loads(result.stdout)
    assert not problems["english"], "not WhitespaceTokenizer's tokens:\n" + "\n".join(problems["english"])
    assert not problems["chinese"], "entities off token boundaries:\n" + "\n".join(problems["chinese"])


def test_test_stories_pass(tmp_path):
    stories = tmp_path / "stories"
    stories.mkdir()
    for path in TEST_STORIES:
        shutil.copy(REPO / path, stories)
    result = rasa(
        "test", "core", "--stories", str(stories), "--model", str(latest_model()),
        "--fail-on-prediction-errors", "--out", str(tmp_path),
    )
    failed = tmp_path / "failed_test_stories.yml"
    detail = failed.read_text()[:5000] if failed.exists() else result.stdout[-3000:] + result.stderr[-3000:]
    assert result.returncode == 0, detail


@pytest.fixture(scope="module", params=sorted(UNSEEN))
def unseen_intent_report(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp(f"nlu-{request.param}")
    result = rasa("test", "nlu", "--nlu", UNSEEN[request.param], "--model", str(latest_model()), "--out", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads((out / "intent_report.json").read_text())


def test_unseen_phrasings_are_understood(unseen_intent_report):
    assert unseen_intent_report["macro avg"]["f1-score"] >= MIN_MACRO_F1


def test_every_intent_is_recognised_on_unseen_phrasings(unseen_intent_report):
    weak = {
        intent: round(scores["f1-score"], 2)
        for intent, scores in unseen_intent_report.items()
        if isinstance(scores, dict) and "support" in scores and intent not in ("macro avg", "weighted avg", "micro avg")
        and scores["f1-score"] < MIN_INTENT_F1
    }
    assert not weak, f"intents below F1 {MIN_INTENT_F1} on unseen phrasings: {weak}"
