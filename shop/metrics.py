"""The action server's Prometheus metrics (prometheus_client), served at ``GET /metrics``.

Counters live in the process that counts them: with several Sanic workers (``ACTION_SERVER_SANIC_WORKERS``)
each worker answers with its own; run one worker per container and let Prometheus add them up.
Names and labels are documented in docs/observability.md.
"""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

# Seconds. Most actions take 5-50 ms; a grounded answer up to the generator's 1.2 s timeout; a first
# call that loads the models several seconds. These buckets separate those three.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 1.5, 2.5, 5.0, 10.0, 30.0)

ACTION_REQUESTS = Counter("kestrel_action_requests", "Action calls by action and outcome "
                          "(ok, rejected, not_found, error, bad_request, unauthorized)", ["action", "outcome"])
ACTION_SECONDS = Histogram("kestrel_action_seconds", "Time to answer an action call", ["action"],
                           buckets=LATENCY_BUCKETS)
ACTION_ERRORS = Counter("kestrel_action_errors", "Action calls that failed with a server error (HTTP 5xx)",
                        ["action"])
GENERATOR_TIMEOUTS = Counter("kestrel_generator_timeouts", "Grounded answers that did not finish in "
                             "generator.timeout_seconds (the shopper got the best passage instead)")
GENERATOR_SECONDS = Histogram("kestrel_generator_seconds", "Time the language model took for one answer",
                              buckets=LATENCY_BUCKETS)
RECOMMENDER_RELOADS = Counter("kestrel_recommender_reloads", "Recommender artifacts loaded (outcome=loaded) "
                              "or refused (outcome=failed) by the running server", ["outcome"])
TICKET_EMAILS = Counter("kestrel_ticket_emails", "Ticket emails to the help desk by outcome "
                        "(email, mail sink, failed)", ["outcome"])
READY = Gauge("kestrel_ready", "1 when the action server has its models loaded and its database reachable")


def exposition() -> tuple[bytes, str]:
    """The current metrics in Prometheus' text format, and its content type."""
    return generate_latest(), CONTENT_TYPE_LATEST
