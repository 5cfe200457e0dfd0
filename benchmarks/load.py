"""Load benchmark: N concurrent conversations over the REST channel, 1 vs 2 Rasa servers.

Starts PostgreSQL and Redis on loopback and the scale-out set-up of the tests (tests/cluster.py:
two Rasa servers with endpoints.scale-out.yml, two action servers), then runs the same load
twice: every conversation on one Rasa server, then conversations spread over both. Each
conversation is a fixed script of non-generative turns (rules, policy answers, order status).

Bounded and local: loopback URLs only, at most 200 conversations of at most 20 turns, a 30 s
timeout per request. Run with ``scripts/benchmark-load``; writes reports/load.md and load.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import requests

from benchmarks.reports import REPORTS, save_report
from tests.cluster import Cluster
from tests.services import Postgres, Redis

SCRIPT = [
    "hi",
    "how much does express delivery cost?",
    "where is my order KE-100002?",
    "do you ship to Canada?",
    "can I pay with paypal?",
    "thanks, bye",
]
MAX_CONVERSATIONS, MAX_TURNS = 200, 20


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def run_load(urls: list[str], conversations: int, script: list[str], tag: str, think: float = 0.0) -> dict[str, Any]:
    """Runs ``conversations`` at once; conversation i talks to urls[i % len(urls)].

    ``think``: seconds a shopper takes before each next message (uniform 0.5-1.5 × think, and the
    conversations' starts spread over one think time); 0 sends every turn right after the reply.
    """
    for url in urls:
        if urlparse(url).hostname not in ("127.0.0.1", "localhost"):
            raise SystemExit(f"refusing to load a non-loopback server: {url}")
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start_gate = threading.Barrier(conversations)

    def converse(index: int) -> None:
        url = urls[index % len(urls)]
        session = requests.Session()
        sender = f"load-{tag}-{index}"
        pace = random.Random(index)
        start_gate.wait()
        if think:
            time.sleep(pace.uniform(0, think))
        for turn, message in enumerate(script):
            if think and turn:
                time.sleep(pace.uniform(0.5, 1.5) * think)
            started = time.perf_counter()
            try:
                reply = session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message},
                                     timeout=30)
                elapsed = time.perf_counter() - started
                ok = reply.status_code == 200 and bool(reply.json())
                problem = None if ok else f"HTTP {reply.status_code}: {reply.text[:120]}"
            except (requests.RequestException, ValueError) as exc:
                elapsed, problem = time.perf_counter() - started, f"{type(exc).__name__}: {exc}"
            with lock:
                latencies.append(elapsed)
                if problem:
                    errors.append(problem)

    began = time.perf_counter()
    with ThreadPoolExecutor(conversations) as pool:
        list(pool.map(converse, range(conversations)))
    wall = time.perf_counter() - began
    ms = [x * 1000 for x in latencies]
    return {
        "rasa_servers": len(urls), "conversations": conversations, "think_seconds": think,
        "turns": len(ms), "errors": len(errors),
        "error_examples": errors[:5], "seconds": wall, "turns_per_second": len(ms) / wall,
        "p50_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95), "p99_ms": percentile(ms, 99),
        "mean_ms": statistics.fmean(ms) if ms else float("nan"), "max_ms": max(ms) if ms else float("nan"),
    }


def write_report(results: list[dict[str, Any]], meta: dict[str, Any]) -> None:
    lines = [
        "# Load benchmark: concurrent conversations over the REST channel",
        "",
        f"{meta['date']} · {meta['machine']} · `scripts/benchmark-load` (benchmarks/load.py)",
        "",
        f"Set-up: {meta['setup']}",
        "",
        f"Each conversation: {len(SCRIPT)} non-generative turns ({', '.join(repr(s) for s in SCRIPT)}), "
        "sent one after the other; all conversations start together (at a shoppers' pace, spread over one think time).",
        "",
        "Two paces: *back to back* (each conversation sends its next message as soon as the reply "
        "arrives: the servers' capacity, latency is then mostly queueing) and *shoppers' pace* (a "
        "think time before each message, as people type).",
        "",
        "| pace | Rasa servers | conversations | turns | errors | turns/s | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        pace = f"think {r['think_seconds']:g} s" if r["think_seconds"] else "back to back"
        lines.append(f"| {pace} | {r['rasa_servers']} | {r['conversations']} | {r['turns']} | {r['errors']} | "
                     f"{r['turns_per_second']:.1f} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | {r['p99_ms']:.0f} | "
                     f"{r['max_ms']:.0f} |")
    lines += ["", "Target: 50 concurrent conversations, 0 errors, p95 under 500 ms.", ""]
    for r in results:
        met = r["errors"] == 0 and r["p95_ms"] < 500
        pace = f"think {r['think_seconds']:g} s" if r["think_seconds"] else "back to back"
        lines.append(f"- {pace}, {r['rasa_servers']} Rasa server(s), {r['conversations']} conversations: "
                     f"{'met' if met else 'NOT met'} (errors {r['errors']}, p95 {r['p95_ms']:.0f} ms)")
        for example in r["error_examples"]:
            lines.append(f"  - error: `{example}`")
    lines += ["", meta["note"], ""]
    save_report("load", {"meta": meta, "results": results}, "\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--turns", type=int, default=len(SCRIPT), help="turns per conversation (script repeats)")
    parser.add_argument("--think", type=float, default=5.0, help="shoppers' think time in seconds (0: skip)")
    args = parser.parse_args()
    conversations = max(1, min(args.conversations, MAX_CONVERSATIONS))
    load_before = os.getloadavg()[0]
    script = (SCRIPT * MAX_TURNS)[: max(1, min(args.turns, MAX_TURNS))]
    postgres, redis = Postgres().start(), Redis().start()
    cluster = None
    try:
        with tempfile.TemporaryDirectory() as work:
            cluster = Cluster(Path(work), postgres, redis, rasa_servers=2, action_servers=2).start()
            urls = [server.url for server in cluster.rasa]
            for url in urls:  # warm-up: first turns load lazily-built parts of both servers
                run_load([url], 2, script, tag=f"warmup-{urls.index(url)}")
            results = []
            runs = [(f"{pace}-{n}", targets, think) for pace, think in (("b2b", 0.0), ("paced", args.think))
                    if pace == "b2b" or args.think > 0 for n, targets in (("one", urls[:1]), ("two", urls))]
            for tag, targets, think in runs:
                print(f"{conversations} conversations on {len(targets)} Rasa server(s), think {think} s …",
                      flush=True)
                result = run_load(targets, conversations, script, tag, think)
                print(json.dumps({k: v for k, v in result.items() if k != "error_examples"}), flush=True)
                results.append(result)
    finally:
        if cluster is not None:
            cluster.stop()
        redis.stop()
        postgres.stop()
    meta = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU cores, Python {platform.python_version()}, "
                   f"load average {load_before:.1f} before the run (other jobs on the machine)",
        "setup": "PostgreSQL tracker store + state, Redis lock store, 2 action servers; each Rasa server is one "
                 "process; load generator, databases and all servers on the same machine.",
        "note": "All processes share the machine's cores, so a second Rasa server adds capacity only where "
                "cores are idle; on a multi-core host or across hosts each server brings its own.",
    }
    write_report(results, meta)
    print(f"Wrote {REPORTS / 'load.md'}")


if __name__ == "__main__":
    main()
