"""The knowledge base's records: facts, topics, support hours, and the answer it gives.

Shared by the English knowledge base (shop/knowledge.py) and its Chinese side (shop/knowledge_zh.py),
which both build answers from them; kept apart so that neither imports the other for a type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class KnowledgeBaseError(ValueError):
    """The knowledge-base file is missing, unreadable or inconsistent."""


@dataclass(frozen=True)
class Fact:
    id: str
    topic: str
    intents: tuple[str, ...]
    answer: str
    questions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Topic:
    name: str
    overview: str
    intents: tuple[str, ...]
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Answer:
    """What to tell the customer. ``kind`` is "fact", "overview" or "fallback"."""

    text: str
    fact_ids: tuple[str, ...]
    topic: str | None
    score: float
    kind: Literal["fact", "overview", "fallback"] = "fact"
    # Only the NLU intent chose the topic; the question's words are foreign to every policy
    # ("do you take bitcoin?", but also "do you sell refrigerators?" misread as return_item).
    guessed: bool = False


@dataclass(frozen=True)
class SupportHours:
    """When human agents work; ``weekdays`` uses Python's numbering (Monday is 0)."""

    timezone: str
    weekdays: frozenset[int]
    opens: time
    closes: time
    timezone_label: str = ""
    zone: ZoneInfo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "zone", ZoneInfo(self.timezone))
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise KnowledgeBaseError(f"unknown support_hours timezone {self.timezone!r}") from exc
        if not self.weekdays or self.opens >= self.closes:
            raise KnowledgeBaseError("support_hours needs at least one day and open < close")

    def is_open(self, now: datetime) -> bool:
        """Whether agents are online at ``now``, which must be timezone-aware."""
        local = self._local(now)
        return local.weekday() in self.weekdays and self.opens <= local.time() < self.closes

    def next_opening(self, now: datetime) -> datetime:
        """The next moment agents come online (``now`` itself if they are online), in shop time."""
        local = self._local(now)
        if self.is_open(local):
            return local
        for offset in range(8):
            day: date = local.date() + timedelta(days=offset)
            start = datetime.combine(day, self.opens, tzinfo=self.zone)
            if day.weekday() in self.weekdays and start > local:
                return start
        raise AssertionError("unreachable: weekdays is non-empty")

    def describe(self) -> str:
        """E.g. "Monday to Saturday, 8 am–8 pm ET"."""
        label = self.timezone_label or self.timezone
        return f"{_describe_days(self.weekdays)}, {_clock(self.opens)}\u2013{_clock(self.closes)} {label}"

    def _local(self, now: datetime) -> datetime:
        if now.tzinfo is None or now.utcoffset() is None:
            # A naive time is ambiguous (server clock? UTC?); refusing beats guessing wrong by hours.
            raise ValueError("support-hours checks need a timezone-aware datetime")
        return now.astimezone(self.zone)


def _describe_days(weekdays: frozenset[int]) -> str:
    days = sorted(weekdays)
    if len(days) == 7:
        return "every day"
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{DAY_NAMES[days[0]]} to {DAY_NAMES[days[-1]]}"
    names = [DAY_NAMES[d] for d in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _clock(moment: time) -> str:
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes} {'am' if moment.hour < 12 else 'pm'}"
