"""Names the dead-code check (vulture, `make lint`) cannot see used: frameworks call them by name.

Each line uses the names, with why. Decorated framework callbacks (pytest fixtures, pydantic
validators, singledispatch renderers) and names that no import can reach (the emulator's
`_api_<method>` handlers, found by the Bot API method's name; attributes of third-party objects) are
excluded in pyproject.toml's [tool.vulture] instead.
tests/test_dead_code.py imports this file, so a renamed or removed name fails the tests too.
"""

from bot.botapi.world import User
from bot.config import Settings
from bot.lanes import EditorsFirst
from bot.sandbox.web import Pane
from bot.text.markup import _Reader as _MarkupReader
from bot.text.render import _TextWithTags
from tests.cli.test_hostile_input import _Endless
from tests.text.test_format_properties import _TelegramHtml

# HTMLParser calls these on its subclasses as it reads.
for parser in (_MarkupReader, _TextWithTags, _TelegramHtml):
    parser.handle_starttag, parser.handle_endtag, parser.handle_data
_TelegramHtml.handle_startendtag, _TelegramHtml.handle_comment, _TelegramHtml.handle_decl

_Endless.readable, _Endless.readinto  # io.BufferedReader reads an io.RawIOBase through these
User.last_name  # the emulator's user, sent to the bot by getattr in User.to_api (Telegram's field)
Pane.SUBSCRIBER  # a sandbox pane, made from the page's request body: Pane("subscriber")
Settings.model_config  # pydantic-settings reads the class attribute
EditorsFirst.do_process_update  # PTB's BaseUpdateProcessor.process_update calls it for every update
