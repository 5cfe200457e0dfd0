"""The chat's cart (actions/cart.py): add by position, by name and with a quantity, remove, show,
and a checkout link to the shop's own cart; adding is feedback the recommender learns from."""

from __future__ import annotations

from typing import Any

from tests.actions.conftest import Chat

AIRPODS = "P00726"  # Apple AirPods Pro 2 Wireless Earbuds, $249.00: a "2" in the name is no quantity
GALAXY_A25 = "P00106"  # $299.99, second in the recorded phones_en list
SOLD_OUT = "P00003"  # Apple iPhone SE (3rd generation) 256GB, stock 0


def cart_of(chat: Chat) -> list[tuple[str, int]]:
    return [(line["product_id"], line["quantity"]) for line in (chat.slot("conversation") or {}).get("cart", [])]


def test_adding_the_second_one_shown_puts_it_in_the_cart_and_records_the_interest(shop: Any) -> None:
    chat = Chat("phones_en")
    reply = chat.user("add the second one to my cart", "add_to_cart").run("action_add_to_cart")
    assert reply.text == "Added Samsung Galaxy A25 5G 128GB to your cart (1 in the cart). Cart total: $299.99."
    assert reply.payloads == ["/checkout", "/show_cart"]
    assert cart_of(chat) == [(GALAXY_A25, 1)]
    assert (f"guest:{chat.sender}", GALAXY_A25, "add_to_cart") in [row[:3] for row in shop.state.feedback_rows()]


def test_a_number_in_a_products_name_is_no_quantity_but_make_it_3_is() -> None:
    chat = Chat("guest_en")
    added = chat.user("add the AirPods Pro 2 to my cart", "add_to_cart", {"product": "AirPods Pro 2"}) \
        .run("action_add_to_cart")
    assert "(1 in the cart)" in added.text and "$249.00" in added.text
    # "make it 3" is a quantity for the product in focus, not the Apple Watch Ultra 3 (nor "make it
    # two" the Nikon Z50II Two Lens Kit): a number alone names no product (shop/catalog.py).
    three = chat.user("make it 3", "add_to_cart").run("action_add_to_cart")
    assert three.text.endswith("(3 in the cart). Cart total: $747.00.")
    two = chat.user("make it two", "add_to_cart").run("action_add_to_cart")
    assert two.text.endswith("(2 in the cart). Cart total: $498.00.")
    assert cart_of(chat) == [(AIRPODS, 2)]


def test_the_cart_shown_removed_from_and_checked_out() -> None:
    chat = Chat("phones_en")
    chat.user("add the second one", "add_to_cart").run("action_add_to_cart")
    chat.user("add 3 airpods pro 2", "add_to_cart", {"product": "airpods pro 2"}).run("action_add_to_cart")
    shown = chat.user("what's in my cart?", "show_cart").run("action_show_cart")
    assert shown.text == ("Your cart:\n• 1 × Samsung Galaxy A25 5G 128GB: $299.99\n"
                          "• 3 × Apple AirPods Pro 2 Wireless Earbuds: $747.00\nTotal: $1,046.99")
    checkout = chat.user("checkout", "checkout").run("action_checkout")
    assert "https://shop.kestrel-electronics.example/cart/P00106:1,P00726:3" in checkout.text
    assert "($1,046.99 before shipping)" in checkout.text
    removed = chat.user("remove the airpods", "remove_from_cart").run("action_remove_from_cart")
    assert removed.text == "Removed the Apple AirPods Pro 2 Wireless Earbuds from your cart. Cart total: $299.99."
    assert cart_of(chat) == [(GALAXY_A25, 1)]
    emptied = chat.user("empty my cart", "remove_from_cart").run("action_remove_from_cart")
    assert emptied.text == "I've emptied your cart." and cart_of(chat) == []


def test_an_out_of_stock_product_is_not_added() -> None:
    chat = Chat("guest_en")
    reply = chat.user("add it", "add_to_cart", {"product": SOLD_OUT}).run("action_add_to_cart")
    assert reply.text == ("Sorry, the Apple iPhone SE (3rd generation) 256GB is out of stock, "
                          "so I can't add it to your cart.")
    assert cart_of(chat) == []


def test_an_empty_cart_has_nothing_to_show_remove_or_check_out() -> None:
    chat = Chat("guest_en")
    assert chat.user("show my cart", "show_cart").run("action_show_cart").text.startswith("Your cart is empty.")
    assert chat.user("remove it", "remove_from_cart").run("action_remove_from_cart").text.startswith(
        "Your cart is empty.")
    checkout = chat.user("checkout", "checkout").run("action_checkout")
    assert checkout.text.startswith("Your cart is empty, so there's nothing to check out yet.")
    which = Chat("phones_en").user("add to cart", "add_to_cart").run("action_add_to_cart")
    assert which.text.startswith("Which product should I add?") and len(which.buttons) == 3


def test_the_cart_in_chinese(shop: Any) -> None:
    chat = Chat("phones_zh")
    # "第二个" is the second one shown, not two of them (actions/cart.py's quantity).
    reply = chat.user("把第二个加到购物车", "add_to_cart").run("action_add_to_cart")
    name = shop.catalog.get(GALAXY_A25).display_name("zh")
    assert reply.text == f"已把{name}加入购物车(共 1 件)。购物车合计:$299.99(约 ¥2,160)。"
    shown = chat.user("看看购物车", "show_cart").run("action_show_cart")
    assert shown.text == f"您的购物车:\n• {name} × 1:$299.99(约 ¥2,160)\n合计:$299.99(约 ¥2,160)"
    # "数量改成3个" (an NLU example) sets the quantity: it names no Apple Watch Ultra 3.
    three = chat.user("数量改成3个", "add_to_cart").run("action_add_to_cart")
    assert three.text == f"已把{name}加入购物车(共 3 件)。购物车合计:$899.97(约 ¥6,480)。"
    assert cart_of(chat) == [(GALAXY_A25, 3)]
