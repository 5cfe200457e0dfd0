"""Rasa's own checks, run with the project's Rasa environment and trained model."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import requests
import yaml

from tests.servers import RASA_BIN, REPO, Stack

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
    # A form's own question for a slot its validation action requires at run time (guests' email).
    forms_ask = forms_ask or response.removeprefix("utter_ask_") in _form_specific_asks()
    fallback = response in ("utter_ask_rephrase", "utter_default")  # Rasa's fallback actions send these
    in_actions = any(f'"{response}"' in path.read_text() for path in (REPO / "actions").glob("*.py"))
    return forms_ask or fallback or in_actions


def _form_specific_asks() -> set[str]:
    domain = yaml.safe_load((REPO / "domain.yml").read_text())
    return {f"{form}_{slot}" for form in domain["forms"] for slot in domain["slots"]}


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


# The session's running Rasa server evaluates the held-out data with its loaded model (Rasa's HTTP API,
# /model/test/...): the same evaluation as `rasa test`, without loading the model again per check.
def evaluate(stack: Stack, kind: str, body: bytes) -> dict:
    response = requests.post(
        f"{stack.url}/model/test/{kind}", params={"token": stack.api_token},
        data=body, headers={"Content-Type": "application/x-yaml"}, timeout=600,
    )
    assert response.status_code == 200, response.text[:3000]
    return response.json()


def test_test_stories_pass(stack):
    # The API takes one file: the English and Chinese stories go in together.
    stories = [story for path in TEST_STORIES for story in yaml.safe_load((REPO / path).read_text())["stories"]]
    body = yaml.safe_dump({"version": "3.1", "stories": stories}, allow_unicode=True, sort_keys=False)
    result = evaluate(stack, "stories", body.encode())
    wrong_actions = [step for step in result["actions"] if step["action"] != step["predicted"]]
    # The accuracy counts the intents and entities of the stories' user turns too, not only actions.
    wrong_labels = {label: scores for label, scores in result["report"].items()
                    if isinstance(scores, dict) and scores.get("f1-score", 1.0) < 1.0}
    assert result["accuracy"] == 1.0 and not wrong_actions, (wrong_actions, wrong_labels)


@pytest.fixture(scope="module", params=sorted(UNSEEN))
def unseen_intent_report(request: pytest.FixtureRequest, stack: Stack) -> dict:
    return evaluate(stack, "intents", (REPO / UNSEEN[request.param]).read_bytes())["intent_evaluation"]["report"]


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
