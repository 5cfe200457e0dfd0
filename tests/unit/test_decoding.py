"""The decoding constraints that keep generated answers to the facts' figures and product names."""

from __future__ import annotations

from shop.grounded.decoding import AnswerConstraint, CopyConstraint, amounts, figures, repeated_ngram_bans, token_bytes
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


# -- copy decoding ---------------------------------------------------------------------------------
POLICY = ("Standard shipping takes 3–5 business days and is free on orders over $49; on smaller orders it "
          "costs $4.99. Express shipping takes 1–2 business days and costs $14.99.")
SHEET = FACTS[0] + " A 48MP main camera."  # a focused sheet: its header, a sentence, a spec
NAME = "Apple iPhone 15 128GB"


def _writes(constraint: CopyConstraint, answer: str) -> bool:
    written = answer.encode()
    states = constraint.state(written)
    return bool(states) and constraint.can_end(states, written)


def test_copy_decoding_writes_the_answers_the_model_was_trained_on() -> None:
    policy, sheet = CopyConstraint([POLICY]), CopyConstraint([SHEET], [NAME])
    assert _writes(policy, POLICY)
    assert _writes(policy, "Express shipping takes 1–2 business days and costs $14.99.")
    assert _writes(sheet, "The Apple iPhone 15 128GB costs $1,299.99.")
    assert _writes(sheet, "Yes, the Apple iPhone 15 128GB is in stock (19 in stock).")
    assert _writes(sheet, "The Apple iPhone 15 128GB is rated 4.6/5 by 350 customers.")
    assert _writes(sheet, "The Apple iPhone 15 128GB has a 48MP main camera.")
    chinese = "苹果 iPhone 15 128GB:售价 $1,299.99(约 ¥9,360),350 位顾客评分 4.6/5,现货 19 件。48MP 主摄。"
    assert _writes(CopyConstraint([chinese], ["苹果 iPhone 15 128GB"]), "有货,苹果 iPhone 15 128GB现货 19 件。")


def test_copy_decoding_refuses_what_garbled_drafts_were_made_of() -> None:
    policy, sheet = CopyConstraint([POLICY]), CopyConstraint([SHEET], [NAME])
    # Phrases begin where a sentence or clause begins, and end where a word ends.
    assert not policy.state("shipping takes 1–2".encode())          # "Standard" dropped mid-clause
    assert not _writes(policy, "Standard shipping takes 1.")         # "1–2" cut inside the figure
    assert not policy.state(b"The the")                             # no openings without a product
    assert not sheet.state(b"The Apple iPhone 15 128GB costs $4.6")  # the rating is no price
    assert not sheet.state(b"The Apple iPhone 14")                   # a name only whole, as spelt
    assert not sheet.state(b"The The ")
    assert not sheet.state("The Apple iPhone 15 128GB costs $1,299.99。".encode())  # no Chinese stop in English
    assert not sheet.state(b"The Apple iPhone 15 128GB is rated A 48")  # only the rating after "is rated"
    assert not sheet.state(b"The Apple iPhone 15 128GB has 4.6/5")      # and the rating only there
    # A phrase ends where its clause ends: cut short, a condition turns into its opposite.
    cancel = CopyConstraint(["An order can be cancelled only while it's still processing; once it has shipped, "
                             "it can no longer be cancelled."])
    assert not _writes(cancel, "An order can be cancelled.")
    assert _writes(cancel, "An order can be cancelled only while it's still processing.")


def test_copy_decoding_copies_nothing_twice_unless_the_facts_do() -> None:
    payment = CopyConstraint(["We accept Visa, Mastercard, PayPal, Apple Pay and Google Pay; we don't offer cash."])
    written = b"We accept Visa, Mastercard, PayPal, Apple Pay and Google Pay and Apple Pay and Go"
    assert not payment.fresh(written, b"ogle")
    assert payment.fresh(b"We accept Visa, Mastercard, PayPal, Apple Pay and Google", b" Pay")
    twice = CopyConstraint([POLICY])  # "business days and" is in it twice
    assert twice.fresh(b"Standard shipping takes 3\xe2\x80\x935 business days and is free on orders over $49; on "
                       b"smaller orders it costs $4.99. Express shipping takes 1\xe2\x80\x932 business days",
                       b" and")


def test_copy_decoding_reads_a_byte_level_vocabulary_exactly() -> None:
    # GPT-2's byte-level BPE writes "Ġ" for a space and splits a Chinese character into bytes.
    raw = ["Ġcosts", "è´", "§"]
    assert token_bytes(raw, [" costs", "\ufffd", "\ufffd"]) == [b" costs", b"\xe8\xb4", b"\xa7"]
    states = CopyConstraint(["现货 19 件。"]).state("现".encode())
    assert states and CopyConstraint(["现货 19 件。"]).allows(states, b"\xe8\xb4")
