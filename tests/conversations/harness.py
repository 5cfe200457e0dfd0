"""Multi-turn shopper conversations (tests/conversations/*.yml) run through the real servers,
each assistant turn checked for what a good assistant must do.

A conversation is a list of turns: what the shopper says and what the reply must show. The
catalogue checks are direct queries of data/shop/products.csv (pandas over its columns and its
``attributes``), never the assistant's own code, so an answer is right only if it matches the data.

Checks of a turn (``expect``):
  contains: [..]        every text in the reply (case-insensitive)
  contains_any: [..]    at least one of them
  not_contains: [..]    none of them
  lists: {category, brand, min_price, max_price, where, min_count}
                        the products the reply lists (cards) all meet these; at least min_count (1)
  oracle: {where, sort, order, any}
                        the first product of this direct query of products.csv (in stock) is named in
                        the reply (any tie on the sort key; with any: true, any product it finds)
  best_of_shown: {field, order}
                        the best of the products listed earlier in the conversation by this field
                        is named in the reply (and its value, when ``figure: true``)
  shown: N or [N, ..]   the reply names the N-th product listed earlier (0-based, -1 = last)
  not_all_brand: B      the products listed are not all of brand B (a brand filter did not stick)
  slot: {path: value}   a tracker slot (dotted path into it) has this value afterwards
  ticket: true/false    a ticket id (KT-…) is, or is not, in the reply
  not_repeated: true    the reply is not the previous reply again
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[1] / "data" / "shop"
CHECKS = frozenset({"contains", "contains_any", "not_contains", "lists", "oracle", "best_of_shown", "figure",
                    "shown", "slot", "ticket", "not_repeated", "not_all_brand"})
_CARD_RE = re.compile(r"^• (?P<name>.+?) — \$(?P<price>[\d,]+\.\d\d)", re.MULTILINE)
_TICKET_RE = re.compile(r"\bKT-[A-Z0-9-]+")


@dataclass
class Turn:
    say: str
    expect: dict[str, Any]


@dataclass
class Conversation:
    id: str
    language: str
    capabilities: tuple[str, ...]
    turns: list[Turn]
    metadata: dict[str, Any] | None = None
    source: str = ""


@dataclass
class TurnResult:
    conversation: str
    language: str
    capabilities: tuple[str, ...]
    index: int
    said: str
    reply: str
    failures: list[str] = field(default_factory=list)
    millis: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures


def load_conversations(directory: Path = HERE) -> list[Conversation]:
    conversations = []
    for path in sorted(directory.glob("*.yml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        language = raw.get("language", "en")
        for spec in raw.get("conversations") or []:
            turns = [Turn(str(t["say"]), dict(t.get("expect") or {})) for t in spec["turns"]]
            for turn in turns:
                unknown = set(turn.expect) - CHECKS
                if unknown:
                    raise ValueError(f"{path.name}:{spec['id']}: unknown checks {sorted(unknown)}")
            capabilities = spec.get("capabilities") or []
            conversations.append(Conversation(
                id=str(spec["id"]), language=str(spec.get("language", language)),
                capabilities=tuple(capabilities if isinstance(capabilities, list) else [capabilities]),
                turns=turns, metadata=spec.get("metadata"), source=path.name))
    ids = [c.id for c in conversations]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ValueError(f"duplicate conversation ids: {sorted(duplicates)}")
    return conversations


@lru_cache(maxsize=1)
def catalogue() -> pd.DataFrame:
    """products.csv with every attribute as a column (lists joined) and the Chinese name beside."""
    frame = pd.read_csv(DATA / "products.csv", dtype={"product_id": str}, keep_default_na=False)
    attributes = [json.loads(a) if a else {} for a in frame["attributes"]]
    flat = pd.DataFrame([{k: (", ".join(map(str, v)) if isinstance(v, list) else v) for k, v in a.items()}
                         for a in attributes])
    frame = pd.concat([frame.drop(columns=["attributes"]), flat.drop(columns=[c for c in flat if c in frame])],
                      axis=1)
    chinese = pd.read_csv(DATA / "products_zh.csv", dtype=str, keep_default_na=False)
    return frame.merge(chinese[["product_id", "name_zh"]], on="product_id", how="left").fillna({"name_zh": ""})


def direct_query(where: str) -> pd.DataFrame:
    return catalogue().query(where, engine="python")


def _by_name() -> dict[str, dict[str, Any]]:
    frame = catalogue()
    rows = frame.to_dict("records")
    found = {row["name"]: row for row in rows}
    found.update({row["name_zh"]: row for row in rows if row["name_zh"]})
    return found


_NAMES = lru_cache(maxsize=1)(_by_name)


def listed(reply: str) -> list[dict[str, Any]]:
    """The catalogue rows of the product cards in a reply."""
    rows = []
    for match in _CARD_RE.finditer(reply):
        row = _NAMES().get(match.group("name").strip())
        if row is not None:
            rows.append(row)
    return rows


def named(row: dict[str, Any], reply: str) -> bool:
    return row["name"] in reply or bool(row["name_zh"]) and row["name_zh"] in reply


def reply_text(replies: list[dict[str, Any]]) -> str:
    parts = []
    for reply in replies:
        parts.append(reply.get("text") or "")
        custom = reply.get("custom") or {}
        data = custom.get("data") if isinstance(custom, dict) else None
        if isinstance(data, dict) and data.get("text"):
            parts.append(str(data["text"]))
        parts.extend(button.get("title", "") for button in reply.get("buttons") or [])
    return "\n".join(p for p in parts if p)


def _meets(row: dict[str, Any], spec: dict[str, Any]) -> list[str]:
    problems = []
    if "category" in spec and row["category"] != spec["category"]:
        problems.append(f"{row['name']} is not in {spec['category']}")
    if "brand" in spec and row["brand"] != spec["brand"]:
        problems.append(f"{row['name']} is not {spec['brand']}")
    if "max_price" in spec and float(row["price"]) > float(spec["max_price"]):
        problems.append(f"{row['name']} costs {row['price']} > {spec['max_price']}")
    if "min_price" in spec and float(row["price"]) < float(spec["min_price"]):
        problems.append(f"{row['name']} costs {row['price']} < {spec['min_price']}")
    if "where" in spec and row["product_id"] not in set(direct_query(spec["where"])["product_id"]):
        problems.append(f"{row['name']} does not meet {spec['where']}")
    if int(row["stock"]) <= 0:
        problems.append(f"{row['name']} is out of stock")
    return problems


def _best(rows: list[dict[str, Any]], name: str, order: str) -> dict[str, Any] | None:
    valued = [r for r in rows if name in r and r[name] not in ("", None) and not pd.isna(r[name])]
    if not valued:
        return None
    return sorted(valued, key=lambda r: float(r[name]), reverse=order == "desc")[0]


def check(expect: dict[str, Any], reply: str, context: dict[str, Any],
          slots: Callable[[], dict[str, Any]]) -> list[str]:
    """What is wrong with a reply, given the turn's checks (empty: the turn is right)."""
    failures = []
    lower = reply.lower()
    for text in expect.get("contains") or []:
        if str(text).lower() not in lower:
            failures.append(f"missing {text!r}")
    options = expect.get("contains_any") or []
    if options and not any(str(t).lower() in lower for t in options):
        failures.append(f"none of {options!r}")
    for text in expect.get("not_contains") or []:
        if str(text).lower() in lower:
            failures.append(f"should not say {text!r}")
    rows = listed(reply)
    if "lists" in expect:
        spec = expect["lists"] or {}
        if len(rows) < int(spec.get("min_count", 1)):
            failures.append(f"lists {len(rows)} products, expected at least {spec.get('min_count', 1)}")
        for row in rows:
            failures += _meets(row, spec)
    if "oracle" in expect:
        spec = expect["oracle"]
        found = direct_query(spec["where"])
        found = found[found["stock"].astype(int) > 0] if spec.get("in_stock", True) else found
        if spec.get("sort"):
            found = found.sort_values(spec["sort"], ascending=spec.get("order", "asc") == "asc", kind="stable")
        if found.empty:
            failures.append(f"the direct query {spec['where']!r} finds nothing")
        else:
            best = found.iloc[0].to_dict()
            if spec.get("any"):
                ties = found.to_dict("records")
            elif spec.get("sort"):
                ties = found[found[spec["sort"]] == best[spec["sort"]]].to_dict("records")
            else:
                ties = [best]
            if not any(named(row, reply) for row in ties):
                failures.append(f"does not name {best['name']} (products.csv: {spec['where']})")
    if "best_of_shown" in expect:
        spec = expect["best_of_shown"]
        shown = context.get("listed") or []
        best = _best(shown, spec["field"], spec.get("order", "desc"))
        if best is None:
            failures.append("no products were listed before")
        else:
            ties = [r for r in shown if r.get(spec["field"]) == best[spec["field"]]]
            if not any(named(r, reply) for r in ties):
                failures.append(f"does not name {best['name']} ({spec['field']} {best[spec['field']]})")
            elif expect.get("figure") and f"{best[spec['field']]:g}" not in reply:
                failures.append(f"does not state {spec['field']} {best[spec['field']]}")
    if "shown" in expect:
        shown = context.get("listed") or []
        wanted = expect["shown"] if isinstance(expect["shown"], list) else [expect["shown"]]
        for index in map(int, wanted):
            if not shown or not -len(shown) <= index < len(shown):
                failures.append("no such product was listed before")
            elif not named(shown[index], reply):
                failures.append(f"does not name {shown[index]['name']}")
    if "not_all_brand" in expect and rows and all(r["brand"] == expect["not_all_brand"] for r in rows):
        failures.append(f"every product listed is {expect['not_all_brand']}: a filter that stuck")
    if "ticket" in expect and bool(_TICKET_RE.search(reply)) != bool(expect["ticket"]):
        failures.append("a ticket id expected" if expect["ticket"] else "no ticket expected")
    if expect.get("not_repeated") and reply.strip() == (context.get("previous") or "").strip():
        failures.append("the same reply as the previous turn")
    if "slot" in expect:
        values = slots()
        for path, wanted in expect["slot"].items():
            value: Any = values
            for part in str(path).split("."):
                if isinstance(value, list) and part.lstrip("-").isdigit():
                    value = value[int(part)] if -len(value) <= int(part) < len(value) else None
                elif isinstance(value, dict):
                    value = value.get(part)
                else:
                    value = None
            if wanted == "len>0":
                ok = bool(value)
            elif isinstance(wanted, str) and wanted.startswith("len="):
                ok = isinstance(value, list) and len(value) == int(wanted[4:])
            else:
                ok = value == wanted
            if not ok:
                failures.append(f"slot {path} is {value!r}, expected {wanted!r}")
    if rows:
        context["listed"] = rows
    context["previous"] = reply
    return failures
