"""The `newsdesk` command line: `main` parses arguments; `text` formats and normalizes drafts,
`archive` imports and searches the archive. Other tools rely on its contract (docs/commands.md)."""

from bot.cli.main import main

__all__ = ["main"]
