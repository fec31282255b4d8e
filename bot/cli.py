"""The `newsdesk` command line: format, normalize, import, search, run.

The contract (arguments, output formats, exit status 2 for unusable input) is in DESIGN.md; other
tools rely on it. Each subcommand's work lives in its own module; this file only parses arguments
and turns a user's mistake into one line on stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from bot.inputs import UsageError


def _format(args: argparse.Namespace) -> int:
    from bot.cli_text import cmd_format

    return cmd_format(args)


def _normalize(args: argparse.Namespace) -> int:
    from bot.cli_text import cmd_normalize

    return cmd_normalize(args)


def _import(args: argparse.Namespace) -> int:
    from bot.cli_archive import cmd_import

    return cmd_import(args)


def _search(args: argparse.Namespace) -> int:
    from bot.cli_archive import cmd_search

    return cmd_search(args)


def _run(args: argparse.Namespace) -> int:
    from bot.app import cmd_run

    return cmd_run(args)


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
    p.set_defaults(func=_normalize)

    p = sub.add_parser("import", help="import a Telegram Desktop export or JSON Lines into the archive")
    p.add_argument("file", help="result.json or a .jsonl file")
    p.add_argument("--db", help="SQLite file (default: DATABASE_PATH)")
    p.set_defaults(func=_import)

    p = sub.add_parser("search", help="search the archive")
    p.add_argument("query", nargs="?", help="the words to search for")
    p.add_argument("--batch", metavar="FILE", help="one query per line; JSON Lines out")
    p.add_argument("--limit", type=int, default=10, help="results per query (default 10)")
    p.add_argument("--json", action="store_true", help="print results as JSON")
    p.add_argument("--db", help="SQLite file (default: DATABASE_PATH)")
    p.set_defaults(func=_search)

    p = sub.add_parser("run", help="run the bot")
    p.set_defaults(func=_run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsdesk` console script."""
    args = build_parser().parse_args(argv)
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
