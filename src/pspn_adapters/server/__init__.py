"""``pspn serve``: webhooks from the forums, a private calendar feed, and the members' app.

The commands (``pspn serve``, ``pspn calendar token``) are declared in the
``pspn.commands`` entry-point group, so ``pspn --help`` lists them without
importing this package; waitress and the request handlers are imported when
``serve`` runs. The pieces: :mod:`.app` (the WSGI application), :mod:`.effects`
(acting on a forum's delivery through the core's use cases; each forum adapter
reads its own deliveries), :mod:`.calendar` (the ICS feed), :mod:`.serve` (waitress).
"""

from __future__ import annotations

__all__: list[str] = []
