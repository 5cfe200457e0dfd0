"""shop.conversation: the state kept between turns and which products a follow-up means."""

from __future__ import annotations

from pathlib import Path

import pytest

from shop.catalog import Catalog
from shop.conversation import MAX_QUANTITY, ConversationState, ordinals, resolve

DATA = Path(__file__).parents[2] / "data" / "shop"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load(DATA / "products.csv")


@pytest.fixture()
def state(catalog: Catalog) -> ConversationState:
    laptops = [p for p in catalog.products if p.category == "laptops" and p.in_stock]
    sony = next(p for p in catalog.products if p.brand == "Sony" and p.category == "headphones")
    state = ConversationState()
    state.show([laptops[0].product_id, sony.product_id, laptops[1].product_id])
    return state


@pytest.mark.parametrize("text, expected", [
    ("the second one", [1]), ("2nd one?", [1]), ("what about the last one", [-1]), ("第二款怎么样", [1]),
    ("那第二个呢?", [1]), ("第一个怎么样?", [0]), ("compare the first and the third", [0, 2]),
    ("compare the first two", [0, 1]), ("对比一下前两个", [0, 1]), ("最后一个呢", [-1]), ("number 3", [2]),
    ("which one has the most ram", []), ("one of these", []),
])
def test_ordinals_in_both_languages(text, expected):
    assert ordinals(text) == expected


def test_follow_ups_resolve_against_what_was_shown(state, catalog):
    shown = [catalog.get(i) for i in state.shown]
    assert resolve("tell me about the second one", state, catalog).products == (shown[1],)
    assert resolve("the sony one, how long is the battery?", state, catalog).products == (shown[1],)
    cheaper = resolve("add the cheaper one", state, catalog)
    assert cheaper.how == "price" and cheaper.one == min(shown, key=lambda p: p.price)
    plural = resolve("which one has the most RAM?", state, catalog)
    assert plural.how == "plural" and plural.products == tuple(shown)
    assert resolve("compare those two", state, catalog).products == tuple(shown[:2])
    state.focus = shown[2].product_id
    assert resolve("how much ram does it have", state, catalog).products == (shown[2],)


def test_nothing_shown_means_nothing_resolved(catalog):
    assert resolve("the second one", ConversationState(), catalog).products == ()


def test_the_slot_round_trips_and_bad_values_are_an_empty_state():
    state = ConversationState(shown=["P00001"], focus="P00001", order_id="KE-100001")
    state.add_to_cart("P00001", 2)
    again = ConversationState.from_slot(state.to_slot())
    assert again == state
    for bad in (None, "x", 3, [], {"shown": "P1", "cart": [{"product_id": 5}], "filters": 7}):
        assert ConversationState.from_slot(bad).cart == []


def test_cart_quantities():
    state = ConversationState()
    assert state.add_to_cart("P00001") == 1
    assert state.add_to_cart("P00001", 2) == 3
    assert state.add_to_cart("P00001", 2, set_quantity=True) == 2
    assert state.add_to_cart("P00001", 500) == MAX_QUANTITY
    assert state.remove_from_cart("P00001", 3) == MAX_QUANTITY - 3
    assert state.remove_from_cart("P00001") == 0 and state.cart == []
