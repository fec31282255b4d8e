"""The `newsdesk` command line: format, normalize, import, search, run, sandbox.

The contract (arguments, output formats, exit status 2 for unusable input) is in docs/commands.md; other
tools rely on it. Each subcommand's work lives in its own module; this file only parses arguments
and turns a user's mistake into one line on stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.core.inputs import UsageError
from bot.sandbox import DEFAULT_DATABASE


def _format(args: argparse.Namespace) -> int:
    from bot.cli.text import cmd_format

    return cmd_format(args)


def _normalize(args: argparse.Namespace) -> int:
    from bot.cli.text import cmd_normalize

    return cmd_normalize(args)


def _import(args: argparse.Namespace) -> int:
    from bot.cli.archive import cmd_import

    return cmd_import(args)


def _search(args: argparse.Namespace) -> int:
    from bot.cli.archive import cmd_search

    return cmd_search(args)


def _run(args: argparse.Namespace) -> int:
    if args.sandbox_without_token:
        from bot.config import load_settings

        if load_settings().bot_token is None:
            from bot.sandbox.run import cmd_sandbox

            sandbox_args = argparse.Namespace(port=None, db=DEFAULT_DATABASE)
            return cmd_sandbox(sandbox_args, reason="no BOT_TOKEN is configured")
    from bot.app import cmd_run

    return cmd_run(args)


def _sandbox(args: argparse.Namespace) -> int:
    from bot.sandbox.run import cmd_sandbox

    return cmd_sandbox(args)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own exit status is 2 as well
        self.exit(2, f"newsdesk: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = _Parser(prog="newsdesk", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("format", help="reformat a draft into Telegram HTML messages")
    p.add_argument("file", nargs="?", default="-", help="draft file, or - for stdin")
    p.add_argument("--json", action="store_true", help="print the parsed structure as JSON")
    p.set_defaults(func=_format)

    p = sub.add_parser("normalize", help="Persian clean-up only, line by line")
    p.add_argument("file", nargs="?", default="-", help="text file, or - for stdin")
    p.add_argument(
        "--explain", action="store_true", help="list each change (line:col, rule, before → after) instead"
    )
    p.set_defaults(func=_normalize)

    p = sub.add_parser("import", help="import a Telegram Desktop export or JSON Lines into the archive")
    p.add_argument("file", help="result.json or a .jsonl file, or - for stdin")
    p.add_argument("--db", help="SQLite file (default: DATABASE_PATH)")
    p.add_argument(
        "--report", metavar="FILE", help="write every malformed record, with where and why, to FILE"
    )
    p.set_defaults(func=_import)

    p = sub.add_parser("search", help="search the archive")
    p.add_argument("query", nargs="?", help="the words to search for (the query language of /help)")
    p.add_argument("--batch", metavar="FILE", help="one query per line (- for stdin); JSON Lines out")
    p.add_argument("--limit", type=int, default=10, help="results per query (default 10)")
    p.add_argument("--json", action="store_true", help="print results as JSON")
    p.add_argument("--newest", action="store_true", help="newest first instead of the most relevant")
    p.add_argument("--db", help="SQLite file (default: DATABASE_PATH)")
    p.set_defaults(func=_search)

    p = sub.add_parser("run", help="run the bot")
    p.add_argument(
        "--sandbox-without-token",
        action="store_true",
        help="with no BOT_TOKEN configured, run the sandbox instead of failing (what `make run` does)",
    )
    p.set_defaults(func=_run)

    p = sub.add_parser("sandbox", help="the bot against a built-in Telegram emulator, with a web page")
    p.add_argument("--port", type=int, help="the page's port on 127.0.0.1 (default: SANDBOX_PORT, 8080)")
    p.add_argument(
        "--db",
        type=Path,
        default=DEFAULT_DATABASE,
        help=f"the sandbox's own SQLite file, made afresh at each start (default {DEFAULT_DATABASE})",
    )
    p.set_defaults(func=_sandbox)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsdesk` console script."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        # A search for `-word` (an exclusion) is a query, not an unknown option; `--` works as well.
        if args.command != "search" or any(not a.startswith("-") or a.startswith("--") for a in extra):
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
        args.query = " ".join([*([args.query] if args.query else []), *extra])
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except UsageError as exc:
        print(f"newsdesk {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
