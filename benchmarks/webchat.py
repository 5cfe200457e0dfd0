"""Web chat benchmark: time from a shopper's message to the reply rendered in the shop page.

Run with ``scripts/benchmark-webchat``; writes reports/webchat.md and reports/webchat.json.
A real headless Chromium (Debian's) opens the shop page served by scripts/shop_page.py, and the chat
widget talks to a real Rasa server and action server over socket.io. For each message the page
records when it was sent and, in the next animation frame after each bot message is added to the
chat, when that message was rendered: "first" is the first part of the reply, "complete" its last
part (a recommendation is a heading, three cards and a follow-up question).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

from benchmarks.reports import save_report
from tests.browser import chromium_path, open_browser
from tests.servers import Stack

MESSAGES = {
    "greeting (rule → response)": "hello",
    "policy question (action, local data)": "how much is express shipping?",
    "order status (action)": "where is my order KE-100002?",
    "recommendation (form + cards)": "recommend me a phone under $500",
    "more of the same (action + cards)": "show me more",
}
# A turn is over when no further bot message arrived for this long (not counted in the timings).
QUIET_MS = 1000

TIME_ONE_TURN = """async ([text, quietMs]) => {
  const list = document.querySelector('.kc-messages');
  const before = list.querySelectorAll('.kc-bot').length;
  const rendered = [];
  const observer = new MutationObserver(() => {
    const added = list.querySelectorAll('.kc-bot').length - before;
    while (rendered.length < added) {
      const index = rendered.length;
      rendered.push(null);
      requestAnimationFrame(() => { rendered[index] = performance.now(); });
    }
  });
  observer.observe(list, {childList: true});
  const input = document.querySelector('.kc-input');
  input.value = text;
  const sent = performance.now();
  input.form.requestSubmit();
  await new Promise(resolve => {
    const check = () => {
      const times = rendered.filter(t => t !== null);
      const last = times.length ? times[times.length - 1] : sent;
      const now = performance.now();
      if ((times.length && now - last > quietMs) || now - sent > 30000) resolve(); else setTimeout(check, 20);
    };
    check();
  });
  observer.disconnect();
  const times = rendered.filter(t => t !== null);
  return {first: times.length ? times[0] - sent : null, complete: times.length ? times[times.length - 1] - sent : null,
          parts: times.length};
}"""


def percentiles(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    return {"p50_ms": statistics.median(values), "p95_ms": values[round(0.95 * (len(values) - 1))],
            "mean_ms": statistics.fmean(values), "max_ms": values[-1], "n": len(values)}


def run_turns(page: Page, count: int) -> list[dict[str, Any]]:
    labels = list(MESSAGES)
    results = []
    for i in range(count):
        label = labels[i % len(labels)]
        timing = page.evaluate(TIME_ONE_TURN, [MESSAGES[label], QUIET_MS])
        if timing["first"] is None:
            raise SystemExit(f"No reply to {MESSAGES[label]!r} within 30 s")
        results.append({"kind": label, **timing})
    return results


def measure(work: Path, count: int, warmup: int) -> dict[str, Any]:
    stack = Stack(work)
    try:
        stack.start_actions()
        stack.start_rasa()
        stack.start_page()
        with sync_playwright() as playwright:
            browser = open_browser(playwright, work / "profile")
            page = browser.new_page()
            page.goto(stack.page_url)
            page.click("#kc-launcher")
            page.wait_for_selector(".kc-root.kc-ready", timeout=30_000)
            run_turns(page, warmup)  # warm caches and TensorFlow graphs
            turns = run_turns(page, count)
            version = browser.browser.version if browser.browser else "?"
            browser.close()
    finally:
        stack.stop_all()
    by_kind = {kind: {"first": percentiles([t["first"] for t in turns if t["kind"] == kind]),
                      "complete": percentiles([t["complete"] for t in turns if t["kind"] == kind]),
                      "parts": max(t["parts"] for t in turns if t["kind"] == kind)}
               for kind in MESSAGES}
    return {
        "first": percentiles([t["first"] for t in turns]),
        "complete": percentiles([t["complete"] for t in turns]),
        "by_kind": by_kind, "turns": turns, "chromium": version,
    }


def write_report(result: dict[str, Any], count: int) -> None:
    meta = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": platform.platform(),
            "cpus": os.cpu_count(), "messages": count, "chromium": result["chromium"]}
    first, complete = result["first"], result["complete"]
    lines = [
        "# Web chat benchmark", "",
        f"{meta['date']}, {meta['machine']}, {meta['cpus']} CPUs, headless Chromium {meta['chromium']}.",
        f"{count} messages in one conversation on the shop page (after warm-up), cycling through the kinds below;",
        "time from sending a message in the page to the reply rendered there (next animation frame).", "",
        "| | p50 | p95 | mean | max |", "|---|---|---|---|---|",
        f"| first part of the reply, all messages | {first['p50_ms']:.0f} ms | {first['p95_ms']:.0f} ms | "
        f"{first['mean_ms']:.0f} ms | {first['max_ms']:.0f} ms |",
        f"| complete reply, all messages | {complete['p50_ms']:.0f} ms | {complete['p95_ms']:.0f} ms | "
        f"{complete['mean_ms']:.0f} ms | {complete['max_ms']:.0f} ms |", "",
        "| message kind | n | parts | first p50 / p95 | complete p50 / p95 |", "|---|---|---|---|---|",
    ]
    for kind, stats in result["by_kind"].items():
        lines.append(f"| {kind} (\"{MESSAGES[kind]}\") | {stats['first']['n']} | {stats['parts']} | "
                     f"{stats['first']['p50_ms']:.0f} / {stats['first']['p95_ms']:.0f} ms | "
                     f"{stats['complete']['p50_ms']:.0f} / {stats['complete']['p95_ms']:.0f} ms |")
    save_report("webchat", {**meta, **result}, "\n".join(lines))
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    chromium_path()  # fail early with a clear message
    with tempfile.TemporaryDirectory() as work:
        result = measure(Path(work), args.messages, args.warmup)
    write_report(result, args.messages)


if __name__ == "__main__":
    main()
