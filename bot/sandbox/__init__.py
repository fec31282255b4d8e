"""`newsdesk sandbox`: the whole desk without a token, against the embedded Bot API emulator.

run.py wires the emulator, the real bot and the page; web.py is the page's API; clock.py lets time
pass; seed.py fills the channel and archive from data/. The page itself is static/ (plain HTML, CSS
and JavaScript, nothing fetched from the network). This module stays light: the CLI reads its
defaults without importing the bot.
"""

from pathlib import Path

DEFAULT_DATABASE = Path("data/sandbox.sqlite3")
