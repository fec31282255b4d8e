"""Formatting an editor's draft off the event loop, with a time limit.

Why: `prepare_post` is pure Python (regular expressions, the normalizer, the splitter); run on the
event loop, a 100,000-character draft holds every subscriber's search for as long as it takes. The
patterns are linear now (tests/publishing/test_formatting.py checks that 10× the text costs at most 30× the
time), but a draft is untrusted input, so the limit stays as a safety net.

How: one worker process (`Formatter`, made by `bot.core.workers.worker_pool`: it ends with the bot if
the bot is killed, and the bot closes it at shutdown) formats drafts one after another. A thread would
not do: the work holds the interpreter lock (re and str methods keep it), so the loop still stalls (a
97,000-character draft: 470 ms on the loop, 48 ms stalls from a thread, 8 ms from the process), and a
thread that runs too long cannot be stopped. A process can: when a draft is not done within the limit
its process is killed, `FormattingTimeout` is raised, and the next draft gets a fresh process.
"""

from __future__ import annotations

import asyncio
import functools
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from bot.core.workers import stop_pool, worker_pool
from bot.text.changes import Change
from bot.text.draft import drop_closing_lines, explain_draft, parse_draft
from bot.text.markup import strip_markup
from bot.text.render import render_post

FORMAT_TIMEOUT_SECONDS = 10.0  # a 100,000-character draft takes about 0.2 s; a cold process ~2 s more


TITLE_FALLBACK_CHARS = 120  # a draft without a headline is archived under its first words
_NOT_CONTENT = ("#", "@", "http://", "https://", "t.me/")  # hashtags, handles, links: no post alone


@dataclass(frozen=True, slots=True)
class PreparedPost:
    """A draft made ready for the channel: archive title and body, and the exact HTML messages.
    `has_content`: something is left besides markers, the signature and hashtags."""

    title: str
    body: str
    messages: list[str]
    has_content: bool = True
    source_text: str | None = None  # the editor's text it was made from (None: a held correction)


def prepare_post(text: str, *, bullet: str, signature: str, credit: str = "") -> PreparedPost:
    """Parse and render a draft once; the preview shows, and the channel gets, these messages.
    `credit`: a forwarded post's source line (bot.core.source), kept in the archive's body too."""
    draft = drop_closing_lines(parse_draft(text), signature, credit)  # pasted back: signed once
    messages = render_post(draft, bullet=bullet, signature=signature, credit=credit)
    # The archive keeps the words: the editor's formatting (bot.text.markup) stays in the messages.
    blocks = [(block.kind, strip_markup(block.text)) for block in draft.blocks]
    headline = strip_markup(draft.headline or "")
    body = "\n\n".join([*(text for _, text in blocks), *([strip_markup(credit)] if credit else [])])
    title = headline or (blocks[0][1][:TITLE_FALLBACK_CHARS] if blocks else "")
    texts = [headline, *(text for kind, text in blocks if kind != "footer")]
    words = [word for text in texts for word in text.split() if not word.startswith(_NOT_CONTENT)]
    has_content = any(char.isalnum() for word in words for char in word)
    return PreparedPost(title, body, messages, has_content, source_text=text)


class FormattingTimeout(Exception):
    """A draft took longer than the limit to format (its worker process was stopped)."""


class Formatter:
    """The worker process that formats drafts: started at first use, replaced when killed or dead, and
    closed by its owner (the bot, at shutdown: bot.app)."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None

    async def prepare(
        self,
        text: str,
        *,
        bullet: str,
        signature: str,
        credit: str = "",
        timeout: float = FORMAT_TIMEOUT_SECONDS,
    ) -> PreparedPost:
        """`prepare_post` in the formatting process; `FormattingTimeout` if it takes longer than
        `timeout` seconds (then the draft should be refused: tell the editor it is too complex)."""
        call = functools.partial(prepare_post, text, bullet=bullet, signature=signature, credit=credit)
        return await self._bounded(call, timeout)

    async def explain(
        self, text: str, *, signature: str, timeout: float = FORMAT_TIMEOUT_SECONDS
    ) -> list[Change]:
        """What the clean-up changes in a draft (`bot.text.draft.explain_draft`), in the formatting
        process under the same limit: the editor's "what changed" list."""
        return await self._bounded(functools.partial(_changes, text, signature), timeout)

    def warm_up(self, *, bullet: str, signature: str) -> asyncio.Future[PreparedPost]:
        """Start the process and load its lexicons now: the first draft's preview then takes
        milliseconds, not the 3–5 s of a cold process (measured in issue 19). The caller owns the
        future (awaits or cancels it)."""
        call = functools.partial(prepare_post, "?خبر\nمتن", bullet=bullet, signature=signature)
        return asyncio.get_running_loop().run_in_executor(self._started(), call)

    def kill(self) -> None:
        """Stop the worker process now, whatever it is doing."""
        pool, self._pool = self._pool, None
        if pool is not None:
            stop_pool(pool)

    async def close(self) -> None:
        """Stop the process once the draft it is formatting (if any) is done; queued ones are dropped.
        Waited for in a thread, so the event loop goes on meanwhile."""
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)

    @property
    def running(self) -> bool:
        """Whether a worker process has been started and not closed or killed since."""
        return self._pool is not None

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = worker_pool()
        return self._pool

    async def _bounded[T](self, call: functools.partial[T], timeout: float) -> T:
        try:
            return await self._run(call, timeout)
        except BrokenProcessPool:  # the process died (killed from outside, out of memory): a new one
            self.kill()
            return await self._run(call, timeout)

    async def _run[T](self, call: functools.partial[T], timeout: float) -> T:
        future = asyncio.get_running_loop().run_in_executor(self._started(), call)
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            self.kill()
            raise FormattingTimeout(f"formatting took longer than {timeout:g} s") from None


def _changes(text: str, signature: str) -> list[Change]:
    return explain_draft(text, signature=signature)[1]
