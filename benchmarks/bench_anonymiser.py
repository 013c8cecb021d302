"""Benchmark the anonymiser: a 1 MB Teams transcript against a 10,000-person hub roster.

Usage: python benchmarks/bench_anonymiser.py [--megabytes 1] [--people 10000] [--seed 7]

Prints the one-off word-data load, the roster compile time, characters per
second after compiling, and peak memory (tracemalloc, Python allocations).
Everything is generated from a fixed seed: invented names, Ofcom drama
numbers, example.org addresses.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
import tracemalloc

from pspn_core.notes.anonymiser import RosterEntry, anonymise, compile_roster
from pspn_core.notes.anonymiser.lexicon import lexicon

_SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "re",
    "sa",
    "tu",
    "ven",
    "dor",
    "bel",
    "fin",
    "gar",
    "hol",
    "jas",
    "mer",
    "nor",
    "pel",
    "quin",
    "ros",
    "tam",
    "wil",
]
_ORG_WORDS = [
    "North",
    "South",
    "East",
    "West",
    "Royal",
    "County",
    "City",
    "Valley",
    "Park",
    "Forest",
    "Bay",
    "Hill",
]
_WORDS = [
    "the",
    "patient",
    "safety",
    "meeting",
    "was",
    "about",
    "how",
    "we",
    "learn",
    "from",
    "incidents",
    "and",
    "involve",
    "families",
    "in",
    "the",
    "review",
    "so",
    "that",
    "the",
    "board",
    "hears",
    "what",
    "matters",
    "we",
    "agreed",
    "to",
    "share",
    "the",
    "plan",
    "and",
    "bring",
    "examples",
    "next",
    "month",
    "because",
    "the",
    "committee",
    "papers",
    "came",
    "late",
    "again",
    "and",
    "nobody",
    "had",
    "time",
]


def make_roster(people: int, rng: random.Random) -> list[RosterEntry]:
    firsts = sorted(lexicon().first_names)
    entries = []
    for n in range(people):
        first = rng.choice(firsts).capitalize()
        last = "".join(rng.choice(_SYLLABLES) for _ in range(3)).capitalize()
        org = f"{rng.choice(_ORG_WORDS)} {last[:4]}ton NHS Foundation Trust"
        entries.append(RosterEntry(f"{first} {last}", f"{first.lower()}{n}", org))
    return entries


def make_transcript(size: int, roster: list[RosterEntry], rng: random.Random) -> str:
    parts = ["WEBVTT\n"]
    total, cue = 0, 0
    while total < size:
        cue += 1
        speaker = rng.choice(roster).name
        words = [rng.choice(_WORDS) for _ in range(rng.randint(12, 40))]
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words)), rng.choice(roster).name.split()[0])
        if rng.random() < 0.05:
            words.append(f"call me on 07700 900{rng.randint(0, 999):03d}")
        if rng.random() < 0.05:
            words.append(f"at {rng.choice(roster).organisation}")
        line = (
            f"\n{cue}\n00:{cue // 60 % 60:02d}:{cue % 60:02d}.000 --> 00:{cue // 60 % 60:02d}:"
            f"{cue % 60:02d}.900\n<v {speaker}>{' '.join(words).capitalize()}.</v>\n"
        )
        parts.append(line)
        total += len(line)
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--megabytes", type=float, default=1.0)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    started = time.perf_counter()
    lexicon()
    print(f"word data load (once per process): {time.perf_counter() - started:.2f} s")
    roster = make_roster(args.people, rng)
    text = make_transcript(int(args.megabytes * 1_000_000), roster, rng)

    started, cpu = time.perf_counter(), time.process_time()
    compiled = compile_roster(roster)
    compile_seconds = time.perf_counter() - started
    compile_cpu = time.process_time() - cpu
    runs, cpu_runs = [], []
    for _ in range(args.repeat):
        started, cpu = time.perf_counter(), time.process_time()
        note = anonymise(text, roster=compiled, secret=b"bench")
        runs.append(time.perf_counter() - started)
        cpu_runs.append(time.process_time() - cpu)
    best, best_cpu = min(runs), min(cpu_runs)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # memory in a separate pass: tracing allocations slows everything down
    tracemalloc.start()
    anonymise(text, roster=compile_roster(roster), secret=b"bench")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(
        f"roster: {args.people:,} people; compile: {compile_seconds:.2f} s "
        f"(CPU {compile_cpu:.2f} s)"
    )
    print(f"transcript: {len(text):,} characters; {len(note.findings):,} findings")
    print(
        f"anonymise (best of {args.repeat}): {best:.2f} s = "
        f"{len(text) / best / 1e6:.2f} M characters/s "
        f"(CPU time {best_cpu:.2f} s = {len(text) / best_cpu / 1e6:.2f} M characters/s)"
    )
    print(f"peak Python allocations (compile + anonymise): {peak / 1e6:.0f} MB")
    print(f"peak resident memory before tracing (word data, roster, text): {rss:.0f} MB")


if __name__ == "__main__":
    main()
