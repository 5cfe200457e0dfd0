"""The shop's catalogue from a Shopify store, through the Admin GraphQL API.

``python -m shop.shopify products --out data/myshop/products.csv`` pages through the store's active
products (with their variants, options, tags, images and inventory) and writes the catalogue CSV
that ``shop.importers`` writes from an export, in the same columns. The store and the token come from
the environment: ``SHOPIFY_SHOP`` (``myshop.myshopify.com``) and ``SHOPIFY_ACCESS_TOKEN`` (an Admin API
access token with ``read_products`` and ``read_inventory``); ``SHOPIFY_API_URL`` points the client at
another endpoint (the tests' local fake).

Shopify limits the GraphQL Admin API by calculated query cost: each response reports
``extensions.cost.throttleStatus`` (bucket size, points available, restore rate per second). The
client waits before a query when the bucket cannot pay for the last one's cost, waits as long as
the restore rate needs after a ``THROTTLED`` error, and retries HTTP 429 and 5xx with backoff.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import requests

from shop.importers import (
    ImportReport,
    Skipped,
    catalogue_row,
    category_key,
    deduplicate,
    html_to_text,
    slug,
    write_catalogue,
)

logger = logging.getLogger(__name__)

API_VERSION = "2025-01"
# A query is retried this often (throttled, 429, 5xx, connection errors) before the sync gives up.
MAX_RETRIES = 6
BACKOFF_SECONDS = 1.0
REQUEST_TIMEOUT_SECONDS = 30.0
PAGE_SIZE = 50
# Shopify's "Default Title" option value of a product without variants is no part of the name.
DEFAULT_OPTION = "Default Title"
# Inventory not tracked (inventoryQuantity null): the variant can always be ordered.
UNTRACKED_STOCK = 999

PRODUCTS_QUERY = """
query Products($cursor: String, $first: Int!) {
  products(first: $first, after: $cursor, query: "status:active") {
    pageInfo { hasNextPage endCursor }
    nodes {
      id handle title vendor productType tags descriptionHtml onlineStoreUrl
      featuredImage { url }
      variants(first: 100) {
        nodes {
          id title sku price inventoryQuantity
          selectedOptions { name value }
          image { url }
        }
      }
    }
  }
}
"""


class ShopifyError(RuntimeError):
    """The store refused the request, or did not answer after the retries."""


class ShopifyClient:
    """A minimal Admin GraphQL client that respects the store's cost-based rate limit."""

    def __init__(self, endpoint: str, token: str, session: requests.Session | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if not token:
            raise ShopifyError("no Admin API access token (set SHOPIFY_ACCESS_TOKEN)")
        self.endpoint = endpoint
        self.session = session or requests.Session()
        self.session.headers.update({"X-Shopify-Access-Token": token, "Content-Type": "application/json"})
        self.sleep = sleep
        self.throttle: dict[str, float] = {}
        self.last_cost = 0.0
        self.waited = 0.0

    @classmethod
    def from_environment(cls) -> ShopifyClient:
        url = os.environ.get("SHOPIFY_API_URL", "")
        if not url:
            shop = os.environ.get("SHOPIFY_SHOP", "")
            if not shop:
                raise ShopifyError("no store named (set SHOPIFY_SHOP=myshop.myshopify.com)")
            url = f"https://{shop}/admin/api/{API_VERSION}/graphql.json"
        return cls(url, os.environ.get("SHOPIFY_ACCESS_TOKEN", ""))

    def _wait(self, seconds: float) -> None:
        if seconds > 0:
            self.waited += seconds
            self.sleep(seconds)

    def _before_query(self) -> None:
        """Waits until the bucket can pay for a query like the last one."""
        available, rate = self.throttle.get("currentlyAvailable"), self.throttle.get("restoreRate")
        if available is not None and rate and available < self.last_cost:
            self._wait((self.last_cost - available) / rate)

    def query(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The ``data`` of one GraphQL query; ShopifyError when refused or out of retries."""
        problem = "no attempt"
        for attempt in range(MAX_RETRIES + 1):
            self._before_query()
            try:
                reply = self.session.post(self.endpoint, json={"query": query, "variables": variables or {}},
                                          timeout=REQUEST_TIMEOUT_SECONDS)
            except requests.RequestException as exc:
                problem = f"connection failed: {exc}"
                self._wait(BACKOFF_SECONDS * 2 ** attempt)
                continue
            if reply.status_code in (401, 403):
                raise ShopifyError(f"the store refused the access token (HTTP {reply.status_code})")
            if reply.status_code == 429 or reply.status_code >= 500:
                problem = f"HTTP {reply.status_code}"
                retry_after = reply.headers.get("Retry-After", "")
                self._wait(float(retry_after) if retry_after.replace(".", "", 1).isdigit()
                           else BACKOFF_SECONDS * 2 ** attempt)
                continue
            try:
                body = reply.json()
            except ValueError:
                raise ShopifyError(f"the store answered HTTP {reply.status_code} without JSON") from None
            cost = (body.get("extensions") or {}).get("cost") or {}
            self.throttle = cost.get("throttleStatus") or self.throttle
            errors = body.get("errors") or []
            if any((error.get("extensions") or {}).get("code") == "THROTTLED" for error in errors):
                problem = "throttled"
                requested = float(cost.get("requestedQueryCost") or 0)
                available = float(self.throttle.get("currentlyAvailable", 0))
                rate = float(self.throttle.get("restoreRate") or 1)
                self._wait(max(BACKOFF_SECONDS, (requested - available) / rate))
                continue
            if errors:
                raise ShopifyError("; ".join(str(error.get("message")) for error in errors))
            self.last_cost = float(cost.get("actualQueryCost") or cost.get("requestedQueryCost") or 0)
            return body.get("data") or {}
        raise ShopifyError(f"gave up after {MAX_RETRIES + 1} attempts ({problem})")

    def products(self) -> Iterator[dict[str, Any]]:
        """Every active product, page by page."""
        cursor = None
        while True:
            page = self.query(PRODUCTS_QUERY, {"cursor": cursor, "first": PAGE_SIZE})["products"]
            yield from page["nodes"]
            if not page["pageInfo"]["hasNextPage"]:
                return
            cursor = page["pageInfo"]["endCursor"]


def catalogue(client: ShopifyClient) -> ImportReport:
    """The store's variants as catalogue rows (the same columns as an imported export)."""
    report = ImportReport()
    for number, product in enumerate(client.products(), start=1):
        title, handle = product.get("title") or "", product.get("handle") or ""
        category = category_key(product.get("productType") or "")
        if not category:
            report.skipped.append(Skipped(number, f"{handle or title}: no product type to file it under"))
            continue
        tags = list(product.get("tags") or [])
        for variant in (product.get("variants") or {}).get("nodes") or []:
            try:
                price = float(variant.get("price"))
            except (TypeError, ValueError):
                report.skipped.append(Skipped(number, f"{handle}: variant {variant.get('id')} has no price"))
                continue
            options = {option["name"].lower(): option["value"] for option in variant.get("selectedOptions") or []
                       if option.get("value") and option["value"] != DEFAULT_OPTION}
            quantity = variant.get("inventoryQuantity")
            sku = variant.get("sku") or str(variant.get("id", "")).rsplit("/", 1)[-1]
            report.rows.append(catalogue_row(
                product_id=slug(sku), name=" ".join([title, *options.values()]), category=category,
                brand=product.get("vendor") or "", price=price,
                stock=UNTRACKED_STOCK if quantity is None else max(0, int(quantity)),
                attributes={**options, **({"tags": tags} if tags else {})},
                description=html_to_text(product.get("descriptionHtml") or ""),
                url=product.get("onlineStoreUrl") or "",
                image=((variant.get("image") or {}).get("url") or (product.get("featuredImage") or {}).get("url")
                       or ""),
                variant=str(variant.get("id", ""))))
    deduplicate(report)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Sync the catalogue from a Shopify store (Admin GraphQL API).")
    commands = parser.add_subparsers(dest="command", required=True)
    products = commands.add_parser("products", help="write the store's active products as the catalogue CSV")
    products.add_argument("--out", required=True, help="the catalogue CSV to write (products.csv)")
    args = parser.parse_args(argv)
    try:
        client = ShopifyClient.from_environment()
        report = catalogue(client)
    except ShopifyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(report.summary())
    if not report.rows:
        print("error: the store has no products to sell; the catalogue was not written", file=sys.stderr)
        return 1
    write_catalogue(report.rows, Path(args.out))
    print(f"wrote {args.out} (waited {client.waited:.1f} s for the rate limit)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
