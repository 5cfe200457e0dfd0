"""The decoding constraints that keep generated answers to the facts' figures and product names."""

from __future__ import annotations

from shop.grounded.decoding import AnswerConstraint, amounts, figures, repeated_ngram_bans
from shop.grounded.guard import check

FACTS = ["Apple iPhone 15 128GB (Apple, phones): $1,299.99, rated 4.6/5 by 350 customers, 19 in stock. "
         "It has a 48MP main camera."]
TOKENS = ["The", " Apple", " iPhone", " iP", "hone", " 15", " 128GB", " costs", " $", "$", "1", ",", "299", ".",
          "99", "4", "8", "9", "6", " 48", "MP", " rated", "/5", " X", " Samsung", "<|endoftext|>"]
ID = {text: i for i, text in enumerate(TOKENS)}


def constraint() -> AnswerConstraint:
    return AnswerConstraint(TOKENS, FACTS, names=["Apple iPhone 15 128GB"])


def test_figures_and_amounts_are_read_as_written() -> None:
    assert {"1,299.99", "4.6", "350", "19", "48", "15", "128"} <= figures(FACTS)
    assert amounts(FACTS) == {"1,299.99"}


def test_an_amount_after_a_dollar_sign_must_be_one_of_the_facts() -> None:
    banned = set(constraint().banned("The Apple iPhone 15 128GB costs $"))
    assert ID["1"] not in banned            # the start of $1,299.99
    assert ID["4"] in banned and ID["9"] in banned  # 48 and 19 are figures, not amounts


def test_a_dollar_sign_needs_an_amount_from_the_facts() -> None:
    rules = constraint()
    assert rules.only("The Apple iPhone 15 128GB costs $") == rules.digit_ids + rules.joiner_ids
    no_amounts = AnswerConstraint(TOKENS, ["Standard shipping takes 3–5 business days."])
    assert {ID[" $"], ID["$"]} <= set(no_amounts.banned("It costs"))


def test_an_unfinished_figure_must_be_finished_from_the_facts() -> None:
    rules = constraint()
    assert rules.only("It costs $1,2") == rules.digit_ids + rules.joiner_ids
    assert ID["299"] not in rules.banned("It costs $1,") and ID["99"] in rules.banned("It costs $1,")
    # "4." where the facts say 4.6 is not a finished figure; "48" is one.
    assert rules.only("It is rated 4.") is not None
    assert rules.only("It has a 48") is None
    assert ID["9"] in rules.banned("It has a 4") and ID["8"] not in rules.banned("It has a 4")


def test_a_figure_the_facts_lack_is_banned_outside_amounts_too() -> None:
    banned = set(constraint().banned("It has a"))
    assert ID[" 48"] not in banned and ID["9"] in banned  # no figure starts with 9


def test_a_begun_product_name_is_finished_as_spelt() -> None:
    rules = constraint()
    assert rules.only("The Apple iP") == [ID["hone"]]
    assert rules.only("The Apple iPhone 15") == [ID[" 128GB"]]
    assert rules.only("The Apple iPhone 15 128GB") is None   # finished: free again
    assert rules.only("The") is None                         # nothing begun yet


def test_no_run_of_tokens_comes_twice() -> None:
    assert repeated_ngram_bans([1, 2, 3, 1, 2], 3) == {3}
    assert repeated_ngram_bans([1, 2, 3, 4], 3) == set()
    assert repeated_ngram_bans([1, 2, 3, 1, 2], 0) == set()


def test_the_guard_checks_what_a_figure_counts_and_loops() -> None:
    assert check("Yes, the Apple iPhone 15 128GB is in stock (19 in stock).", FACTS).ok
    verdict = check("Yes, the Apple iPhone 15 128GB is in stock (15 in stock).", FACTS)
    assert not verdict.ok and "unsupported count: 15 in stock" in verdict.problems
    assert not check("We accept Visa, American Express and American Express.",
                     ["We accept Visa, American Express and PayPal."]).ok
    assert not check("You can can return it.", ["You can return it."]).ok
