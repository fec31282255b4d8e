"""Where a post goes: the primary channel always, and each mirror (bot/destinations.py) as the editor
toggles it under the preview, starting from the mirror's `default`.

The toggles are stored per post (`post_destinations`), so they survive a restart, and the copy sender
reads them through the same `bot.destinations.going` (bot/publishing/copies.py): a mirror toggled off
gets no copy. A post past its draft or schedule (publishing, published, cancelled) keeps the plan it
went out with: its toggle is refused with an alert and the message under it stays as it was. With no
mirror configured nothing here shows and nothing is read.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.desk.answers import Refusal, Refused
from bot.desk.live import LivePosts
from bot.destinations import Destination, Route, routes


class Routing(LivePosts):
    """The Desk's part that shows and toggles each post's destinations (a mixin of `Desk`)."""

    mirrors: tuple[Destination, ...]

    async def _routes(self, article_id: int) -> tuple[Route, ...]:
        """Each mirror and whether the post goes there; () with none configured."""
        return (await self._routes_of([article_id])).get(article_id, ())

    async def _routes_of(self, article_ids: Sequence[int]) -> dict[int, tuple[Route, ...]]:
        if not self.mirrors or not article_ids:
            return {}
        choices = await self.db.destination_choices(article_ids)
        return {article_id: routes(self.mirrors, choices.get(article_id, {})) for article_id in article_ids}

    async def _toggle_route(self, article_id: int, key: str) -> Refused | None:
        """Turn one destination of a post not yet sent off if it was on, on if it was off; None when
        done (the desk shows the choices again), the refusal otherwise."""
        route = next((r for r in await self._routes(article_id) if r.destination.key == key), None)
        if route is None:  # a mirror since removed from the settings: the button is stale
            return Refused(Refusal.STALE_BUTTON, article_id)
        if not await self.db.choose_destination(article_id, key, not route.on):
            return await self._refused(article_id)
        return None
