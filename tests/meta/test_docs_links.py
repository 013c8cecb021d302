"""The docs are plain Markdown read on GitHub or from the sdist: every relative link
and every ``#anchor`` in them must lead somewhere (there is no build to catch it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")


def _anchors(page: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    headings = re.findall(r"^#{1,6}\s+(.+?)\s*$", text, flags=re.M)
    return {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page: Path) -> None:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    broken = []
    for target in LINK.findall(text):
        if re.match(r"^[a-z]+:", target):
            continue  # http(s), mailto: not checked here (no network in tests)
        path, _, anchor = target.partition("#")
        found = (page.parent / path).resolve() if path else page
        if not found.exists() or (
            anchor and found.suffix == ".md" and anchor not in _anchors(found)
        ):
            broken.append(target)
    assert broken == []


def test_no_page_uses_markup_that_nothing_builds() -> None:
    """MyST labels like ``(name)=`` and roles like ``{ref}`` render as raw text."""
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"^\([\w-]+\)=$|\{(ref|doc)\}`", text, flags=re.M), page
