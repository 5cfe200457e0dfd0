"""Trains the shop's own small GPT-2 when its inputs changed: ``python -m shop.grounded.train [--force]``.

A byte-level BPE tokenizer is trained on the shop's text, then a GPT2LMHeadModel learns to answer
questions from passages (shop.grounded.corpus), within a time budget so set-up stays quick on 2
CPU cores. The passages' sentence embeddings are computed too, so the action server starts fast.
Progress goes to stderr; the model directory to stdout.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import shutil
import sys
import time
from pathlib import Path

from shop.catalog import Catalog
from shop.config import Settings
from shop.currency import Currency
from shop.grounded import chinese as chinese_module
from shop.grounded import corpus as corpus_module
from shop.grounded import decoding as decoding_module
from shop.grounded import passages as passages_module
from shop.grounded import prompt as prompt_module
from shop.grounded.artifacts import MODEL_PREFIX
from shop.grounded.build import embedding_texts, english_embedding_texts, passage_sides
from shop.grounded.corpus import Example, build_chinese_corpus, build_corpus
from shop.grounded.encoder import SentenceEncoder, cached_embeddings
from shop.grounded.languages import available, passages_in
from shop.grounded.passages import build_passages, policy_passages
from shop.grounded.prompt import build_prompt
from shop.knowledge import KnowledgeBase
from shop.training_cli import run

EOS = "<|endoftext|>"
PAD = "<|pad|>"


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def fingerprint(settings: Settings) -> str:
    """Changes when the shop's text, the training settings or the training code change."""
    digest = hashlib.sha256()
    for path in (settings.data.products, settings.data.knowledge_base, settings.data.products_zh,
                 settings.data.knowledge_base_zh, Path(corpus_module.__file__), Path(decoding_module.__file__),
                 Path(passages_module.__file__),
                 Path(chinese_module.__file__), Path(prompt_module.__file__), Path(__file__)):
        digest.update(path.read_bytes())
    params = settings.generator.embedded.hyperparameters() | {"passages": settings.generator.prompt_passages}
    digest.update(json.dumps(params, sort_keys=True).encode())
    return digest.hexdigest()[:16]


def train_tokenizer(texts: list[str], vocab_size: int):  # noqa: ANN201 - transformers type
    # Lazy here and below: tokenizers, transformers and torch (seconds to import) only when a model is
    # trained; set-up runs this module every time, and with a current model it only embeds passages.
    from tokenizers import ByteLevelBPETokenizer
    from transformers import PreTrainedTokenizerFast

    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(texts, vocab_size=vocab_size, min_frequency=2, special_tokens=[EOS, PAD],
                            show_progress=False)
    return PreTrainedTokenizerFast(tokenizer_object=bpe, bos_token=EOS, eos_token=EOS, unk_token=EOS,
                                   pad_token=PAD)


def encode_examples(examples: list[Example], tokenizer, max_len: int) -> list[tuple[list[int], int]]:  # noqa: ANN001
    """(token ids, where the answer starts); prompts that do not fit are cut from the left of the facts."""
    encoded = []
    for example in examples:
        prompt = tokenizer(build_prompt(example.question, example.passages, example.history) + " ")["input_ids"]
        answer = tokenizer(example.answer)["input_ids"] + [tokenizer.eos_token_id]
        if len(answer) >= max_len // 2:
            continue
        keep = max_len - len(answer)
        if len(prompt) > keep:
            prompt = prompt[-keep:]
        encoded.append((prompt + answer, len(prompt)))
    return encoded


def train(settings: Settings, target: Path) -> dict:
    import torch  # lazy: see train_tokenizer
    from transformers import GPT2Config, GPT2LMHeadModel

    cfg = settings.generator.embedded
    torch.manual_seed(cfg.seed)
    random.seed(cfg.seed)
    # Set-up trains it alone, where two threads take 0.19 s a step instead of 0.26; beside other work
    # they stall each other (3 s instead of 0.5 s per step measured here), hence a setting.
    torch.set_num_threads(cfg.threads)
    knowledge = KnowledgeBase.load(settings.data.knowledge_base, settings.data.knowledge_base_zh)
    catalog = Catalog.load(settings.data.products, None, settings.data.products_zh)
    english = build_corpus(knowledge, catalog, policy_passages(knowledge), seed=cfg.seed,
                           passages=settings.generator.prompt_passages)
    # Both languages in one model: the shopper's language comes in, the same language goes out.
    chinese = _chinese_passages(settings, knowledge, catalog)
    zh_examples = build_chinese_corpus(knowledge, catalog, [p for p in chinese if p.kind == "policy"],
                                       [p for p in chinese if p.kind == "product"], seed=cfg.seed)
    examples = english + zh_examples
    random.Random(cfg.seed).shuffle(examples)
    texts = [p.text for p in build_passages(knowledge, catalog)] + [p.text for p in chinese] + \
        [e.question for e in english[:5000]] + [e.answer for e in english[:5000]] + \
        [e.question for e in zh_examples[:4000]] + [e.answer for e in zh_examples[:4000]]
    tokenizer = train_tokenizer(texts, cfg.vocab_size)
    data = encode_examples(examples, tokenizer, cfg.n_positions)
    say(f"  {len(data)} training examples ({len(zh_examples)} Chinese), vocabulary {len(tokenizer)}")

    model = GPT2LMHeadModel(GPT2Config(
        vocab_size=len(tokenizer), n_positions=cfg.n_positions, n_embd=cfg.n_embd, n_layer=cfg.n_layer,
        n_head=cfg.n_head, bos_token_id=tokenizer.eos_token_id, eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id, tie_word_embeddings=True,
    ))
    optimizer = torch.optim.AdamW(model.parameters(), lr=cfg.learning_rate, weight_decay=0.01)
    warmup = max(1, cfg.max_steps // 20)
    budget = cfg.max_minutes * 60
    # The schedule assumes max_steps; when the time budget ends training first, the last steps
    # simply never run (the rate is still high then, so keep max_steps realistic for the machine).
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: min(
        (step + 1) / warmup, 0.5 * (1 + math.cos(math.pi * min(step, cfg.max_steps) / cfg.max_steps))))
    model.train()
    started = time.perf_counter()
    step, losses, order = 0, [], []
    while step < cfg.max_steps and time.perf_counter() - started < budget:
        if not order:
            order = _length_batches(data, cfg.batch_size, random.Random(cfg.seed + step))
        batch = [data[i] for i in order.pop()]
        loss = _answer_loss(model, batch, tokenizer.pad_token_id)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(float(loss.detach()))
        step += 1
        if step % 50 == 0:
            elapsed = time.perf_counter() - started
            say(f"  step {step}/{cfg.max_steps}  loss {sum(losses[-50:]) / 50:.3f}  {elapsed:.0f}/{budget:.0f} s")
    model.eval()
    tmp = target.with_name(target.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    report = {
        "steps": step, "seconds": round(time.perf_counter() - started, 1), "examples": len(data),
        "final_loss": round(sum(losses[-50:]) / max(1, len(losses[-50:])), 4),
        "parameters": sum(p.numel() for p in model.parameters()), "settings": cfg.hyperparameters(),
    }
    # Written last: a directory without it is an interrupted training and is never loaded.
    (tmp / "training.json").write_text(json.dumps(report, indent=2))
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    return report


def _length_batches(data: list[tuple[list[int], int]], size: int, rng: random.Random) -> list[list[int]]:
    """Batches of similar length (less padding), in random order."""
    indices = sorted(range(len(data)), key=lambda i: (len(data[i][0]), rng.random()))
    batches = [indices[i:i + size] for i in range(0, len(indices), size)]
    rng.shuffle(batches)
    return batches


def _answer_loss(model, batch: list[tuple[list[int], int]], pad_id: int):  # noqa: ANN001, ANN202
    """Cross-entropy on the answer tokens only; the vocabulary projection runs only where it counts."""
    import torch  # lazy: see train_tokenizer

    width = max(len(ids) for ids, _ in batch)
    input_ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    rows, cols, targets = [], [], []
    for row, (ids, start) in enumerate(batch):
        input_ids[row, : len(ids)] = torch.tensor(ids)
        mask[row, : len(ids)] = 1
        for position in range(start - 1, len(ids) - 1):
            rows.append(row)
            cols.append(position)
            targets.append(ids[position + 1])
    hidden = model.transformer(input_ids=input_ids, attention_mask=mask).last_hidden_state
    logits = model.lm_head(hidden[torch.tensor(rows), torch.tensor(cols)])
    return torch.nn.functional.cross_entropy(logits, torch.tensor(targets))


def _chinese_passages(settings: Settings, knowledge: KnowledgeBase, catalog: Catalog) -> list:
    """The Chinese passages as the action server builds them (prices with the yuan guide)."""
    if "zh" not in available(knowledge, catalog):
        return []
    currency = Currency(settings.yuan_per_dollar)
    return passages_in("zh", knowledge, catalog, lambda dollars: currency.price(dollars, "zh"))


def embed_passages(settings: Settings) -> Path:
    """Every passage and example question in every language, embedded as the action server will
    (same texts, so the same cache: a Chinese sheet's prices with the yuan guide of shop.yml)."""
    knowledge = KnowledgeBase.load(settings.data.knowledge_base, settings.data.knowledge_base_zh)
    catalog = Catalog.load(settings.data.products, None, settings.data.products_zh)
    currency = Currency(settings.yuan_per_dollar)
    sides = passage_sides(knowledge, catalog, lambda dollars: currency.price(dollars, "zh"))
    texts, _ = embedding_texts(sides, knowledge)
    cached_embeddings(SentenceEncoder(settings.generator.encoder), texts, settings.generator.artifact_dir)
    if settings.generator.english_encoder:
        english, _ = english_embedding_texts(sides["en"], knowledge)
        cached_embeddings(SentenceEncoder(settings.generator.english_encoder), english, settings.generator.artifact_dir)
    return settings.generator.artifact_dir


def train_if_needed(settings: Settings, force: bool = False) -> tuple[Path, bool]:
    key = fingerprint(settings)
    target = settings.generator.artifact_dir / f"{MODEL_PREFIX}{key}"
    trained = False
    if force or not (target / "training.json").is_file():
        say(f"Training the shop's GPT-2 (fingerprint {key}, at most {settings.generator.embedded.max_minutes:g} min)")
        target.parent.mkdir(parents=True, exist_ok=True)
        report = train(settings, target)
        say(f"  trained {report['steps']} steps in {report['seconds']} s, final loss {report['final_loss']}")
        for old in target.parent.glob(f"{MODEL_PREFIX}*"):
            if old != target:
                shutil.rmtree(old, ignore_errors=True)
        trained = True
    embed_passages(settings)
    return target, trained


def main(argv: list[str] | None = None) -> int:
    return run("python -m shop.grounded.train", __doc__, "generator", train_if_needed, argv)


if __name__ == "__main__":
    sys.exit(main())
