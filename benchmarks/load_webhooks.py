"""Load and abuse test of ``pspn serve``'s Discourse webhook on 127.0.0.1.

Starts ``pspn serve`` (waitress) in a subprocess against a throw-away hub, then
8 client threads send 10,000 signed deliveries over keep-alive connections: a
tenth repeat an earlier delivery's id (as Discourse's redeliveries do) and a
twentieth are forged (signed with the wrong secret). Half the genuine ones
raise a topic (a write), the rest are events pspn ignores.

Checks that every forged delivery got 401, every genuine id was accepted once
and answered "duplicate" after, and that the store holds each genuine id and
each raised topic exactly once. Prints throughput and p50/p99 latency against
the target (>= 300 deliveries/s, p99 < 100 ms). Bounded: stops after
``--timeout`` seconds whatever happens. Exit status 0 only if every check holds.

    python benchmarks/load_webhooks.py [--deliveries 10000] [--clients 8]
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from _processes import start_server

from pspn_adapters.discourse.webhooks import signature
from pspn_core.cli.setup import write_example_config
from pspn_core.store import SqliteStore

SECRET = "load-test-webhook-secret"
TOPICS_CATEGORY = 12
SERVER_TABLES = f"""
[adapters.server]
threads = 8

[adapters.server.networks.pspn]
topics_category_id = {TOPICS_CATEGORY}
"""


@dataclass(frozen=True)
class Delivery:
    event_id: str
    event: str
    body: bytes
    forged: bool


def make_deliveries(total: int, rng: random.Random) -> list[Delivery]:
    forged_count, duplicate_count = total // 20, total // 10
    genuine = []
    for number in range(total - forged_count - duplicate_count):
        event_id = str(100_000 + number)
        if number % 2:
            payload = {"post": {"id": number, "topic_id": 7, "raw": "An ordinary reply."}}
            genuine.append(Delivery(event_id, "post_created", json.dumps(payload).encode(), False))
        else:
            topic = {"id": number, "title": f"Topic {number}", "category_id": TOPICS_CATEGORY}
            body = json.dumps({"topic": topic}).encode()
            genuine.append(Delivery(event_id, "topic_created", body, False))
    duplicates = [rng.choice(genuine) for _ in range(duplicate_count)]
    forged = [
        Delivery(str(900_000 + n), "topic_created", b'{"topic":{"title":"forged"}}', True)
        for n in range(forged_count)
    ]
    deliveries = genuine + duplicates + forged
    rng.shuffle(deliveries)
    return deliveries


def send_all(
    port: int, deliveries: list[Delivery], clients: int, deadline: float
) -> list[tuple[Delivery, int, str, float]]:
    results: list[tuple[Delivery, int, str, float]] = []
    lock = threading.Lock()
    cursor = iter(deliveries)

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine = []
        while time.monotonic() < deadline:
            with lock:
                delivery = next(cursor, None)
            if delivery is None:
                break
            secret = b"not-the-secret-at-all" if delivery.forged else SECRET.encode()
            headers = {
                "Content-Type": "application/json",
                "X-Discourse-Event-Id": delivery.event_id,
                "X-Discourse-Event": delivery.event,
                "X-Discourse-Event-Signature": signature(secret, delivery.body),
            }
            began = time.perf_counter()
            connection.request("POST", "/webhooks/discourse", delivery.body, headers)
            response = connection.getresponse()
            data = response.read()
            elapsed = time.perf_counter() - began
            status = json.loads(data).get("status", "") if response.status == 200 else ""
            mine.append((delivery, response.status, status, elapsed))
        connection.close()
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(1.0, deadline - time.monotonic()))
    return results


def check(results: list[tuple[Delivery, int, str, float]], hub: Path, total: int) -> list[str]:
    problems = []
    if len(results) != total:
        problems.append(f"only {len(results)} of {total} deliveries were answered")
    forged_ok = all(status == 401 for d, status, _, _ in results if d.forged)
    if not forged_ok:
        problems.append("a forged delivery was not refused with 401")
    accepted = Counter(d.event_id for d, status, s, _ in results if s == "accepted")
    genuine = {d.event_id for d, _, _, _ in results if not d.forged}
    if set(accepted) != genuine or any(n != 1 for n in accepted.values()):
        problems.append("some genuine id was not accepted exactly once")
    if any(s not in ("accepted", "duplicate") for d, _, s, _ in results if not d.forged):
        problems.append("a genuine delivery got neither 'accepted' nor 'duplicate'")
    store = SqliteStore(hub / "pspn-data")
    try:
        recorded = [str(r["delivery_id"]) for r in store.deliveries("discourse")]
        if sorted(recorded) != sorted(genuine):
            problems.append(f"the store holds {len(recorded)} ids for {len(genuine)} genuine ones")
        topics = Counter(t.title for t in store.topics("pspn"))
        raised = {
            json.loads(d.body)["topic"]["title"]
            for d, _, _, _ in results
            if not d.forged and d.event == "topic_created"
        }
        if set(topics) != raised or any(n != 1 for n in topics.values()):
            problems.append("raised topics are not stored exactly once each")
    finally:
        store.close()
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deliveries", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--timeout", type=float, default=300.0, help="stop after this long")
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    deliveries = make_deliveries(args.deliveries, random.Random(args.seed))
    with tempfile.TemporaryDirectory(prefix="pspn-load-") as folder:
        hub = Path(folder)
        write_example_config(hub)
        config = hub / "pspn.toml"
        config.write_text(config.read_text(encoding="utf-8") + SERVER_TABLES, encoding="utf-8")
        setup = [sys.executable, "-c", "from pspn_core.cli import main; main()"]
        subprocess.run(
            [*setup, "--config", str(config), "networks", "setup"], check=True, capture_output=True
        )
        process, port = start_server(hub, {"PSPN_DISCOURSE_WEBHOOK_SECRET": SECRET})
        try:
            began = time.perf_counter()
            results = send_all(port, deliveries, args.clients, time.monotonic() + args.timeout)
            wall = time.perf_counter() - began
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        problems = check(results, hub, len(deliveries))
    latencies = sorted(r[3] for r in results) or [0.0]
    p50 = latencies[len(latencies) // 2] * 1000
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
    rate = len(results) / wall if wall else 0.0
    statuses = Counter((r[1], r[2]) for r in results)
    print(f"{len(results)} deliveries from {args.clients} clients in {wall:.1f} s")
    print(f"answers: {dict(sorted(statuses.items()))}")
    print(
        f"throughput {rate:.0f}/s (target >= 300), p50 {p50:.1f} ms, p99 {p99:.1f} ms "
        "(target < 100)"
    )
    for problem in problems:
        print(f"FAILED: {problem}")
    if not problems:
        print("every genuine delivery recorded exactly once; every forged one refused")
    met = rate >= 300 and p99 < 100
    print("targets met" if met else "targets MISSED")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
