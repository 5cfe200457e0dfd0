"""The catalogue synced from a Shopify store, against a local fake of the Admin GraphQL API."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from shop.catalog import Catalog
from shop.shopify import MAX_RETRIES, ShopifyClient, ShopifyError, catalogue, main
from tests.fake_shopify import FakeShopify


def product(number: int, product_type: str = "Headphones", variants: list[dict] | None = None) -> dict:
    return {
        "id": f"gid://shopify/Product/{number}", "handle": f"item-{number}", "title": f"Item {number}",
        "vendor": "Northwind", "productType": product_type, "tags": ["wireless"],
        "descriptionHtml": f"<p>Item <b>{number}</b></p>", "onlineStoreUrl": f"https://shop.example/products/item-{number}",
        "featuredImage": {"url": f"https://cdn.example/{number}.jpg"},
        "variants": {"nodes": variants if variants is not None else [
            {"id": f"gid://shopify/ProductVariant/{number}1", "title": "Default Title", "sku": f"SKU-{number}",
             "price": f"{number}9.00", "inventoryQuantity": number,
             "selectedOptions": [{"name": "Title", "value": "Default Title"}], "image": None}]},
    }


PRODUCTS = [
    product(1),
    product(2, variants=[
        {"id": "gid://shopify/ProductVariant/21", "title": "Black", "sku": "", "price": "120.00",
         "inventoryQuantity": None, "selectedOptions": [{"name": "Color", "value": "Black"}],
         "image": {"url": "https://cdn.example/2-black.jpg"}},
        {"id": "gid://shopify/ProductVariant/22", "title": "White", "sku": "W-2", "price": "125.50",
         "inventoryQuantity": -3, "selectedOptions": [{"name": "Color", "value": "White"}], "image": None}]),
    product(3, product_type=""),
    product(4, product_type="Audio > Speakers"),
    product(5),
]


@pytest.fixture
def shop() -> Iterator[FakeShopify]:
    fake = FakeShopify(PRODUCTS)
    yield fake
    fake.close()


def client_for(fake: FakeShopify, token: str = "shpat_test") -> ShopifyClient:
    # The client's waits are the fake's time: the bucket refills by the rate times the wait.
    return ShopifyClient(fake.url, token, sleep=fake.refill)


def test_every_page_of_active_products_becomes_catalogue_rows(shop):
    report = catalogue(client_for(shop))
    by_id = {row["product_id"]: row for row in report.rows}
    assert set(by_id) == {"sku-1", "21", "w-2", "sku-4", "sku-5"}
    assert len(shop.requests) == 3  # pages of two: 5 products
    assert shop.requests[1]["variables"]["cursor"] == "2"
    one, black, white = by_id["sku-1"], by_id["21"], by_id["w-2"]
    assert (one["name"], one["price"], one["stock"], one["category"]) == ("Item 1", "19.00", 1, "headphones")
    assert (black["name"], black["stock"], black["image_url"]) == ("Item 2 Black", 999, "https://cdn.example/2-black.jpg")
    assert (white["price"], white["stock"], white["image_url"]) == ("125.50", 0, "https://cdn.example/2.jpg")
    assert json.loads(white["attributes"]) == {"color": "White", "tags": ["wireless"]}
    assert by_id["sku-4"]["category"] == "speakers"
    assert one["url"] == "https://shop.example/products/item-1" and one["description"] == "Item 1"
    assert [skip.reason for skip in report.skipped] == ["item-3: no product type to file it under"]


def test_a_throttled_query_waits_for_the_bucket_and_succeeds(shop):
    shop.restore_rate, shop.available = 10.0, 10.0  # less than a page costs, slow to refill
    client = client_for(shop)
    assert len(catalogue(client).rows) == 5
    assert shop.throttled >= 1
    assert client.waited > 0


def test_the_client_paces_itself_by_the_reported_bucket(shop):
    shop.bucket = shop.available = 60.0  # one page at a time, then a wait for the refill
    shop.restore_rate = 5.0  # slow, so that the real time the test takes hardly counts
    client = client_for(shop)
    catalogue(client)
    assert shop.throttled == 0  # it waited before sending instead of being refused
    # 60 - 52 leaves 8: wait for 44 more points; then the bucket is empty: wait for 52.
    assert client.waited == pytest.approx((52 - 8) / 5 + 52 / 5, rel=0.05)


def test_server_errors_are_retried_and_then_reported(shop):
    shop.fail_next = [502, 503]
    assert len(catalogue(client_for(shop)).rows) == 5
    shop.fail_next = [500] * (MAX_RETRIES + 1)
    with pytest.raises(ShopifyError, match=r"gave up after \d+ attempts \(HTTP 500\)"):
        catalogue(client_for(shop))


def test_a_wrong_token_is_a_clear_error_not_a_retry(shop):
    with pytest.raises(ShopifyError, match="refused the access token"):
        catalogue(client_for(shop, token="wrong"))
    assert len(shop.requests) == 1
    with pytest.raises(ShopifyError, match="SHOPIFY_ACCESS_TOKEN"):
        ShopifyClient(shop.url, "")


def test_the_command_writes_a_catalogue_the_assistant_searches(shop, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SHOPIFY_API_URL", shop.url)
    monkeypatch.setenv("SHOPIFY_ACCESS_TOKEN", "shpat_test")
    out = tmp_path / "products.csv"
    assert main(["products", "--out", str(out)]) == 0
    assert "5 products imported, 1 rows skipped" in capsys.readouterr().out
    found = Catalog.load(out).find_by_name("item 2 white")
    assert found is not None and found.price == 125.5
    monkeypatch.setenv("SHOPIFY_ACCESS_TOKEN", "wrong")
    assert main(["products", "--out", str(tmp_path / "other.csv")]) == 2
    assert "refused the access token" in capsys.readouterr().err
