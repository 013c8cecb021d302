"""Forum adapters for pspn: local (embedded, the default), Discourse and Invision."""

__all__: list[str] = []
