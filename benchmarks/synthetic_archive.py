"""A reproducible synthetic news archive: Zipf draws over hazm's `words.dat`, for benchmarks and tests.

How: the lexicon's words that hazm saw in its corpus are ranked by that frequency and drawn with
probability ∝ 1 / (rank + ZIPF_OFFSET) ** ZIPF_EXPONENT from one `random.Random(seed)`, so the same
seed and size always give the same articles: a 6–14-word title, an 80–300-word body (configurable),
publication times one to a few minutes apart, oldest first, like a busy channel.
Run as a script to write JSON Lines for `newsdesk import`:
    python -m benchmarks.synthetic_archive OUT.jsonl --count 100000 [--seed 1403]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from bot.text.lexicon import word_count, words

ZIPF_EXPONENT = 1.0
ZIPF_OFFSET = 2.7
START = datetime(2023, 3, 21, tzinfo=UTC)


@cache
def vocabulary() -> tuple[tuple[str, ...], tuple[float, ...]]:
    """(words by descending corpus frequency, cumulative Zipf weights) — words with spaces excluded."""
    seen = (w for w in words() if word_count(w) > 0 and " " not in w)
    ranked = sorted(seen, key=lambda w: (-word_count(w), w))
    weights = [1.0 / (rank + ZIPF_OFFSET) ** ZIPF_EXPONENT for rank in range(len(ranked))]
    return tuple(ranked), tuple(itertools.accumulate(weights))


def articles(
    count: int, *, seed: int = 1403, min_words: int = 80, max_words: int = 300, first_id: int = 1
) -> Iterator[dict]:
    """`count` articles as JSON Lines records {id, title, body, published_at, url}."""
    rng = random.Random(seed)
    vocab, cumulative = vocabulary()
    moment = START
    for number in range(first_id, first_id + count):
        moment += timedelta(seconds=rng.randint(60, 600))
        title = " ".join(rng.choices(vocab, cum_weights=cumulative, k=rng.randint(6, 14)))
        body_words = rng.choices(vocab, cum_weights=cumulative, k=rng.randint(min_words, max_words))
        # Sentences of 8–20 words, so snippets and the analyzer see punctuation as in real text.
        sentences, i = [], 0
        while i < len(body_words):
            step = rng.randint(8, 20)
            sentences.append(" ".join(body_words[i : i + step]) + ".")
            i += step
        yield {
            "id": f"syn-{number}",
            "title": title,
            "body": " ".join(sentences),
            "published_at": moment.isoformat(timespec="seconds"),
            "url": f"https://t.me/synthetic/{number}",
        }


def write_jsonl(path: Path, count: int, *, seed: int = 1403, **kwargs: int) -> Path:
    """Write `count` synthetic articles to `path` as JSON Lines."""
    with path.open("w", encoding="utf-8") as out:
        for record in articles(count, seed=seed, **kwargs):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    """Command-line entry: write a synthetic archive."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1403)
    args = parser.parse_args()
    write_jsonl(args.out, args.count, seed=args.seed)


if __name__ == "__main__":
    main()
