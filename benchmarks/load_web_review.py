"""Load test of the web app's note review page for a 20 KB note, over ``pspn serve``.

Builds a throw-away hub (invented people, a 20 KB note of invented minutes with
names, phone numbers and e-mail addresses in it), starts ``pspn serve``
(waitress) in a subprocess, signs a chair in through a one-time link, then
``--clients`` threads fetch ``/notes/1`` over keep-alive connections for
``--seconds``. Every answer must be 200 and show the draft. Prints requests
per second and p50/p99 latency against the target (>= 50 requests/s, p99 <
200 ms). Exit status 0 only if every answer was right and the target was met.

    python benchmarks/load_web_review.py [--clients 4] [--seconds 10] [--kilobytes 20]
"""

from __future__ import annotations

import argparse
import http.client
import random
import re
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from _processes import start_server

from pspn_adapters.web.links import LinkStore
from pspn_core.cli import App
from pspn_core.cli.setup import write_example_config
from pspn_core.membership.model import Member
from pspn_core.membership.service import add_member
from pspn_core.networks.service import setup_network
from pspn_core.notes.keys import create_key_file
from pspn_core.notes.service import add_note

ROLES = """
[networks.pspn.roles]
chairs = ["bram_s"]
note_takers = ["cleo_w"]
"""
PEOPLE = [
    ("ada_l", "Ada Lovelock"),
    ("bram_s", "Bram Stokeley"),
    ("cleo_w", "Cleo Wainwright"),
    ("dev_p", "Dev Patelson"),
    ("edie_k", "Edie Kowalczyk"),
]
LINES = [
    "- {name} said the incident response plan went to the board before partners saw it.",
    "- {name} asked whether anyone had joined an after action review; nobody had.",
    "- Action: {name} to share the induction pack ({user}@example.nhs.uk).",
    "- Posters are up on the wards; the number 07700 900{n:03d} was printed wrong.",
    "- The group agreed to raise this with the Patient Safety Specialist next month.",
]


def make_note(kilobytes: int, rng: random.Random) -> str:
    lines = ["PSP network monthly meeting", "Present: " + ", ".join(n for _, n in PEOPLE), ""]
    while sum(len(line) + 1 for line in lines) < kilobytes * 1024:
        user, name = rng.choice(PEOPLE)
        lines.append(rng.choice(LINES).format(name=name, user=user, n=rng.randrange(1000)))
    return "\n".join(lines) + "\n"


def make_hub(directory: Path, kilobytes: int) -> str:
    """The hub, the note, and a sign-in link token for the chair."""
    write_example_config(directory)
    config = directory / "pspn.toml"
    config.write_text(config.read_text(encoding="utf-8") + ROLES, encoding="utf-8")
    app = App(config, environ={})
    network = app.network("pspn")
    setup_network(network, app.store, app.forum("pspn"), app.plugins)
    for username, name in PEOPLE:
        member = Member(network="pspn", username=username, display_name=name)
        add_member(network, member, app.store, app.forum("pspn"), app.plugins)
    create_key_file(app.config.key_file)
    text = make_note(kilobytes, random.Random(7))
    note, findings = add_note(
        network, text, store=app.store, keys=app.keys, plugins=app.plugins, by="cleo_w"
    )
    print(f"note {note.id}: {len(text.encode()) // 1024} KB, {len(findings)} redactions")
    token = LinkStore(app.config.data_dir, clock=lambda: datetime.now(UTC)).issue("bram_s", 15)
    app.store.close()
    return token


def sign_in(port: int, token: str) -> str:
    """The session cookie after using the link as a browser would."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", f"/sign-in/{token}")
    answer = conn.getresponse()
    page = answer.read().decode()
    cookie = answer.getheader("Set-Cookie", "").split(";", 1)[0]
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert csrf, "no CSRF token on the sign-in page"
    conn.request(
        "POST",
        f"/sign-in/{token}",
        body=f"csrf_token={csrf.group(1)}",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    answer = conn.getresponse()
    answer.read()
    assert answer.status == 302, answer.status
    return answer.getheader("Set-Cookie", "").split(";", 1)[0]


def hammer(port: int, cookie: str, clients: int, seconds: float) -> tuple[list[float], int]:
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        nonlocal failures
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine, bad = [], 0
        while time.monotonic() < stop:
            started = time.perf_counter()
            conn.request("GET", "/notes/1", headers={"Cookie": cookie})
            answer = conn.getresponse()
            body = answer.read()
            mine.append(time.perf_counter() - started)
            if answer.status != 200 or b'<mark class="redaction"' not in body:
                bad += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            failures += bad

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 30)
    return latencies, failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--kilobytes", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pspn-web-load-") as folder:
        hub = Path(folder)
        token = make_hub(hub, args.kilobytes)
        process, port = start_server(hub)
        try:
            cookie = sign_in(port, token)
            hammer(port, cookie, 1, 1.0)  # warm up: templates compiled, stores opened
            latencies, failures = hammer(port, cookie, args.clients, args.seconds)
        finally:
            process.terminate()
            process.wait(30)
    latencies.sort()
    count = len(latencies)
    rate = count / args.seconds
    p50 = latencies[count // 2] * 1000
    p99 = latencies[min(count - 1, int(count * 0.99))] * 1000
    print(f"{count} requests in {args.seconds:.0f} s with {args.clients} clients: {rate:.1f}/s")
    print(f"latency p50 {p50:.1f} ms, p99 {p99:.1f} ms; wrong answers: {failures}")
    met = rate >= 50 and p99 < 200 and failures == 0
    print(f"target (>= 50/s, p99 < 200 ms, no wrong answer): {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
