"""`newsdesk format` and `newsdesk normalize`: the draft formatter and the Persian clean-up as commands.

Input comes through `bot.core.inputs.read_text` (blank, non-UTF-8, missing or oversized input is a
`UsageError`: one stderr line, exit 2); output goes to stdout as README.md's command line
and docs/commands.md describe it.
`normalize --explain` lists the changes instead of the text; `format --json` adds them as `"changes"`.
"""

from __future__ import annotations

import argparse
import json
import sys

from bot.config import load_settings
from bot.core.inputs import UsageError, read_text
from bot.text.changes import Change, line_and_column, line_starts

MESSAGE_SEPARATOR = "-----"


def cmd_format(args: argparse.Namespace) -> int:
    """Print the Telegram HTML messages of a draft (or, with --json, its parsed structure)."""
    from bot.text.draft import draft_to_json, explain_draft, parse_draft
    from bot.text.render import render_post

    text = read_text(args.file)
    settings = load_settings()
    changes = None
    if args.json:
        draft, changes = explain_draft(text, signature=settings.signature)
    else:
        draft = parse_draft(text)
    messages = render_post(draft, bullet=settings.bullet, signature=settings.signature)
    if draft.headline is None and not draft.blocks:
        raise UsageError(f"{_name(args.file)}: no text left once the markup is taken off")
    if args.json:
        data = draft_to_json(draft, messages, changes=changes, source=text)
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(f"\n{MESSAGE_SEPARATOR}\n".join(messages) + "\n")
    return 0


def cmd_normalize(args: argparse.Namespace) -> int:
    """Print the text with the Persian clean-up applied, line for line."""
    from bot.text.normalize import normalize_explained, normalize_text

    text = read_text(args.file)
    if args.explain:
        _, changes = normalize_explained(text)
        starts = line_starts(text)
        sys.stdout.write("".join(explain_line(change, text, starts) + "\n" for change in changes))
        return 0
    # Lines are what a file's line feeds make (str.splitlines also breaks at U+2028 or a form feed, and
    # turned one line into eight); a line's own separators go to the normalizer as they are.
    ends_with_newline = text.endswith("\n")
    lines = [line.removesuffix("\r") for line in text.removesuffix("\n").split("\n")]
    out = normalize_text("\n".join(lines)).split("\n")
    if len(out) != len(lines):  # the normalizer keeps lines; a mismatch would shift the reader's text
        out = [normalize_text(line).replace("\n", " ") for line in lines]
    sys.stdout.write("\n".join(out) + ("\n" if ends_with_newline else ""))
    return 0


def explain_line(change: Change, text: str, starts: list[int] | None = None) -> str:
    """One change as `--explain` prints it: `line:col<TAB>rule<TAB>before → after` (`!` after the rule
    when the editor should check it; `starts`: `line_starts(text)`, when it is known)."""
    line, column = line_and_column(text, change.start, starts)
    flag = "!" if change.doubtful else ""
    return f"{line}:{column}\t{change.rule}{flag}\t{change.before} → {change.after}"


def _name(source: str | None) -> str:
    return "stdin" if source in (None, "-") else str(source)
