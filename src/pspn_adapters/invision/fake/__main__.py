"""``python -m pspn_adapters.invision.fake --port 8086 --seed``: serve a fake community."""

from pspn_adapters.invision.fake.demo import main

raise SystemExit(main())
