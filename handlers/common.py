"""What every handler needs: the shared services, the reader's language, who is an editor.

The wiring (bot.app) puts one `Services` into `application.bot_data`; handlers fetch it with
`services(context)` instead of importing globals, so tests can build as many bots as they like.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from telegram import Update
from telegram.ext import ContextTypes

from bot.config import Settings
from bot.desk.service import Desk
from bot.messages import language_for
from bot.publishing.copies import CopySender
from bot.publishing.publisher import Publisher
from bot.publishing.scheduler import Scheduler
from storage.database import Database

SERVICES_KEY = "services"


@dataclass
class Services:
    """The long-lived objects handlers work with."""

    settings: Settings
    db: Database
    publisher: Publisher
    scheduler: Scheduler
    desk: Desk
    clock: Callable[[], datetime]  # now, aware UTC
    copies: CopySender | None = None  # the other destinations' copies; None: the primary channel only


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    """The application's services."""
    return context.bot_data[SERVICES_KEY]


def lang_of(update: Update) -> str:
    """`fa` or `en`, from the user's Telegram language."""
    user = update.effective_user
    return language_for(user.language_code if user else None)


def is_editor(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Whether the update comes from one of EDITOR_IDS."""
    user = update.effective_user
    return user is not None and user.id in services(context).settings.editor_ids
