"""Side effects only when meant: an unsure reading of an intent that changes something is asked about.

A wrong guess about a question costs an answer; a wrong guess about an action (a marketing opt-out,
a ticket, "not interested" feedback, taking an offer) changes the shopper's account. This component
sits after the FallbackClassifier and applies a stricter bar to those intents only: when the reading
is below `threshold`, or the runner-up is within `ambiguity_threshold`, the message becomes
`nlu_fallback` with the reading kept in the ranking, so the two-stage fallback asks first ("Do you
want me to stop sending you offers?", actions/fallback.py) and its Yes button sends the intent
itself (confidence 1.0, which passes). Intents whose flow already asks for confirmation before
changing anything (cancel_order, delete_my_data) are not listed in config.yml.

The thresholds are measured by benchmarks/nlu.py on tests/nlu/ambiguous.yml (wrong side-effect
actions) and on the unseen sets (how often a clear request is asked about needlessly).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SideEffectGuard(FallbackClassifier):
    """FallbackClassifier's test, with its own thresholds, for the intents in `intents` only;
    `thresholds` raises the bar for single intents."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**FallbackClassifier.get_default_config(), "intents": [], "thresholds": {}}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SideEffectGuard:
        return cls(config)

    def _should_fallback(self, message: Message) -> bool:
        reading = message.data.get(INTENT) or {}
        intent = reading.get(INTENT_NAME_KEY)
        if intent not in self.component_config["intents"]:
            return False
        threshold = self.component_config["thresholds"].get(intent, self.component_config["threshold"])
        confidence = reading.get(PREDICTED_CONFIDENCE_KEY) or 0.0
        ranking = message.data.get(INTENT_RANKING_KEY) or []
        runner_up = ranking[1].get(PREDICTED_CONFIDENCE_KEY, 0.0) if len(ranking) > 1 else 0.0
        return confidence < threshold or confidence - runner_up < self.component_config["ambiguity_threshold"]
