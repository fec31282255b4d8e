"""Whether Telegram would let the bot delete a channel post (bot.publishing.rights), said before asking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.publishing.rights import DELETE_WINDOW, ChannelRights, DeleteBlock, delete_block

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
POSTER = ChannelRights(admin=True, can_post=True, can_edit=True)


@pytest.mark.parametrize(
    ("rights", "age", "block"),
    [
        (POSTER, timedelta(hours=1), None),
        (POSTER, DELETE_WINDOW - timedelta(seconds=1), None),
        (POSTER, DELETE_WINDOW, DeleteBlock.TOO_OLD),
        (POSTER, timedelta(days=30), DeleteBlock.TOO_OLD),
        (ChannelRights(admin=True, can_post=True, can_delete=True), timedelta(days=30), None),
        (ChannelRights(admin=True, can_edit=True), timedelta(hours=1), DeleteBlock.NO_RIGHT),
        (ChannelRights(admin=False), timedelta(hours=1), DeleteBlock.NOT_ADMIN),
        (None, timedelta(days=30), None),  # unknown: the deletion is tried and its answer tells
    ],
)
def test_the_48_hour_rule_and_the_rights(rights, age: timedelta, block: DeleteBlock | None) -> None:
    assert delete_block(rights, NOW - age, NOW) is block


def test_telegrams_refusal_where_the_rights_allowed_it_is_the_age_on_its_clock() -> None:
    refused = "Bad Request: message can't be deleted"
    assert delete_block(POSTER, NOW - timedelta(hours=1), NOW, refused=refused) is DeleteBlock.TOO_OLD
    assert delete_block(None, None, NOW, refused=refused) is DeleteBlock.TOO_OLD
    assert delete_block(ChannelRights(admin=False), NOW, NOW, refused=refused) is DeleteBlock.NOT_ADMIN
    assert delete_block(POSTER, NOW, NOW, refused="Bad Request: chat not found") is None


def test_who_may_edit_its_own_posts() -> None:
    assert POSTER.can_edit_own and ChannelRights(admin=True, can_edit=True).can_edit_own
    assert not ChannelRights(admin=True).can_edit_own and not ChannelRights(admin=False).can_edit_own
