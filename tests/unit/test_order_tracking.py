"""Tracking links for shipped orders (shown as links by the web chat, Slack and Telegram)."""

from dataclasses import replace

from shop.orders import TRACKING_PAGES, Order
from tests.e2e.shopdata import orders

ORDER = Order(order_id="KE-100002", customer_id="C00001", order_date="2026-11-13T09:15:44Z", status="shipped",
              shipping_method="standard", carrier="UPS", tracking_number="1Z4K7E9R0312345678", delivered_date="",
              total=916.98, items=())


def test_a_shipped_parcel_links_to_its_carriers_tracking_page():
    assert ORDER.tracking_url == "https://www.ups.com/track?tracknum=1Z4K7E9R0312345678"
    assert replace(ORDER, carrier="Canada Post").tracking_url.endswith("searchFor=1Z4K7E9R0312345678")


def test_no_link_without_a_known_carrier_or_a_number():
    assert replace(ORDER, carrier="", tracking_number="").tracking_url is None
    assert replace(ORDER, carrier="Pigeon Post").tracking_url is None


def test_every_carrier_in_the_shop_data_has_a_tracking_page():
    carriers = {order["carrier"] for order in orders()} - {""}
    assert carriers <= set(TRACKING_PAGES)
