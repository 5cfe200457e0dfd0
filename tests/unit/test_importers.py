"""Product exports from Shopify and WooCommerce become a catalogue the assistant searches.

The exports are written here in the platforms' documented column layouts (Shopify's product CSV
template; WooCommerce's built-in product CSV exporter), with the quirks of real files: a product's
later rows carrying only variant columns or an extra image, "Default Title", HTML descriptions,
a BOM, drafts, a variation whose parent is missing.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from shop.catalog import Catalog
from shop.importers import ExportError, import_export, main

SHOPIFY_COLUMNS = ["Handle", "Title", "Body (HTML)", "Vendor", "Product Category", "Type", "Tags", "Published",
                   "Option1 Name", "Option1 Value", "Option2 Name", "Option2 Value", "Option3 Name",
                   "Option3 Value", "Variant SKU", "Variant Grams", "Variant Inventory Tracker",
                   "Variant Inventory Qty", "Variant Inventory Policy", "Variant Fulfillment Service",
                   "Variant Price", "Variant Compare At Price", "Image Src", "Image Position", "Variant Image",
                   "Status"]
SHOPIFY_ROWS = [
    {"Handle": "trail-runner-headphones", "Title": "Trail Runner Headphones",
     "Body (HTML)": "<p>Sweat-proof <strong>open-ear</strong> headphones &amp; 12 h battery.</p>",
     "Vendor": "Northwind Audio", "Product Category": "Electronics > Audio > Headphones", "Type": "Headphones",
     "Tags": "running, sweat proof, bluetooth", "Published": "TRUE", "Option1 Name": "Color",
     "Option1 Value": "Black", "Variant SKU": "TRH-BLK", "Variant Inventory Tracker": "shopify",
     "Variant Inventory Qty": "14", "Variant Price": "89.00", "Image Src": "https://cdn.example/trh.jpg",
     "Image Position": "1", "Status": "active"},
    {"Handle": "trail-runner-headphones", "Option1 Value": "Lime", "Variant SKU": "TRH-LIM",
     "Variant Inventory Tracker": "shopify", "Variant Inventory Qty": "0", "Variant Price": "79.00",
     "Variant Image": "https://cdn.example/trh-lime.jpg"},
    {"Handle": "trail-runner-headphones", "Image Src": "https://cdn.example/trh-2.jpg", "Image Position": "2"},
    {"Handle": "usb-c-cable", "Title": "USB-C Cable 2 m", "Body (HTML)": "Braided.", "Vendor": "Cablery",
     "Type": "Accessories", "Option1 Name": "Title", "Option1 Value": "Default Title", "Variant Price": "1,019.50",
     "Variant Inventory Qty": "", "Status": "active"},
    {"Handle": "old-speaker", "Title": "Old Speaker", "Vendor": "Northwind Audio", "Type": "Speakers",
     "Option1 Name": "Title", "Option1 Value": "Default Title", "Variant Price": "49", "Status": "draft"},
    {"Handle": "mystery", "Title": "Mystery Box", "Vendor": "Cablery", "Type": "Accessories",
     "Option1 Name": "Title", "Option1 Value": "Default Title", "Variant Price": "call us", "Status": "active"},
]

WOO_COLUMNS = ["ID", "Type", "SKU", "Name", "Published", "Short description", "Description", "In stock?", "Stock",
               "Sale price", "Regular price", "Categories", "Tags", "Images", "Parent", "Attribute 1 name",
               "Attribute 1 value(s)", "Attribute 2 name", "Attribute 2 value(s)"]
WOO_ROWS = [
    {"ID": "10", "Type": "simple", "SKU": "SW-1", "Name": "Pace Smartwatch", "Published": "1",
     "Description": "<p>GPS for running.</p>", "In stock?": "1", "Stock": "5", "Regular price": "199",
     "Categories": "Wearables > Smartwatches, Sale", "Tags": "gps", "Images": "https://cdn.example/sw.jpg",
     "Attribute 1 name": "Brand", "Attribute 1 value(s)": "Pacer", "Attribute 2 name": "Water resistance",
     "Attribute 2 value(s)": "5 ATM"},
    {"ID": "20", "Type": "variable", "SKU": "TAB", "Name": "Slate Tablet", "Published": "1",
     "Description": "A light tablet.", "Categories": "Tablets", "Attribute 1 name": "Storage",
     "Attribute 1 value(s)": "64GB, 128GB", "Attribute 2 name": "Brand", "Attribute 2 value(s)": "Slate"},
    {"ID": "21", "Type": "variation", "SKU": "TAB-64", "Name": "Slate Tablet - 64GB", "Published": "1",
     "In stock?": "1", "Stock": "", "Regular price": "299", "Sale price": "279", "Parent": "id:20",
     "Attribute 1 name": "Storage", "Attribute 1 value(s)": "64GB"},
    {"ID": "22", "Type": "variation", "SKU": "TAB-128", "Name": "Slate Tablet - 128GB", "Published": "1",
     "In stock?": "0", "Regular price": "349", "Parent": "TAB", "Attribute 1 name": "Storage",
     "Attribute 1 value(s)": "128GB"},
    {"ID": "30", "Type": "variation", "SKU": "X-1", "Name": "Orphan", "Regular price": "5", "Parent": "id:99"},
    {"ID": "40", "Type": "grouped", "Name": "Bundle", "Categories": "Tablets"},
    {"ID": "50", "Type": "simple", "SKU": "NC", "Name": "No Category Thing", "Regular price": "5", "Published": "1"},
]


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]], bom: bool = False) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def shopify_export(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "products_export_1.csv", SHOPIFY_COLUMNS, SHOPIFY_ROWS, bom=True)


@pytest.fixture
def woo_export(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "wc-product-export.csv", WOO_COLUMNS, WOO_ROWS)


def test_shopify_variants_become_products_with_their_own_price_stock_and_image(shopify_export):
    report = import_export("shopify", shopify_export, "https://shop.example")
    by_id = {row["product_id"]: row for row in report.rows}
    assert set(by_id) == {"trh-blk", "trh-lim", "usb-c-cable-1"}
    black, lime = by_id["trh-blk"], by_id["trh-lim"]
    assert (black["name"], black["price"], black["stock"]) == ("Trail Runner Headphones Black", "89.00", 14)
    assert (lime["name"], lime["price"], lime["stock"]) == ("Trail Runner Headphones Lime", "79.00", 0)
    assert lime["image_url"] == "https://cdn.example/trh-lime.jpg"
    assert black["image_url"] == "https://cdn.example/trh.jpg"
    assert black["category"] == "headphones" and black["brand"] == "Northwind Audio"
    assert black["url"] == "https://shop.example/products/trail-runner-headphones"
    assert json.loads(black["attributes"]) == {"color": "Black", "tags": ["running", "sweat proof", "bluetooth"]}
    assert black["description"] == "Sweat-proof open-ear headphones & 12 h battery."
    cable = by_id["usb-c-cable-1"]
    # "Default Title" is no part of the name; untracked stock can always be ordered; "1,019.50" is a price.
    assert (cable["name"], cable["price"], cable["stock"]) == ("USB-C Cable 2 m", "1019.50", 999)


def test_shopify_rows_that_cannot_be_sold_are_reported_with_line_and_reason(shopify_export):
    report = import_export("shopify", shopify_export)
    reasons = {skip.line: skip.reason for skip in report.skipped}
    assert reasons == {6: "old-speaker: status draft", 7: "mystery: no valid Variant Price ('call us')"}
    assert "3 products imported, 2 rows skipped" in report.summary()


def test_woocommerce_simple_products_and_variations(woo_export):
    report = import_export("woocommerce", woo_export, "https://woo.example")
    by_id = {row["product_id"]: row for row in report.rows}
    assert set(by_id) == {"sw-1", "tab-64", "tab-128"}
    watch = by_id["sw-1"]
    assert (watch["category"], watch["brand"], watch["price"], watch["stock"]) == ("smartwatches", "Pacer", "199.00", 5)
    assert json.loads(watch["attributes"]) == {"water resistance": "5 ATM", "tags": ["gps"]}
    assert watch["url"] == "https://woo.example/?p=10"
    small, large = by_id["tab-64"], by_id["tab-128"]
    # A variation inherits its parent's category, brand and description; the sale price wins.
    assert (small["category"], small["brand"], small["price"]) == ("tablets", "Slate", "279.00")
    assert json.loads(small["attributes"])["storage"] == "64GB"
    assert small["stock"] == 999 and large["stock"] == 0
    assert small["description"] == "A light tablet."


def test_woocommerce_skips_are_reported(woo_export):
    reasons = [skip.reason for skip in import_export("woocommerce", woo_export).skipped]
    assert reasons == ["Bundle: product type 'grouped' is not sold as one item",
                       "Orphan: variation of an unknown parent 'id:99'",
                       "No Category Thing: no Categories to file it under"]


def test_the_imported_catalogue_is_searchable_by_the_assistant(tmp_path, shopify_export, woo_export):
    out = tmp_path / "products.csv"
    assert main(["shopify", str(shopify_export), "--out", str(out)]) == 0
    catalog = Catalog.load(out)
    assert len(catalog) == 3
    found = catalog.find_by_name("trail runner headphones lime")
    assert found is not None and found.price == 79.0
    assert main(["woocommerce", str(woo_export), "--out", str(out)]) == 0
    assert {p.category for p in Catalog.load(out).products} == {"smartwatches", "tablets"}


def test_a_file_of_another_format_gets_a_clear_error(tmp_path, woo_export, capsys):
    with pytest.raises(ExportError, match="not a Shopify products export: no column Handle"):
        import_export("shopify", woo_export)
    assert main(["shopify", str(woo_export), "--out", str(tmp_path / "p.csv")]) == 2
    assert "no column Handle" in capsys.readouterr().err
    assert not (tmp_path / "p.csv").exists()
    with pytest.raises(ExportError, match="cannot read"):
        import_export("shopify", tmp_path / "missing.csv")


def test_an_export_with_nothing_to_sell_writes_nothing(tmp_path):
    export = write_csv(tmp_path / "e.csv", SHOPIFY_COLUMNS, [SHOPIFY_ROWS[4]])
    assert main(["shopify", str(export), "--out", str(tmp_path / "p.csv")]) == 1
    assert not (tmp_path / "p.csv").exists()
