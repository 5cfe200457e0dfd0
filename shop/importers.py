"""Turns the product exports shop owners already have into the assistant's catalogue (products.csv).

Two formats, read as their platforms write them:

- **Shopify** (Products → Export → CSV): one row per variant; the first row of a ``Handle`` carries
  the product (Title, Body (HTML), Vendor, Type, Tags, option names), later rows of the same handle
  only the variant's columns or an extra image.
- **WooCommerce** (Products → Export): one row per product; a ``variable`` product's ``variation``
  rows name it in ``Parent`` (``id:123`` or its SKU) and carry their own price, stock and attribute
  values.

Each variant becomes one catalogue row (the catalogue lists variants as products, as the demo shop's
"iPhone SE 64GB" and "128GB" are), with the columns ``shop.catalog.Catalog`` reads plus ``url``,
``image_url`` and ``variant_id``. Categories and brands come from the data (product type or the
first category; vendor, a "Brand" attribute or tag), attributes from options, attributes and tags.
Rows that cannot become a product are skipped, each with its line number and the reason.

    python -m shop.importers shopify products_export.csv --out data/myshop/products.csv
    python -m shop.importers woocommerce wc-product-export.csv --out data/myshop/products.csv
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

COLUMNS = ("product_id", "name", "category", "brand", "price", "rating", "review_count", "stock",
           "attributes", "description", "release_date", "url", "image_url", "variant_id")
# Shopify writes this option value for a product without variants; it is not part of the name.
SHOPIFY_DEFAULT_OPTION = "Default Title"
# A product whose stock is not tracked can always be ordered; the catalogue needs a count.
UNTRACKED_STOCK = 999
DESCRIPTION_CHARS = 600
FORMATS = ("shopify", "woocommerce")


class ExportError(ValueError):
    """The export cannot be read at all (not a CSV of the named format)."""


@dataclass
class Skipped:
    line: int
    reason: str


@dataclass
class ImportReport:
    rows: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"{len(self.rows)} products imported, {len(self.skipped)} rows skipped"]
        lines += [f"  line {skip.line}: {skip.reason}" for skip in self.skipped]
        return "\n".join(lines)


class _Text(HTMLParser):
    """The text of an HTML description (tags dropped, entities decoded, whitespace collapsed)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("p", "br", "li", "div"):
            self.parts.append(" ")


def html_to_text(html: str) -> str:
    parser = _Text()
    parser.feed(html or "")
    parser.close()
    text = re.sub(r"\s+", " ", "".join(parser.parts)).strip()
    return text[:DESCRIPTION_CHARS]


def _price(raw: str) -> float | None:
    """A price as the exports write it ("1,299.00", "19.9"); None when it is not one."""
    cleaned = (raw or "").strip().replace(",", "")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if value >= 0 else None


def _stock(raw: str, tracked: bool = True) -> int:
    if not tracked:
        return UNTRACKED_STOCK
    try:
        return max(0, int(float((raw or "0").strip() or 0)))
    except ValueError:
        return 0


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def category_key(text: str) -> str:
    """A category key from a product type or category path ("Audio > Headphones" → "headphones")."""
    return text.split(">")[-1].strip().lower()


def _tags(raw: str) -> list[str]:
    return [tag.strip() for tag in (raw or "").split(",") if tag.strip()]


def catalogue_row(product_id: str, name: str, category: str, brand: str, price: float, stock: int,
                  attributes: dict[str, Any], description: str, url: str, image: str, variant: str) -> dict[str, Any]:
    """One row of the catalogue CSV (exports carry no ratings: a new product has none yet)."""
    return {"product_id": product_id, "name": name, "category": category, "brand": brand,
            "price": f"{price:.2f}", "rating": "0.0", "review_count": 0, "stock": stock,
            "attributes": json.dumps(attributes, ensure_ascii=False), "description": description,
            "release_date": "", "url": url, "image_url": image, "variant_id": variant}


def _reader(path: Path, needed: Iterable[str], what: str) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ExportError(f"cannot read {path}: {exc}") from exc
    with handle:
        reader = csv.DictReader(handle)
        missing = [column for column in needed if column not in (reader.fieldnames or [])]
        if missing:
            raise ExportError(f"{path} is not a {what} products export: no column {', '.join(missing)}")
        # Line numbers as a spreadsheet shows them: the header is line 1.
        for line, row in enumerate(reader, start=2):
            yield line, {key: (value or "").strip() for key, value in row.items() if key is not None}


def import_shopify(path: Path, shop_url: str = "") -> ImportReport:
    """A Shopify products export as catalogue rows."""
    report = ImportReport()
    products: dict[str, dict[str, str]] = {}  # handle → the product's first row
    variants: dict[str, int] = {}  # handle → variants seen, to name a variant without a SKU
    for line, row in _reader(path, ("Handle", "Title", "Variant Price"), "Shopify"):
        handle = row.get("Handle", "")
        if not handle:
            report.skipped.append(Skipped(line, "no Handle"))
            continue
        if handle not in products:
            if not row.get("Title"):
                report.skipped.append(Skipped(line, f"{handle}: the product's first row has no Title"))
                continue
            products[handle] = row
        product = products[handle]
        if not row.get("Variant Price") and not row.get("Option1 Value"):
            continue  # an extra image of the product, not a variant
        if (row.get("Status") or product.get("Status", "active")).lower() in ("draft", "archived"):
            report.skipped.append(Skipped(line, f"{handle}: status {row.get('Status') or product.get('Status')}"))
            continue
        price = _price(row.get("Variant Price", ""))
        if price is None:
            report.skipped.append(Skipped(line, f"{handle}: no valid Variant Price ({row.get('Variant Price')!r})"))
            continue
        options = {}
        for index in (1, 2, 3):
            option, value = product.get(f"Option{index} Name", ""), row.get(f"Option{index} Value", "")
            if option and value and value != SHOPIFY_DEFAULT_OPTION:
                options[option.lower()] = value
        category = category_key(product.get("Type") or product.get("Product Category") or "")
        if not category:
            report.skipped.append(Skipped(line, f"{handle}: no Type or Product Category to file it under"))
            continue
        variants[handle] = variants.get(handle, 0) + 1
        variant = row.get("Variant SKU") or f"{handle}-{variants[handle]}"
        tags = _tags(product.get("Tags", ""))
        attributes: dict[str, Any] = {**options, **({"tags": tags} if tags else {})}
        name = " ".join([product["Title"], *options.values()])
        tracked = bool(row.get("Variant Inventory Tracker") or product.get("Variant Inventory Tracker"))
        stock = _stock(row.get("Variant Inventory Qty", ""), tracked or bool(row.get("Variant Inventory Qty")))
        report.rows.append(catalogue_row(
            product_id=slug(variant), name=name, category=category, brand=product.get("Vendor", ""),
            price=price, stock=stock, attributes=attributes,
            description=html_to_text(product.get("Body (HTML)", "")), url=f"{shop_url.rstrip('/')}/products/{handle}",
            image=row.get("Variant Image") or product.get("Image Src", ""), variant=variant))
    return report


_WOO_PARENT = re.compile(r"^id:(\d+)$")


def _woo_attributes(row: dict[str, str]) -> dict[str, str]:
    attributes = {}
    index = 1
    while f"Attribute {index} name" in row:
        name, value = row.get(f"Attribute {index} name", ""), row.get(f"Attribute {index} value(s)", "")
        if name and value:
            attributes[name.lower()] = value
        index += 1
    return attributes


def import_woocommerce(path: Path, shop_url: str = "") -> ImportReport:
    """A WooCommerce products export as catalogue rows (simple products and variations)."""
    report = ImportReport()
    parents: dict[str, dict[str, str]] = {}  # "id:123" and the SKU → a variable product's row
    pending: list[tuple[int, dict[str, str]]] = []
    for line, row in _reader(path, ("Name", "Regular price"), "WooCommerce"):
        kind = (row.get("Type") or "simple").lower()
        if kind == "variable":
            if row.get("ID"):
                parents[f"id:{row['ID']}"] = row
            if row.get("SKU"):
                parents[row["SKU"]] = row
        elif kind in ("simple", "variation"):
            pending.append((line, row))
        else:
            what = row.get("Name") or "a row"
            report.skipped.append(Skipped(line, f"{what}: product type {kind!r} is not sold as one item"))
    for line, row in pending:
        is_variation = (row.get("Type") or "").lower() == "variation"
        parent = parents.get(row.get("Parent", "")) if is_variation else None
        if is_variation and parent is None:
            reason = f"{row.get('Name')}: variation of an unknown parent {row.get('Parent')!r}"
            report.skipped.append(Skipped(line, reason))
            continue
        base = parent or row
        if row.get("Published", "1") == "-1" or base.get("Published", "1") == "-1":
            report.skipped.append(Skipped(line, f"{row.get('Name')}: a draft"))
            continue
        name = row.get("Name") or base.get("Name", "")
        if not name:
            report.skipped.append(Skipped(line, "no Name"))
            continue
        price = _price(row.get("Sale price") or row.get("Regular price", ""))
        if price is None:
            report.skipped.append(Skipped(line, f"{name}: no valid Regular price ({row.get('Regular price')!r})"))
            continue
        categories = [c.strip() for c in (base.get("Categories") or "").split(",") if c.strip()]
        if not categories:
            report.skipped.append(Skipped(line, f"{name}: no Categories to file it under"))
            continue
        attributes: dict[str, Any] = {**_woo_attributes(base), **_woo_attributes(row)}
        tags = _tags(base.get("Tags", ""))
        if tags:
            attributes["tags"] = tags
        brand = str(attributes.pop("brand", "") or base.get("Brands", "") or "")
        in_stock = (row.get("In stock?") or "1") not in ("0", "")
        stock = _stock(row.get("Stock", ""), bool(row.get("Stock"))) if in_stock else 0
        variant = row.get("SKU") or f"woo-{row.get('ID') or line}"
        images = [image.strip() for image in (row.get("Images") or base.get("Images") or "").split(",")
                  if image.strip()]
        report.rows.append(catalogue_row(
            product_id=slug(variant), name=name, category=category_key(categories[0]), brand=brand, price=price,
            stock=stock, attributes=attributes,
            description=html_to_text(row.get("Description") or base.get("Description")
                                     or base.get("Short description", "")),
            url=f"{shop_url.rstrip('/')}/?p={base.get('ID')}" if shop_url and base.get("ID") else "",
            image=images[0] if images else "", variant=variant))
    return report


def deduplicate(report: ImportReport) -> None:
    """Two rows with one product id keep the first; the second is reported."""
    seen: set[str] = set()
    kept = []
    for row in report.rows:
        if row["product_id"] in seen:
            report.skipped.append(Skipped(0, f"{row['name']}: duplicate id {row['product_id']!r}"))
            continue
        seen.add(row["product_id"])
        kept.append(row)
    report.rows = kept


def import_export(kind: str, path: Path, shop_url: str = "") -> ImportReport:
    """The export at ``path`` in format ``kind`` (shopify or woocommerce) as catalogue rows."""
    if kind not in FORMATS:
        raise ExportError(f"unknown export format {kind!r}; one of {', '.join(FORMATS)}")
    report = (import_shopify if kind == "shopify" else import_woocommerce)(path, shop_url)
    deduplicate(report)
    return report


def write_catalogue(rows: list[dict[str, Any]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Import a Shopify or WooCommerce products CSV as the catalogue.")
    parser.add_argument("format", choices=FORMATS)
    parser.add_argument("export", type=Path, help="the products CSV the shop exported")
    parser.add_argument("--out", type=Path, required=True, help="the catalogue CSV to write (products.csv)")
    parser.add_argument("--shop-url", default="", help="the shop's address, for product links")
    args = parser.parse_args(argv)
    try:
        report = import_export(args.format, args.export, args.shop_url)
    except ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not report.rows:
        print(report.summary(), file=sys.stderr)
        print("error: nothing to import; the catalogue was not written", file=sys.stderr)
        return 1
    write_catalogue(report.rows, args.out)
    print(report.summary())
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
