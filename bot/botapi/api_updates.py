"""Bot API methods about the bot itself and its updates: getMe, the webhook, commands.
(getUpdates long-polls, so it lives with the HTTP layer in bot/botapi/server.py.)
"""

from __future__ import annotations

import json
import re

from bot.botapi.rules import (
    DEFAULT_WEBHOOK_CONNECTIONS,
    MAX_SECRET_TOKEN_CHARS,
    WEBHOOK_CONNECTIONS,
    bad_request,
    check_commands,
)
from bot.botapi.state import DEFAULT_UPDATE_TYPES, Params, WorldState


class UpdateMethods(WorldState):
    """getMe, setWebhook/deleteWebhook/getWebhookInfo, close, logOut, *MyCommands."""

    def _api_getMe(self, params: Params) -> dict:
        return {
            **self.bot_user.to_api(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _api_deleteWebhook(self, params: Params) -> bool:
        self.webhook = {}
        if params.bool("drop_pending_updates"):
            self._confirm(self._next_update_id)
        return True

    def _api_getWebhookInfo(self, params: Params) -> dict:
        info = {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook:
            info["max_connections"] = self.webhook_connections
        info.update({k: v for k, v in self.webhook.items() if k.startswith("last_error")})
        return info

    def _api_close(self, params: Params) -> bool:
        return True

    def _api_logOut(self, params: Params) -> bool:
        return True

    def _api_setWebhook(self, params: Params) -> bool:
        url = params.str("url", "")
        secret = params.str("secret_token")
        # plain http is refused like Telegram does, except to this machine, where tests listen
        if url and not url.startswith(("https://", "http://127.0.0.1:", "http://localhost:")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        if secret is not None and not re.fullmatch(rf"[A-Za-z0-9_-]{{1,{MAX_SECRET_TOKEN_CHARS}}}", secret):
            raise bad_request("secret token contains unallowed characters")
        self.webhook = {"url": url, "secret_token": secret} if url else {}
        requested = params.int("max_connections")
        low, high = WEBHOOK_CONNECTIONS  # out of range is brought within it, as Telegram's server does
        within = DEFAULT_WEBHOOK_CONNECTIONS if requested is None else min(max(requested, low), high)
        self.webhook_connections = within
        if params.bool("drop_pending_updates"):
            self._confirm(self._next_update_id)
        allowed = params.json("allowed_updates")
        if allowed is not None:
            self.allowed_updates = frozenset(allowed) if allowed else DEFAULT_UPDATE_TYPES
        return True

    def _commands_key(self, params: Params) -> tuple[str, str]:
        scope = params.json("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), params.str("language_code", "") or ""

    def _api_setMyCommands(self, params: Params) -> bool:
        self._commands[self._commands_key(params)] = check_commands(params.json("commands", []))
        return True

    def _api_getMyCommands(self, params: Params) -> list[dict]:
        return self._commands.get(self._commands_key(params), [])

    def _api_deleteMyCommands(self, params: Params) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True
