"""shop.catalog_query: requests as structured queries, answered exactly as products.csv says."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from shop.catalog import Catalog
from shop.catalog_query import CatalogQuery, Condition, Sort, field_value, load_terms, sort_products

DATA = Path(__file__).parents[2] / "data" / "shop"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load(DATA / "products.csv", DATA / "interactions.csv", DATA / "products_zh.csv")


@pytest.fixture(scope="module")
def query(catalog: Catalog) -> CatalogQuery:
    return CatalogQuery.load(catalog, DATA / "query_terms.yml", DATA / "query_terms_zh.yml")


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    """products.csv read directly, attributes as columns: the answer key."""
    raw = pd.read_csv(DATA / "products.csv", keep_default_na=False)
    attributes = pd.DataFrame([json.loads(a) for a in raw["attributes"]])
    return pd.concat([raw.drop(columns=["attributes"]), attributes.drop(columns=["color"])], axis=1)


def test_cheapest_iphone_is_the_catalogues_cheapest_in_stock(query, frame):
    parsed = query.parse("what's the cheapest iphone you have")
    assert parsed.line == "iphone" and parsed.sort.key == "price" and parsed.sort.order == "asc"
    iphones = frame[(frame.category == "phones") & frame.name.str.contains("iPhone") & (frame.stock > 0)]
    expected = iphones.sort_values("price").iloc[0]
    assert query.run(parsed)[0].name == expected["name"]


def test_chinese_superlative_with_an_english_line(query):
    parsed = query.parse("最便宜的iphone", "zh")
    assert parsed.line == "iphone" and parsed.sort.key == "price" and parsed.sort.order == "asc"


def test_biggest_beside_a_field_sorts_by_that_field_and_alone_by_the_screen(query):
    assert query.parse("which of these has the biggest battery?", category="phones").sort.fields == ("battery",)
    assert query.parse("the largest ram", category="laptops").sort.fields == ("ram_gb",)
    assert query.parse("the biggest one", category="tvs").sort.fields == ("screen_in",)
    assert query.parse("your biggest tv").sort.fields == ("screen_in",)


def test_an_attribute_implies_its_category_and_a_spec_is_not_a_budget(query, frame):
    over_ear = query.parse("over ear, under 300")
    assert over_ear.category == "headphones" and over_ear.max_price == 300
    found = query.run(over_ear)
    expected = frame[(frame.type == "over-ear") & (frame.price <= 300) & (frame.stock > 0)]
    assert {p.product_id for p in found} == set(expected.product_id)
    tv = query.parse("65 inch tv")
    assert tv.max_price is None and any(c.field == "screen_in" and c.value == 65 for c in tv.conditions)


def test_needs_become_conditions(query):
    editing = query.parse("laptop for video editing around 1500")
    assert editing.need == "video_editing" and (editing.min_price, editing.max_price) == (1200, 1800)
    assert all(p.attributes["ram_gb"] >= 16 and p.attributes["gpu"] != "Integrated" for p in query.run(editing))
    flights = query.parse("headphones for long flights")
    assert all(p.attributes["noise_cancelling"] for p in query.run(flights))
    # "travel" said of a laptop is not a headphone need.
    assert query.parse("a light laptop for travel").need is None


def test_a_charger_for_a_macbook_is_an_accessory_that_fits_it(query):
    parsed = query.parse("i need a charger for my macbook air")
    assert parsed.category == "accessories" and parsed.compatible == "macbook air" and parsed.line is None
    found = query.run(parsed)
    assert found and all(p.category == "accessories" and p.attributes["type"] == "charger" for p in found)
    assert "MacBook Air" in found[0].attributes["compatible_with"]


def test_a_context_category_survives_an_attribute_word(query):
    # "camera" is a phone's attribute here, not a request for cameras.
    parsed = query.parse("up to $800, really good camera", category="phones")
    assert parsed.category == "phones" and parsed.sort.key == "camera" and parsed.max_price == 800


def test_numbers_with_fields(query):
    parsed = query.parse("laptop with 16gb ram under 1000")
    assert Condition("ram_gb", "at_least", 16.0, "16gb ram") in parsed.conditions
    assert query.parse("内存16G以上的笔记本", "zh").conditions[0].field == "ram_gb"


def test_sort_puts_missing_values_last_and_keeps_ties_in_order(catalog):
    laptops = [p for p in catalog.products if p.category == "laptops"][:20]
    ordered = sort_products(laptops + [catalog.products[0]], Sort(("ram_gb",), "desc"))
    values = [field_value(p, "ram_gb") for p in ordered if field_value(p, "ram_gb") is not None]
    assert values == sorted(values, reverse=True)


def test_facts_state_the_catalogues_figure(query, catalog):
    product = next(p for p in catalog.products if p.category == "laptops")
    fact = query.fact(product, "ram_gb", "en", lambda amount: f"${amount:,.2f}")
    assert fact == f"The {product.name} has {product.attributes['ram_gb']} GB of RAM"
    assert "内存" in query.fact(product, "ram_gb", "zh", str)


@pytest.mark.parametrize("text", ["", "   ", "🙂" * 50, "x" * 5000, "'; DROP TABLE", "\x00"])
def test_odd_input_gives_an_empty_query_not_an_error(query, text):
    parsed = query.parse(text)
    assert not parsed.structured


def test_the_vocabulary_files_load_and_agree_on_fields():
    english, raw = load_terms(DATA / "query_terms.yml")
    chinese, _ = load_terms(DATA / "query_terms_zh.yml", raw)
    assert set(chinese.fields) <= set(english.fields)
    assert chinese.fields["ram_gb"].unit == "GB"  # the meaning comes from the English file


def test_every_yes_no_attribute_filters_even_without_a_vocabulary_entry(query, frame):
    # kid_proof_case has no entry in query_terms.yml: its key names it.
    parsed = query.parse("tablets with a kid proof case")
    assert parsed.conditions == (Condition("kid_proof_case", "equals", True, "kid proof case"),)
    expected = set(frame[(frame.category == "tablets") & (frame.kid_proof_case == True) & (frame.stock > 0)].name)  # noqa: E712
    assert {p.name for p in query.run(parsed)} == expected and expected


def test_5g_is_asked_about_in_both_languages(query):
    for text, language in (("does it have 5g?", "en"), ("支持5g吗", "zh")):
        assert query.parse(text, language, category="phones").conditions[0].field == "5g"
