"""The documentation stays true to the repository: its links resolve, and every setting is described."""

from __future__ import annotations

import argparse
import re
import socket
from pathlib import Path

import pytest

from bot.config import Settings
from tests.botapi.fixtures import bot_environment

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
    documented = (REPO / "docs/settings.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert re.search(rf"^{name.upper()}=", example, re.MULTILINE), f"{name.upper()} not in .env.example"
        assert f"| `{name.upper()}` |" in documented, f"{name.upper()} not in docs/settings.md"


def _fenced(text: str, language: str) -> str:
    """The one ```language block of `text`."""
    blocks = re.findall(rf"^```{language}\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    assert len(blocks) == 1, f"expected one {language} block, found {len(blocks)}"
    return blocks[0]


def test_webhook_section_and_proxy_examples_match_run_webhook(botapi, tmp_path, monkeypatch) -> None:
    """docs/deployment.md's webhook settings, run through `newsdesk run` as written: the address it
    listens on, the path it serves (bot.webhook) and the secret are what the nginx and Caddy examples
    forward to, unchanged."""
    from bot import app
    from bot.webhook import served_path

    section = (REPO / "docs/deployment.md").read_text(encoding="utf-8").split("## 3.")[1].split("## 4.")[0]
    documented = dict(line.split("=", 1) for line in _fenced(section, "ini").split())
    environment = bot_environment(botapi, tmp_path / "newsdesk.sqlite3")
    monkeypatch.chdir(tmp_path)  # no .env
    for name in ("BOT_TOKEN", "CHANNEL_ID", "EDITOR_IDS", "TELEGRAM_API_URL", "DATABASE_PATH"):
        monkeypatch.setenv(name, environment[name])
    for name, value in documented.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(app, "configure_logging", lambda *args, **kwargs: None)  # pytest's handlers stay
    captured: dict[str, object] = {}

    def listen(settings) -> socket.socket:  # the documented port may be taken on this machine
        captured.update(listen=settings.webhook_listen, port=settings.webhook_port)
        return socket.socket()

    async def run(settings, secret, listening) -> None:
        assert listening is not None
        captured.update(url_path=served_path(settings.webhook_url).strip("/"),
                        webhook_url=settings.webhook_url, secret_token=secret)  # fmt: skip

    monkeypatch.setattr(app, "listen", listen)
    monkeypatch.setattr(app, "_run", run)
    assert app.cmd_run(argparse.Namespace()) == 0

    path = "/" + str(captured["url_path"])
    upstream = f"{captured['listen']}:{captured['port']}"
    assert captured["webhook_url"] == documented["WEBHOOK_URL"] == f"https://news.example.org{path}"
    assert captured["secret_token"] == documented["WEBHOOK_SECRET"]
    assert upstream == f"{documented['WEBHOOK_LISTEN']}:{documented['WEBHOOK_PORT']}"
    assert f"`{path}`" in section and "BOT_TOKEN>" not in section  # the prose names the served path
    nginx = _fenced(section, "nginx")
    # `location = /telegram` and `proxy_pass http://host:port;` without a URI: nginx passes the path on.
    assert re.search(rf"^\s*location = {re.escape(path)} \{{$", nginx, re.MULTILINE), nginx
    assert re.search(rf"^\s*proxy_pass http://{re.escape(upstream)};", nginx, re.MULTILINE), nginx
    caddy = _fenced(section, "caddy")
    assert re.search(rf"^\s*reverse_proxy {re.escape(path)} {re.escape(upstream)}$", caddy, re.MULTILINE)
    assert "handle_path" not in caddy and "strip_prefix" not in caddy  # either would cut the path off


# Paths into the repository as prose and code cite them (`bot/app.py`, `tests/data`, docs/sandbox.md),
# and any *.md file named on its own (README.md): each must be there.
_REPO_PATH = re.compile(r"(?<![\w./-])((?:bot|handlers|storage|tests|docs|benchmarks|\.ci)/[\w./*-]*[\w*])")
_MD_NAME = re.compile(r"(?<![\w./-])([\w.-]+\.md)\b")


def _own_files(*patterns: str) -> list[Path]:
    """The repository's own files (not the virtualenv, build output, caches or .git)."""
    found = []
    for pattern in patterns:
        for path in REPO.rglob(pattern):
            parts = path.relative_to(REPO).parts[:-1]
            if not any((p.startswith(".") and p != ".ci") or p.endswith(".egg-info") for p in parts):
                found.append(path)
    return sorted(found)


def test_every_cited_repository_file_exists() -> None:
    missing = []
    for source in _own_files("*.py", "*.md"):
        text = source.read_text(encoding="utf-8")
        for cited in _REPO_PATH.findall(text):
            there = REPO.glob(cited) if "*" in cited else [REPO / cited]
            if not any(p.exists() for p in there):
                missing.append(f"{source.relative_to(REPO)}: {cited}")
        for name in _MD_NAME.findall(text):
            if not ((source.parent / name).exists() or (REPO / name).exists()):
                missing.append(f"{source.relative_to(REPO)}: {name}")
    assert not missing, "references to files that are not in the repository:\n" + "\n".join(missing)
