"""Generates Kestrel Electronics' shop data in data/shop/ (deterministic: same bytes on every run).

Usage::

    python scripts/generate_shop_data.py            # writes data/shop/*.csv
    python scripts/generate_shop_data.py --out DIR  # writes somewhere else

Files: products.csv, customers.csv, interactions.csv, orders.csv, order_items.csv (schemas in the
project contract). knowledge_base.yml in the same folder is hand-written and left untouched.

How the data is made
--------------------
* Products come from tables of real model lines per brand, expanded into variants (storage,
  configuration, screen size, colour, ...). Prices stay inside each category's range.
* Customers have a latent taste vector (LATENT_DIM dimensions: mobile, computing, audio, home,
  outdoor/imaging, premium, novelty, gaming, Apple, business) built from their segment, age band and
  region plus individual noise; products have vectors from their category, brand, line and price
  band. Affinity = dot product + popularity bias. Each session samples products by a softmax over
  affinity among products already released, with a view -> add_to_cart (~25%) -> purchase (~35%
  of carts) funnel. Purchases of phones, laptops, tablets and cameras are sometimes followed by a
  later purchase of a complementary accessory or headphones.
* Orders are the purchase checkouts. Status is as of the snapshot date SNAPSHOT (2026-11-25):
  orders from the last five days of activity (placed on or after 2026-11-16) are still processing,
  orders whose parcel has not arrived yet are shipped, older ones delivered; about 5% cancelled.

Documented fixtures (tests rely on them)
----------------------------------------
Customer C00001: Jane Doe, jane.doe@example.com, tech_enthusiast, US-Northeast, 35-44,
signed up 2023-04-12, marketing consent true. C00001 has exactly these four orders:

* KE-100001 processing, placed 2026-11-19T18:42:07Z, standard shipping, no carrier or tracking:
  Dell XPS 14 (Core Ultra 7, 16GB, 512GB) + Logitech MX Master 3S Wireless Mouse - Graphite.
* KE-100002 shipped, placed 2026-11-13T09:15:44Z, standard, UPS, tracking 1Z4K7E9R0312345678:
  Samsung Galaxy S25 256GB + Spigen Ultra Hybrid Case for Galaxy S25.
* KE-100003 delivered on 2026-08-20, placed 2026-08-14T15:22:10Z, standard, FedEx,
  tracking 771234567890: Sony WH-1000XM5 Wireless Headphones - Black.
* KE-100004 cancelled, placed 2026-09-10T20:05:31Z, standard:
  Apple Watch Series 11 42mm GPS.

Totals are the sums of the items' catalogue prices: KE-100001 $1,799.98, KE-100002 $916.98,
KE-100003 $359.99, KE-100004 $399.00.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np

SEED = 20261125
UTC = timezone.utc
REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "data" / "shop"

ACTIVITY_START = datetime(2025, 1, 1, tzinfo=UTC)
ACTIVITY_END = datetime(2026, 11, 20, 23, 59, 59, tzinfo=UTC)
SNAPSHOT = date(2026, 11, 25)
PROCESSING_SINCE = date(2026, 11, 16)

CATEGORIES = ("phones", "laptops", "tablets", "headphones", "smartwatches", "cameras", "tvs", "accessories")
PRICE_RANGES = {
    "phones": (149.0, 1599.0),
    "laptops": (329.0, 3499.0),
    "tablets": (99.0, 1899.0),
    "headphones": (19.0, 549.0),
    "smartwatches": (49.0, 899.0),
    "cameras": (129.0, 3999.0),
    "tvs": (179.0, 4999.0),
    "accessories": (9.0, 199.0),
}
SEGMENTS = ("bargain_hunter", "tech_enthusiast", "family", "professional", "student", "gamer")
REGIONS = ("US-Northeast", "US-Southeast", "US-Midwest", "US-Southwest", "US-West", "CA-East", "CA-West")
AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")

# ---------------------------------------------------------------------------------------------
# Product tables. Prices are list prices in USD; brand conventions decide the cents (see _cents).
# ---------------------------------------------------------------------------------------------

# (brand, model, release "YYYY-MM", base price, storages GB, screen in, RAM GB, battery mAh, camera MP, Hz)
PHONES = [
    ("Apple", "iPhone SE (3rd generation)", "2022-03", 429, (64, 128, 256), 4.7, 4, 2018, 12, 60),
    ("Apple", "iPhone 14", "2022-09", 699, (128, 256, 512), 6.1, 6, 3279, 12, 60),
    ("Apple", "iPhone 14 Plus", "2022-10", 799, (128, 256, 512), 6.7, 6, 4325, 12, 60),
    ("Apple", "iPhone 14 Pro", "2022-09", 999, (128, 256, 512, 1024), 6.1, 6, 3200, 48, 120),
    ("Apple", "iPhone 14 Pro Max", "2022-09", 1099, (128, 256, 512), 6.7, 6, 4323, 48, 120),
    ("Apple", "iPhone 15", "2023-09", 799, (128, 256, 512), 6.1, 6, 3349, 48, 60),
    ("Apple", "iPhone 15 Plus", "2023-09", 899, (128, 256, 512), 6.7, 6, 4383, 48, 60),
    ("Apple", "iPhone 15 Pro", "2023-09", 999, (128, 256, 512, 1024), 6.1, 8, 3274, 48, 120),
    ("Apple", "iPhone 15 Pro Max", "2023-09", 1199, (256, 512, 1024), 6.7, 8, 4441, 48, 120),
    ("Apple", "iPhone 16", "2024-09", 799, (128, 256, 512), 6.1, 8, 3561, 48, 60),
    ("Apple", "iPhone 16 Plus", "2024-09", 899, (128, 256, 512), 6.7, 8, 4674, 48, 60),
    ("Apple", "iPhone 16 Pro", "2024-09", 999, (128, 256, 512, 1024), 6.3, 8, 3582, 48, 120),
    ("Apple", "iPhone 16 Pro Max", "2024-09", 1199, (256, 512, 1024), 6.9, 8, 4685, 48, 120),
    ("Apple", "iPhone 16e", "2025-02", 599, (128, 256, 512), 6.1, 8, 4005, 48, 60),
    ("Apple", "iPhone 17", "2025-09", 799, (256, 512), 6.3, 8, 3692, 48, 120),
    ("Apple", "iPhone Air", "2025-09", 999, (256, 512, 1024), 6.5, 12, 3149, 48, 120),
    ("Apple", "iPhone 17 Pro", "2025-09", 1099, (256, 512, 1024), 6.3, 12, 4252, 48, 120),
    ("Apple", "iPhone 17 Pro Max", "2025-09", 1199, (256, 512, 1024), 6.9, 12, 4832, 48, 120),
    ("Apple", "iPhone 17e", "2026-02", 599, (256, 512), 6.1, 8, 4005, 48, 60),
    ("Samsung", "Galaxy S23", "2023-02", 799, (128, 256), 6.1, 8, 3900, 50, 120),
    ("Samsung", "Galaxy S23+", "2023-02", 999, (256, 512), 6.6, 8, 4700, 50, 120),
    ("Samsung", "Galaxy S23 Ultra", "2023-02", 1199, (256, 512, 1024), 6.8, 12, 5000, 200, 120),
    ("Samsung", "Galaxy S23 FE", "2023-10", 599, (128, 256), 6.4, 8, 4500, 50, 120),
    ("Samsung", "Galaxy S24", "2024-01", 799, (128, 256, 512), 6.2, 8, 4000, 50, 120),
    ("Samsung", "Galaxy S24+", "2024-01", 999, (256, 512), 6.7, 12, 4900, 50, 120),
    ("Samsung", "Galaxy S24 Ultra", "2024-01", 1299, (256, 512, 1024), 6.8, 12, 5000, 200, 120),
    ("Samsung", "Galaxy S24 FE", "2024-10", 649, (128, 256), 6.7, 8, 4700, 50, 120),
    ("Samsung", "Galaxy S25", "2025-02", 799, (128, 256), 6.2, 12, 4000, 50, 120),
    ("Samsung", "Galaxy S25+", "2025-02", 999, (256, 512), 6.7, 12, 4900, 50, 120),
    ("Samsung", "Galaxy S25 Ultra", "2025-02", 1299, (256, 512, 1024), 6.9, 12, 5000, 200, 120),
    ("Samsung", "Galaxy S25 Edge", "2025-05", 1099, (256, 512), 6.7, 12, 3900, 200, 120),
    ("Samsung", "Galaxy S25 FE", "2025-09", 649, (128, 256), 6.7, 8, 4900, 50, 120),
    ("Samsung", "Galaxy S26", "2026-02", 849, (256, 512), 6.3, 12, 4300, 50, 120),
    ("Samsung", "Galaxy S26+", "2026-02", 1049, (256, 512), 6.7, 12, 4900, 50, 120),
    ("Samsung", "Galaxy S26 Ultra", "2026-02", 1299, (256, 512, 1024), 6.9, 12, 5000, 200, 120),
    ("Samsung", "Galaxy Z Flip5", "2023-08", 999, (256, 512), 6.7, 8, 3700, 12, 120),
    ("Samsung", "Galaxy Z Fold5", "2023-08", 1499, (256, 512), 7.6, 12, 4400, 50, 120),
    ("Samsung", "Galaxy Z Flip6", "2024-07", 1099, (256, 512), 6.7, 12, 4000, 50, 120),
    ("Samsung", "Galaxy Z Fold6", "2024-07", 1599, (256,), 7.6, 12, 4400, 50, 120),
    ("Samsung", "Galaxy Z Flip7", "2025-07", 1099, (256, 512), 6.9, 12, 4300, 50, 120),
    ("Samsung", "Galaxy Z Fold7", "2025-07", 1599, (256,), 8.0, 12, 4400, 200, 120),
    ("Samsung", "Galaxy A15 5G", "2024-01", 199, (128,), 6.5, 4, 5000, 50, 90),
    ("Samsung", "Galaxy A25 5G", "2024-01", 299, (128,), 6.5, 6, 5000, 50, 120),
    ("Samsung", "Galaxy A35 5G", "2024-03", 399, (128, 256), 6.6, 6, 5000, 50, 120),
    ("Samsung", "Galaxy A16 5G", "2024-11", 199, (128,), 6.7, 4, 5000, 50, 90),
    ("Samsung", "Galaxy A26 5G", "2025-03", 299, (128,), 6.7, 6, 5000, 50, 120),
    ("Samsung", "Galaxy A36 5G", "2025-03", 399, (128, 256), 6.7, 6, 5000, 50, 120),
    ("Samsung", "Galaxy A56 5G", "2025-03", 499, (128, 256), 6.7, 8, 5000, 50, 120),
    ("Samsung", "Galaxy A17 5G", "2025-09", 199, (128,), 6.7, 4, 5000, 50, 90),
    ("Google", "Pixel 7", "2022-10", 599, (128, 256), 6.3, 8, 4355, 50, 90),
    ("Google", "Pixel 7 Pro", "2022-10", 899, (128, 256, 512), 6.7, 12, 5000, 50, 120),
    ("Google", "Pixel 7a", "2023-05", 499, (128,), 6.1, 8, 4385, 64, 90),
    ("Google", "Pixel Fold", "2023-06", 1599, (256,), 7.6, 12, 4821, 48, 120),
    ("Google", "Pixel 8", "2023-10", 699, (128, 256), 6.2, 8, 4575, 50, 120),
    ("Google", "Pixel 8 Pro", "2023-10", 999, (128, 256, 512), 6.7, 12, 5050, 50, 120),
    ("Google", "Pixel 8a", "2024-05", 499, (128, 256), 6.1, 8, 4492, 64, 120),
    ("Google", "Pixel 9", "2024-08", 799, (128, 256), 6.3, 12, 4700, 50, 120),
    ("Google", "Pixel 9 Pro", "2024-08", 999, (128, 256, 512), 6.3, 16, 4700, 50, 120),
    ("Google", "Pixel 9 Pro XL", "2024-08", 1099, (128, 256, 512), 6.8, 16, 5060, 50, 120),
    ("Google", "Pixel 9 Pro Fold", "2024-09", 1599, (256,), 8.0, 16, 4650, 48, 120),
    ("Google", "Pixel 9a", "2025-04", 499, (128, 256), 6.3, 8, 5100, 48, 120),
    ("Google", "Pixel 10", "2025-08", 799, (128, 256), 6.3, 12, 4970, 48, 120),
    ("Google", "Pixel 10 Pro", "2025-08", 999, (128, 256, 512), 6.3, 16, 4870, 50, 120),
    ("Google", "Pixel 10 Pro XL", "2025-08", 1199, (256, 512), 6.8, 16, 5200, 50, 120),
    ("Google", "Pixel 10a", "2026-03", 499, (128, 256), 6.3, 8, 5100, 48, 120),
    ("OnePlus", "OnePlus 10T", "2022-08", 649, (128, 256), 6.7, 8, 4800, 50, 120),
    ("OnePlus", "OnePlus 11", "2023-02", 699, (128, 256), 6.7, 8, 5000, 50, 120),
    ("OnePlus", "OnePlus Open", "2023-10", 1599, (512,), 7.8, 16, 4805, 48, 120),
    ("OnePlus", "OnePlus 12", "2024-01", 799, (256, 512), 6.8, 12, 5400, 50, 120),
    ("OnePlus", "OnePlus 12R", "2024-02", 499, (128, 256), 6.8, 8, 5500, 50, 120),
    ("OnePlus", "OnePlus 13", "2025-01", 899, (256, 512), 6.8, 12, 6000, 50, 120),
    ("OnePlus", "OnePlus 13R", "2025-01", 599, (256,), 6.8, 12, 6000, 50, 120),
    ("OnePlus", "OnePlus 15", "2025-11", 899, (256, 512), 6.8, 12, 7300, 50, 165),
    ("OnePlus", "Nord N30 5G", "2023-06", 299, (128,), 6.7, 8, 5000, 108, 120),
    ("OnePlus", "Nord N30 SE 5G", "2024-01", 149, (128,), 6.7, 4, 5000, 50, 90),
    ("Motorola", "moto g play (2024)", "2024-01", 149, (64,), 6.5, 4, 5000, 50, 90),
    ("Motorola", "moto g 5G (2024)", "2024-03", 199, (128,), 6.6, 4, 5000, 50, 120),
    ("Motorola", "moto g power 5G (2024)", "2024-03", 299, (128,), 6.7, 8, 5000, 50, 120),
    ("Motorola", "moto g stylus 5G (2024)", "2024-04", 399, (128, 256), 6.7, 8, 5000, 50, 120),
    ("Motorola", "moto g 5G (2025)", "2025-03", 199, (128,), 6.7, 4, 5000, 50, 120),
    ("Motorola", "moto g power 5G (2025)", "2025-03", 299, (128,), 6.8, 8, 5000, 50, 120),
    ("Motorola", "moto g stylus (2025)", "2025-04", 399, (128, 256), 6.7, 8, 5000, 50, 120),
    ("Motorola", "edge+ (2023)", "2023-05", 799, (512,), 6.7, 8, 5100, 50, 165),
    ("Motorola", "edge (2024)", "2024-06", 549, (256,), 6.6, 8, 5000, 50, 144),
    ("Motorola", "edge (2025)", "2025-06", 549, (256,), 6.7, 8, 5200, 50, 120),
    ("Motorola", "razr (2024)", "2024-07", 699, (128,), 6.9, 8, 4200, 50, 120),
    ("Motorola", "razr+ (2024)", "2024-06", 999, (256,), 6.9, 12, 4000, 50, 165),
    ("Motorola", "razr (2025)", "2025-05", 699, (256,), 6.9, 8, 4500, 50, 120),
    ("Motorola", "razr+ (2025)", "2025-05", 999, (256,), 6.9, 12, 4000, 50, 165),
    ("Motorola", "razr ultra (2025)", "2025-05", 1299, (512,), 7.0, 16, 4700, 50, 165),
    ("Xiaomi", "Xiaomi 13T Pro", "2023-09", 799, (512,), 6.7, 12, 5000, 50, 144),
    ("Xiaomi", "Xiaomi 14", "2024-02", 799, (256, 512), 6.4, 12, 4610, 50, 120),
    ("Xiaomi", "Xiaomi 14 Ultra", "2024-02", 1299, (512,), 6.7, 16, 5000, 50, 120),
    ("Xiaomi", "Xiaomi 14T Pro", "2024-09", 799, (512,), 6.7, 12, 5000, 50, 144),
    ("Xiaomi", "Xiaomi 15", "2025-03", 899, (256, 512), 6.4, 12, 5240, 50, 120),
    ("Xiaomi", "Xiaomi 15 Ultra", "2025-03", 1399, (512,), 6.7, 16, 5410, 50, 120),
    ("Xiaomi", "Redmi Note 13 Pro 5G", "2024-01", 349, (256,), 6.7, 8, 5100, 200, 120),
    ("Xiaomi", "Redmi Note 13 Pro+ 5G", "2024-01", 449, (256, 512), 6.7, 12, 5000, 200, 120),
    ("Xiaomi", "Redmi Note 14 Pro+ 5G", "2025-01", 449, (256, 512), 6.7, 12, 5110, 200, 120),
    ("Xiaomi", "Redmi 13C", "2023-12", 149, (128,), 6.7, 4, 5000, 50, 90),
    ("Xiaomi", "POCO X6 Pro 5G", "2024-01", 349, (256, 512), 6.7, 12, 5000, 64, 120),
    ("Xiaomi", "POCO F6", "2024-05", 399, (256, 512), 6.7, 12, 5000, 50, 120),
    ("Xiaomi", "POCO F7 Pro", "2025-03", 499, (256, 512), 6.7, 12, 6000, 50, 120),
    ("Sony", "Xperia 1 IV", "2022-05", 1399, (256,), 6.5, 12, 5000, 12, 120),
    ("Sony", "Xperia 5 IV", "2022-09", 999, (128,), 6.1, 8, 5000, 12, 120),
    ("Sony", "Xperia 1 V", "2023-05", 1399, (256,), 6.5, 12, 5000, 48, 120),
    ("Sony", "Xperia 5 V", "2023-09", 999, (128,), 6.1, 8, 5000, 48, 120),
    ("Sony", "Xperia 10 V", "2023-05", 449, (128,), 6.1, 6, 5000, 48, 60),
    ("Sony", "Xperia 1 VI", "2024-05", 1399, (256, 512), 6.5, 12, 5000, 48, 120),
    ("Sony", "Xperia 10 VI", "2024-05", 449, (128,), 6.1, 8, 5000, 48, 60),
    ("Sony", "Xperia 1 VII", "2025-05", 1499, (256, 512), 6.5, 12, 5000, 48, 120),
]
PHONE_COLORS = {
    "Apple": ("Black", "White", "Blue", "Pink", "Natural Titanium", "Desert Titanium"),
    "Samsung": ("Onyx Black", "Marble Gray", "Cobalt Violet", "Amber Yellow", "Titanium Gray", "Icyblue"),
    "Google": ("Obsidian", "Porcelain", "Hazel", "Bay", "Peony", "Rose"),
    "OnePlus": ("Silky Black", "Flowy Emerald", "Midnight Ocean", "Arctic Dawn"),
    "Motorola": ("Midnight Blue", "Pantone Peach Fuzz", "Forest Green", "Hot Pink"),
    "Xiaomi": ("Black", "White", "Jade Green", "Lilac Purple"),
    "Sony": ("Black", "Platinum Silver", "Khaki Green"),
}

# (brand, model, release, base price, screen in, resolution, Hz, battery h, weight lb, cpus, memories, gpu, tags)
# cpus: ((name, price add), ...); memories: ((RAM GB, storage GB, price add), ...)
_MAC_MEM_AIR = ((8, 256, 0), (16, 256, 200), (16, 512, 400), (24, 1024, 800))
_MAC_MEM_AIR_M4 = ((16, 256, 0), (16, 512, 200), (24, 512, 400), (32, 1024, 800))
_WIN_MEM_BUDGET = ((8, 256, 0), (8, 512, 60), (16, 512, 130))
_WIN_MEM_MID = ((16, 512, 0), (16, 1024, 150), (32, 1024, 350))
_WIN_MEM_HIGH = ((16, 512, 0), (32, 1024, 400), (64, 2048, 1000))
_GAMING_MEM = ((16, 512, 0), (16, 1024, 120), (32, 1024, 300), (32, 2048, 500))
LAPTOPS = [
    ("Apple", "MacBook Air 13", "2022-07", 999, 13.6, "2560x1664", 60, 18, 2.7, (("M2", 0),), _MAC_MEM_AIR,
        "Apple 8-core GPU", ()),
    ("Apple", "MacBook Air 13", "2024-03", 1099, 13.6, "2560x1664", 60, 18, 2.7, (("M3", 0),), _MAC_MEM_AIR,
        "Apple 8-core GPU", ()),
    ("Apple", "MacBook Air 15", "2024-03", 1299, 15.3, "2880x1864", 60, 18, 3.3, (("M3", 0),), _MAC_MEM_AIR,
        "Apple 10-core GPU", ()),
    ("Apple", "MacBook Air 13", "2025-03", 999, 13.6, "2560x1664", 60, 18, 2.7, (("M4", 0),), _MAC_MEM_AIR_M4,
        "Apple 8-core GPU", ()),
    ("Apple", "MacBook Air 15", "2025-03", 1199, 15.3, "2880x1864", 60, 18, 3.3, (("M4", 0),), _MAC_MEM_AIR_M4,
        "Apple 10-core GPU", ()),
    ("Apple", "MacBook Pro 14", "2023-11", 1599, 14.2, "3024x1964", 120, 22, 3.4, (("M3", 0), ("M3 Pro", 400)), ((8,
        512, 0), (18, 512, 200), (18, 1024, 400)), "Apple 10-core GPU", ("creator",)),
    ("Apple", "MacBook Pro 16", "2023-11", 2499, 16.2, "3456x2234", 120, 22, 4.7, (("M3 Pro", 0), ("M3 Max", 900)),
        ((18, 512, 0), (36, 512, 400)), "Apple 18-core GPU", ("creator",)),
    ("Apple", "MacBook Pro 14", "2024-11", 1599, 14.2, "3024x1964", 120, 24, 3.4, (("M4", 0), ("M4 Pro", 400),
        ("M4 Max", 1600)), ((16, 512, 0), (24, 1024, 400)), "Apple 10-core GPU", ("creator",)),
    ("Apple", "MacBook Pro 16", "2024-11", 2499, 16.2, "3456x2234", 120, 24, 4.7, (("M4 Pro", 0), ("M4 Max", 1000)),
        ((24, 512, 0), (48, 1024, 400)), "Apple 20-core GPU", ("creator",)),
    ("Apple", "MacBook Pro 14", "2025-10", 1599, 14.2, "3024x1964", 120, 24, 3.4, (("M5", 0),), ((16, 512, 0), (16,
        1024, 200), (24, 1024, 400), (32, 1024, 600)), "Apple 10-core GPU", ("creator",)),
    ("Dell", "XPS 13", "2024-06", 1299, 13.4, "2880x1800", 120, 20, 2.6, (("Snapdragon X Elite", 0), ("Core Ultra 7",
        100)), ((16, 512, 0), (32, 1024, 400)), "Integrated", ("business",)),
    ("Dell", "XPS 14", "2024-02", 1699, 14.5, "3200x2000", 120, 14, 3.8, (("Core Ultra 7", 0), ("Core Ultra 9", 300)),
        _WIN_MEM_HIGH, "NVIDIA GeForce RTX 4050", ("business", "creator")),
    ("Dell", "XPS 16", "2024-02", 2199, 16.3, "3840x2400", 90, 13, 4.8, (("Core Ultra 7", 0), ("Core Ultra 9", 300)),
        _WIN_MEM_HIGH, "NVIDIA GeForce RTX 4060", ("creator",)),
    ("Dell", "Inspiron 14", "2024-05", 649, 14.0, "1920x1200", 60, 10, 3.4, (("Core 5", 0), ("Core 7", 150)),
        _WIN_MEM_BUDGET, "Integrated", ()),
    ("Dell", "Inspiron 15", "2023-06", 499, 15.6, "1920x1080", 120, 8, 3.7, (("Core i5", 0), ("Core i7", 150)),
        _WIN_MEM_BUDGET, "Integrated", ()),
    ("Dell", "Inspiron 16 Plus", "2024-04", 1099, 16.0, "2560x1600", 120, 12, 4.7, (("Core Ultra 7", 0),),
        _WIN_MEM_MID, "NVIDIA GeForce RTX 4060", ("creator",)),
    ("Dell", "Latitude 7450", "2024-03", 1499, 14.0, "1920x1200", 60, 15, 3.0, (("Core Ultra 5", 0), ("Core Ultra 7",
        200)), _WIN_MEM_MID, "Integrated", ("business",)),
    ("Dell", "Latitude 5550", "2024-03", 1099, 15.6, "1920x1080", 60, 12, 3.6, (("Core Ultra 5", 0), ("Core Ultra 7",
        200)), _WIN_MEM_MID, "Integrated", ("business",)),
    ("Dell", "Alienware m16 R2", "2024-02", 1899, 16.0, "2560x1600", 240, 7, 5.7, (("Core Ultra 7", 0),
        ("Core Ultra 9", 300)), _GAMING_MEM, "NVIDIA GeForce RTX 4070", ("gaming",)),
    ("Dell", "Alienware x16 R2", "2024-02", 2499, 16.0, "2560x1600", 240, 6, 6.0, (("Core Ultra 9", 0),), _GAMING_MEM,
        "NVIDIA GeForce RTX 4080", ("gaming",)),
    ("Dell", "Alienware 16 Area-51", "2025-03", 2999, 16.0, "2560x1600", 240, 6, 7.2, (("Core Ultra 9", 0),), ((32,
        1024, 0), (32, 2048, 200)), "NVIDIA GeForce RTX 5080", ("gaming",)),
    ("Dell", "G16 Gaming Laptop", "2023-05", 1199, 16.0, "2560x1600", 165, 6, 6.0, (("Core i7", 0), ("Core i9", 250)),
        _GAMING_MEM, "NVIDIA GeForce RTX 4060", ("gaming",)),
    ("Dell", "14 Plus", "2025-03", 799, 14.0, "2560x1600", 60, 14, 3.2, (("Core Ultra 5", 0), ("Core Ultra 7", 150)),
        _WIN_MEM_MID, "Integrated", ()),
    ("Dell", "16 Plus", "2025-03", 899, 16.0, "1920x1200", 60, 13, 4.1, (("Core Ultra 5", 0), ("Core Ultra 7", 150)),
        _WIN_MEM_MID, "Integrated", ()),
    ("Dell", "Pro 14 Premium", "2025-05", 1799, 14.0, "2560x1600", 60, 16, 2.6, (("Core Ultra 7", 0),), _WIN_MEM_MID,
        "Integrated", ("business",)),
    ("HP", "14 Laptop", "2024-01", 329, 14.0, "1366x768", 60, 9, 3.2, (("Intel N200", 0), ("Core i3", 70)), ((8, 128,
        0), (8, 256, 50)), "Integrated", ()),
    ("HP", "15 Laptop", "2023-01", 449, 15.6, "1920x1080", 60, 8, 3.6, (("Core i3", 0), ("Core i5", 100), ("Core i7",
        200)), _WIN_MEM_BUDGET, "Integrated", ()),
    ("HP", "Pavilion 15", "2023-05", 599, 15.6, "1920x1080", 60, 8, 3.9, (("Core i5", 0), ("Core i7", 150)),
        _WIN_MEM_BUDGET, "Integrated", ()),
    ("HP", "Pavilion Plus 14", "2023-06", 899, 14.0, "2880x1800", 90, 9, 3.1, (("Core i5", 0), ("Core i7", 150)),
        _WIN_MEM_MID, "Integrated", ()),
    ("HP", "Envy x360 14", "2024-04", 999, 14.0, "2880x1800", 120, 10, 3.1, (("Core Ultra 5", 0), ("Core Ultra 7",
        200)), _WIN_MEM_MID, "Integrated", ()),
    ("HP", "Envy x360 16", "2024-04", 1199, 16.0, "2880x1800", 120, 10, 4.1, (("Core Ultra 7", 0),), _WIN_MEM_MID,
        "Integrated", ()),
    ("HP", "Spectre x360 14", "2024-03", 1499, 14.0, "2880x1800", 120, 12, 3.1, (("Core Ultra 7", 0),), _WIN_MEM_MID,
        "Integrated", ("business",)),
    ("HP", "Spectre x360 16", "2024-03", 1799, 16.0, "2880x1800", 120, 10, 4.3, (("Core Ultra 7", 0),), _WIN_MEM_MID,
        "NVIDIA GeForce RTX 4050", ("creator",)),
    ("HP", "OmniBook X 14", "2024-06", 1199, 14.0, "2240x1400", 60, 22, 3.0, (("Snapdragon X Elite", 0),), ((16, 512,
        0), (16, 1024, 150)), "Integrated", ()),
    ("HP", "OmniBook 5 14", "2025-04", 749, 14.0, "1920x1200", 60, 20, 2.9, (("Snapdragon X Plus", 0),), ((16, 512,
        0),), "Integrated", ()),
    ("HP", "OmniBook Ultra 14", "2025-01", 1449, 14.0, "2240x1400", 120, 21, 3.0, (("Ryzen AI 9 HX 375", 0),), ((32,
        1024, 0),), "Integrated", ("business",)),
    ("HP", "Chromebook Plus 14", "2024-09", 399, 14.0, "1920x1080", 60, 10, 3.2, (("Core i3", 0),), ((8, 128, 0), (8,
        256, 50)), "Integrated", ("chromebook",)),
    ("HP", "Victus 15", "2024-01", 799, 15.6, "1920x1080", 144, 7, 5.1, (("Core i5", 0), ("Core i7", 150)),
        _GAMING_MEM, "NVIDIA GeForce RTX 4050", ("gaming",)),
    ("HP", "Omen 16", "2024-03", 1399, 16.1, "2560x1440", 240, 6, 5.4, (("Core i7", 0), ("Core i9", 300)),
        _GAMING_MEM, "NVIDIA GeForce RTX 4070", ("gaming",)),
    ("HP", "Omen Transcend 14", "2024-02", 1599, 14.0, "2880x1800", 120, 8, 3.6, (("Core Ultra 7", 0),
        ("Core Ultra 9", 200)), _GAMING_MEM, "NVIDIA GeForce RTX 4060", ("gaming",)),
    ("HP", "EliteBook 840 G11", "2024-03", 1599, 14.0, "1920x1200", 60, 14, 3.0, (("Core Ultra 5", 0),
        ("Core Ultra 7", 200)), _WIN_MEM_MID, "Integrated", ("business",)),
    ("HP", "EliteBook 1040 G11", "2024-04", 1899, 14.0, "2880x1800", 120, 14, 2.7, (("Core Ultra 7", 0),),
        _WIN_MEM_MID, "Integrated", ("business",)),
    ("HP", "ZBook Firefly 14 G11", "2024-05", 1999, 14.0, "2560x1600", 120, 12, 3.1, (("Core Ultra 7", 0),),
        _WIN_MEM_HIGH, "NVIDIA RTX A500", ("business", "creator")),
    ("Lenovo", "ThinkPad X1 Carbon Gen 12", "2024-03", 1899, 14.0, "1920x1200", 60, 15, 2.4, (("Core Ultra 5", 0),
        ("Core Ultra 7", 250)), _WIN_MEM_MID, "Integrated", ("business",)),
    ("Lenovo", "ThinkPad X1 Carbon Gen 13", "2025-02", 1999, 14.0, "2880x1800", 120, 16, 2.2, (("Core Ultra 7", 0),),
        _WIN_MEM_MID, "Integrated", ("business",)),
    ("Lenovo", "ThinkPad T14 Gen 5", "2024-04", 1299, 14.0, "1920x1200", 60, 14, 2.9, (("Core Ultra 5", 0),
        ("Core Ultra 7", 200)), _WIN_MEM_MID, "Integrated", ("business",)),
    ("Lenovo", "ThinkPad E14 Gen 6", "2024-05", 849, 14.0, "1920x1200", 60, 12, 3.0, (("Core Ultra 5", 0),
        ("Core Ultra 7", 150)), _WIN_MEM_BUDGET, "Integrated", ("business",)),
    ("Lenovo", "ThinkPad X1 2-in-1 Gen 9", "2024-03", 2099, 14.0, "2880x1800", 120, 14, 3.0, (("Core Ultra 7", 0),),
        _WIN_MEM_MID, "Integrated", ("business",)),
    ("Lenovo", "ThinkPad P16s Gen 3", "2024-06", 1699, 16.0, "3840x2400", 60, 12, 4.0, (("Core Ultra 7", 0),),
        _WIN_MEM_HIGH, "NVIDIA RTX 500 Ada", ("business", "creator")),
    ("Lenovo", "IdeaPad Slim 3 15", "2023-06", 449, 15.6, "1920x1080", 60, 9, 3.5, (("Core i3", 0), ("Core i5", 100)),
        _WIN_MEM_BUDGET, "Integrated", ()),
    ("Lenovo", "IdeaPad Slim 5 14", "2024-03", 749, 14.0, "1920x1200", 60, 13, 3.1, (("Ryzen 5", 0), ("Ryzen 7",
        150)), _WIN_MEM_BUDGET, "Integrated", ()),
    ("Lenovo", "IdeaPad Flex 5 14", "2023-05", 599, 14.0, "1920x1200", 60, 10, 3.4, (("Core i5", 0), ("Core i7",
        150)), _WIN_MEM_BUDGET, "Integrated", ()),
    ("Lenovo", "Yoga 7i 2-in-1 16", "2024-05", 899, 16.0, "1920x1200", 60, 12, 4.3, (("Core Ultra 5", 0),
        ("Core Ultra 7", 150)), _WIN_MEM_MID, "Integrated", ()),
    ("Lenovo", "Yoga Slim 7x", "2024-06", 1199, 14.5, "2944x1840", 90, 20, 2.8, (("Snapdragon X Elite", 0),),
        _WIN_MEM_MID, "Integrated", ()),
    ("Lenovo", "Yoga Pro 9i 16", "2024-05", 1699, 16.0, "3200x2000", 165, 10, 4.8, (("Core Ultra 9", 0),),
        _WIN_MEM_HIGH, "NVIDIA GeForce RTX 4060", ("creator",)),
    ("Lenovo", "LOQ 15", "2024-01", 899, 15.6, "1920x1080", 144, 6, 5.3, (("Core i5", 0), ("Core i7", 150)),
        _GAMING_MEM, "NVIDIA GeForce RTX 4050", ("gaming",)),
    ("Lenovo", "Legion 5i Gen 9", "2024-04", 1399, 16.0, "2560x1600", 165, 7, 5.3, (("Core i7", 0), ("Core i9", 250)),
        _GAMING_MEM, "NVIDIA GeForce RTX 4060", ("gaming",)),
    ("Lenovo", "Legion Pro 7i Gen 9", "2024-03", 2599, 16.0, "2560x1600", 240, 5, 6.2, (("Core i9", 0),), ((32, 1024,
        0), (32, 2048, 300)), "NVIDIA GeForce RTX 4080", ("gaming",)),
    ("Lenovo", "Legion Pro 7i Gen 10", "2025-03", 2999, 16.0, "2560x1600", 240, 5, 6.1, (("Core Ultra 9", 0),), ((32,
        1024, 0), (32, 2048, 300)), "NVIDIA GeForce RTX 5080", ("gaming",)),
    ("Asus", "Zenbook 14 OLED", "2024-02", 799, 14.0, "2880x1800", 120, 15, 2.7, (("Core Ultra 5", 0),
        ("Core Ultra 7", 200)), _WIN_MEM_MID, "Integrated", ()),
    ("Asus", "Zenbook S 14", "2024-09", 1399, 14.0, "2880x1800", 120, 18, 2.6, (("Core Ultra 7", 0),), ((32, 1024, 0),
        ), "Integrated", ()),
    ("Asus", "Zenbook S 16", "2024-07", 1699, 16.0, "2880x1800", 120, 15, 3.3, (("Ryzen AI 9 HX 370", 0),), ((32,
        1024, 0),), "Integrated", ("creator",)),
    ("Asus", "Zenbook Duo", "2024-02", 1499, 14.0, "2880x1800", 120, 13, 3.6, (("Core Ultra 7", 0), ("Core Ultra 9",
        200)), _WIN_MEM_MID, "Integrated", ("creator",)),
    ("Asus", "Vivobook 15", "2023-06", 429, 15.6, "1920x1080", 60, 8, 3.7, (("Core i3", 0), ("Core i5", 100)),
        _WIN_MEM_BUDGET, "Integrated", ()),
    ("Asus", "Vivobook 16", "2024-04", 549, 16.0, "1920x1200", 60, 8, 4.0, (("Core i5", 0), ("Core i7", 150)),
        _WIN_MEM_BUDGET, "Integrated", ()),
    ("Asus", "Vivobook S 15", "2024-06", 1099, 15.6, "2880x1620", 120, 18, 3.1, (("Snapdragon X Elite", 0),), ((16,
        1024, 0),), "Integrated", ()),
    ("Asus", "Chromebook Plus CX34", "2023-11", 399, 14.0, "1920x1080", 60, 10, 3.2, (("Core i3", 0),), ((8, 128, 0),
        (8, 256, 50)), "Integrated", ("chromebook",)),
    ("Asus", "ROG Zephyrus G14", "2024-02", 1599, 14.0, "2880x1800", 120, 8, 3.3, (("Ryzen 9 8945HS", 0),),
        _GAMING_MEM, "NVIDIA GeForce RTX 4060", ("gaming",)),
    ("Asus", "ROG Zephyrus G16", "2024-02", 1999, 16.0, "2560x1600", 240, 8, 4.3, (("Core Ultra 9", 0),), _GAMING_MEM,
        "NVIDIA GeForce RTX 4070", ("gaming",)),
    ("Asus", "ROG Strix G16", "2024-01", 1499, 16.0, "2560x1600", 240, 6, 5.5, (("Core i7", 0), ("Core i9", 250)),
        _GAMING_MEM, "NVIDIA GeForce RTX 4060", ("gaming",)),
    ("Asus", "ROG Strix Scar 18", "2025-02", 3299, 18.0, "2560x1600", 240, 5, 7.1, (("Core Ultra 9", 0),), ((32, 2048,
        0),), "NVIDIA GeForce RTX 5080", ("gaming",)),
    ("Asus", "TUF Gaming A15", "2024-01", 899, 15.6, "1920x1080", 144, 8, 4.9, (("Ryzen 7", 0),), _GAMING_MEM,
        "NVIDIA GeForce RTX 4050", ("gaming",)),
    ("Asus", "TUF Gaming F16", "2024-05", 1099, 16.0, "1920x1200", 165, 7, 5.1, (("Core i7", 0),), _GAMING_MEM,
        "NVIDIA GeForce RTX 4060", ("gaming",)),
    ("Asus", "ProArt P16", "2024-07", 2499, 16.0, "3840x2400", 60, 10, 4.0, (("Ryzen AI 9 HX 370", 0),), ((32, 1024,
        0), (64, 2048, 500)), "NVIDIA GeForce RTX 4070", ("creator",)),
    ("Acer", "Aspire Go 15", "2024-03", 329, 15.6, "1920x1080", 60, 8, 3.8, (("Intel N100", 0), ("Core i3", 70)), ((8,
        128, 0), (8, 256, 50)), "Integrated", ()),
    ("Acer", "Aspire 3", "2023-03", 379, 15.6, "1920x1080", 60, 8, 3.9, (("Ryzen 3", 0), ("Ryzen 5", 100)),
        _WIN_MEM_BUDGET, "Integrated", ()),
    ("Acer", "Aspire 5", "2023-04", 549, 15.6, "1920x1080", 60, 9, 3.9, (("Core i5", 0), ("Core i7", 150)),
        _WIN_MEM_BUDGET, "Integrated", ()),
    ("Acer", "Swift Go 14", "2024-02", 749, 14.0, "2880x1800", 90, 12, 2.9, (("Core Ultra 5", 0), ("Core Ultra 7",
        150)), _WIN_MEM_MID, "Integrated", ()),
    ("Acer", "Swift X 14", "2023-06", 1299, 14.5, "2880x1800", 120, 10, 3.4, (("Core i7", 0),), _WIN_MEM_MID,
        "NVIDIA GeForce RTX 4050", ("creator",)),
    ("Acer", "Swift 14 AI", "2024-09", 1099, 14.0, "2560x1600", 120, 18, 2.8, (("Core Ultra 7", 0),), ((16, 512, 0),
        (32, 1024, 250)), "Integrated", ()),
    ("Acer", "Chromebook Plus 515", "2023-10", 399, 15.6, "1920x1080", 60, 10, 3.7, (("Core i3", 0),), ((8, 128, 0),
        (8, 256, 50)), "Integrated", ("chromebook",)),
    ("Acer", "Chromebook Spin 714", "2023-05", 699, 14.0, "1920x1200", 60, 10, 3.1, (("Core i5", 0),), ((8, 256, 0),),
        "Integrated", ("chromebook",)),
    ("Acer", "Nitro V 15", "2024-01", 749, 15.6, "1920x1080", 144, 6, 4.7, (("Core i5", 0), ("Core i7", 150)),
        _GAMING_MEM, "NVIDIA GeForce RTX 4050", ("gaming",)),
    ("Acer", "Nitro 16", "2024-03", 1049, 16.0, "1920x1200", 165, 6, 5.6, (("Ryzen 7", 0),), _GAMING_MEM,
        "NVIDIA GeForce RTX 4060", ("gaming",)),
    ("Acer", "Predator Helios Neo 16", "2024-03", 1399, 16.0, "2560x1600", 240, 5, 5.9, (("Core i7", 0), ("Core i9",
        250)), _GAMING_MEM, "NVIDIA GeForce RTX 4070", ("gaming",)),
    ("Acer", "Predator Helios 16", "2024-02", 1899, 16.0, "2560x1600", 240, 5, 5.7, (("Core i9", 0),), _GAMING_MEM,
        "NVIDIA GeForce RTX 4080", ("gaming",)),
    ("Acer", "Predator Helios 18", "2025-03", 2799, 18.0, "2560x1600", 250, 5, 7.3, (("Core Ultra 9", 0),), ((32,
        1024, 0), (32, 2048, 250)), "NVIDIA GeForce RTX 5080", ("gaming",)),
    ("Microsoft", "Surface Laptop 5 13.5-inch", "2022-10", 999, 13.5, "2256x1504", 60, 17, 2.9, (("Core i5", 0),
        ("Core i7", 300)), ((8, 256, 0), (16, 512, 300)), "Integrated", ("business",)),
    ("Microsoft", "Surface Laptop Go 3", "2023-10", 799, 12.4, "1536x1024", 60, 15, 2.5, (("Core i5", 0),), ((8, 256,
        0), (16, 256, 200)), "Integrated", ()),
    ("Microsoft", "Surface Laptop 7 13.8-inch", "2024-06", 999, 13.8, "2304x1536", 120, 20, 3.0,
        (("Snapdragon X Plus", 0), ("Snapdragon X Elite", 300)), ((16, 256, 0), (16, 512, 200), (32, 1024, 700)),
        "Integrated", ("business",)),
    ("Microsoft", "Surface Laptop 7 15-inch", "2024-06", 1299, 15.0, "2496x1664", 120, 22, 3.7,
        (("Snapdragon X Elite", 0),), ((16, 256, 0), (16, 512, 200), (32, 1024, 700)), "Integrated", ("business",)),
    ("Microsoft", "Surface Laptop Studio 2", "2023-10", 1999, 14.4, "2400x1600", 120, 18, 4.2, (("Core i7", 0),),
        ((16, 512, 0), (32, 1024, 600)), "NVIDIA GeForce RTX 4050", ("creator",)),
    ("Microsoft", "Surface Laptop 13-inch", "2025-05", 899, 13.0, "1920x1280", 60, 20, 2.7, (("Snapdragon X Plus", 0),
        ), ((16, 256, 0), (16, 512, 200)), "Integrated", ()),
    ("Razer", "Blade 14 (2024)", "2024-02", 2199, 14.0, "2560x1600", 240, 8, 4.1, (("Ryzen 9 8945HS", 0),), ((16,
        1024, 0), (32, 1024, 400)), "NVIDIA GeForce RTX 4070", ("gaming",)),
    ("Razer", "Blade 16 (2024)", "2024-02", 2999, 16.0, "2560x1600", 240, 6, 5.4, (("Core i9", 0),), ((32, 1024, 0),
        (32, 2048, 300)), "NVIDIA GeForce RTX 4080", ("gaming",)),
    ("Razer", "Blade 18 (2024)", "2024-02", 3099, 18.0, "2560x1600", 300, 6, 6.9, (("Core i9", 0),), ((32, 1024, 0),
        (32, 2048, 300)), "NVIDIA GeForce RTX 4080", ("gaming",)),
    ("Razer", "Blade 14 (2025)", "2025-03", 2299, 14.0, "2880x1800", 120, 9, 3.6, (("Ryzen AI 9 HX 370", 0),), ((32,
        1024, 0),), "NVIDIA GeForce RTX 5070", ("gaming",)),
    ("Razer", "Blade 16 (2025)", "2025-03", 2999, 16.0, "2560x1600", 240, 7, 4.7, (("Ryzen AI 9 HX 370", 0),), ((32,
        1024, 0), (32, 2048, 400)), "NVIDIA GeForce RTX 5080", ("gaming",)),
]

# (brand, model, release, base price, storages, screen in, chip, battery h, cellular price add or 0, stylus)
TABLETS = [
    ("Apple", "iPad (10th generation)", "2022-10", 349, (64, 256), 10.9, "A14 Bionic", 10, 150, "Apple Pencil (USB-C)"),
    ("Apple", "iPad (A16)", "2025-03", 349, (128, 256, 512), 11.0, "A16", 10, 150, "Apple Pencil (USB-C)"),
    ("Apple", "iPad mini (A17 Pro)", "2024-10", 499, (128, 256, 512), 8.3, "A17 Pro", 10, 150, "Apple Pencil Pro"),
    ("Apple", "iPad Air 11-inch (M2)", "2024-05", 599, (128, 256, 512, 1024), 11.0, "M2", 10, 150, "Apple Pencil Pro"),
    ("Apple", "iPad Air 13-inch (M2)", "2024-05", 799, (128, 256, 512), 13.0, "M2", 10, 150, "Apple Pencil Pro"),
    ("Apple", "iPad Air 11-inch (M3)", "2025-03", 599, (128, 256, 512, 1024), 11.0, "M3", 10, 150, "Apple Pencil Pro"),
    ("Apple", "iPad Air 13-inch (M3)", "2025-03", 799, (128, 256, 512), 13.0, "M3", 10, 150, "Apple Pencil Pro"),
    ("Apple", "iPad Pro 12.9-inch (6th generation)", "2022-10", 1099, (128, 256, 512), 12.9, "M2", 10, 200,
        "Apple Pencil (2nd generation)"),
    ("Apple", "iPad Pro 11-inch (M4)", "2024-05", 999, (256, 512, 1024), 11.0, "M4", 10, 200, "Apple Pencil Pro"),
    ("Apple", "iPad Pro 13-inch (M4)", "2024-05", 1299, (256, 512), 13.0, "M4", 10, 200, "Apple Pencil Pro"),
    ("Apple", "iPad Pro 11-inch (M5)", "2025-10", 999, (256, 512, 1024), 11.0, "M5", 10, 200, "Apple Pencil Pro"),
    ("Apple", "iPad Pro 13-inch (M5)", "2025-10", 1299, (256, 512), 13.0, "M5", 10, 200, "Apple Pencil Pro"),
    ("Samsung", "Galaxy Tab S9", "2023-08", 799, (128, 256), 11.0, "Snapdragon 8 Gen 2", 15, 0, "S Pen (included)"),
    ("Samsung", "Galaxy Tab S9+", "2023-08", 999, (256, 512), 12.4, "Snapdragon 8 Gen 2", 15, 0, "S Pen (included)"),
    ("Samsung", "Galaxy Tab S9 Ultra", "2023-08", 1199, (256, 512, 1024), 14.6, "Snapdragon 8 Gen 2", 14, 0,
        "S Pen (included)"),
    ("Samsung", "Galaxy Tab S9 FE", "2023-10", 449, (128, 256), 10.9, "Exynos 1380", 18, 150, "S Pen (included)"),
    ("Samsung", "Galaxy Tab S9 FE+", "2023-10", 599, (128, 256), 12.4, "Exynos 1380", 18, 0, "S Pen (included)"),
    ("Samsung", "Galaxy Tab S10+", "2024-10", 999, (256, 512), 12.4, "Dimensity 9300+", 16, 0, "S Pen (included)"),
    ("Samsung", "Galaxy Tab S10 Ultra", "2024-10", 1199, (256, 512, 1024), 14.6, "Dimensity 9300+", 16, 0,
        "S Pen (included)"),
    ("Samsung", "Galaxy Tab S10 FE", "2025-04", 499, (128, 256), 10.9, "Exynos 1580", 18, 150, "S Pen (included)"),
    ("Samsung", "Galaxy Tab S10 FE+", "2025-04", 649, (128, 256), 13.1, "Exynos 1580", 18, 0, "S Pen (included)"),
    ("Samsung", "Galaxy Tab S11", "2025-09", 799, (128, 256), 11.0, "Dimensity 9400+", 16, 0, "S Pen (included)"),
    ("Samsung", "Galaxy Tab S11 Ultra", "2025-09", 1199, (256, 512, 1024), 14.6, "Dimensity 9400+", 16, 0,
        "S Pen (included)"),
    ("Samsung", "Galaxy Tab A9", "2023-11", 159, (64,), 8.7, "Helio G99", 12, 0, ""),
    ("Samsung", "Galaxy Tab A9+", "2023-11", 219, (64, 128), 11.0, "Snapdragon 695", 13, 0, ""),
    ("Samsung", "Galaxy Tab S6 Lite (2024)", "2024-04", 329, (64, 128), 10.4, "Exynos 1280", 13, 0, "S Pen (included)"),
    ("Lenovo", "Tab M9", "2023-04", 149, (32, 64), 9.0, "Helio G80", 13, 0, ""),
    ("Lenovo", "Tab M11", "2024-01", 229, (64, 128), 11.0, "Helio G88", 10, 0, "Lenovo Tab Pen"),
    ("Lenovo", "Tab P12", "2023-08", 349, (128, 256), 12.7, "Dimensity 7050", 10, 0, "Lenovo Tab Pen Plus"),
    ("Lenovo", "Tab Plus", "2024-05", 289, (128, 256), 11.5, "Helio G99", 12, 0, ""),
    ("Lenovo", "Legion Tab", "2024-07", 399, (256,), 8.8, "Snapdragon 8+ Gen 1", 9, 0, ""),
    ("Lenovo", "Idea Tab Pro", "2025-03", 349, (128, 256), 12.7, "Dimensity 8300", 12, 0, "Lenovo Tab Pen Plus"),
    ("Lenovo", "Yoga Tab Plus", "2024-10", 699, (256,), 12.7, "Snapdragon 8 Gen 3", 12, 0, "Lenovo Tab Pen Pro"),
    ("Amazon", "Fire HD 8 (2024)", "2024-06", 99.99, (32, 64), 8.0, "Hexa-core 2.2 GHz", 13, 0, ""),
    ("Amazon", "Fire HD 8 Plus (2024)", "2024-06", 119.99, (32, 64), 8.0, "Hexa-core 2.2 GHz", 13, 0, ""),
    ("Amazon", "Fire HD 10 (2023)", "2023-10", 139.99, (32, 64), 10.1, "Octa-core 2.0 GHz", 13, 0,
        "Made for Amazon stylus"),
    ("Amazon", "Fire HD 10 Kids (2023)", "2023-10", 189.99, (32,), 10.1, "Octa-core 2.0 GHz", 13, 0, ""),
    ("Amazon", "Fire HD 10 Kids Pro (2023)", "2023-10", 189.99, (32,), 10.1, "Octa-core 2.0 GHz", 13, 0, ""),
    ("Amazon", "Fire HD 8 Kids Pro (2024)", "2024-06", 149.99, (32,), 8.0, "Hexa-core 2.2 GHz", 13, 0, ""),
    ("Amazon", "Fire Max 11", "2023-06", 229.99, (64, 128), 11.0, "Octa-core 2.2 GHz", 14, 0, "Made for Amazon stylus"),
    ("Microsoft", "Surface Pro 9", "2022-10", 999, (128, 256, 512), 13.0, "Core i5", 15, 0, "Surface Slim Pen 2"),
    ("Microsoft", "Surface Pro 11th Edition", "2024-06", 999, (256, 512, 1024), 13.0, "Snapdragon X Plus", 14, 0,
        "Surface Slim Pen"),
    ("Microsoft", "Surface Pro 12-inch", "2025-05", 799, (256, 512), 12.0, "Snapdragon X Plus", 16, 0,
        "Surface Pro Pen"),
    ("Microsoft", "Surface Go 4", "2023-09", 579, (64, 128), 10.5, "Intel N200", 12, 0, "Surface Pen"),
]
TABLET_COLORS = {
    "Apple": ("Space Gray", "Silver", "Blue", "Purple", "Starlight"),
    "Samsung": ("Graphite", "Beige", "Silver", "Gray"),
    "Lenovo": ("Luna Grey", "Storm Grey", "Seafoam Green"),
    "Amazon": ("Black", "Blue", "Hibiscus", "Emerald"),
    "Microsoft": ("Platinum", "Graphite", "Sapphire", "Dune"),
}

# (brand, model, kind, release, price, form, noise cancelling, battery h, water resistance, colors, tags)
HEADPHONES = [
    ("Sony", "WH-1000XM5", "Wireless Headphones", "2022-05", 399.99, "over-ear", True, 30, "", ("Black", "Silver",
        "Midnight Blue", "Smoky Pink"), ()),
    ("Sony", "WH-1000XM6", "Wireless Headphones", "2025-05", 449.99, "over-ear", True, 30, "", ("Black",
        "Platinum Silver", "Midnight Blue"), ()),
    ("Sony", "WF-1000XM5", "Wireless Earbuds", "2023-07", 299.99, "in-ear", True, 8, "IPX4", ("Black", "Silver"), ()),
    ("Sony", "WH-CH520", "Wireless Headphones", "2023-03", 59.99, "on-ear", False, 50, "", ("Black", "White", "Blue",
        "Beige"), ()),
    ("Sony", "WH-CH720N", "Wireless Headphones", "2023-03", 149.99, "over-ear", True, 35, "", ("Black", "White",
        "Blue"), ()),
    ("Sony", "WF-C700N", "Wireless Earbuds", "2023-04", 119.99, "in-ear", True, 7.5, "IPX4", ("Black", "White",
        "Lavender", "Sage Green"), ()),
    ("Sony", "WF-C510", "Wireless Earbuds", "2024-09", 59.99, "in-ear", False, 11, "IPX4", ("Black", "White", "Blue",
        "Yellow"), ()),
    ("Sony", "ULT WEAR", "Wireless Headphones", "2024-04", 199.99, "over-ear", True, 30, "", ("Black", "Off White",
        "Forest Gray"), ()),
    ("Sony", "LinkBuds S", "Wireless Earbuds", "2022-05", 199.99, "in-ear", True, 6, "IPX4", ("Black", "White",
        "Earth Blue"), ()),
    ("Sony", "LinkBuds Fit", "Wireless Earbuds", "2024-10", 179.99, "in-ear", True, 5.5, "IPX4", ("Black", "White",
        "Green"), ()),
    ("Sony", "LinkBuds Open", "Open-Ear Earbuds", "2024-10", 199.99, "open-ear", False, 8, "IPX4", ("Black", "White"),
        ()),
    ("Sony", "INZONE H9", "Gaming Headset", "2022-07", 299.99, "over-ear", True, 32, "", ("White",), ("gaming",)),
    ("Sony", "INZONE H5", "Gaming Headset", "2023-10", 149.99, "over-ear", False, 28, "", ("Black", "White"),
        ("gaming",)),
    ("Sony", "INZONE Buds", "Gaming Earbuds", "2023-10", 199.99, "in-ear", True, 12, "", ("Black", "White"),
        ("gaming",)),
    ("Sony", "MDR-MV1", "Studio Monitor Headphones", "2023-05", 399.99, "over-ear", False, 0, "", ("Black",),
        ("wired", "creator")),
    ("Bose", "QuietComfort Ultra", "Wireless Headphones", "2023-10", 429.00, "over-ear", True, 24, "", ("Black",
        "White Smoke", "Sandstone", "Lunar Blue"), ()),
    ("Bose", "QuietComfort Ultra (2nd Gen)", "Wireless Headphones", "2025-08", 449.00, "over-ear", True, 30, "",
        ("Black", "White Smoke", "Driftwood Sand"), ()),
    ("Bose", "QuietComfort Ultra", "Wireless Earbuds", "2023-10", 299.00, "in-ear", True, 6, "IPX4", ("Black",
        "White Smoke", "Moonstone Blue"), ()),
    ("Bose", "QuietComfort Ultra (2nd Gen)", "Wireless Earbuds", "2025-06", 299.00, "in-ear", True, 6, "IPX4",
        ("Black", "White Smoke", "Desert Gold"), ()),
    ("Bose", "QuietComfort", "Wireless Headphones", "2023-10", 349.00, "over-ear", True, 24, "", ("Black",
        "White Smoke", "Cypress Green"), ()),
    ("Bose", "QuietComfort Earbuds II", "Wireless Earbuds", "2022-09", 279.00, "in-ear", True, 6, "IPX4",
        ("Triple Black", "Soapstone"), ()),
    ("Bose", "QuietComfort", "Wireless Earbuds", "2024-07", 179.00, "in-ear", True, 8.5, "IPX4", ("Black",
        "White Smoke", "Chilled Lilac"), ()),
    ("Bose", "Ultra Open", "Open-Ear Earbuds", "2024-02", 299.00, "open-ear", False, 7.5, "IPX4", ("Black",
        "White Smoke"), ()),
    ("Apple", "AirPods Pro 2", "Wireless Earbuds", "2023-09", 249.00, "in-ear", True, 6, "IP54", ("White",), ()),
    ("Apple", "AirPods Pro 3", "Wireless Earbuds", "2025-09", 249.00, "in-ear", True, 8, "IP57", ("White",), ()),
    ("Apple", "AirPods 4", "Wireless Earbuds", "2024-09", 129.00, "in-ear", False, 5, "IP54", ("White",), ()),
    ("Apple", "AirPods 4 with Active Noise Cancellation", "Wireless Earbuds", "2024-09", 179.00, "in-ear", True, 5,
        "IP54", ("White",), ()),
    ("Apple", "AirPods Max (USB-C)", "Wireless Headphones", "2024-09", 549.00, "over-ear", True, 20, "", ("Midnight",
        "Starlight", "Blue", "Purple", "Orange"), ()),
    ("Sennheiser", "Momentum 4 Wireless", "Headphones", "2022-08", 379.95, "over-ear", True, 60, "", ("Black",
        "White", "Denim", "Graphite"), ()),
    ("Sennheiser", "Momentum True Wireless 4", "Earbuds", "2024-03", 299.95, "in-ear", True, 7.5, "IP54",
        ("Black Graphite", "Metallic Silver", "Black Copper"), ()),
    ("Sennheiser", "Momentum Sport", "Wireless Earbuds", "2024-06", 329.95, "in-ear", True, 6, "IP55", ("Black",
        "Polar Black", "Olive"), ()),
    ("Sennheiser", "Accentum Wireless", "Headphones", "2023-05", 179.95, "over-ear", True, 50, "", ("Black", "White"),
        ()),
    ("Sennheiser", "Accentum Plus Wireless", "Headphones", "2024-01", 229.95, "over-ear", True, 50, "", ("Black",
        "White"), ()),
    ("Sennheiser", "Accentum Open", "Wireless Earbuds", "2024-05", 129.95, "in-ear", False, 6, "IPX4", ("Black",
        "White"), ()),
    ("Sennheiser", "HD 660S2", "Wired Open-Back Headphones", "2023-02", 549.00, "over-ear", False, 0, "", ("Black",),
        ("wired",)),
    ("Sennheiser", "HD 490 PRO", "Wired Studio Headphones", "2024-03", 399.00, "over-ear", False, 0, "", ("Black",),
        ("wired", "creator")),
    ("Sennheiser", "IE 200", "Wired In-Ear Monitors", "2022-08", 149.95, "in-ear", False, 0, "", ("Black",), ("wired",
        )),
    ("JBL", "Tune 310C", "USB-C Wired Earbuds", "2023-05", 19.95, "in-ear", False, 0, "", ("Black", "White"),
        ("wired",)),
    ("JBL", "Tune 520BT", "Wireless Headphones", "2023-03", 49.95, "on-ear", False, 57, "", ("Black", "Blue",
        "Purple", "White"), ()),
    ("JBL", "Tune 720BT", "Wireless Headphones", "2023-03", 79.95, "over-ear", False, 76, "", ("Black", "Blue",
        "White"), ()),
    ("JBL", "Tune 770NC", "Wireless Headphones", "2023-03", 129.95, "over-ear", True, 70, "", ("Black", "Blue",
        "Purple", "White"), ()),
    ("JBL", "Live 660NC", "Wireless Headphones", "2022-06", 199.95, "over-ear", True, 50, "", ("Black", "Blue",
        "White"), ()),
    ("JBL", "Live 770NC", "Wireless Headphones", "2024-05", 199.95, "over-ear", True, 65, "", ("Black", "Blue",
        "Sandstone"), ()),
    ("JBL", "Tour One M2", "Wireless Headphones", "2023-05", 299.95, "over-ear", True, 50, "", ("Black", "Champagne"),
        ()),
    ("JBL", "Tour Pro 2", "Wireless Earbuds", "2023-01", 249.95, "in-ear", True, 10, "IPX5", ("Black", "Champagne"),
        ()),
    ("JBL", "Tune Beam", "Wireless Earbuds", "2023-01", 99.95, "in-ear", True, 12, "IP54", ("Black", "Blue", "Purple",
        "White"), ()),
    ("JBL", "Tune Flex", "Wireless Earbuds", "2022-05", 99.95, "in-ear", True, 8, "IPX4", ("Black", "White",
        "Ghost Black"), ()),
    ("JBL", "Vibe Beam", "Wireless Earbuds", "2023-01", 49.95, "in-ear", False, 8, "IP54", ("Black", "Blue", "Beige"),
        ()),
    ("JBL", "Wave Buds 2", "Wireless Earbuds", "2024-06", 49.95, "in-ear", True, 10, "IP54", ("Black", "Blue",
        "White"), ()),
    ("JBL", "Endurance Peak 3", "Wireless Sport Earbuds", "2022-10", 99.95, "in-ear", False, 10, "IP68", ("Black",
        "Blue", "White"), ("sport",)),
    ("JBL", "Quantum 910 Wireless", "Gaming Headset", "2023-06", 299.95, "over-ear", True, 39, "", ("Black",),
        ("gaming",)),
    ("JBL", "Quantum 100", "Wired Gaming Headset", "2022-03", 39.95, "over-ear", False, 0, "", ("Black", "White"),
        ("gaming", "wired")),
    ("Beats", "Studio Pro", "Wireless Headphones", "2023-07", 349.99, "over-ear", True, 40, "", ("Black",
        "Deep Brown", "Navy", "Sandstone"), ()),
    ("Beats", "Solo 4", "Wireless Headphones", "2024-04", 199.99, "on-ear", False, 50, "", ("Matte Black",
        "Slate Blue", "Cloud Pink"), ()),
    ("Beats", "Solo Buds", "Wireless Earbuds", "2024-06", 79.99, "in-ear", False, 18, "", ("Matte Black",
        "Storm Gray", "Arctic Purple", "Transparent Red"), ()),
    ("Beats", "Studio Buds+", "Wireless Earbuds", "2023-05", 169.99, "in-ear", True, 9, "IPX4", ("Black/Gold",
        "Ivory", "Transparent"), ()),
    ("Beats", "Powerbeats Pro 2", "Wireless Earbuds", "2025-02", 249.99, "in-ear", True, 10, "IPX4", ("Jet Black",
        "Quick Sand", "Electric Orange", "Hyper Purple"), ("sport",)),
    ("Jabra", "Elite 10", "Wireless Earbuds", "2023-09", 249.99, "in-ear", True, 6, "IP57", ("Titanium Black",
        "Cream", "Gloss Black"), ()),
    ("Jabra", "Elite 10 Gen 2", "Wireless Earbuds", "2024-08", 279.99, "in-ear", True, 6, "IP57", ("Titanium Black",
        "Cream"), ()),
    ("Jabra", "Elite 8 Active", "Wireless Earbuds", "2023-08", 199.99, "in-ear", True, 8, "IP68", ("Black", "Navy",
        "Caramel"), ("sport",)),
    ("Jabra", "Elite 8 Active Gen 2", "Wireless Earbuds", "2024-08", 229.99, "in-ear", True, 8, "IP68", ("Black",
        "Navy", "Coral"), ("sport",)),
    ("Jabra", "Elite 4", "Wireless Earbuds", "2023-01", 99.99, "in-ear", True, 5.5, "IP55", ("Dark Grey", "Navy",
        "Lilac"), ()),
    ("Jabra", "Elite 5", "Wireless Earbuds", "2023-01", 149.99, "in-ear", True, 7, "IP55", ("Titanium Black",
        "Gold Beige"), ()),
    ("Jabra", "Evolve2 65 Flex", "Wireless Work Headset", "2023-04", 329.00, "on-ear", True, 32, "", ("Black",),
        ("business",)),
    ("Jabra", "Evolve2 55", "Wireless Work Headset", "2022-10", 299.00, "on-ear", True, 30, "", ("Black", "Beige"),
        ("business",)),
    ("Anker", "Soundcore Space One", "Wireless Headphones", "2023-08", 99.99, "over-ear", True, 40, "", ("Black",
        "Cream", "Blue"), ()),
    ("Anker", "Soundcore Space One Pro", "Wireless Headphones", "2024-09", 199.99, "over-ear", True, 40, "", ("Black",
        "Cream"), ()),
    ("Anker", "Soundcore Q20i", "Wireless Headphones", "2023-08", 59.99, "over-ear", True, 40, "", ("Black", "Blue",
        "White"), ()),
    ("Anker", "Soundcore Liberty 4 NC", "Wireless Earbuds", "2023-08", 99.99, "in-ear", True, 10, "IPX4", ("Black",
        "White", "Navy Blue", "Light Blue"), ()),
    ("Anker", "Soundcore Liberty 4 Pro", "Wireless Earbuds", "2024-09", 169.99, "in-ear", True, 10, "IP55", ("Black",
        "Ice Blue"), ()),
    ("Anker", "Soundcore P40i", "Wireless Earbuds", "2024-01", 59.99, "in-ear", True, 12, "IPX5", ("Black", "White",
        "Navy", "Purple"), ()),
    ("Anker", "Soundcore R50i", "Wireless Earbuds", "2023-06", 24.99, "in-ear", False, 10, "IPX5", ("Black", "White",
        "Blue"), ()),
    ("Anker", "Soundcore Space A40", "Wireless Earbuds", "2023-01", 79.99, "in-ear", True, 10, "IPX4", ("Black",
        "White", "Navy"), ()),
    ("Anker", "Soundcore AeroFit", "Open-Ear Earbuds", "2023-08", 129.99, "open-ear", False, 11, "IPX7", ("Black",
        "Gray", "Pink"), ("sport",)),
    ("Anker", "Soundcore AeroFit Pro", "Open-Ear Earbuds", "2023-11", 179.99, "open-ear", False, 14, "IPX5", ("Black",
        "Blue"), ("sport",)),
    ("Anker", "Soundcore Sport X20", "Wireless Sport Earbuds", "2024-05", 79.99, "in-ear", True, 12, "IP68", ("Black",
        "White"), ("sport",)),
]

# (brand, model, release, price, sizes mm, cellular add, battery days, water rating, display, colors)
SMARTWATCHES = [
    ("Apple", "Watch SE (2nd generation)", "2022-09", 249, (40, 44), 50, 1.5, "WR50", "Retina OLED", ("Midnight",
        "Starlight", "Silver")),
    ("Apple", "Watch Series 9", "2023-09", 399, (41, 45), 100, 1.5, "WR50", "Always-On Retina OLED", ("Midnight",
        "Starlight", "Pink", "Product Red")),
    ("Apple", "Watch Series 10", "2024-09", 399, (42, 46), 100, 1.5, "WR50", "Always-On Retina LTPO3 OLED",
        ("Jet Black", "Rose Gold", "Silver")),
    ("Apple", "Watch Series 11", "2025-09", 399, (42, 46), 100, 1.5, "WR50", "Always-On Retina LTPO3 OLED",
        ("Jet Black", "Space Gray", "Rose Gold", "Silver")),
    ("Apple", "Watch SE 3", "2025-09", 249, (40, 44), 50, 1.5, "WR50", "Always-On Retina OLED", ("Midnight",
        "Starlight")),
    ("Apple", "Watch Ultra 2", "2023-09", 799, (49,), 0, 3, "WR100", "Always-On Retina OLED", ("Natural Titanium",
        "Black Titanium")),
    ("Apple", "Watch Ultra 3", "2025-09", 799, (49,), 0, 3, "WR100", "Always-On Retina LTPO3 OLED",
        ("Natural Titanium", "Black Titanium")),
    ("Samsung", "Galaxy Watch6", "2023-08", 299, (40, 44), 50, 1.5, "5ATM + IP68", "Super AMOLED", ("Graphite",
        "Gold", "Silver")),
    ("Samsung", "Galaxy Watch6 Classic", "2023-08", 399, (43, 47), 50, 1.5, "5ATM + IP68", "Super AMOLED", ("Black",
        "Silver")),
    ("Samsung", "Galaxy Watch7", "2024-07", 299, (40, 44), 50, 1.5, "5ATM + IP68", "Super AMOLED", ("Green", "Cream",
        "Silver")),
    ("Samsung", "Galaxy Watch Ultra", "2024-07", 649, (47,), 0, 3, "10ATM + IP68", "Super AMOLED", ("Titanium Gray",
        "Titanium White", "Titanium Silver")),
    ("Samsung", "Galaxy Watch FE", "2024-06", 199, (40,), 50, 1.5, "5ATM + IP68", "Super AMOLED", ("Black",
        "Pink Gold", "Silver")),
    ("Samsung", "Galaxy Watch8", "2025-07", 349, (40, 44), 50, 1.5, "5ATM + IP68", "Super AMOLED", ("Graphite",
        "Silver")),
    ("Samsung", "Galaxy Watch8 Classic", "2025-07", 499, (46,), 50, 1.5, "5ATM + IP68", "Super AMOLED", ("Black",
        "White")),
    ("Samsung", "Galaxy Fit3", "2024-02", 59.99, (40,), 0, 13, "5ATM + IP68", "AMOLED", ("Gray", "Silver",
        "Pink Gold")),
    ("Garmin", "Forerunner 165", "2024-02", 249.99, (43,), 0, 11, "5ATM", "AMOLED", ("Black/Slate Gray",
        "Mist Gray/Whitestone", "Berry/Lilac")),
    ("Garmin", "Forerunner 265", "2023-03", 449.99, (42, 46), 0, 13, "5ATM", "AMOLED", ("Black", "Whitestone", "Aqua")),
    ("Garmin", "Forerunner 965", "2023-03", 599.99, (47,), 0, 23, "5ATM", "AMOLED", ("Carbon Gray", "Whitestone",
        "Amp Yellow")),
    ("Garmin", "Forerunner 570", "2025-05", 549.99, (42, 47), 0, 11, "5ATM", "AMOLED", ("Black", "Whitestone",
        "Amp Yellow")),
    ("Garmin", "Forerunner 970", "2025-05", 749.99, (47,), 0, 15, "5ATM", "AMOLED", ("Carbon Gray", "Whitestone")),
    ("Garmin", "Venu 3", "2023-08", 449.99, (41, 45), 0, 14, "5ATM", "AMOLED", ("Slate/Black", "Silver/Whitestone",
        "Soft Gold/Ivory")),
    ("Garmin", "Venu Sq 2", "2022-09", 249.99, (40,), 0, 11, "5ATM", "AMOLED", ("Slate/Black",
        "Cream Gold/French Gray")),
    ("Garmin", "vivoactive 5", "2023-09", 299.99, (42,), 0, 11, "5ATM", "AMOLED", ("Black/Slate", "Ivory/Cream Gold",
        "Navy/Blue")),
    ("Garmin", "vivoactive 6", "2025-04", 299.99, (42,), 0, 11, "5ATM", "AMOLED", ("Black/Slate", "Pink Dawn",
        "Lunar Gold")),
    ("Garmin", "fenix 8", "2024-08", 899.99, (43, 47), 0, 16, "10ATM", "AMOLED", ("Slate Gray", "Bare Titanium")),
    ("Garmin", "epix Pro (Gen 2)", "2023-05", 799.99, (42, 47), 0, 16, "10ATM", "AMOLED", ("Slate Gray",
        "Carbon Gray Titanium")),
    ("Garmin", "Instinct 2X Solar", "2023-04", 399.99, (50,), 0, 40, "10ATM", "MIP", ("Graphite", "Moss",
        "Whitestone")),
    ("Garmin", "Instinct 3", "2025-01", 399.99, (45, 50), 0, 24, "10ATM", "AMOLED", ("Black", "Neo Tropic",
        "Twilight")),
    ("Garmin", "Lily 2", "2024-01", 249.99, (35,), 0, 5, "5ATM", "LCD", ("Cream Gold/Coconut", "Dark Bronze/Black",
        "Lilac/Lilac")),
    ("Garmin", "Venu X1", "2025-06", 799.99, (46,), 0, 8, "5ATM", "AMOLED", ("Black", "Moss")),
    ("Fitbit", "Charge 6", "2023-10", 159.95, (37,), 0, 7, "WR50", "AMOLED", ("Obsidian", "Porcelain", "Coral")),
    ("Fitbit", "Inspire 3", "2022-09", 99.95, (36,), 0, 10, "WR50", "AMOLED", ("Midnight Zen", "Lilac Bliss",
        "Morning Glow")),
    ("Fitbit", "Versa 4", "2022-09", 199.95, (40,), 0, 6, "WR50", "AMOLED", ("Black/Graphite",
        "Pink Sand/Copper Rose", "Waterfall Blue/Platinum")),
    ("Fitbit", "Sense 2", "2022-09", 249.95, (40,), 0, 6, "WR50", "AMOLED", ("Shadow Grey/Graphite",
        "Lunar White/Platinum", "Blue Mist/Pale Gold")),
    ("Fitbit", "Ace LTE", "2024-05", 229.95, (38,), 0, 1.5, "WR50", "AMOLED", ("Black/Fiesta", "Black/Splash")),
    ("Google", "Pixel Watch 2", "2023-10", 349, (41,), 50, 1, "5ATM + IP68", "AMOLED", ("Matte Black/Obsidian",
        "Polished Silver/Porcelain", "Champagne Gold/Hazel")),
    ("Google", "Pixel Watch 3", "2024-08", 349, (41, 45), 100, 1, "5ATM + IP68", "Actua AMOLED",
        ("Matte Black/Obsidian", "Polished Silver/Porcelain", "Champagne Gold/Hazel")),
    ("Google", "Pixel Watch 4", "2025-10", 349, (41, 45), 100, 1.5, "5ATM + IP68", "Actua AMOLED",
        ("Matte Black/Obsidian", "Polished Silver/Iris", "Champagne Gold/Lemongrass")),
    ("Amazfit", "Band 7", "2022-07", 49.99, (36,), 0, 18, "5ATM", "AMOLED", ("Black", "Beige")),
    ("Amazfit", "GTR 4", "2022-09", 199.99, (46,), 0, 14, "5ATM", "AMOLED", ("Superspeed Black", "Racetrack Grey")),
    ("Amazfit", "GTS 4", "2022-09", 199.99, (43,), 0, 8, "5ATM", "AMOLED", ("Infinite Black", "Misty White")),
    ("Amazfit", "Balance", "2023-09", 229.99, (46,), 0, 14, "5ATM", "AMOLED", ("Midnight", "Sunset Grey")),
    ("Amazfit", "Balance 2", "2025-06", 299.99, (47,), 0, 21, "10ATM", "AMOLED", ("Black",)),
    ("Amazfit", "Active", "2024-01", 139.99, (42,), 0, 14, "5ATM", "AMOLED", ("Midnight Black", "Petal Pink",
        "Lavender Purple")),
    ("Amazfit", "Active 2", "2025-01", 99.99, (44,), 0, 10, "5ATM", "AMOLED", ("Black",)),
    ("Amazfit", "T-Rex 3", "2024-09", 279.99, (48,), 0, 27, "10ATM", "AMOLED", ("Onyx", "Lava")),
    ("Amazfit", "T-Rex Ultra", "2023-06", 399.99, (47,), 0, 20, "10ATM", "AMOLED", ("Abyss Black", "Sahara")),
    ("Amazfit", "Bip 5", "2023-08", 89.99, (46,), 0, 10, "IP68", "TFT", ("Soft Black", "Cream White", "Pastel Pink")),
    ("Amazfit", "Bip 6", "2025-04", 79.99, (46,), 0, 14, "5ATM", "AMOLED", ("Black", "Stone", "Charcoal")),
    ("Amazfit", "Cheetah Pro", "2023-08", 299.99, (47,), 0, 14, "5ATM", "AMOLED", ("Run Track Black",)),
    ("Amazfit", "Helio Strap", "2025-06", 99.99, (35,), 0, 10, "10ATM", "none", ("Black",)),
]

# (brand, model, type, release, body price, megapixels, sensor, video, bundles ((suffix, add), ...), colors)
CAMERAS = [
    ("Canon", "EOS R5 Mark II", "mirrorless", "2024-08", 3999, 45, "full-frame", "8K30", (("Body", 0),), ("Black",)),
    ("Canon", "EOS R6 Mark II", "mirrorless", "2022-11", 2499, 24, "full-frame", "4K60", (("Body", 0),
        ("with RF 24-105mm f/4-7.1 Lens", 400)), ("Black",)),
    ("Canon", "EOS R6 Mark III", "mirrorless", "2025-11", 2799, 32, "full-frame", "7K60", (("Body", 0),
        ("with RF 24-105mm f/4-7.1 Lens", 400)), ("Black",)),
    ("Canon", "EOS R8", "mirrorless", "2023-02", 1499, 24, "full-frame", "4K60", (("Body", 0),
        ("with RF 24-50mm Lens", 200)), ("Black",)),
    ("Canon", "EOS R7", "mirrorless", "2022-06", 1499, 33, "APS-C", "4K60", (("Body", 0), ("with RF-S 18-150mm Lens",
        400)), ("Black",)),
    ("Canon", "EOS R10", "mirrorless", "2022-06", 979, 24, "APS-C", "4K60", (("Body", 0), ("with RF-S 18-45mm Lens",
        120), ("with RF-S 18-150mm Lens", 400)), ("Black",)),
    ("Canon", "EOS R50", "mirrorless", "2023-03", 679, 24, "APS-C", "4K30", (("Body", 0), ("with RF-S 18-45mm Lens",
        120)), ("Black", "White")),
    ("Canon", "EOS R50 V", "vlogging", "2025-04", 649, 24, "APS-C", "4K60", (("Body", 0), ("with RF-S 14-30mm Lens",
        150)), ("Black",)),
    ("Canon", "EOS R100", "mirrorless", "2023-05", 479, 24, "APS-C", "4K24", (("with RF-S 18-45mm Lens", 120),),
        ("Black",)),
    ("Canon", "PowerShot V10", "vlogging", "2023-06", 429, 13, "1-inch", "4K30", (("Vlog Camera", 0),), ("Black",
        "Silver")),
    ("Canon", "PowerShot V1", "compact", "2025-05", 899, 22, "1.4-inch", "4K60", (("Compact Camera", 0),), ("Black",)),
    ("Nikon", "Z8", "mirrorless", "2023-05", 3999, 46, "full-frame", "8K60", (("Body", 0),), ("Black",)),
    ("Nikon", "Z6III", "mirrorless", "2024-06", 2499, 25, "full-frame", "6K60", (("Body", 0),
        ("with NIKKOR Z 24-120mm f/4 S Lens", 900)), ("Black",)),
    ("Nikon", "Z5II", "mirrorless", "2025-04", 1699, 24, "full-frame", "4K60", (("Body", 0),
        ("with NIKKOR Z 24-50mm Lens", 200)), ("Black",)),
    ("Nikon", "Zf", "mirrorless", "2023-09", 1999, 24, "full-frame", "4K30", (("Body", 0),
        ("with NIKKOR Z 40mm f/2 SE Lens", 200)), ("Black",)),
    ("Nikon", "Z50II", "mirrorless", "2024-11", 909, 21, "APS-C", "4K60", (("Body", 0),
        ("with NIKKOR Z DX 16-50mm Lens", 100), ("Two Lens Kit", 300)), ("Black",)),
    ("Nikon", "Z30", "vlogging", "2022-08", 709, 21, "APS-C", "4K30", (("Body", 0), ("with NIKKOR Z DX 16-50mm Lens",
        140)), ("Black",)),
    ("Nikon", "Z fc", "mirrorless", "2022-03", 959, 21, "APS-C", "4K30", (("with NIKKOR Z 28mm f/2.8 SE Lens", 0),),
        ("Black", "Silver")),
    ("Nikon", "COOLPIX P1100", "bridge", "2025-02", 999, 16, "1/2.3-inch", "4K30", (("Superzoom Camera", 0),),
        ("Black",)),
    ("Sony", "Alpha 7C II", "mirrorless", "2023-08", 2199, 33, "full-frame", "4K60", (("Body", 0),
        ("with FE 28-60mm Lens", 300)), ("Black", "Silver")),
    ("Sony", "Alpha 7CR", "mirrorless", "2023-08", 2999, 61, "full-frame", "4K60", (("Body", 0),), ("Black", "Silver")),
    ("Sony", "Alpha 7R V", "mirrorless", "2022-10", 3899, 61, "full-frame", "8K24", (("Body", 0),), ("Black",)),
    ("Sony", "Alpha 7 V", "mirrorless", "2025-12", 2899, 33, "full-frame", "4K120", (("Body", 0),), ("Black",)),
    ("Sony", "Alpha 6700", "mirrorless", "2023-07", 1399, 26, "APS-C", "4K120", (("Body", 0), ("with E 16-50mm Lens",
        100), ("with E 18-135mm Lens", 400)), ("Black",)),
    ("Sony", "ZV-E10 II", "vlogging", "2024-07", 999, 26, "APS-C", "4K60", (("Body", 0), ("with E PZ 16-50mm Lens",
        100)), ("Black", "White")),
    ("Sony", "ZV-E1", "vlogging", "2023-03", 2199, 12, "full-frame", "4K120", (("Body", 0),), ("Black", "White")),
    ("Sony", "ZV-1 II", "vlogging", "2023-05", 899, 20, "1-inch", "4K30", (("Vlog Camera", 0),), ("Black", "White")),
    ("Sony", "FX30", "cinema", "2022-09", 1799, 26, "APS-C", "4K120", (("Cinema Line Body", 0),), ("Black",)),
    ("Fujifilm", "X-T5", "mirrorless", "2022-11", 1699, 40, "APS-C", "6K30", (("Body", 0), ("with XF 18-55mm Lens",
        400)), ("Black", "Silver")),
    ("Fujifilm", "X-H2", "mirrorless", "2022-09", 1999, 40, "APS-C", "8K30", (("Body", 0),), ("Black",)),
    ("Fujifilm", "X-H2S", "mirrorless", "2022-07", 2499, 26, "APS-C", "6K30", (("Body", 0),), ("Black",)),
    ("Fujifilm", "X-S20", "mirrorless", "2023-05", 1299, 26, "APS-C", "6K30", (("Body", 0), ("with XC 15-45mm Lens",
        100), ("with XF 18-55mm Lens", 400)), ("Black",)),
    ("Fujifilm", "X100VI", "compact", "2024-02", 1599, 40, "APS-C", "6K30", (("Compact Camera", 0),), ("Black",
        "Silver")),
    ("Fujifilm", "X-T50", "mirrorless", "2024-05", 1399, 40, "APS-C", "6K30", (("Body", 0), ("with XC 15-45mm Lens",
        100)), ("Black", "Silver", "Charcoal Silver")),
    ("Fujifilm", "X-M5", "mirrorless", "2024-10", 799, 26, "APS-C", "6K30", (("Body", 0), ("with XC 15-45mm Lens",
        100)), ("Black", "Silver")),
    ("Fujifilm", "X-E5", "mirrorless", "2025-06", 1699, 40, "APS-C", "6K30", (("Body", 0), ("with XF 23mm f/2.8 Lens",
        200)), ("Black", "Silver")),
    ("Fujifilm", "instax WIDE Evo", "instant", "2025-01", 279.99, 5, "1/5-inch", "none", (("Hybrid Instant Camera",
        0),), ("Black",)),
    ("GoPro", "HERO13 Black", "action", "2024-09", 399.99, 27, "1/1.9-inch", "5.3K60", (("Action Camera", 0),
        ("Creator Edition", 200)), ("Black",)),
    ("GoPro", "HERO12 Black", "action", "2023-09", 349.99, 27, "1/1.9-inch", "5.3K60", (("Action Camera", 0),),
        ("Black",)),
    ("GoPro", "HERO11 Black", "action", "2022-09", 299.99, 27, "1/1.9-inch", "5.3K60", (("Action Camera", 0),),
        ("Black",)),
    ("GoPro", "HERO11 Black Mini", "action", "2022-09", 249.99, 24, "1/1.9-inch", "5.3K60", (("Action Camera", 0),),
        ("Black",)),
    ("GoPro", "HERO (2024)", "action", "2024-09", 199.99, 12, "1/2.3-inch", "4K30", (("Action Camera", 0),), ("Black",
        )),
    ("GoPro", "MAX2", "360", "2025-09", 499.99, 29, "1/2-inch", "8K30", (("360 Camera", 0),), ("Black",)),
    ("Panasonic", "Lumix S5II", "mirrorless", "2023-01", 1999, 24, "full-frame", "6K30", (("Body", 0),
        ("with 20-60mm Lens", 200)), ("Black",)),
    ("Panasonic", "Lumix S5IIX", "mirrorless", "2023-06", 2199, 24, "full-frame", "6K30", (("Body", 0),), ("Black",)),
    ("Panasonic", "Lumix S9", "mirrorless", "2024-06", 1499, 24, "full-frame", "6K30", (("Body", 0),
        ("with 20-60mm Lens", 300)), ("Jet Black", "Dark Olive", "Crimson Red")),
    ("Panasonic", "Lumix S1RII", "mirrorless", "2025-02", 3299, 44, "full-frame", "8K30", (("Body", 0),), ("Black",)),
    ("Panasonic", "Lumix G9II", "mirrorless", "2023-11", 1899, 25, "Micro Four Thirds", "5.7K60", (("Body", 0),),
        ("Black",)),
    ("Panasonic", "Lumix GH7", "mirrorless", "2024-06", 2199, 25, "Micro Four Thirds", "5.7K60", (("Body", 0),),
        ("Black",)),
    ("Panasonic", "Lumix G100D", "vlogging", "2024-04", 599, 20, "Micro Four Thirds", "4K30", (("with 12-32mm Lens",
        0),), ("Black",)),
    ("Panasonic", "Lumix ZS99", "compact", "2024-03", 449.99, 20, "1/2.3-inch", "4K30", (("Travel Zoom Camera", 0),),
        ("Black", "Silver", "Blue")),
    ("DJI", "Osmo Pocket 3", "gimbal", "2023-10", 519, 9, "1-inch", "4K120", (("Gimbal Camera", 0), ("Creator Combo",
        150)), ("Black",)),
    ("DJI", "Osmo Action 4", "action", "2023-08", 299, 10, "1/1.3-inch", "4K120", (("Standard Combo", 0),
        ("Adventure Combo", 100)), ("Black",)),
    ("DJI", "Osmo Action 5 Pro", "action", "2024-09", 349, 40, "1/1.3-inch", "4K120", (("Standard Combo", 0),
        ("Adventure Combo", 100)), ("Black",)),
    ("DJI", "Osmo 360", "360", "2025-07", 549, 30, "1-inch", "8K30", (("Standard Combo", 0), ("Adventure Combo",
        150)), ("Black",)),
    ("DJI", "Mini 4 Pro", "drone", "2023-09", 759, 48, "1/1.3-inch", "4K100", (("Drone", 0), ("Drone with DJI RC 2",
        200), ("Drone Fly More Combo", 340)), ("Gray",)),
    ("DJI", "Mini 4K", "drone", "2024-04", 299, 12, "1/2.3-inch", "4K30", (("Drone", 0), ("Drone Fly More Combo",
        150)), ("Gray",)),
    ("DJI", "Neo", "drone", "2024-09", 199, 12, "1/2-inch", "4K30", (("Drone", 0), ("Drone Fly More Combo", 100)),
        ("Gray",)),
    ("DJI", "Air 3S", "drone", "2024-10", 1099, 50, "1-inch", "4K60", (("Drone", 0), ("Drone Fly More Combo", 450)),
        ("Gray",)),
    ("DJI", "Avata 2", "drone", "2024-04", 999, 12, "1/1.3-inch", "4K60", (("FPV Drone Fly More Combo", 0),), ("Gray",
        )),
]

# Multipliers on a TV line's 55-inch price for other sizes.
_TV_SIZE_FACTOR = {32: 0.45, 40: 0.55, 42: 0.8, 43: 0.6, 48: 0.85, 50: 0.8, 55: 1.0, 65: 1.45, 75: 2.05, 77: 2.3,
                   83: 3.0, 85: 2.7, 86: 2.6, 98: 4.4, 100: 4.2}
# (brand, model, release year, 55-inch price, sizes, panel label, panel, resolution, Hz, platform, tags)
TVS = [
    ("Samsung", "DU7200 Crystal UHD", 2024, 399.99, (43, 50, 55, 65, 75, 85), "LED", "LED", "4K", 60, "Tizen", ()),
    ("Samsung", "U8000F Crystal UHD", 2025, 379.99, (43, 50, 55, 65, 75, 85), "LED", "LED", "4K", 60, "Tizen", ()),
    ("Samsung", "Q60D", 2024, 549.99, (43, 50, 55, 65, 75, 85), "QLED", "QLED", "4K", 60, "Tizen", ()),
    ("Samsung", "Q7F", 2025, 529.99, (43, 50, 55, 65, 75, 85), "QLED", "QLED", "4K", 60, "Tizen", ()),
    ("Samsung", "Q80D", 2024, 899.99, (50, 55, 65, 75, 85), "QLED", "QLED", "4K", 120, "Tizen", ()),
    ("Samsung", "QN85D", 2024, 1199.99, (55, 65, 75, 85), "Neo QLED", "Mini-LED", "4K", 120, "Tizen", ()),
    ("Samsung", "QN90D", 2024, 1599.99, (43, 50, 55, 65, 75, 85, 98), "Neo QLED", "Mini-LED", "4K", 144, "Tizen",
        ("gaming",)),
    ("Samsung", "QN90F", 2025, 1499.99, (43, 50, 55, 65, 75, 85), "Neo QLED", "Mini-LED", "4K", 165, "Tizen",
        ("gaming",)),
    ("Samsung", "S90D", 2024, 1599.99, (42, 48, 55, 65, 77, 83), "OLED", "OLED", "4K", 144, "Tizen", ("gaming",)),
    ("Samsung", "S90F", 2025, 1699.99, (42, 48, 55, 65, 77, 83), "OLED", "OLED", "4K", 144, "Tizen", ("gaming",)),
    ("Samsung", "S95D", 2024, 2399.99, (55, 65, 77), "OLED", "OLED", "4K", 144, "Tizen", ("gaming",)),
    ("Samsung", "The Frame LS03D", 2024, 1499.99, (43, 50, 55, 65, 75, 85), "QLED", "QLED", "4K", 120, "Tizen", ()),
    ("Samsung", "QN900D", 2024, 3449.99, (65,), "Neo QLED", "Mini-LED", "8K", 240, "Tizen", ()),
    ("LG", "OLED evo C3", 2023, 1299.99, (42, 48, 55, 65, 77, 83), "OLED", "OLED", "4K", 120, "webOS", ("gaming",)),
    ("LG", "OLED evo C4", 2024, 1799.99, (42, 48, 55, 65, 77, 83), "OLED", "OLED", "4K", 144, "webOS", ("gaming",)),
    ("LG", "OLED evo C5", 2025, 1699.99, (42, 48, 55, 65, 77, 83), "OLED", "OLED", "4K", 144, "webOS", ("gaming",)),
    ("LG", "OLED evo G4", 2024, 2599.99, (55, 65, 77), "OLED", "OLED", "4K", 144, "webOS", ("gaming",)),
    ("LG", "OLED evo G5", 2025, 2499.99, (55, 65, 77), "OLED", "OLED", "4K", 165, "webOS", ("gaming",)),
    ("LG", "OLED B4", 2024, 1299.99, (48, 55, 65, 77), "OLED", "OLED", "4K", 120, "webOS", ()),
    ("LG", "OLED B5", 2025, 1199.99, (48, 55, 65, 77), "OLED", "OLED", "4K", 120, "webOS", ()),
    ("LG", "QNED80", 2024, 699.99, (43, 50, 55, 65, 75, 86), "QNED", "QLED", "4K", 60, "webOS", ()),
    ("LG", "QNED85", 2024, 899.99, (55, 65, 75, 86), "QNED", "Mini-LED", "4K", 120, "webOS", ()),
    ("LG", "UT80 UHD", 2024, 449.99, (43, 50, 55, 65, 75, 86), "LED", "LED", "4K", 60, "webOS", ()),
    ("LG", "UA75 UHD", 2025, 429.99, (43, 50, 55, 65, 75), "LED", "LED", "4K", 60, "webOS", ()),
    ("Sony", "BRAVIA 3", 2024, 649.99, (43, 50, 55, 65, 75, 85), "LED", "LED", "4K", 60, "Google TV", ()),
    ("Sony", "BRAVIA 5", 2025, 999.99, (55, 65, 75, 85), "Mini LED", "Mini-LED", "4K", 120, "Google TV", ()),
    ("Sony", "BRAVIA 7", 2024, 1399.99, (55, 65, 75, 85), "Mini LED QLED", "Mini-LED", "4K", 120, "Google TV",
        ("gaming",)),
    ("Sony", "BRAVIA 8", 2024, 1799.99, (55, 65, 77), "OLED", "OLED", "4K", 120, "Google TV", ("gaming",)),
    ("Sony", "BRAVIA 8 II", 2025, 2799.99, (55, 65), "QD-OLED", "OLED", "4K", 120, "Google TV", ("gaming",)),
    ("Sony", "BRAVIA 9", 2024, 2099.99, (65, 75, 85), "Mini LED QLED", "Mini-LED", "4K", 120, "Google TV", ("gaming",)),
    ("Sony", "X77L", 2023, 529.99, (43, 50, 55, 65, 75, 85), "LED", "LED", "4K", 60, "Google TV", ()),
    ("Sony", "X90L", 2023, 1099.99, (55, 65, 75, 85), "Full Array LED", "LED", "4K", 120, "Google TV", ("gaming",)),
    ("Sony", "A80L", 2023, 1599.99, (55, 65, 77, 83), "OLED", "OLED", "4K", 120, "Google TV", ()),
    ("TCL", "S4", 2024, 299.99, (43, 50, 55, 65, 75, 85), "LED", "LED", "4K", 60, "Google TV", ()),
    ("TCL", "S5", 2024, 329.99, (43, 50, 55, 65, 75), "LED", "LED", "4K", 60, "Google TV", ()),
    ("TCL", "Q6", 2024, 379.99, (43, 50, 55, 65, 75, 85), "QLED", "QLED", "4K", 60, "Google TV", ()),
    ("TCL", "QM6K", 2025, 599.99, (55, 65, 75, 85, 98), "QD-Mini LED", "Mini-LED", "4K", 144, "Google TV", ("gaming",)),
    ("TCL", "QM7", 2024, 799.99, (55, 65, 75, 85, 98), "QD-Mini LED", "Mini-LED", "4K", 144, "Google TV", ("gaming",)),
    ("TCL", "QM7K", 2025, 899.99, (55, 65, 75, 85, 98), "QD-Mini LED", "Mini-LED", "4K", 144, "Google TV", ("gaming",)),
    ("TCL", "QM8", 2024, 1199.99, (65, 75, 85, 98), "QD-Mini LED", "Mini-LED", "4K", 144, "Google TV", ("gaming",)),
    ("TCL", "QM8K", 2025, 1299.99, (65, 75, 85, 98), "QD-Mini LED", "Mini-LED", "4K", 144, "Google TV", ("gaming",)),
    ("Hisense", "A6 Series", 2024, 299.99, (43, 50, 55, 65, 75, 85), "LED", "LED", "4K", 60, "Google TV", ()),
    ("Hisense", "A7 Series", 2024, 349.99, (43, 50, 55, 65, 75), "LED", "LED", "4K", 60, "Google TV", ()),
    ("Hisense", "QD7", 2025, 449.99, (50, 55, 65, 75, 85), "QLED", "QLED", "4K", 60, "Fire TV", ()),
    ("Hisense", "U6N", 2024, 549.99, (50, 55, 65, 75, 85), "Mini-LED ULED", "Mini-LED", "4K", 60, "Google TV", ()),
    ("Hisense", "U7N", 2024, 849.99, (55, 65, 75, 85, 100), "Mini-LED ULED", "Mini-LED", "4K", 144, "Google TV",
        ("gaming",)),
    ("Hisense", "U8N", 2024, 1299.99, (55, 65, 75, 85, 100), "Mini-LED ULED", "Mini-LED", "4K", 144, "Google TV",
        ("gaming",)),
    ("Hisense", "U75QG", 2025, 899.99, (55, 65, 75, 85), "Mini-LED ULED", "Mini-LED", "4K", 165, "Google TV",
        ("gaming",)),
    ("Hisense", "U8QG", 2025, 1199.99, (65, 75, 85, 100), "Mini-LED ULED", "Mini-LED", "4K", 165, "Google TV",
        ("gaming",)),
    ("Vizio", "D-Series", 2022, 219.99, (32, 40), "LED", "LED", "1080p", 60, "SmartCast", ()),
    ("Vizio", "V-Series", 2023, 349.99, (43, 50, 55, 65, 75), "LED", "LED", "4K", 60, "SmartCast", ()),
    ("Vizio", "Quantum M-Series", 2023, 499.99, (50, 55, 65, 75), "QLED", "QLED", "4K", 60, "SmartCast", ()),
    ("Vizio", "MQX", 2023, 899.99, (50, 65, 75), "Quantum QLED", "Mini-LED", "4K", 240, "SmartCast", ("gaming",)),
    ("Vizio", "Quantum Pro", 2024, 849.99, (65, 75), "QLED", "QLED", "4K", 144, "SmartCast", ("gaming",)),
]

# (brand, name, type, release, price, compatible_with, extra attributes, colors)
# A "{x}" in the name is filled from the variants list in extra["variants"]: ((x, price add, attrs), ...).
_IPHONES = ("iPhone 15", "iPhone 15 Pro", "iPhone 15 Pro Max", "iPhone 16", "iPhone 16 Pro", "iPhone 16 Pro Max",
            "iPhone 17", "iPhone 17 Pro", "iPhone 17 Pro Max")
_GALAXIES = ("Galaxy S24", "Galaxy S24 Ultra", "Galaxy S25", "Galaxy S25 Ultra", "Galaxy S26", "Galaxy S26 Ultra")
_PIXELS = ("Pixel 9", "Pixel 9 Pro", "Pixel 10", "Pixel 10 Pro")


def _per_device(devices: tuple[str, ...]) -> tuple[tuple[str, int, dict[str, Any]], ...]:
    return tuple((device, 0, {"compatible_with": device}) for device in devices)


def _capacities(pairs: tuple[tuple[str, float], ...], key: str = "capacity_gb") -> tuple[tuple[str, float, dict[str,
    Any]], ...]:
    out = []
    for label, price in pairs:
        amount = int(label[:-2]) * (1024 if label.endswith("TB") else 1)
        out.append((label, price, {key: amount}))
    return tuple(out)


ACCESSORIES = [
    ("Anker", "Anker Nano Charger (20W, USB-C)", "charger", "2023-03", 19.99, "USB-C devices", {"wattage_w": 20},
        ("White", "Black", "Aurora Blue")),
    ("Anker", "Anker 735 Charger (Nano II 65W)", "charger", "2022-02", 49.99, "USB-C laptops and phones",
        {"wattage_w": 65, "ports": 3}, ("Black",)),
    ("Anker", "Anker Prime Charger (100W, 3 Ports, GaN)", "charger", "2024-08", 84.99, "USB-C laptops and phones",
        {"wattage_w": 100, "ports": 3}, ("Black", "White")),
    ("Anker", "Anker 737 Power Bank (PowerCore 24K)", "power bank", "2022-06", 149.99, "USB-C devices",
        {"capacity_mah": 24000, "wattage_w": 140}, ("Black",)),
    ("Anker", "Anker Nano Power Bank (10K, 30W)", "power bank", "2024-04", 49.99, "USB-C devices",
        {"capacity_mah": 10000, "wattage_w": 30}, ("Black", "White", "Green")),
    ("Anker", "Anker MagGo Power Bank (10K)", "power bank", "2023-10", 89.99, "MagSafe iPhones",
        {"capacity_mah": 10000, "wattage_w": 15}, ("Black", "Blue", "White")),
    ("Anker", "Anker Prime Power Bank (20K, 220W)", "power bank", "2024-09", 129.99, "USB-C laptops and phones",
        {"capacity_mah": 20000, "wattage_w": 220}, ("Black",)),
    ("Anker", "Anker MagGo 3-in-1 Wireless Charging Station (15W)", "wireless charger", "2023-11", 109.99,
        "iPhone, Apple Watch, AirPods", {"wattage_w": 15}, ("Black", "White")),
    ("Anker", "Anker 313 Wireless Charger (Pad)", "wireless charger", "2022-01", 15.99, "Qi phones",
        {"wattage_w": 10}, ("Black",)),
    ("Anker", "Anker USB-C to USB-C Cable (240W, {x})", "cable", "2023-05", 14.99, "USB-C devices",
        {"variants": (("3 ft", 0, {"length_ft": 3}), ("6 ft", 3, {"length_ft": 6}), ("10 ft", 6, {"length_ft": 10}))},
        ("Black",)),
    ("Anker", "Anker 7-in-1 USB-C Hub", "hub", "2022-05", 35.99, "USB-C laptops", {"ports": 7}, ("Gray",)),
    ("Anker", "Anker 543 USB-C to Lightning Cable (6 ft)", "cable", "2022-03", 19.99, "Lightning iPhones",
        {"length_ft": 6}, ("Black", "White")),
    ("Belkin", "Belkin BoostCharge Pro 3-in-1 Wireless Charging Stand with MagSafe", "wireless charger", "2023-06",
        149.99, "iPhone, Apple Watch, AirPods", {"wattage_w": 15}, ("Black", "White")),
    ("Belkin", "Belkin BoostCharge Pro 2-in-1 Wireless Charging Dock with MagSafe", "wireless charger", "2023-09",
        99.99, "iPhone, AirPods", {"wattage_w": 15}, ("Black", "White")),
    ("Belkin", "Belkin BoostCharge 20W USB-C PD Wall Charger", "charger", "2022-04", 19.99, "USB-C devices",
        {"wattage_w": 20}, ("White",)),
    ("Belkin", "Belkin BoostCharge Pro 65W Dual USB-C GaN Charger", "charger", "2022-08", 49.99,
        "USB-C laptops and phones", {"wattage_w": 65, "ports": 2}, ("White",)),
    ("Belkin", "Belkin BoostCharge Power Bank 10K", "power bank", "2023-02", 29.99, "USB-C devices",
        {"capacity_mah": 10000, "wattage_w": 15}, ("Black", "White", "Blue")),
    ("Belkin", "Belkin BoostCharge USB-C to Lightning Cable (3 ft)", "cable", "2022-01", 19.99, "Lightning iPhones",
        {"length_ft": 3}, ("White", "Black")),
    ("Belkin", "Belkin Connect USB-C 11-in-1 Multiport Dock", "hub", "2023-03", 199.99, "USB-C laptops",
        {"ports": 11}, ("Gray",)),
    ("Belkin", "Belkin ScreenForce UltraGlass 2 Screen Protector for {x}", "screen protector", "2024-09", 39.99, "",
        {"variants": _per_device(_IPHONES[3:])}, ("Clear",)),
    ("Logitech", "Logitech MX Master 3S Wireless Mouse", "mouse", "2022-05", 99.99, "Windows, macOS, Linux",
        {"connectivity": "Bluetooth + Logi Bolt"}, ("Graphite", "Pale Gray")),
    ("Logitech", "Logitech MX Master 4 Wireless Mouse", "mouse", "2025-10", 119.99, "Windows, macOS, Linux",
        {"connectivity": "Bluetooth + Logi Bolt"}, ("Graphite", "Pale Gray")),
    ("Logitech", "Logitech MX Anywhere 3S Wireless Mouse", "mouse", "2023-05", 79.99, "Windows, macOS, Linux",
        {"connectivity": "Bluetooth"}, ("Graphite", "Pale Gray", "Rose")),
    ("Logitech", "Logitech MX Keys S Wireless Keyboard", "keyboard", "2023-05", 109.99, "Windows, macOS, Linux",
        {"connectivity": "Bluetooth + Logi Bolt"}, ("Graphite", "Pale Gray")),
    ("Logitech", "Logitech MX Mechanical Mini Keyboard", "keyboard", "2022-05", 149.99, "Windows, macOS, Linux",
        {"connectivity": "Bluetooth + Logi Bolt"}, ("Graphite",)),
    ("Logitech", "Logitech Pebble Mouse 2 M350s", "mouse", "2022-09", 24.99, "Windows, macOS, iPadOS, ChromeOS",
        {"connectivity": "Bluetooth"}, ("Graphite", "Tonal White", "Tonal Rose")),
    ("Logitech", "Logitech Pebble Keys 2 K380s", "keyboard", "2022-09", 39.99, "Windows, macOS, iPadOS, ChromeOS",
        {"connectivity": "Bluetooth"}, ("Graphite", "Tonal White", "Tonal Rose")),
    ("Logitech", "Logitech Lift Vertical Ergonomic Mouse", "mouse", "2022-04", 69.99, "Windows, macOS",
        {"connectivity": "Bluetooth + Logi Bolt"}, ("Graphite", "Pale Gray", "Rose")),
    ("Logitech", "Logitech Signature M650 Wireless Mouse", "mouse", "2022-01", 29.99, "Windows, macOS, ChromeOS",
        {"connectivity": "Bluetooth + Logi Bolt"}, ("Graphite", "Off-White", "Rose")),
    ("Logitech", "Logitech POP Mouse", "mouse", "2022-06", 29.99, "Windows, macOS, iPadOS",
        {"connectivity": "Bluetooth"}, ("Cosmos Lavender", "Blast Yellow", "Heartbreaker Rose")),
    ("Logitech", "Logitech G502 X Plus Gaming Mouse", "mouse", "2022-09", 159.99, "Windows, macOS",
        {"connectivity": "Lightspeed wireless"}, ("Black", "White")),
    ("Logitech", "Logitech G PRO X SUPERLIGHT 2 Gaming Mouse", "mouse", "2023-09", 159.99, "Windows, macOS",
        {"connectivity": "Lightspeed wireless"}, ("Black", "White", "Magenta")),
    ("Logitech", "Logitech G309 Lightspeed Gaming Mouse", "mouse", "2024-04", 79.99, "Windows, macOS",
        {"connectivity": "Lightspeed wireless + Bluetooth"}, ("Black", "White")),
    ("Logitech", "Logitech G915 X Lightspeed TKL Gaming Keyboard", "keyboard", "2024-09", 199.99, "Windows, macOS",
        {"connectivity": "Lightspeed wireless + Bluetooth"}, ("Black", "White")),
    ("Logitech", "Logitech Keys-To-Go 2 Portable Keyboard", "keyboard", "2024-09", 79.99, "iPadOS, Windows, macOS",
        {"connectivity": "Bluetooth"}, ("Graphite", "Pale Gray", "Lilac")),
    ("Logitech", "Logitech Brio 500 Webcam", "webcam", "2022-10", 129.99, "Windows, macOS, ChromeOS",
        {"resolution": "1080p"}, ("Graphite", "Off-White", "Rose")),
    ("Logitech", "Logitech MX Brio 4K Webcam", "webcam", "2023-09", 199.99, "Windows, macOS", {"resolution": "4K"},
        ("Graphite", "Pale Gray")),
    ("Samsung", "Samsung 25W Super Fast Charger (USB-C)", "charger", "2022-01", 19.99, "Galaxy phones",
        {"wattage_w": 25}, ("Black", "White")),
    ("Samsung", "Samsung 45W Power Adapter", "charger", "2023-02", 49.99, "Galaxy phones and tablets",
        {"wattage_w": 45}, ("Black",)),
    ("Samsung", "Samsung 15W Wireless Charger Pad", "wireless charger", "2023-06", 39.99, "Qi phones",
        {"wattage_w": 15}, ("Black", "White")),
    ("Samsung", "Samsung USB-C to USB-C Cable (5A, {x})", "cable", "2022-03", 14.99, "USB-C devices",
        {"variants": (("1 m", 0, {"length_ft": 3}), ("1.8 m", 5, {"length_ft": 6}))}, ("Black", "White")),
    ("Samsung", "Samsung EVO Select microSDXC {x}", "memory card", "2024-03", 0, "phones, tablets, cameras",
        {"variants": _capacities((("128GB", 12.99), ("256GB", 21.99), ("512GB", 39.99), ("1TB", 99.99)))}, ("Blue",)),
    ("Samsung", "Samsung PRO Plus microSDXC {x}", "memory card", "2023-08", 0, "phones, cameras, drones",
        {"variants": _capacities((("128GB", 16.99), ("256GB", 27.99), ("512GB", 49.99)))}, ("White",)),
    ("Samsung", "Samsung T7 Portable SSD {x}", "ssd", "2022-02", 0, "USB-C laptops, consoles",
        {"variants": _capacities((("500GB", 69.99), ("1TB", 99.99), ("2TB", 179.99)))}, ("Titan Gray", "Indigo Blue")),
    ("Samsung", "Samsung T7 Shield Portable SSD {x}", "ssd", "2022-04", 0, "USB-C laptops, cameras",
        {"variants": _capacities((("1TB", 109.99), ("2TB", 189.99)))}, ("Black", "Beige")),
    ("Samsung", "Samsung T9 Portable SSD 1TB", "ssd", "2023-10", 149.99, "USB-C laptops, cameras",
        {"capacity_gb": 1024}, ("Black",)),
    ("Samsung", "Samsung Galaxy SmartTag2", "tracker", "2023-10", 29.99, "Galaxy phones", {}, ("Black", "White")),
    ("Samsung", "Samsung Galaxy SmartTag2 (4-Pack)", "tracker", "2023-10", 84.99, "Galaxy phones", {}, ("Black",)),
    ("Samsung", "Samsung Silicone Case for {x}", "case", "2024-01", 29.99, "", {"variants": _per_device(_GALAXIES)},
        ("Black", "Light Blue")),
    ("Apple", "Apple MagSafe Charger (1 m)", "wireless charger", "2023-09", 39.00, "MagSafe iPhones",
        {"wattage_w": 15}, ("White",)),
    ("Apple", "Apple MagSafe Charger (2 m, 25W)", "wireless charger", "2024-09", 49.00, "MagSafe iPhones",
        {"wattage_w": 25}, ("White",)),
    ("Apple", "Apple 20W USB-C Power Adapter", "charger", "2022-01", 19.00, "iPhone, iPad", {"wattage_w": 20},
        ("White",)),
    ("Apple", "Apple 35W Dual USB-C Port Compact Power Adapter", "charger", "2022-06", 59.00,
        "iPhone, iPad, MacBook Air", {"wattage_w": 35, "ports": 2}, ("White",)),
    ("Apple", "Apple 70W USB-C Power Adapter", "charger", "2023-01", 59.00, "MacBook Air, MacBook Pro",
        {"wattage_w": 70}, ("White",)),
    ("Apple", "Apple USB-C Woven Charge Cable ({x})", "cable", "2023-09", 19.00, "USB-C devices",
        {"variants": (("1 m", 0, {"length_ft": 3}), ("2 m", 10, {"length_ft": 6}))}, ("White",)),
    ("Apple", "Apple USB-C to Lightning Adapter", "cable", "2023-09", 29.00, "Lightning accessories", {}, ("White",)),
    ("Apple", "Apple AirTag", "tracker", "2022-01", 29.00, "iPhone", {}, ("White",)),
    ("Apple", "Apple AirTag (4 Pack)", "tracker", "2022-01", 99.00, "iPhone", {}, ("White",)),
    ("Apple", "Apple Pencil Pro", "stylus", "2024-05", 129.00,
        "iPad Pro (M4, M5), iPad Air (M2, M3), iPad mini (A17 Pro)", {}, ("White",)),
    ("Apple", "Apple Pencil (USB-C)", "stylus", "2023-11", 79.00,
        "iPad (10th generation), iPad (A16), iPad Air, iPad Pro", {}, ("White",)),
    ("Apple", "Apple Magic Mouse (USB-C)", "mouse", "2024-10", 79.00, "Mac", {"connectivity": "Bluetooth"}, ("White",
        "Black")),
    ("Apple", "Apple Magic Keyboard with Touch ID (USB-C)", "keyboard", "2024-10", 149.00, "Mac with Apple silicon",
        {"connectivity": "Bluetooth"}, ("White", "Black")),
    ("Apple", "Apple Magic Trackpad (USB-C)", "trackpad", "2024-10", 129.00, "Mac", {"connectivity": "Bluetooth"},
        ("White", "Black")),
    ("Apple", "Apple Silicone Case with MagSafe for {x}", "case", "2024-09", 49.00, "",
        {"variants": _per_device(_IPHONES[3:])}, ("Black", "Denim", "Lake Green", "Plum")),
    ("Spigen", "Spigen Ultra Hybrid Case for {x}", "case", "2024-01", 16.99, "",
        {"variants": _per_device(_IPHONES + _GALAXIES + _PIXELS)}, ("Crystal Clear",)),
    ("Spigen", "Spigen Tough Armor Case for {x}", "case", "2024-01", 19.99, "",
        {"variants": _per_device(_IPHONES + _GALAXIES)}, ("Black",)),
    ("Spigen", "Spigen Liquid Air Case for {x}", "case", "2024-01", 14.99, "",
        {"variants": _per_device(_IPHONES[3:] + _GALAXIES + _PIXELS)}, ("Matte Black",)),
    ("Spigen", "Spigen Rugged Armor Case for {x}", "case", "2024-01", 15.99, "",
        {"variants": _per_device(_GALAXIES + _PIXELS)}, ("Matte Black",)),
    ("Spigen", "Spigen Thin Fit Case for {x}", "case", "2024-01", 12.99, "", {"variants": _per_device(_IPHONES[3:])},
        ("Black",)),
    ("Spigen", "Spigen GlasTR EZ Fit Screen Protector (2-Pack) for {x}", "screen protector", "2024-01", 14.99, "",
        {"variants": _per_device(_IPHONES + _GALAXIES + _PIXELS)}, ("Clear",)),
    ("Spigen", "Spigen ArcStation Pro 30W USB-C Charger", "charger", "2023-04", 24.99, "USB-C devices",
        {"wattage_w": 30}, ("White",)),
    ("Spigen", "Spigen Rugged Armor Case for {x}", "case", "2024-06", 34.99, "",
        {"variants": _per_device(("iPad Air 11-inch (M2)", "iPad (A16)", "Galaxy Tab S10+"))}, ("Matte Black",)),
    ("SanDisk", "SanDisk Extreme microSDXC {x}", "memory card", "2023-01", 0, "phones, action cameras, drones",
        {"variants": _capacities((("64GB", 12.99), ("128GB", 18.99), ("256GB", 27.99), ("512GB", 49.99), ("1TB",
        99.99)))}, ("Red/Gold",)),
    ("SanDisk", "SanDisk Ultra microSDXC {x}", "memory card", "2022-06", 0, "phones, tablets, handheld consoles",
        {"variants": _capacities((("64GB", 9.99), ("128GB", 12.99), ("256GB", 19.99), ("512GB", 39.99)))},
        ("Gray/Red",)),
    ("SanDisk", "SanDisk Extreme PRO SDXC {x}", "memory card", "2023-01", 0, "cameras",
        {"variants": _capacities((("64GB", 17.99), ("128GB", 24.99), ("256GB", 39.99), ("512GB", 79.99)))},
        ("Black/Gold",)),
    ("SanDisk", "SanDisk Extreme Portable SSD {x}", "ssd", "2022-09", 0, "USB-C laptops, cameras",
        {"variants": _capacities((("1TB", 89.99), ("2TB", 149.99)))}, ("Black/Orange",)),
    ("SanDisk", "SanDisk Extreme PRO Portable SSD 2TB", "ssd", "2022-09", 199.99, "USB-C laptops, cameras",
        {"capacity_gb": 2048}, ("Black",)),
    ("SanDisk", "SanDisk Ultra Dual Drive Go USB-C {x}", "flash drive", "2022-05", 0, "USB-C phones, laptops",
        {"variants": _capacities((("64GB", 11.99), ("128GB", 16.99), ("256GB", 29.99)))}, ("Black", "Mint")),
    ("SanDisk", "SanDisk iXpand Flash Drive Go {x}", "flash drive", "2022-05", 0, "iPhone, iPad (Lightning)",
        {"variants": _capacities((("64GB", 19.99), ("128GB", 29.99), ("256GB", 49.99)))}, ("Silver",)),
    ("SanDisk", "SanDisk Creator Phone SSD 1TB", "ssd", "2025-03", 119.99, "iPhone 15 and later, USB-C phones",
        {"capacity_gb": 1024}, ("Blue",)),
]


# ---------------------------------------------------------------------------------------------
# Products
# ---------------------------------------------------------------------------------------------


@dataclass
class _Item:
    """A product before ids, ratings, stock and descriptions are assigned."""

    name: str
    category: str
    brand: str
    list_price: float
    release: date
    attributes: dict[str, Any]
    line: str  # the model line without variant, e.g. "Galaxy S24"; used for accessory compatibility
    tags: tuple[str, ...] = ()


def _cents(brand: str, price: float) -> float:
    """Shop price conventions: whole-dollar list prices end in .00 for Apple and Bose, .99 elsewhere."""
    if abs(price - round(price)) > 1e-9:
        return round(price, 2)
    if brand in ("Apple", "Bose"):
        return float(price)
    return round(price + 0.99, 2)


def _branded(brand: str, model: str) -> str:
    """The model with its brand in front, unless it already starts with it ("Xiaomi 14", "OnePlus 12")."""
    return model if model.startswith(brand) else f"{brand} {model}"


def _storage_label(gb: int) -> str:
    return f"{gb // 1024}TB" if gb >= 1024 else f"{gb}GB"


def _release(rng: np.random.Generator, year_month: str) -> date:
    year, month = (int(part) for part in year_month.split("-"))
    return date(year, month, int(rng.integers(1, 29)))


def _storage_prices(brand: str, base: float, storages: tuple[int, ...]) -> list[float]:
    """Price of each storage tier: Apple's known steps, elsewhere steps that grow with the tier."""
    step = 100.0 if brand == "Apple" else max(30.0, round(base * 0.12 / 10) * 10)
    prices, price = [], float(base)
    for index, gb in enumerate(storages):
        if index:
            doublings = int(round(math.log2(gb / storages[index - 1])))
            for _ in range(doublings):
                price += step * (1.0 if brand != "Apple" or len(prices) == 1 else 2.0)
        prices.append(price)
    return prices


def _phones(rng: np.random.Generator) -> list[_Item]:
    items = []
    for brand, model, released, base, storages, screen, ram, battery, camera, hz in PHONES:
        release = _release(rng, released)
        colors = PHONE_COLORS[brand]
        for gb, price in zip(storages, _storage_prices(brand, base, storages), strict=True):
            attributes = {
                "storage_gb": gb,
                "ram_gb": ram,
                "screen_in": screen,
                "refresh_rate_hz": hz,
                "battery_mah": battery,
                "main_camera_mp": camera,
                "os": "iOS" if brand == "Apple" else "Android",
                "5g": True,
                "water_resistance": "IP68" if price >= 400 else "IP52",
                "connectivity": ["5G", "Wi-Fi 6E" if release.year < 2024 else "Wi-Fi 7", "Bluetooth 5.3", "NFC"],
                "color": colors[int(rng.integers(len(colors)))],
            }
            if "Fold" in model or "Flip" in model or "razr" in model or model == "OnePlus Open":
                attributes["foldable"] = True
            items.append(_Item(f"{_branded(brand, model)} {_storage_label(gb)}", "phones", brand, _cents(brand, price),
                               release, attributes, model))
    return items


def _spread(combos: list[Any], limit: int) -> list[Any]:
    """Keeps at most ``limit`` combos, evenly spread from the cheapest to the most expensive."""
    if len(combos) <= limit:
        return combos
    picks = sorted({round(i * (len(combos) - 1) / (limit - 1)) for i in range(limit)})
    return [combos[i] for i in picks]


def _laptops(rng: np.random.Generator) -> list[_Item]:
    items = []
    colors = {"Apple": ("Space Gray", "Silver", "Midnight", "Starlight", "Space Black", "Sky Blue"),
              "Microsoft": ("Platinum", "Black", "Dune", "Sapphire")}
    for (brand, model, released, base, screen, resolution, hz, battery, weight, cpus, memories, gpu,
         tags) in LAPTOPS:
        release = _release(rng, released)
        combos = sorted(
            ((cpu, ram, storage, base + cpu_add + mem_add) for cpu, cpu_add in cpus for ram, storage,
                mem_add in memories),
            key=lambda combo: combo[3],
        )
        palette = colors.get(brand, ("Silver", "Graphite", "Black", "Platinum Silver"))
        for cpu, ram, storage, price in _spread(combos, 4):
            os_name = "macOS" if brand == "Apple" else ("ChromeOS" if "chromebook" in tags else "Windows 11")
            attributes = {
                "cpu": cpu,
                "ram_gb": ram,
                "storage_gb": storage,
                "screen_in": screen,
                "resolution": resolution,
                "refresh_rate_hz": hz,
                "gpu": gpu,
                "battery_hours": battery,
                "weight_lb": weight,
                "os": os_name,
                "connectivity": ["Wi-Fi 6E" if release.year < 2025 else "Wi-Fi 7", "Bluetooth 5.3", "USB-C"],
                "color": palette[int(rng.integers(len(palette)))],
            }
            name = f"{_branded(brand, model)} ({cpu}, {ram}GB, {_storage_label(storage)})"
            items.append(_Item(name, "laptops", brand, _cents(brand, price), release, attributes, model, tags))
    return items


def _tablets(rng: np.random.Generator) -> list[_Item]:
    items = []
    for brand, model, released, base, storages, screen, chip, battery, cellular_add, stylus in TABLETS:
        release = _release(rng, released)
        colors = TABLET_COLORS[brand]
        for gb, price in zip(storages, _storage_prices(brand, base, storages), strict=True):
            options = [("Wi-Fi", 0)] + ([("Wi-Fi + Cellular", cellular_add)] if cellular_add else [])
            for connectivity, add in options:
                attributes = {
                    "storage_gb": gb,
                    "screen_in": screen,
                    "chip": chip,
                    "battery_hours": battery,
                    "connectivity": connectivity,
                    "os": {"Apple": "iPadOS", "Amazon": "Fire OS", "Microsoft": "Windows 11"}.get(brand, "Android"),
                    "stylus_support": stylus or "none",
                    "color": colors[int(rng.integers(len(colors)))],
                }
                if "Kids" in model:
                    attributes["kid_proof_case"] = True
                suffix = f" {connectivity}" if cellular_add else ""
                items.append(_Item(f"{_branded(brand, model)} {_storage_label(gb)}{suffix}", "tablets", brand,
                                   _cents(brand, price + add), release, attributes, model))
    return items


def _headphones(rng: np.random.Generator) -> list[_Item]:
    items = []
    for brand, model, kind, released, price, form, anc, battery, water, colors, tags in HEADPHONES:
        release = _release(rng, released)
        wired = "wired" in tags
        chosen = colors if len(colors) <= 3 else colors[:3]
        for color in chosen:
            attributes: dict[str, Any] = {
                "type": form,
                "wireless": not wired,
                "noise_cancelling": anc,
                "battery_hours": battery if not wired else None,
                "water_resistance": water or "none",
                "connectivity": "3.5 mm / USB-C cable" if wired else "Bluetooth 5.3",
                "microphone": not wired or "Headset" in kind or "Earbuds" in kind,
                "color": color,
            }
            if attributes["battery_hours"] is None:
                del attributes["battery_hours"]
            name = f"{brand} {model} {kind}" + (f" - {color}" if len(chosen) > 1 else "")
            items.append(_Item(name, "headphones", brand, _cents(brand, price), release, attributes, model, tags))
    return items


def _smartwatches(rng: np.random.Generator) -> list[_Item]:
    items = []
    labels = {"Apple": ("GPS", "GPS + Cellular"), "Samsung": ("Bluetooth", "LTE"), "Google": ("Wi-Fi", "LTE")}
    for brand, model, released, price, sizes, cellular_add, battery, water, display, colors in SMARTWATCHES:
        release = _release(rng, released)
        always_cellular = brand == "Apple" and "Ultra" in model
        connections = [(labels.get(brand, ("Bluetooth", "LTE"))[0], 0)]
        if cellular_add:
            connections.append((labels[brand][1], cellular_add))
        if always_cellular:
            connections = [("GPS + Cellular", 0)]
        show_size = len(sizes) > 1 or bool(cellular_add) or always_cellular
        variants = [(size, conn, add) for size in sizes for conn, add in connections]
        color_variants = len(variants) == 1 and len(colors) > 1
        for index, (size, conn, add) in enumerate(variants):
            for color in (colors[:2] if color_variants else (colors[index % len(colors)],)):
                attributes = {
                    "case_mm": size,
                    "connectivity": conn if (cellular_add or always_cellular) else "Bluetooth",
                    "gps": brand not in ("Fitbit",) or model in ("Charge 6", "Ace LTE"),
                    "heart_rate": True,
                    "battery_days": battery,
                    "water_resistance": water,
                    "display": display,
                    "compatible_os": "iOS" if brand == "Apple" else ("Android" if brand in ("Samsung",
                        "Google") else "iOS and Android"),
                    "color": color,
                }
                name = f"{brand} {model}"
                if show_size:
                    name += f" {size}mm"
                if cellular_add or always_cellular:
                    name += f" {conn}"
                if color_variants:
                    name += f" - {color}"
                items.append(_Item(name, "smartwatches", brand, _cents(brand, price + add), release, attributes, model,
                                   ("fitness",) if brand in ("Garmin", "Fitbit", "Amazfit") else ()))
    return items


def _cameras(rng: np.random.Generator) -> list[_Item]:
    items = []
    for brand, model, kind, released, price, megapixels, sensor, video, bundles, colors in CAMERAS:
        release = _release(rng, released)
        for suffix, add in bundles:
            for color in colors[:2]:
                attributes: dict[str, Any] = {
                    "type": kind,
                    "megapixels": megapixels,
                    "sensor": sensor,
                    "video": video,
                    "kit": suffix,
                    "image_stabilization": kind not in ("instant",),
                    "connectivity": ["Wi-Fi", "Bluetooth"] if kind != "instant" else ["Bluetooth"],
                    "color": color,
                }
                if kind in ("action", "360"):
                    depth = "33 ft (10 m)" if brand == "GoPro" else "20 m"
                    attributes["water_resistance"] = f"waterproof to {depth}"
                name = f"{brand} {model} {suffix}" + (f" - {color}" if len(colors) > 1 else "")
                items.append(_Item(name, "cameras", brand, _cents(brand, price + add), release, attributes, model,
                                   ("outdoor",) if kind in ("action", "drone", "360") else ("creator",)))
    return items


def _tvs(rng: np.random.Generator) -> list[_Item]:
    items = []
    for brand, model, year, base, sizes, panel_label, panel, resolution, hz, platform, tags in TVS:
        release = date(year, int(rng.integers(3, 10)), int(rng.integers(1, 29)))
        suffix = platform if platform in ("Google TV", "Fire TV") else "Smart TV"
        label = "" if panel_label in model else f" {panel_label}"
        for size in sizes:
            raw = base * _TV_SIZE_FACTOR[size]
            price = round(raw / 10) * 10 - 0.01
            attributes = {
                "screen_in": size,
                "resolution": resolution,
                "panel": panel,
                "refresh_rate_hz": hz,
                "hdr": ["HDR10", "HLG"] + (["Dolby Vision"] if brand != "Samsung" else ["HDR10+"]),
                "smart_platform": platform,
                "hdmi_ports": 4 if hz >= 120 else 3,
                "voice_assistant": {"Fire TV": "Alexa", "Google TV": "Google Assistant", "Tizen": "Bixby",
                                    "webOS": "LG ThinQ AI"}.get(platform, "none"),
            }
            name = f"{brand} {model} {size}-inch{label} {resolution} {suffix}"
            line_tags = tags + (("home",) if size >= 65 else ())
            items.append(_Item(name, "tvs", brand, price, release, attributes, model, line_tags))
    return items


def _accessories(rng: np.random.Generator) -> list[_Item]:
    items = []
    for brand, template, kind, released, price, compatible, extra, colors in ACCESSORIES:
        release = _release(rng, released)
        variants = extra.get("variants") or ((None, 0, {}),)
        fixed = {key: value for key, value in extra.items() if key != "variants"}
        for label, add, variant_attrs in variants:
            for color in colors if len(colors) <= 4 else colors[:4]:
                attributes: dict[str, Any] = {"type": kind}
                attributes.update(fixed)
                attributes.update(variant_attrs)
                attributes.setdefault("compatible_with", compatible or "universal")
                attributes["color"] = color
                name = template.replace("{x}", label) if label else template
                if len(colors) > 1:
                    name += f" - {color}"
                tags = ("gaming",) if "Gaming" in name else (("business",) if " MX " in name or "Brio" in name else ())
                items.append(_Item(name, "accessories", brand, _cents(brand, price + add), release, attributes,
                                   attributes["compatible_with"], tags))
    return items


def _discount(rng: np.random.Generator, item: _Item) -> float:
    """Older models are sometimes on sale; the sale price keeps the brand's cents convention."""
    price = item.list_price
    if item.release < date(2025, 1, 1) and rng.random() < 0.2:
        cut = float(rng.choice([0.1, 0.15, 0.2, 0.25]))
        price = round(price * (1 - cut))
        price = float(price) if item.brand in ("Apple", "Bose") else price - 0.01
    return round(price, 2)


BRAND_STRENGTH = {"Apple": 1.7, "Samsung": 1.5, "Sony": 1.25, "Google": 1.1, "LG": 1.2, "Bose": 1.1, "Dell": 1.1,
                  "HP": 1.05, "Lenovo": 1.05, "Anker": 1.15, "Logitech": 1.1, "TCL": 1.1, "Hisense": 1.0,
                  "JBL": 1.0, "Garmin": 1.0, "Canon": 1.0, "SanDisk": 1.05, "Spigen": 0.9, "GoPro": 0.95}
BRAND_QUALITY = {"Apple": 0.3, "Sony": 0.2, "Bose": 0.25, "Sennheiser": 0.25, "Garmin": 0.2, "Canon": 0.2, "Nikon": 0.2,
                 "Fujifilm": 0.25, "LG": 0.15, "Samsung": 0.1, "Google": 0.05, "Dell": 0.0, "Lenovo": 0.05,
                 "Logitech": 0.2, "Anker": 0.15, "Vizio": -0.2, "Acer": -0.1, "Motorola": -0.1, "Amazon": -0.05,
                 "Amazfit": -0.05, "Xiaomi": 0.0, "Hisense": -0.05, "TCL": 0.0, "DJI": 0.25, "Razer": -0.05}


def build_products(rng: np.random.Generator) -> list[dict[str, Any]]:
    """All products with ids, prices, ratings, stock, attributes and descriptions."""
    raw: list[_Item] = []
    for builder in (_phones, _laptops, _tablets, _headphones, _smartwatches, _cameras, _tvs, _accessories):
        raw.extend(builder(rng))
    products: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item in raw:
        low, high = PRICE_RANGES[item.category]
        price = max(_discount(rng, item), low)
        if price > high:  # the category's ceiling, at the brand's usual cents
            price = high if item.brand in ("Apple", "Bose") else high - 0.01
        if item.list_price > high * 1.05 or item.name in seen:
            continue  # a configuration this shop does not sell
        seen.add(item.name)
        products.append({"item": item, "price": price})

    log_price = np.log([p["price"] for p in products])
    categories = np.array([p["item"].category for p in products])
    price_z = np.zeros(len(products))
    overall_z = (log_price - log_price.mean()) / log_price.std()
    for category in CATEGORIES:
        mask = categories == category
        price_z[mask] = (log_price[mask] - log_price[mask].mean()) / log_price[mask].std()

    for index, product in enumerate(products):
        item: _Item = product["item"]
        months_out = max(1.0, (date(2026, 11, 20) - item.release).days / 30.4)
        appeal = float(rng.lognormal(0.0, 0.6)) * BRAND_STRENGTH.get(item.brand,
            0.85) * math.exp(-0.35 * price_z[index])
        quality = BRAND_QUALITY.get(item.brand, 0.0)
        rating = 4.25 + quality + 0.12 * price_z[index] + float(rng.normal(0, 0.22))
        if rng.random() < 0.04:
            rating = float(rng.uniform(2.6, 3.6))  # every shop has a few duds
        product.update(
            product_id=f"P{index + 1:05d}",
            appeal=appeal,
            price_z=float(price_z[index]),
            overall_price_z=float(overall_z[index]),
            rating=round(min(max(rating, 1.0), 4.9), 1),
            review_count=int(appeal * 22 * months_out ** 0.85 * rng.uniform(0.6, 1.4)),
            stock=0 if rng.random() < 0.08 else int(rng.integers(1,
                40) if product["price"] > 1000 else rng.integers(3, 260)),
        )
        product["description"] = describe(rng, item)
    return products


# ---------------------------------------------------------------------------------------------
# Descriptions: facts from the attributes only, varied wording.
# ---------------------------------------------------------------------------------------------


def _pick(rng: np.random.Generator, options: list[str]) -> str:
    return options[int(rng.integers(len(options)))]


def _num(value: float) -> str:
    """6.1 -> "6.1", 14.0 -> "14"."""
    return f"{value:g}"


def _a(phrase: str) -> str:
    """The phrase with the right indefinite article ("an 85-inch", "an OLED", "a QLED")."""
    spoken_vowel = phrase[:1].lower() in "aeiou" or phrase.startswith(("8", "11", "18", "LED", "LCD", "MIP", "HDR"))
    return f"{'an' if spoken_vowel else 'a'} {phrase}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def describe(rng: np.random.Generator, item: _Item) -> str:
    """One to three sentences built only from the product's own attributes."""
    a = item.attributes
    short = item.name.split(" - ")[0]
    model = _branded(item.brand, item.line)
    storage = _storage_label(a["storage_gb"]) if "storage_gb" in a else ""
    screen = _a(_num(a["screen_in"])) if "screen_in" in a else ""  # "a 6.1", "an 11"
    if item.category == "phones":
        lead = _pick(rng, [
            f"The {model} pairs {screen}-inch {a['refresh_rate_hz']}Hz display with {storage} of storage.",
            _cap(f"{screen}-inch {a['os']} phone with {storage} of storage and {a['ram_gb']}GB of RAM."),
            f"{model} with {storage} of storage, {screen}-inch screen and 5G.",
        ])
        details = [
            _pick(rng, [
                f"Its {a['main_camera_mp']}MP main camera is backed by a {a['battery_mah']:,} mAh battery.",
                f"It has {_a(str(a['main_camera_mp']))}MP main camera and a {a['battery_mah']:,} mAh battery.",
            ]),
            f"Rated {a['water_resistance']} for water and dust resistance.",
            f"This model comes in {a['color']}.",
        ]
        if a.get("foldable"):
            details.append("The foldable design tucks a large screen into a compact body.")
    elif item.category == "laptops":
        cpu, ram = _a(a["cpu"]), a["ram_gb"]
        lead = _pick(rng, [
            f"The {model} runs {a['os']} on {cpu} processor with {ram}GB of RAM and {storage} of storage.",
            _cap(f"{screen}-inch laptop with {cpu} chip, {ram}GB of memory and {_a(storage)} SSD."),
            f"{a['cpu']}, {ram}GB of RAM and {storage} of storage in {_a(_num(a['weight_lb']))} lb, "
            f"{_num(a['screen_in'])}-inch laptop.",
        ])
        details = [
            f"Its {a['resolution']} display refreshes at {a['refresh_rate_hz']}Hz.",
            f"Battery life is rated at up to {a['battery_hours']} hours.",
            f"Graphics: {a['gpu']}." if a["gpu"] != "Integrated" else "It uses integrated graphics.",
        ]
        if "gaming" in item.tags:
            details.append(f"Built for gaming with {a['gpu']} graphics and a {a['refresh_rate_hz']}Hz screen.")
    elif item.category == "tablets":
        lead = _pick(rng, [
            f"The {model} has {screen}-inch display and {storage} of storage.",
            _cap(f"{screen}-inch {a['os']} tablet powered by the {a['chip']}, with {storage} of storage."),
        ])
        details = [
            f"Connectivity: {a['connectivity']}.",
            f"Battery life is rated at up to {a['battery_hours']} hours.",
            f"Works with the {a['stylus_support']}."
            if a["stylus_support"] != "none"
            else "Made for reading, video and games.",
        ]
        if a.get("kid_proof_case"):
            details.append("Comes with a kid-proof case.")
    elif item.category == "headphones":
        style = {"over-ear": "over-ear headphones", "on-ear": "on-ear headphones", "in-ear": "earbuds",
                 "open-ear": "open-ear earbuds"}[a["type"]]
        wireless = "wireless" if a["wireless"] else "wired"
        anc = " with active noise cancelling" if a["noise_cancelling"] else ""
        lead = _pick(rng, [
            f"The {short} are {wireless} {style}{anc}.",
            f"{'Noise-cancelling' if a['noise_cancelling'] else 'Lightweight'} {wireless} {style} from {item.brand}.",
        ])
        details = []
        if a.get("battery_hours"):
            details.append(f"Up to {_num(a['battery_hours'])} hours of listening per charge.")
        if a["water_resistance"] != "none":
            details.append(f"{a['water_resistance']} rated against sweat and splashes.")
        if "gaming" in item.tags:
            details.append("Tuned for gaming, with a built-in microphone.")
        details.append(f"Color: {a['color']}.")
    elif item.category == "smartwatches":
        kind = "fitness tracker" if a["case_mm"] < 39 else "smartwatch"
        lead = _pick(rng, [
            f"The {model} has {_a(str(a['case_mm']))}mm case"
            + (f" and {_a(a['display'])} display." if a["display"] != "none" else " and no display."),
            _cap(f"{_a(str(a['case_mm']))}mm {kind} with heart-rate tracking{' and GPS' if a['gps'] else ''}."),
        ])
        details = [
            f"Battery life is up to {_num(a['battery_days'])} days.",
            f"Water resistance: {a['water_resistance']}.",
            f"Works with {a['compatible_os']}.",
        ]
        if a["connectivity"] in ("LTE", "GPS + Cellular"):
            details.append("The cellular model takes calls without your phone nearby.")
    elif item.category == "cameras":
        kind = {"mirrorless": "mirrorless camera", "vlogging": "vlogging camera", "compact": "compact camera",
                "bridge": "superzoom bridge camera", "action": "action camera", "360": "360-degree camera",
                "drone": "camera drone", "gimbal": "gimbal camera", "instant": "instant camera",
                "cinema": "cinema camera"}[a["type"]]
        video = f" and {a['video']} video" if a["video"] != "none" else ""
        lead = _pick(rng, [
            f"The {model} is {_a(str(a['megapixels']))}MP {kind} with {_a(a['sensor'])} sensor.",
            _cap(f"{_a(a['sensor'])} {kind} that shoots {a['megapixels']}MP stills{video}."),
        ])
        details = [f"Package: {a['kit']}."]
        if a["video"] != "none":
            details.append(f"Records video at up to {a['video']}.")
        if a.get("water_resistance"):
            details.append(f"It is {a['water_resistance']} without a housing.")
    elif item.category == "tvs":
        lead = _pick(rng, [
            _cap(f"{screen}-inch {a['resolution']} {a['panel']} TV with a {a['refresh_rate_hz']}Hz panel."),
            f"The {model} in {a['screen_in']} inches: {a['resolution']} resolution on {_a(a['panel'])} panel.",
        ])
        voice = f" with {a['voice_assistant']} voice control" if a["voice_assistant"] != "none" else ""
        details = [
            f"Runs {a['smart_platform']}{voice}.",
            f"Supports {', '.join(a['hdr'])}.",
            f"It has {a['hdmi_ports']} HDMI ports.",
        ]
        if a["refresh_rate_hz"] >= 120:
            details.append(f"The {a['refresh_rate_hz']}Hz refresh rate keeps games and sports smooth.")
    else:
        compat = a["compatible_with"]
        lead = _pick(rng, [
            f"{_a(a['type'])} from {item.brand}" + (f" for {compat}." if compat != "universal" else "."),
            f"The {short} is {_a(a['type'])}" + (f" that works with {compat}." if compat != "universal" else "."),
        ])
        lead = _cap(lead)
        details = []
        if "wattage_w" in a:
            details.append(f"Delivers up to {a['wattage_w']}W.")
        if "capacity_mah" in a:
            details.append(f"Holds {a['capacity_mah']:,} mAh.")
        if "capacity_gb" in a:
            details.append(f"Capacity: {_storage_label(a['capacity_gb'])}.")
        if "length_ft" in a:
            details.append(f"Cable length: {a['length_ft']} ft.")
        if "connectivity" in a:
            details.append(f"Connects over {a['connectivity']}.")
        details.append(f"Color: {a['color']}.")
    count = min(len(details), int(rng.integers(0, 3)))
    chosen = sorted(rng.choice(len(details), size=count, replace=False).tolist()) if count else []
    return " ".join([lead] + [details[i] for i in chosen])


# ---------------------------------------------------------------------------------------------
# Customers
# ---------------------------------------------------------------------------------------------

FIRST_NAMES = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William",
    "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Christopher", "Karen", "Charles", "Lisa",
    "Daniel", "Nancy", "Matthew", "Betty", "Anthony", "Sandra", "Mark", "Margaret", "Donald", "Ashley", "Steven",
    "Kimberly", "Andrew", "Emily", "Paul", "Donna", "Joshua", "Michelle", "Kenneth", "Carol", "Kevin", "Amanda",
    "Brian", "Melissa", "Timothy", "Deborah", "Ronald", "Stephanie", "Jason", "Rebecca", "George", "Sharon",
    "Edward", "Laura", "Jeffrey", "Cynthia", "Ryan", "Amy", "Jacob", "Kathleen", "Nicholas", "Angela", "Gary",
    "Shirley", "Eric", "Brenda", "Jonathan", "Emma", "Stephen", "Anna", "Larry", "Pamela", "Justin", "Nicole",
    "Scott", "Samantha", "Brandon", "Katherine", "Benjamin", "Christine", "Samuel", "Helen", "Gregory", "Debra",
    "Alexander", "Rachel", "Patrick", "Carolyn", "Frank", "Janet", "Raymond", "Maria", "Jack", "Olivia", "Dennis",
    "Heather", "Jerry", "Diane", "Tyler", "Julie", "Aaron", "Joyce", "Jose", "Victoria", "Adam", "Ruth", "Nathan",
    "Virginia", "Henry", "Lauren", "Zachary", "Kelly", "Douglas", "Christina", "Peter", "Joan", "Kyle", "Evelyn",
    "Noah", "Judith", "Ethan", "Andrea", "Jeremy", "Hannah", "Walter", "Megan", "Christian", "Cheryl", "Keith",
    "Jacqueline", "Roger", "Martha", "Terry", "Madison", "Austin", "Teresa", "Sean", "Gloria", "Gerald", "Sara",
    "Carl", "Janice", "Harold", "Ann", "Dylan", "Kathryn", "Arthur", "Abigail", "Lawrence", "Sophia", "Jordan",
    "Frances", "Jesse", "Jean", "Bryan", "Alice", "Billy", "Judy", "Bruce", "Isabella", "Gabriel", "Julia", "Joe",
    "Grace", "Logan", "Amber", "Alan", "Denise", "Juan", "Danielle", "Albert", "Marilyn", "Willie", "Beverly",
    "Elijah", "Charlotte", "Wayne", "Natalie", "Randy", "Theresa", "Vincent", "Diana", "Mason", "Brittany", "Roy",
    "Doris", "Ralph", "Kayla", "Bobby", "Alexis", "Russell", "Lori", "Bradley", "Marie", "Philip", "Priya", "Wei",
    "Mei", "Hiroshi", "Yuki", "Arjun", "Ananya", "Mohammed", "Fatima", "Omar", "Aisha", "Luis", "Sofia", "Carlos",
    "Camila", "Diego", "Valentina", "Liam", "Chloe", "Lucas", "Zoe", "Mateo", "Leah", "Hugo", "Amelie", "Nikolai",
    "Ingrid", "Kwame", "Amara", "Tariq", "Leila", "Minh", "Linh", "Jin", "Seo-yeon", "Raj", "Deepa", "Etienne",
    "Genevieve", "Mathieu", "Isabelle",
)
LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee",
    "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young",
    "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker",
    "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez", "Phillips", "Evans", "Turner", "Diaz",
    "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers",
    "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim",
    "Cox", "Ward", "Richardson", "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza",
    "Ruiz", "Hughes", "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster",
    "Jimenez", "Powell", "Jenkins", "Perry", "Russell", "Sullivan", "Bell", "Coleman", "Butler", "Henderson",
    "Barnes", "Gonzales", "Fisher", "Vasquez", "Simmons", "Romero", "Jordan", "Patterson", "Alexander", "Hamilton",
    "Graham", "Reynolds", "Griffin", "Wallace", "Moreno", "West", "Cole", "Hayes", "Bryant", "Herrera", "Gibson",
    "Ellis", "Tran", "Medina", "Aguilar", "Stevens", "Murray", "Ford", "Castro", "Marshall", "Owens", "Harrison",
    "Fernandez", "McDonald", "Woods", "Washington", "Kennedy", "Wells", "Vargas", "Henry", "Chen", "Freeman",
    "Webb", "Tucker", "Guzman", "Burns", "Crawford", "Olson", "Simpson", "Porter", "Hunter", "Gordon", "Mendez",
    "Silva", "Shaw", "Snyder", "Mason", "Dixon", "Munoz", "Hunt", "Hicks", "Holmes", "Palmer", "Wagner", "Black",
    "Robertson", "Boyd", "Rose", "Stone", "Salazar", "Fox", "Warren", "Mills", "Meyer", "Rice", "Schmidt", "Wang",
    "Li", "Zhang", "Liu", "Singh", "Kumar", "Shah", "Tanaka", "Sato", "Park", "Choi", "Khan", "Ali", "Hassan",
    "Okafor", "Mensah", "Tremblay", "Gagnon", "Roy", "Cote", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin",
    "MacDonald", "Campbell-Smith", "O'Brien", "O'Connor", "Nakamura", "Yamamoto", "Novak", "Kowalski", "Ivanova",
)
SEGMENT_WEIGHTS = (0.22, 0.16, 0.18, 0.17, 0.14, 0.13)
REGION_WEIGHTS = (0.18, 0.20, 0.17, 0.12, 0.19, 0.08, 0.06)
AGE_BY_SEGMENT = {
    "bargain_hunter": (0.14, 0.22, 0.2, 0.18, 0.14, 0.12),
    "tech_enthusiast": (0.16, 0.34, 0.24, 0.14, 0.08, 0.04),
    "family": (0.02, 0.18, 0.38, 0.28, 0.1, 0.04),
    "professional": (0.04, 0.3, 0.32, 0.22, 0.1, 0.02),
    "student": (0.78, 0.2, 0.02, 0.0, 0.0, 0.0),
    "gamer": (0.36, 0.38, 0.16, 0.07, 0.02, 0.01),
}
TEST_CUSTOMER = {
    "customer_id": "C00001", "first_name": "Jane", "last_name": "Doe", "email": "jane.doe@example.com",
    "segment": "tech_enthusiast", "region": "US-Northeast", "age_band": "35-44", "signup_date": "2023-04-12",
    "marketing_consent": "true",
}


def _email(rng: np.random.Generator, first: str, last: str, taken: set[str]) -> str:
    first_part = "".join(ch for ch in first.lower() if ch.isalnum())
    last_part = "".join(ch for ch in last.lower() if ch.isalnum())
    domain = "example.com" if rng.random() < 0.7 else "example.org"
    while True:
        number = int(rng.integers(1, 1000))
        local = _pick(rng, [f"{first_part}.{last_part}{number}", f"{first_part}{last_part}{number}",
                            f"{first_part[0]}.{last_part}{number}", f"{first_part}_{last_part}{number}"])
        email = f"{local}@{domain}"
        if email not in taken:
            taken.add(email)
            return email


def build_customers(rng: np.random.Generator, count: int) -> list[dict[str, str]]:
    customers = [dict(TEST_CUSTOMER)]
    taken = {TEST_CUSTOMER["email"]}
    early, late = date(2021, 1, 1), date(2025, 1, 1)
    for number in range(2, count + 1):
        segment = SEGMENTS[int(rng.choice(len(SEGMENTS), p=SEGMENT_WEIGHTS))]
        first = FIRST_NAMES[int(rng.integers(len(FIRST_NAMES)))]
        last = LAST_NAMES[int(rng.integers(len(LAST_NAMES)))]
        if rng.random() < 0.62:
            signup = early + timedelta(days=int(rng.integers((late - early).days)))
        else:
            signup = late + timedelta(days=int(rng.integers((date(2026, 11, 10) - late).days)))
        customers.append({
            "customer_id": f"C{number:05d}",
            "first_name": first,
            "last_name": last,
            "email": _email(rng, first, last, taken),
            "segment": segment,
            "region": REGIONS[int(rng.choice(len(REGIONS), p=REGION_WEIGHTS))],
            "age_band": AGE_BANDS[int(rng.choice(len(AGE_BANDS), p=AGE_BY_SEGMENT[segment]))],
            "signup_date": signup.isoformat(),
            "marketing_consent": "true" if rng.random() < 0.58 else "false",
        })
    return customers


# ---------------------------------------------------------------------------------------------
# Latent preference model
# ---------------------------------------------------------------------------------------------

LATENT_DIMS = ("mobile", "computing", "audio", "home", "outdoor_imaging", "premium", "novelty", "gaming", "apple",
               "business")
LATENT_DIM = len(LATENT_DIMS)
_CATEGORY_VECTORS = {  # mobile, computing, audio, home, outdoor/imaging
    "phones": (1.0, 0.0, 0.1, 0.0, 0.0),
    "laptops": (0.0, 1.0, 0.0, 0.0, 0.0),
    "tablets": (0.25, 0.3, 0.0, 0.75, 0.0),
    "headphones": (0.15, 0.1, 1.0, 0.0, 0.1),
    "smartwatches": (0.4, 0.0, 0.0, 0.0, 0.85),
    "cameras": (0.0, 0.0, 0.0, 0.1, 1.0),
    "tvs": (0.0, 0.0, 0.15, 1.0, 0.0),
    "accessories": (0.3, 0.3, 0.0, 0.0, 0.1),
}
_BUSINESS_BRANDS = {"Dell": 0.4, "Lenovo": 0.3, "Microsoft": 0.5, "HP": 0.3, "Jabra": 0.4, "Logitech": 0.3}
_SEGMENT_TASTE = {  # same order as LATENT_DIMS
    "gamer": (0.0, 1.9, 1.5, 0.7, -0.4, 0.8, 0.4, 2.0, -0.4, -0.6),
    "bargain_hunter": (1.1, 0.4, 0.5, 0.6, 0.2, -1.7, -0.5, 0.0, -0.4, 0.0),
    "tech_enthusiast": (1.8, 0.5, 0.6, -0.2, 0.9, 0.9, 2.0, 0.2, 0.4, 0.0),
    "family": (0.4, 0.0, 0.0, 2.0, 0.3, -0.5, -0.2, -0.3, 0.1, -0.3),
    "professional": (0.3, 2.0, 0.6, -0.3, 0.2, 0.9, 0.3, -0.8, 1.0, 1.6),
    "student": (0.5, 2.1, 1.0, -0.2, -0.2, -0.8, 0.2, 0.4, 0.4, -0.2),
}
_AGE_TASTE = {
    "18-24": {"gaming": 0.4, "premium": -0.3, "novelty": 0.2, "audio": 0.2},
    "25-34": {"novelty": 0.1},
    "35-44": {"home": 0.2},
    "45-54": {"home": 0.3, "gaming": -0.2},
    "55-64": {"home": 0.3, "gaming": -0.5, "novelty": -0.3, "outdoor_imaging": 0.3},
    "65+": {"home": 0.4, "gaming": -0.7, "novelty": -0.5, "outdoor_imaging": 0.3, "mobile": 0.2},
}
_REGION_TASTE = {
    "US-West": {"novelty": 0.2, "apple": 0.3},
    "US-Northeast": {"apple": 0.2, "business": 0.1},
    "US-Midwest": {"home": 0.2},
    "US-Southeast": {"home": 0.1, "audio": 0.1},
    "US-Southwest": {"outdoor_imaging": 0.2},
    "CA-East": {"outdoor_imaging": 0.3, "apple": -0.1},
    "CA-West": {"outdoor_imaging": 0.4},
}
# Which categories each segment is built to favour; the tests check purchases concentrate there.
SEGMENT_FAVOURITES = {
    "gamer": ("laptops", "tvs", "headphones"),
    "bargain_hunter": ("phones", "headphones", "accessories"),
    "tech_enthusiast": ("phones", "smartwatches"),
    "family": ("tvs", "tablets"),
    "professional": ("laptops",),
    "student": ("laptops", "headphones"),
}


def product_vectors(products: list[dict[str, Any]]) -> np.ndarray:
    vectors = np.zeros((len(products), LATENT_DIM))
    for index, product in enumerate(products):
        item: _Item = product["item"]
        vectors[index, :5] = _CATEGORY_VECTORS[item.category]
        # Premium: dear for its kind, and dear in absolute terms (a $30 cable is a small purchase).
        vectors[index, 5] = 0.6 * product["price_z"] + 0.5 * product["overall_price_z"]
        vectors[index, 6] = float(np.clip(((item.release - date(2024, 6, 1)).days / 365.0), -1.5, 1.5))
        hz = item.attributes.get("refresh_rate_hz", 0) if item.category == "tvs" else 0
        vectors[index, 7] = 1.0 if "gaming" in item.tags else (0.3 if hz >= 120 else 0.0)
        vectors[index, 8] = 1.0 if item.brand == "Apple" else 0.0
        vectors[index, 9] = 1.0 if "business" in item.tags else _BUSINESS_BRANDS.get(item.brand, 0.0)
        if "home" in item.tags:
            vectors[index, 3] += 0.2
    return vectors


def customer_vectors(rng: np.random.Generator, customers: list[dict[str, str]]) -> np.ndarray:
    vectors = np.zeros((len(customers), LATENT_DIM))
    position = {name: i for i, name in enumerate(LATENT_DIMS)}
    for index, customer in enumerate(customers):
        taste = np.array(_SEGMENT_TASTE[customer["segment"]], dtype=float)
        for table, key in ((_AGE_TASTE, customer["age_band"]), (_REGION_TASTE, customer["region"])):
            for dim, value in table[key].items():
                taste[position[dim]] += value
        vectors[index] = taste + rng.normal(0.0, 0.5, LATENT_DIM)
    return vectors


# ---------------------------------------------------------------------------------------------
# Shopping sessions
# ---------------------------------------------------------------------------------------------

SCALE = 0.75  # how sharply tastes decide (larger: more concentrated shopping)
POPULARITY_WEIGHT = 0.6
# Calibrated so that about 25% of views lead to a cart and about 35% of carts to a purchase.
CART_BASE, CART_SLOPE = -2.15, 0.6
BUY_BASE, BUY_SLOPE = -2.05, 0.5
PRICE_HESITATION = 0.3  # expensive things are looked at more often than bought
COMPLEMENT_FOLLOW_UP = 0.5
COMPLEMENT_SAME_ORDER = 0.3


@dataclass
class Checkout:
    customer: int
    time: datetime
    items: list[int]
    session: int


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-value))


def _complement_candidates(products: list[dict[str, Any]]) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """For each product that invites add-ons: accessory/headphone candidates with weights."""
    items: list[_Item] = [p["item"] for p in products]
    addons = [i for i, item in enumerate(items) if item.category in ("accessories", "headphones")]
    result: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for index, anchor in enumerate(items):
        if anchor.category not in ("phones", "laptops", "tablets", "cameras"):
            continue
        weights = []
        for candidate in addons:
            other = items[candidate]
            kind = other.attributes.get("type", "")
            compat = str(other.attributes.get("compatible_with", ""))
            weight = 0.0
            if other.category == "headphones":
                weight = 0.5 + (1.5 if other.brand == anchor.brand else 0.0)
                if other.brand == "Beats" and anchor.brand == "Apple":
                    weight += 1.0
                if "gaming" in anchor.tags:
                    weight *= 3.0 if "gaming" in other.tags else 0.5
                if "business" in anchor.tags and "business" in other.tags:
                    weight *= 3.0
                if anchor.category == "cameras":
                    weight *= 0.2
            elif anchor.category == "phones":
                if kind in ("case", "screen protector"):
                    weight = 8.0 if compat == anchor.line else 0.0
                elif kind in ("charger", "cable", "power bank", "wireless charger"):
                    weight = 1.0
                    if anchor.brand == "Apple" and ("MagSafe" in compat or "iPhone" in compat or "Lightning" in compat):
                        weight = 2.0 if "Lightning" not in compat or "SE" in anchor.line else 0.2
                    if anchor.brand == "Samsung" and "Galaxy" in compat:
                        weight = 2.0
                elif kind == "tracker":
                    weight = 1.5 if (anchor.brand == "Apple") == (other.brand == "Apple") else 0.0
                elif kind == "memory card" and "phones" in compat and anchor.brand != "Apple":
                    weight = 0.6
            elif anchor.category == "laptops":
                if kind in ("mouse", "keyboard", "trackpad", "hub", "ssd", "webcam"):
                    weight = 1.2
                    if "gaming" in anchor.tags:
                        weight *= 3.0 if "gaming" in other.tags else 0.6
                    elif "gaming" in other.tags:
                        weight *= 0.3
                    if anchor.brand == "Apple" and other.brand == "Apple":
                        weight *= 2.5
                    if "Mac" in compat and anchor.brand != "Apple":
                        weight = 0.0
                elif kind == "charger" and other.attributes.get("wattage_w", 0) >= 65:
                    weight = 1.0
            elif anchor.category == "tablets":
                if kind == "stylus":
                    fits = anchor.brand == "Apple" and anchor.attributes["stylus_support"] in other.name
                    weight = 4.0 if fits else 0.0
                elif kind == "case":
                    weight = 5.0 if compat == anchor.line else 0.0
                elif kind == "keyboard" and "iPadOS" in compat:
                    weight = 1.5
                elif kind == "charger" or (kind == "memory card" and "tablets" in compat and anchor.brand != "Apple"):
                    weight = 0.8
            elif anchor.category == "cameras":
                if kind == "memory card":
                    wants_micro = anchor.attributes["type"] in ("action", "drone", "360", "gimbal")
                    is_micro = "microSD" in other.name
                    weight = 3.0 if wants_micro == is_micro else 0.2
                elif kind == "ssd":
                    weight = 1.0
            if weight > 0:
                weights.append((candidate, weight))
        if weights:
            result[index] = (np.array([c for c, _ in weights]), np.array([w for _, w in weights]))
    return result


def _day_weights(days: list[date]) -> np.ndarray:
    """Shopping is busier in the holiday season and in back-to-school weeks."""
    weights = np.ones(len(days))
    for i, day in enumerate(days):
        if day.month == 11:
            weights[i] = 1.9
        elif day.month == 12:
            weights[i] = 2.1 if day.day <= 24 else 1.5
        elif day.month in (8, 9) and (day.month == 8 or day.day <= 10):
            weights[i] = 1.3
        elif day.month in (1, 2):
            weights[i] = 0.85
        if day.weekday() >= 5:
            weights[i] *= 1.15
    return weights


_HOUR_WEIGHTS = np.array([0.3, 0.2, 0.12, 0.1, 0.1, 0.15, 0.3, 0.5, 0.7, 0.85, 0.95, 1.0, 1.1, 1.1, 1.0, 1.0,
                          1.05, 1.15, 1.35, 1.55, 1.6, 1.45, 1.05, 0.6])
_HOUR_WEIGHTS = _HOUR_WEIGHTS / _HOUR_WEIGHTS.sum()


def simulate(rng: np.random.Generator, products: list[dict[str, Any]], customers: list[dict[str, str]]
             ) -> tuple[list[tuple[int, int, int, str, int]], list[Checkout]]:
    """Events (time, customer, product, event, order-in-session) and checkouts (none for C00001)."""
    count = len(products)
    items: list[_Item] = [p["item"] for p in products]
    categories = np.array([CATEGORIES.index(item.category) for item in items])
    by_category = [np.flatnonzero(categories == c) for c in range(len(CATEGORIES))]
    sizes = np.array([len(members) for members in by_category], dtype=float)
    # Big categories should not win just by having more products.
    breadth = -0.7 * np.log(sizes / sizes.mean())[categories]
    offsets = np.where(categories == CATEGORIES.index("accessories"), -0.2, 0.0)
    appeal = np.log(np.array([p["appeal"] for p in products]))
    appeal -= appeal.mean()
    released = np.array([_epoch(datetime(i.release.year, i.release.month, i.release.day, 9,
        tzinfo=UTC)) for i in items])

    affinity = SCALE * customer_vectors(rng, customers) @ product_vectors(products).T
    affinity += POPULARITY_WEIGHT * appeal + breadth + offsets
    complements = _complement_candidates(products)

    first_day = ACTIVITY_START.date()
    days = [first_day + timedelta(days=d) for d in range((ACTIVITY_END.date() - first_day).days + 1)]
    day_weights = _day_weights(days)

    events: list[tuple[int, int, int, str, int]] = []
    checkouts: list[Checkout] = []
    session_id = 0
    end = _epoch(ACTIVITY_END)
    for c, customer in enumerate(customers):
        # The documented test customer only browses here; their orders are fixtures.
        browse_only = customer["customer_id"] == TEST_CUSTOMER["customer_id"]
        scores = affinity[c]
        centre, spread = scores.mean(), scores.std()
        signup = date.fromisoformat(customer["signup_date"])
        start_index = max(0, (signup - first_day).days)
        window = day_weights[start_index:]
        activity = float(rng.lognormal(0.0, 0.55))
        share = len(window) / len(days)
        n_sessions = 1 + int(rng.poisson(7.0 * activity * (0.35 + 0.65 * share)))
        chosen_days = np.sort(rng.choice(len(window), size=n_sessions, p=window / window.sum())) + start_index
        for day_index in chosen_days:
            day = days[int(day_index)]
            hour = int(rng.choice(24, p=_HOUR_WEIGHTS))
            clock = _epoch(datetime(day.year, day.month, day.day, hour, tzinfo=UTC)) + int(rng.integers(3600))
            clock = min(clock, end - 4 * 3600)  # a whole session fits before the data ends
            available = released <= clock
            logits = np.where(available, scores, -np.inf)
            probs = np.exp(logits - logits[available].max())
            probs /= probs.sum()
            viewed: list[int] = []
            n_views = 1 + min(int(rng.poisson(2.3)), 9)
            for _ in range(n_views):
                if viewed and rng.random() < 0.75:
                    members = by_category[categories[viewed[0]]]
                    local = probs[members]
                    if local.sum() <= 0:
                        continue
                    pick = int(members[rng.choice(len(members), p=local / local.sum())])
                else:
                    pick = int(rng.choice(count, p=probs))
                if pick not in viewed:
                    viewed.append(pick)
            session_id += 1
            order = 0
            basket: list[int] = []
            for product in viewed:
                clock += int(rng.integers(20, 300))
                events.append((clock, c, product, "view", order))
                order += 1
                z = (scores[product] - centre) / spread
                if browse_only:
                    continue
                hesitation = PRICE_HESITATION * products[product]["price_z"]
                if rng.random() < _sigmoid(CART_BASE + CART_SLOPE * z - hesitation):
                    clock += int(rng.integers(10, 150))
                    events.append((clock, c, product, "add_to_cart", order))
                    order += 1
                    if rng.random() < _sigmoid(BUY_BASE + BUY_SLOPE * z - hesitation):
                        basket.append(product)
            if basket and complements and rng.random() < COMPLEMENT_SAME_ORDER:
                anchor = next((p for p in basket if p in complements), None)
                if anchor is not None:
                    extra = _choose_complement(rng, complements[anchor], scores)
                    if extra not in basket and released[extra] <= clock:
                        clock += int(rng.integers(20, 120))
                        events.append((clock, c, extra, "view", order))
                        events.append((clock + int(rng.integers(5, 60)), c, extra, "add_to_cart", order + 1))
                        order += 2
                        clock += 60
                        basket.append(extra)
            if not basket:
                continue
            clock += int(rng.integers(60, 600))
            for product in basket:
                events.append((clock, c, product, "purchase", order))
                order += 1
            checkouts.append(Checkout(c, datetime.fromtimestamp(clock, UTC), list(basket), session_id))
            # Later, the shopper comes back for something that goes with the purchase.
            for anchor in basket:
                if anchor not in complements or rng.random() >= COMPLEMENT_FOLLOW_UP:
                    continue
                later = clock + int(rng.integers(3600, 40 * 86400))
                if later + 900 >= end:
                    continue
                extra = _choose_complement(rng, complements[anchor], scores)
                if released[extra] > later:
                    continue
                session_id += 1
                events.append((later, c, extra, "view", 0))
                if rng.random() >= 0.6:
                    continue
                events.append((later + int(rng.integers(15, 120)), c, extra, "add_to_cart", 1))
                if rng.random() < 0.7:
                    bought = later + int(rng.integers(150, 600))
                    events.append((bought, c, extra, "purchase", 2))
                    checkouts.append(Checkout(c, datetime.fromtimestamp(bought, UTC), [extra], session_id))
    return events, checkouts


def _choose_complement(rng: np.random.Generator, candidates: tuple[np.ndarray, np.ndarray], scores: np.ndarray) -> int:
    indices, weights = candidates
    preference = np.exp(0.5 * (scores[indices] - scores[indices].max()))
    mix = weights * preference
    return int(indices[rng.choice(len(indices), p=mix / mix.sum())])


# ---------------------------------------------------------------------------------------------
# Orders
# ---------------------------------------------------------------------------------------------

# order id, placed at, status, shipping, carrier, tracking, delivered on, product names
FIXTURE_ORDERS = (
    ("KE-100001", "2026-11-19T18:42:07Z", "processing", "standard", "", "", "",
     ("Dell XPS 14 (Core Ultra 7, 16GB, 512GB)", "Logitech MX Master 3S Wireless Mouse - Graphite")),
    ("KE-100002", "2026-11-13T09:15:44Z", "shipped", "standard", "UPS", "1Z4K7E9R0312345678", "",
     ("Samsung Galaxy S25 256GB", "Spigen Ultra Hybrid Case for Galaxy S25")),
    ("KE-100003", "2026-08-14T15:22:10Z", "delivered", "standard", "FedEx", "771234567890", "2026-08-20",
     ("Sony WH-1000XM5 Wireless Headphones - Black",)),
    ("KE-100004", "2026-09-10T20:05:31Z", "cancelled", "standard", "", "", "",
     ("Apple Watch Series 11 42mm GPS",)),
)
EXPRESS_SHARE = {"professional": 0.4, "tech_enthusiast": 0.35, "gamer": 0.3, "family": 0.15, "student": 0.12,
                 "bargain_hunter": 0.07}
BULK_TYPES = ("cable", "memory card", "flash drive", "tracker", "charger")


def _add_business_days(day: date, count: int) -> date:
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def _tracking(rng: np.random.Generator, carrier: str, taken: set[str]) -> str:
    digits = "0123456789"
    alnum = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    while True:
        if carrier == "UPS":
            number = "1Z" + "".join(alnum[int(i)] for i in rng.integers(len(alnum), size=6)) + "03" + \
                "".join(digits[int(i)] for i in rng.integers(10, size=8))
        elif carrier == "FedEx":
            number = "".join(digits[int(i)] for i in rng.integers(10, size=12))
        elif carrier == "USPS":
            number = "9400" + "".join(digits[int(i)] for i in rng.integers(10, size=18))
        else:  # Canada Post
            number = "".join(digits[int(i)] for i in rng.integers(10, size=16))
        if number not in taken:
            taken.add(number)
            return number


def _fulfilment(rng: np.random.Generator, placed: datetime, method: str, canadian: bool) -> tuple[str, date | None]:
    """Status on the snapshot date and, if it has arrived, the delivery date."""
    day = placed.date()
    if day >= PROCESSING_SINCE:
        return "processing", None
    shipped = _add_business_days(day, int(rng.integers(0, 2)) if method == "express" else int(rng.integers(1, 4)))
    transit = int(rng.integers(1, 3)) if method == "express" else int(rng.integers(3, 6))
    if canadian:
        transit += int(rng.integers(1, 3))
    if day.month in (11, 12):
        transit += int(rng.integers(0, 5))  # holiday-season carrier delays
    delivered = _add_business_days(shipped, transit)
    return ("shipped", None) if delivered > SNAPSHOT else ("delivered", delivered)


def build_orders(rng: np.random.Generator, products: list[dict[str, Any]], customers: list[dict[str, str]],
                 checkouts: list[Checkout]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    fixture_ids = {order[0] for order in FIXTURE_ORDERS}
    pool = np.arange(100001, 1000000)
    pool = pool[~np.isin(pool, [int(order_id[3:]) for order_id in fixture_ids])]
    numbers = rng.choice(pool, size=len(checkouts), replace=False)
    taken_tracking: set[str] = {order[5] for order in FIXTURE_ORDERS if order[5]}
    orders, lines = [], []
    for checkout, number in zip(sorted(checkouts, key=lambda k: (k.time, k.customer)), numbers, strict=True):
        customer = customers[checkout.customer]
        order_id = f"KE-{int(number):06d}"
        quantities = []
        for product in checkout.items:
            kind = products[product]["item"].attributes.get("type", "")
            bulk = products[product]["item"].category == "accessories" and kind in BULK_TYPES
            quantities.append(2 if bulk and rng.random() < 0.15 else 1)
        total = sum(q * products[p]["price"] for p, q in zip(checkout.items, quantities, strict=True))
        express = EXPRESS_SHARE[customer["segment"]] + (0.1 if total > 1000 else 0.0)
        method = "express" if rng.random() < express else "standard"
        canadian = customer["region"].startswith("CA-")
        carrier = tracking = delivered_on = ""
        if rng.random() < 0.05:
            status = "cancelled"
        else:
            status, delivered = _fulfilment(rng, checkout.time, method, canadian)
            if status != "processing":
                if canadian:
                    carrier = "Canada Post"
                else:
                    carrier = str(rng.choice(["UPS", "FedEx"] if method == "express" else ["UPS", "FedEx", "USPS"]))
                tracking = _tracking(rng, carrier, taken_tracking)
            delivered_on = delivered.isoformat() if delivered else ""
        orders.append({
            "order_id": order_id, "customer_id": customer["customer_id"],
            "order_date": checkout.time.strftime("%Y-%m-%dT%H:%M:%SZ"), "status": status,
            "shipping_method": method, "carrier": carrier, "tracking_number": tracking,
            "delivered_date": delivered_on, "total": f"{total:.2f}",
        })
        for product, quantity in zip(checkout.items, quantities, strict=True):
            lines.append({"order_id": order_id, "product_id": products[product]["product_id"],
                          "quantity": str(quantity), "unit_price": f"{products[product]['price']:.2f}"})
    return orders, lines


def fixture_orders(products: list[dict[str, Any]]) -> tuple[list[dict[str, str]], list[dict[str, str]],
                                                           list[tuple[int, int, int, str, int]]]:
    """The documented orders of C00001, with the events that led to them."""
    by_name = {p["item"].name: i for i, p in enumerate(products)}
    orders, lines, events = [], [], []
    for order_id, placed, status, method, carrier, tracking, delivered, names in FIXTURE_ORDERS:
        indices = [by_name[name] for name in names]  # KeyError here means a fixture product was renamed
        moment = _epoch(datetime.strptime(placed, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC))
        for offset, index in enumerate(indices):
            started = moment - 1500 + offset * 300
            events.append((started, 0, index, "view", 3 * offset))
            events.append((started + 95, 0, index, "add_to_cart", 3 * offset + 1))
            events.append((moment, 0, index, "purchase", 3 * len(indices) + offset))
        total = sum(products[i]["price"] for i in indices)
        orders.append({
            "order_id": order_id, "customer_id": TEST_CUSTOMER["customer_id"], "order_date": placed,
            "status": status, "shipping_method": method, "carrier": carrier, "tracking_number": tracking,
            "delivered_date": delivered, "total": f"{total:.2f}",
        })
        lines.extend({"order_id": order_id, "product_id": products[i]["product_id"], "quantity": "1",
                      "unit_price": f"{products[i]['price']:.2f}"} for i in indices)
    return orders, lines, events


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------

PRODUCT_FIELDS = ("product_id", "name", "category", "brand", "price", "rating", "review_count", "stock",
                  "attributes", "description", "release_date")
CUSTOMER_FIELDS = ("customer_id", "first_name", "last_name", "email", "segment", "region", "age_band",
                   "signup_date", "marketing_consent")
INTERACTION_FIELDS = ("customer_id", "product_id", "event", "timestamp")
ORDER_FIELDS = ("order_id", "customer_id", "order_date", "status", "shipping_method", "carrier",
                "tracking_number", "delivered_date", "total")
ORDER_ITEM_FIELDS = ("order_id", "product_id", "quantity", "unit_price")
NUM_CUSTOMERS = 2400


def _write(path: Path, fields: tuple[str, ...], rows: list[dict[str, str]] | list[tuple[str, ...]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(fields)
        for row in rows:
            writer.writerow([row[key] for key in fields] if isinstance(row, dict) else row)


def generate(out_dir: str | Path) -> dict[str, int]:
    """Writes the five CSV files into ``out_dir`` and returns their row counts."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    seeds = np.random.SeedSequence(SEED).spawn(4)
    product_rng, customer_rng, session_rng, order_rng = (np.random.default_rng(s) for s in seeds)

    products = build_products(product_rng)
    customers = build_customers(customer_rng, NUM_CUSTOMERS)
    events, checkouts = simulate(session_rng, products, customers)
    orders, lines = build_orders(order_rng, products, customers, checkouts)
    fixed_orders, fixed_lines, fixed_events = fixture_orders(products)
    events.extend(fixed_events)
    orders = sorted(fixed_orders + orders, key=lambda row: (row["order_date"], row["order_id"]))
    position = {row["order_id"]: i for i, row in enumerate(orders)}
    lines = sorted(fixed_lines + lines, key=lambda row: position[row["order_id"]])  # stable: keeps item order

    _write(out / "products.csv", PRODUCT_FIELDS, [
        {
            "product_id": p["product_id"], "name": p["item"].name, "category": p["item"].category,
            "brand": p["item"].brand, "price": f"{p['price']:.2f}", "rating": f"{p['rating']:.1f}",
            "review_count": str(p["review_count"]), "stock": str(p["stock"]),
            "attributes": json.dumps(p["item"].attributes, ensure_ascii=False),
            "description": p["description"], "release_date": p["item"].release.isoformat(),
        }
        for p in products
    ])
    _write(out / "customers.csv", CUSTOMER_FIELDS, customers)
    events.sort(key=lambda e: (e[0], e[1], e[4], e[2]))
    _write(out / "interactions.csv", INTERACTION_FIELDS, [
        (customers[c]["customer_id"], products[p]["product_id"], kind, _iso(moment))
        for moment, c, p, kind, _ in events
    ])
    _write(out / "orders.csv", ORDER_FIELDS, orders)
    _write(out / "order_items.csv", ORDER_ITEM_FIELDS, lines)
    return {"products": len(products), "customers": len(customers), "interactions": len(events),
            "orders": len(orders), "order_items": len(lines)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder to write the CSV files into")
    args = parser.parse_args(argv)
    counts = generate(args.out)
    print(", ".join(f"{name}: {count:,}" for name, count in counts.items()))


if __name__ == "__main__":
    main()
