"""bot.lanes without Telegram: whose update is an editor's, and what waits for what."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import pytest
from telegram import Chat, InlineQuery, Message, Update, User

from bot.lanes import EditorsFirst

EDITOR, READER, GROUP = 1001, 2002, -100500
WHEN = datetime(2026, 12, 6, tzinfo=UTC)


def message_update(user_id: int, chat_id: int, update_id: int = 1) -> Update:
    chat = Chat(chat_id, Chat.PRIVATE if chat_id > 0 else Chat.SUPERGROUP)
    message = Message(update_id, WHEN, chat, from_user=User(user_id, "x", False), text="متن")
    return Update(update_id, message=message)


def test_editors_updates_follow_their_chat_and_everyone_elses_none() -> None:
    lanes = EditorsFirst(frozenset({EDITOR}))
    inline = Update(2, inline_query=InlineQuery("q", User(EDITOR, "x", False), "بودجه", ""))
    assert lanes.editor_chat(message_update(EDITOR, EDITOR)) == EDITOR
    assert lanes.editor_chat(message_update(EDITOR, GROUP)) == GROUP  # an editor in a group
    assert lanes.editor_chat(inline) == EDITOR  # no chat: the editor's own
    assert lanes.editor_chat(message_update(READER, READER)) is None
    assert lanes.editor_chat(message_update(READER, GROUP)) is None
    assert lanes.editor_chat("not an update") is None


async def test_an_editors_update_runs_while_every_subscriber_slot_is_taken() -> None:
    lanes = EditorsFirst(frozenset({EDITOR}), subscribers_at_once=2)
    hold, running, done = asyncio.Event(), [], []

    async def handle(name: str) -> None:
        running.append(name)
        if name.startswith("reader"):
            await hold.wait()
        done.append(name)

    readers = [
        asyncio.create_task(lanes.process_update(message_update(READER, READER, n), handle(f"reader {n}")))
        for n in range(3)
    ]
    await asyncio.sleep(0)
    editor = lanes.process_update(message_update(EDITOR, EDITOR, 9), handle("editor"))
    await asyncio.wait_for(editor, timeout=5)
    assert running == ["reader 0", "reader 1", "editor"]  # the third reader waits for a slot
    hold.set()
    await asyncio.gather(*readers)
    assert sorted(done) == ["editor", "reader 0", "reader 1", "reader 2"]


async def test_an_editors_updates_in_one_chat_run_one_after_another_in_arrival_order() -> None:
    lanes = EditorsFirst(frozenset({EDITOR}))
    order: list[str] = []

    async def handle(name: str, steps: int) -> None:
        order.append(f"{name} starts")
        for _ in range(steps):  # the draft takes longer than its edit
            await asyncio.sleep(0)
        order.append(f"{name} ends")

    await asyncio.gather(
        lanes.process_update(message_update(EDITOR, EDITOR, 1), handle("draft", 5)),
        lanes.process_update(message_update(EDITOR, EDITOR, 2), handle("edit", 0)),
    )
    assert order == ["draft starts", "draft ends", "edit starts", "edit ends"]


async def test_at_shutdown_waiting_subscribers_are_dropped_and_every_editors_update_handled(
    caplog: pytest.LogCaptureFixture,
) -> None:
    lanes = EditorsFirst(frozenset({EDITOR}), subscribers_at_once=2)
    hold, started, done = asyncio.Event(), [], []

    async def handle(name: str) -> None:
        started.append(name)
        await hold.wait()
        done.append(name)

    readers = [
        lanes.process_update(message_update(READER, READER, n), handle(f"reader {n}")) for n in range(50)
    ]
    editors = [
        lanes.process_update(message_update(EDITOR, EDITOR, 100 + n), handle(f"editor {n}")) for n in range(3)
    ]
    updates = [asyncio.create_task(update) for update in (*readers, *editors)]
    await asyncio.sleep(0)
    assert started == ["reader 0", "reader 1", "editor 0"]  # the others wait for a slot or their turn
    with caplog.at_level(logging.INFO, logger="bot.lanes"):
        shutdown = asyncio.create_task(lanes.shutdown())
        for _ in range(100):
            await asyncio.sleep(0)
        assert not shutdown.done()  # the running updates have not finished
        hold.set()
        await asyncio.wait_for(shutdown, timeout=5)
    assert all(update.done() for update in updates)
    assert done == ["reader 0", "reader 1", "editor 0", "editor 1", "editor 2"]  # no waiting reader started
    assert [r.getMessage() for r in caplog.records] == [
        "stopping: 48 subscribers' updates dropped before they started"
    ]
