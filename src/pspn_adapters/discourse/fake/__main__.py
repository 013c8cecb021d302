"""``python -m pspn_adapters.discourse.fake --port 8085``: serve a seeded demo forum."""

from pspn_adapters.discourse.fake.demo import main

raise SystemExit(main())
