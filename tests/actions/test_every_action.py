"""Every action the action server registers is run by a test in this folder, and each name the
domain lists is one the server has (a typo either side is an action Rasa cannot call)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.actions.conftest import DOMAIN, registered_actions

HERE = Path(__file__).resolve().parent


def run_in_tests() -> set[str]:
    """The action names the tests here run (``.run("...")``)."""
    found: set[str] = set()
    for path in HERE.glob("test_*.py"):
        found |= set(re.findall(r'\.run\(\s*"([a-z_]+)"\s*\)', path.read_text(encoding="utf-8")))
    return found


def test_every_registered_action_is_run_by_a_test() -> None:
    registered = registered_actions()
    # 37 today (`grep -rn "def name(" actions/`; a bare "def name" also finds named_order).
    assert len(registered) >= 37
    assert sorted(set(registered) - run_in_tests()) == []


def test_the_domains_custom_actions_are_the_registered_ones() -> None:
    custom = {name for name in DOMAIN["actions"] if not name.startswith("utter_")}
    custom |= {f"validate_{form}" for form in DOMAIN["forms"]}
    assert sorted(custom - set(registered_actions())) == []
    assert sorted(set(registered_actions()) - custom) == []
