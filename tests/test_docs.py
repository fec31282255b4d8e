"""The documentation stays true to the repository: its links resolve, and every setting is described."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.config import Settings

REPO = Path(__file__).resolve().parent.parent
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
_LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_links_point_at_files_in_the_repository(page: Path) -> None:
    targets = [t for t in _LINK.findall(page.read_text(encoding="utf-8")) if "://" not in t]
    for target in targets:
        path = (page.parent / target.split("#", 1)[0]).resolve()
        assert path.is_relative_to(REPO) and path.exists(), f"{page.name} links to missing {target}"


def test_readme_links_only_to_files_in_the_repository() -> None:
    assert not [t for t in _LINK.findall((REPO / "README.md").read_text(encoding="utf-8")) if "://" in t]


def test_every_setting_is_in_env_example_and_docs() -> None:
    example = (REPO / ".env.example").read_text(encoding="utf-8")
    documented = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert re.search(rf"^{name.upper()}=", example, re.MULTILINE), f"{name.upper()} not in .env.example"
        assert f"| `{name.upper()}` |" in documented, f"{name.upper()} not in docs/settings.md"
