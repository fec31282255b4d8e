"""Reading user-supplied input for the command line, with one clear error for each bad case."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from bot.text.markup import disarm

MAX_DRAFT_CHARS = 100_000


class UsageError(Exception):
    """A user's mistake: the CLI prints the message on one line of stderr and exits with status 2."""


@contextmanager
def _read_errors(name: str) -> Iterator[None]:
    """Turn the OSErrors of opening or reading `name` into one clear UsageError."""
    try:
        yield
    except FileNotFoundError:
        raise UsageError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{name}: is a directory, not a file") from None
    except PermissionError:
        raise UsageError(f"{name}: permission denied") from None
    except OSError as exc:
        raise UsageError(f"{name}: cannot read ({exc.strerror or exc})") from None


def open_binary(name: str) -> tuple[BinaryIO, int]:
    """Open a file (`-`: standard input) for streaming: the binary stream and its size in bytes (0 when
    unknown)."""
    if name == "-":
        return sys.stdin.buffer, 0
    path = Path(name)
    with _read_errors(name):
        return path.open("rb"), path.stat().st_size


def read_text(source: str | None, *, max_chars: int = MAX_DRAFT_CHARS, allow_blank: bool = False) -> str:
    """Read UTF-8 text from a file path, or from stdin when `source` is None or '-', disarmed."""
    name = "stdin" if source in (None, "-") else source
    # Read no more than the cap can hold (4 UTF-8 bytes a character, a BOM, one byte over): a 200 MB
    # file is refused after 400 KB, not read whole first.
    most = max_chars * 4 + 3
    with _read_errors(name):
        if source in (None, "-"):
            raw = sys.stdin.buffer.read(most + 1)
        else:
            with Path(source).open("rb") as stream:
                raw = stream.read(most + 1)
    if len(raw) > most:
        raise UsageError(f"{name}: more than the {max_chars:,} characters allowed")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{name}: not UTF-8 text (invalid byte at offset {exc.start})") from None
    if len(text) > max_chars:
        raise UsageError(f"{name}: {len(text):,} characters, more than the {max_chars:,} allowed")
    if not allow_blank and not text.strip():
        raise UsageError(f"{name}: the draft is blank")
    return disarm(text)  # the desk's own markers (bot.text.markup) cannot come from outside
