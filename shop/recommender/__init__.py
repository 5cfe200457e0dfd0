"""Personalised product recommendations (LightFM hybrid model); plain Python, no Rasa.

    python -m shop.recommender.train [--force]      # train when the data or settings changed

    service = RecommenderService(settings.recommender.artifact_dir)
    model = service.get()                           # None: no artifact yet, use popularity
    model.recommend("C00001", category="phones", max_price=500, k=3)
"""

from shop.recommender.artifact import ArtifactError, fingerprint, list_artifacts, load, newest_artifact, save
from shop.recommender.data import Interactions, aggregate, load_events
from shop.recommender.explain import COMPLEMENTS, explain
from shop.recommender.model import Query, Recommendation, Recommender, UserProfile
from shop.recommender.service import RecommenderService
from shop.recommender.training import TrainingData, fit

__all__ = [
    "COMPLEMENTS", "ArtifactError", "Interactions", "Query", "Recommendation", "Recommender",
    "RecommenderService", "TrainingData", "UserProfile", "aggregate", "explain", "fingerprint", "fit",
    "list_artifacts", "load", "load_events", "newest_artifact", "save",
]
