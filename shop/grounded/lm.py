"""A causal language model behind a small, thread-safe interface with a time limit.

Any ``AutoModelForCausalLM`` works: the shop's own GPT-2 (a local directory under models/), another
local directory, or a hub id such as ``gpt2`` (downloaded once; needs internet). The model is loaded
once per process, on first use; generation runs in a worker thread, never on the event loop, and
stops at ``timeout_seconds``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shop import metrics
from shop.config import GeneratorSettings
from shop.grounded.decoding import AnswerConstraint, CopyConstraint, TokenIndex, repeated_ngram_bans, token_bytes
from shop.grounded.prompt import ANSWER_MARK

log = logging.getLogger(__name__)

# Copy decoding tries the model's likeliest tokens in order until this many fit (greedy needs one;
# sampling draws among them) or this many were tried; a token past that is not a likely choice anyway.
COPY_CANDIDATES = 8
COPY_TRIES = 512
_STOP_MARKS = ("\n", "Question:", "Facts:", "Shopper:", "Assistant:")
# What an instruction-tuned model (one whose tokenizer has a chat template) is told before the prompt.
CHAT_INSTRUCTION = ("You are an online shop's assistant. Answer the shopper's question in one complete sentence, "
                    "using only the facts given. If the facts do not answer it, say you don't know.")


class GeneratorUnavailable(RuntimeError):
    """The model cannot be loaded (missing directory, no internet for a hub id, broken files)."""


@dataclass(frozen=True)
class Generation:
    text: str | None            # None when the model failed or ran out of time
    seconds: float
    timed_out: bool = False
    error: str | None = None
    alternatives: tuple[str, ...] = ()   # the other drafts of a beam search, likeliest first

    @property
    def drafts(self) -> tuple[str, ...]:
        return (() if self.text is None else (self.text,)) + self.alternatives


class LanguageModel:
    def __init__(self, reference: str | Path, max_new_tokens: int = GeneratorSettings.max_new_tokens,
                 do_sample: bool = GeneratorSettings.do_sample, temperature: float = GeneratorSettings.temperature,
                 top_p: float = GeneratorSettings.top_p, timeout_seconds: float = GeneratorSettings.timeout_seconds,
                 workers: int = GeneratorSettings.workers, threads: int = GeneratorSettings.threads,
                 no_repeat_ngram: int = GeneratorSettings.no_repeat_ngram,
                 copy: bool = False, drafts: int = GeneratorSettings.drafts) -> None:
        """``copy``: the answer may only copy phrases of its facts, joined by the answer templates'
        words (shop.grounded.decoding.CopyConstraint). ``drafts`` > 1: a beam search of that width
        returns that many drafts, the likeliest first, for the guard to pick from (greedy only)."""
        self.reference = str(reference)
        self.drafts = max(1, drafts)
        self.copy = copy
        self.no_repeat_ngram = no_repeat_ngram
        self.threads = threads
        self.max_new_tokens = max_new_tokens
        self.do_sample = do_sample
        self.temperature = temperature
        self.top_p = top_p
        self.timeout_seconds = timeout_seconds
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="generator")
        self._load_lock = threading.Lock()
        self._model = None
        self._tokenizer = None
        self._tokens: TokenIndex | None = None
        self._bytes: list[bytes] = []

    def load(self) -> None:
        """Loads the model once (later calls return at once); raises GeneratorUnavailable."""
        with self._load_lock:
            if self._model is not None:
                return
            started = time.perf_counter()
            try:
                # Lazy: torch and transformers only once a model is loaded (see _generate).
                import torch
                from transformers import AutoModelForCausalLM, AutoTokenizer

                local = Path(self.reference).is_dir()
                tokenizer = AutoTokenizer.from_pretrained(self.reference, local_files_only=local)
                model = AutoModelForCausalLM.from_pretrained(self.reference, local_files_only=local)
            except Exception as exc:  # transformers raises OSError, ValueError, HF errors...
                raise GeneratorUnavailable(f"cannot load language model {self.reference!r}: {exc}") from exc
            model.eval()
            torch.set_grad_enabled(False)
            # Torch's default (a thread per core) makes a small model's steps stall each other
            # whenever the other core is busy (10x slower here); one thread is as fast when idle.
            torch.set_num_threads(self.threads)
            if tokenizer.pad_token_id is None:
                tokenizer.pad_token = tokenizer.eos_token
            # What each token writes, indexed once per model for the answer constraint (a second for GPT-2's 50k).
            decoded = tokenizer.batch_decode([[i] for i in range(len(tokenizer))])
            self._tokens = TokenIndex(decoded)
            self._bytes = token_bytes(tokenizer.convert_ids_to_tokens(list(range(len(tokenizer)))), decoded)
            for special in tokenizer.all_special_ids:
                self._bytes[special] = b""
            self._tokenizer, self._model = tokenizer, model
            log.info("Loaded language model %s in %.1f s", self.reference, time.perf_counter() - started)

    @property
    def context_size(self) -> int:
        self.load()
        return int(getattr(self._model.config, "n_positions", None) or
                   getattr(self._model.config, "max_position_embeddings", 1024))

    def _generate(self, prompt: str, deadline_seconds: float, grounding: Sequence[str] | None,
                  names: Sequence[str]) -> list[str]:
        # Lazy: torch and transformers load only when a model generates (the retrieval-only path and
        # the Rasa side never import them).
        import torch
        from transformers import LogitsProcessorList

        self.load()
        tokenizer, model = self._tokenizer, self._model
        chat = bool(getattr(tokenizer, "chat_template", None))
        # A chat template writes its own special tokens.
        ids = tokenizer(self._model_input(prompt, chat), return_tensors="pt", add_special_tokens=not chat)["input_ids"]
        room = self.context_size - self.max_new_tokens
        if ids.shape[1] > room:
            ids = ids[:, -room:]  # the question is at the end; the oldest facts go first
        sampling = {"do_sample": True, "temperature": self.temperature, "top_p": self.top_p} if self.do_sample \
            else {"do_sample": False}
        if self.drafts > 1 and not self.do_sample:
            sampling |= {"num_beams": self.drafts, "num_return_sequences": self.drafts}
        constraint = None if grounding is None else AnswerConstraint(self._tokens, grounding, names)
        copying = CopyConstraint(grounding, names) if self.copy and grounding is not None else None
        processor = _AnswerRules(tokenizer, ids.shape[1], constraint, self.no_repeat_ngram, copying, self._bytes)
        with torch.inference_mode():
            output = model.generate(
                ids, attention_mask=torch.ones_like(ids), max_new_tokens=self.max_new_tokens,
                max_time=deadline_seconds, pad_token_id=tokenizer.pad_token_id,
                eos_token_id=tokenizer.eos_token_id, logits_processor=LogitsProcessorList([processor]), **sampling,
            )
        drafts = []
        for row in range(output.shape[0]):
            text = tokenizer.decode(output[row, ids.shape[1]:], skip_special_tokens=True)
            for mark in _STOP_MARKS:
                text = text.split(mark, 1)[0]
            if text.strip() not in drafts:
                drafts.append(text.strip())
        return drafts

    def _model_input(self, prompt: str, chat: bool) -> str:
        """The prompt as the model reads it: plain text, or wrapped in its chat template when it has one
        (an instruct model answers a bare "Answer:" with two words, through its template in a sentence)."""
        if not chat:
            return prompt + " "
        messages = [{"role": "system", "content": CHAT_INSTRUCTION},
                    {"role": "user", "content": prompt.removesuffix(ANSWER_MARK).rstrip()}]
        return self._tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)

    def generate(self, prompt: str, grounding: Sequence[str] | None = None, names: Sequence[str] = ()) -> Generation:
        """The model's answer to ``prompt``, or text=None if it failed or did not finish in time.

        With ``grounding`` (the facts' texts) the answer can write only figures those texts contain,
        and a product name of ``names`` exactly as it is spelt (shop.grounded.decoding).
        """
        started = time.perf_counter()
        future: Future[list[str]] = self._pool.submit(self._generate, prompt, self.timeout_seconds, grounding, names)
        try:
            # generate() stops itself at max_time; the extra second covers a slow first load.
            drafts = future.result(timeout=self.timeout_seconds + (0.0 if self._model is not None else 60.0))
        except FutureTimeout:
            metrics.GENERATOR_TIMEOUTS.inc()
            return Generation(None, time.perf_counter() - started, timed_out=True)
        except GeneratorUnavailable as exc:
            return Generation(None, time.perf_counter() - started, error=str(exc))
        except Exception as exc:  # a generation bug must cost one answer, not the conversation
            log.exception("Generation failed")
            return Generation(None, time.perf_counter() - started, error=repr(exc))
        elapsed = time.perf_counter() - started
        metrics.GENERATOR_SECONDS.observe(elapsed)
        # max_time stops between tokens, so a cut-off answer can arrive just after the limit.
        if elapsed > self.timeout_seconds:
            metrics.GENERATOR_TIMEOUTS.inc()
            return Generation(None, elapsed, timed_out=True)
        return Generation(drafts[0] if drafts else "", elapsed, alternatives=tuple(drafts[1:]))


class _AnswerRules:
    """A logits processor: the answer constraint (figures, names) and no n-gram twice in the answer."""

    def __init__(self, tokenizer: Any, prompt_length: int, constraint: AnswerConstraint | None,
                 no_repeat_ngram: int, copying: CopyConstraint | None = None,
                 token_bytes_: Sequence[bytes] = ()) -> None:
        self.copying = copying
        self.token_bytes = token_bytes_
        self.tokenizer = tokenizer
        self.prompt_length = prompt_length
        self.constraint = constraint
        self.no_repeat_ngram = no_repeat_ngram

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        for row in range(input_ids.shape[0]):
            original = scores[row].clone()
            answer = input_ids[row, self.prompt_length:].tolist()
            banned = repeated_ngram_bans(answer, self.no_repeat_ngram)
            if self.constraint is not None:
                text = self.tokenizer.decode(answer, skip_special_tokens=True)
                only = self.constraint.only(text)
                if only is not None:
                    keep = scores[row, only].clone()
                    scores[row, :] = float("-inf")
                    scores[row, only] = keep
                banned.update(self.constraint.banned(text))
            if banned:
                scores[row, sorted(banned)] = float("-inf")
            if self.copying is not None:
                self._copy(answer, scores[row])
            if not scores[row].isfinite().any():
                scores[row] = original  # the rules left nothing to say: the guard judges what comes
        return scores

    def _copy(self, answer: list[int], scores: Any) -> None:
        """Keeps the likeliest tokens that go on copying (or end the answer where it may end)."""
        import torch

        written = b"".join(self.token_bytes[i] for i in answer)
        states = self.copying.state(written)
        if not states:
            return  # already off the phrases (nothing fitted earlier): the guard judges it
        eos = self.tokenizer.eos_token_id
        keep = []
        for i in torch.argsort(scores, descending=True)[:COPY_TRIES].tolist():
            if not torch.isfinite(scores[i]):
                break
            piece = self.token_bytes[i]
            if (i == eos and self.copying.can_end(states, written)) or \
                    (piece and self.copying.allows(states, piece) and self.copying.fresh(written, piece)):
                keep.append(i)
                if len(keep) >= COPY_CANDIDATES:
                    break
        if not keep and eos is not None:
            # Nothing likely goes on copying: the answer ends here rather than in free text (the
            # guard refuses it if unfinished, and the passage is quoted instead).
            keep = [eos]
        if keep:
            kept = scores[keep].clone()
            scores[:] = float("-inf")
            scores[keep] = kept
