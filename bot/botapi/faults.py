"""Making Telegram refuse: injected faults (429, 5xx, timeouts, delays, 403, 400, dropped
connections; the kinds are listed in bot/botapi/server.py), Telegram's rate limits and the
bot's standing in the channel.
"""

from __future__ import annotations

from bot.botapi.rules import ApiError, bad_request, forbidden, too_many_requests
from bot.botapi.state import Params, WorldState, default_admin_rights
from bot.botapi.world import FAULT_KINDS, Fault

_STATUS_TEXT = {
    500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
}  # fmt: skip


class FaultInjection(WorldState):
    """Faults and limits. Mixed into `BotApiServer`, which keeps `_faults`, calls `_take_fault` and
    `_apply_fault` for each request, and gives them `_dispatch` and `_sleep`."""

    def inject_fault(
        self,
        kind: str,
        *,
        times: int = 1,
        method: str | None = None,
        chat_id: int | str | None = None,
        retry_after: int = 1,
        status: int | None = None,
        description: str | None = None,
        hang_seconds: float = 30.0,
        apply: bool = False,
    ) -> Fault:
        """Make the next `times` matching calls fail; see the module docstring for the kinds."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}")
        with self._lock:
            resolved = None if chat_id is None else self._resolve_chat(chat_id).id
            fault = Fault(
                kind,
                times=times,
                method=method.lower() if method else None,
                chat_id=resolved,
                retry_after=retry_after,
                status=status,
                description=description,
                hang_seconds=hang_seconds,
                apply=apply,
            )
            self._faults.append(fault)
            return fault

    def set_rate_limits(self, channel_per_minute: int | None = 20, global_per_second: int = 30) -> None:
        """Answer 429 like Telegram past 20 posts/min into one channel or group, 30 sends/s overall.

        `set_rate_limits(None)` turns them off (the default).
        """
        with self._lock:
            if channel_per_minute is None:
                self._rate_limits = None
            else:
                self._rate_limits = {
                    "channel_per_minute": channel_per_minute,
                    "global_per_second": global_per_second,
                }
            self._send_times.clear()
            self._global_send_times.clear()

    def set_channel_access(self, status: str = "administrator", **rights: bool) -> None:
        """The bot's standing in the channel: "administrator" (with rights), "member" or "left".

        Default administrator rights: post and edit messages, no right to delete others' (so the
        48 h rule applies). Pass e.g. can_delete_messages=True or can_post_messages=False.
        """
        if status not in ("administrator", "member", "left"):
            raise ValueError(status)
        with self._lock:
            self.channel.bot_status = status
            self.channel.bot_rights = default_admin_rights(**rights)

    def _take_fault(self, method: str, params: Params) -> Fault | None:
        chat_id = self._chat_id_or_none(params.values.get("chat_id"))
        for fault in self._faults:
            if fault.matches(method, chat_id):
                fault.used += 1
                return fault
        return None

    async def _apply_fault(self, fault: Fault, method: str, params: Params) -> tuple[int, dict] | None:
        """The injected answer (status, body), or None to drop the connection."""
        if fault.kind == "retry_after":
            return 429, too_many_requests(fault.retry_after).payload()
        if fault.kind == "server_error":
            status = fault.status or 500
            if fault.apply:  # Telegram performed the call, then its gateway answered an error
                await self._dispatch(method, params)
            return status, ApiError(status, fault.description or _STATUS_TEXT.get(status, "Error")).payload()
        if fault.kind == "forbidden":
            detail = fault.description or "bot is not a member of the channel chat"
            return 403, forbidden(detail.removeprefix("Forbidden: ")).payload()
        if fault.kind == "bad_request":
            detail = fault.description or "custom failure injected by the test"
            return 400, bad_request(detail.removeprefix("Bad Request: ")).payload()
        if fault.kind == "disconnect":
            return None
        if fault.kind == "delay":
            if fault.apply:
                outcome = await self._dispatch(method, params)
                await self._sleep(fault.hang_seconds)
                return outcome
            await self._sleep(fault.hang_seconds)
            return await self._dispatch(method, params)
        if fault.kind == "timeout":
            if fault.apply:
                await self._dispatch(method, params)
            await self._sleep(fault.hang_seconds)
            return 504, ApiError(504, "Gateway Timeout").payload()
        raise ValueError(f"unknown fault kind {fault.kind!r}")
