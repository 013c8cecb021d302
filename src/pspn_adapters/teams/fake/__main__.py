"""``python -m pspn_adapters.teams.fake --port 0``: serve a fake Microsoft Graph."""

from __future__ import annotations

import argparse
import time

from pspn_adapters.teams.fake import FakeGraph


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve a fake Microsoft Graph for dry runs.")
    parser.add_argument("--port", type=int, default=8086, help="0 picks a free port")
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    with FakeGraph(host=args.host, port=args.port) as fake:
        lines = [f"Fake Microsoft Graph on {fake.url}", "", "[hub]", 'platform = "teams"', ""]
        lines.append("[platforms.teams]")
        lines += [f'{key} = "{value}"' for key, value in fake.settings().items()]
        lines += ["", f"export PSPN_TEAMS_SECRET={fake.tenant.client_secret}   # the fake's"]
        print("\n".join(lines), flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print(f"\n{len(fake.requests)} requests, {len(fake.violations)} contract violations")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
