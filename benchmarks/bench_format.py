"""Speed of the draft formatter: `parse_draft` + `render_post` on seed-sized drafts.

What it prints, all measured in one run on one CPU core (the process pins itself to one):
- drafts/s and latency p50/p95/p99 of the full formatter over seed-sized drafts varied the way real
  drafts vary (paragraphs shuffled, dropped and repeated, other bullet marks, CRLF, numbers, links,
  hashtags), in two sets: `seen` (the seed's own vocabulary, as after a day of drafts on one topic)
  and `fresh` (a third of the words replaced by lexicon words and joined plurals the process has
  not met, so the half-space step can answer nothing from its caches);
- the same figures for our normalizer alone (`normalize_text`) and for hazm's `Normalizer()` with
  default options alone — the reference: hazm does less (no half-space repair, no structure, no HTML)
  and damages numbers and links;
- the "what changed" path (`explain_draft`: the clean-up step by step with each change located), on
  the `seen` set;
- the first call in a fresh interpreter (imports, lexicon, hazm's Normalizer), median of 3 runs.

Usage: nice -n 10 .venv/bin/python benchmarks/bench_format.py [--drafts 400] [--repeat 3] [--json]
Targets (issues 2 and 13): ≥ 300 drafts/s on one core with the lexicon warm; first call ≤ 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = ROOT / "tests" / "data" / "seed-draft.txt"
MARKS = ["?", "?", "?", "🔹 ", "🔸", "▪️ ", "• ", "- ", "✅ ", "{n}. ", "{n}- "]
EXTRAS = ["۱۲٫۵ درصد", "1,250,000 تومان", "1403/05/12", "ساعت 14:30", "https://t.me/news_channel?x=1",
          "@news_channel", "(منبع: ایرنا)", "<سند>", "R&D"]  # fmt: skip

FIRST_CALL = """
import sys, time
start = time.perf_counter()
sys.path.insert(0, {root!r})
from bot.text.draft import parse_draft
from bot.text.render import render_post
render_post(parse_draft(open({seed!r}, encoding="utf-8").read()))
print(time.perf_counter() - start)
"""


def vary(seed: str, rng: random.Random, vocabulary: list[str] | None) -> str:
    """One draft like the seed: its paragraphs reordered, some dropped or repeated, marks changed."""
    lines = [line for line in seed.splitlines() if line.strip()]
    headline, lead, *bullets = lines[:-2]
    closing, byline = lines[-2:]
    bullets = rng.sample(bullets, k=rng.randint(max(1, len(bullets) - 3), len(bullets)))
    bullets += rng.sample(bullets, k=rng.randint(0, 2))
    out = [headline, lead]
    for n, bullet in enumerate(bullets, 1):
        words = bullet.lstrip("?").split()
        if vocabulary:
            words = [rng.choice(vocabulary) if rng.random() < 0.33 else w for w in words]
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words) + 1), rng.choice(EXTRAS))
        out.append(rng.choice(MARKS).format(n=n) + " ".join(words))
    out += [closing, "", byline]
    if rng.random() < 0.5:
        out.append("#خراسان_جنوبی #شهرداری @news_channel")
    return ("\r\n" if rng.random() < 0.3 else "\n").join(out)


def fresh_vocabulary(rng: random.Random) -> list[str]:
    """Lexicon words and their joined plurals (`کتابها`), as writers without half-spaces type them."""
    from hazm.utils import words_list

    words = [word for word, count, _ in words_list() if count > 0 and "\u200c" not in word and len(word) > 2]
    picked = rng.sample(words, 4000)
    return [w + "ها" if i % 3 == 0 else w + "های" if i % 3 == 1 else w for i, w in enumerate(picked)]


def measure(func: Callable[[str], object], drafts: list[str], repeat: int) -> dict[str, float]:
    """Best-of-`repeat` throughput and the latency percentiles of all calls, in milliseconds."""
    latencies: list[float] = []
    best = 0.0
    for _ in range(repeat):
        started = time.perf_counter()
        for draft in drafts:
            t0 = time.perf_counter()
            func(draft)
            latencies.append(time.perf_counter() - t0)
        best = max(best, len(drafts) / (time.perf_counter() - started))
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {"per_s": best, "p50_ms": cuts[49] * 1e3, "p95_ms": cuts[94] * 1e3, "p99_ms": cuts[98] * 1e3}


def first_call_seconds(runs: int = 3) -> float:
    code = FIRST_CALL.format(root=str(ROOT), seed=str(SEED))
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        times.append(float(out.stdout.strip()))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=400, help="drafts per set (default 400)")
    parser.add_argument("--repeat", type=int, default=3, help="passes over each set (default 3)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    first = first_call_seconds()

    from hazm import Normalizer

    from bot.text.draft import explain_draft, parse_draft
    from bot.text.normalize import normalize_text
    from bot.text.render import render_post

    def formatter(text: str) -> list[str]:
        return render_post(parse_draft(text), signature="🆔 @news_channel")

    rng = random.Random(2024)
    seed = SEED.read_text(encoding="utf-8")
    vocabulary = fresh_vocabulary(rng)
    sets = {
        "seen": [vary(seed, rng, None) for _ in range(args.drafts)],
        "fresh": [vary(seed, rng, vocabulary) for _ in range(args.drafts)],
    }
    hazm_normalizer = Normalizer()
    formatter(seed)  # build the lexicon and hazm's Normalizer once, as the bot does at its first draft
    hazm_normalizer.normalize(seed)

    results: dict[str, object] = {
        "first_call_s": first,
        "draft_chars_median": statistics.median(len(d) for d in sets["seen"] + sets["fresh"]),
    }
    # A first pass over unseen words is the one that pays for them: the formatter's over `fresh`, and
    # the normalizer's alone over another set of unseen words, to show where that time goes.
    results["formatter_fresh_first_pass"] = measure(formatter, sets["fresh"], 1)
    other_vocabulary = fresh_vocabulary(rng)
    other_fresh = [vary(seed, rng, other_vocabulary) for _ in range(args.drafts)]
    results["normalize_text_fresh_first_pass"] = measure(normalize_text, other_fresh, 1)
    for name, drafts in sets.items():
        results[f"formatter_{name}"] = measure(formatter, drafts, args.repeat)
        results[f"normalize_text_{name}"] = measure(normalize_text, drafts, args.repeat)
        results[f"hazm_normalizer_{name}"] = measure(hazm_normalizer.normalize, drafts, args.repeat)
    results["explain_draft_seen"] = measure(explain_draft, sets["seen"], 1)

    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"drafts: {args.drafts} per set, median {results['draft_chars_median']:.0f} characters; one core")
    print(f"first call in a fresh interpreter (imports, lexicon, first draft): {first:.2f} s (target ≤ 2 s)")
    print(f"{'':34} {'drafts/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for key, value in results.items():
        if isinstance(value, dict):
            figures = (value["per_s"], value["p50_ms"], value["p95_ms"], value["p99_ms"])
            print(f"{key:34} {figures[0]:9.0f} {figures[1]:8.2f} {figures[2]:8.2f} {figures[3]:8.2f}")
    print("target: formatter ≥ 300 drafts/s")


if __name__ == "__main__":
    main()
