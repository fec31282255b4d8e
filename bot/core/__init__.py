"""The domain core: what a post is, in terms every other package shares.

The post itself (`post`), its state (`status`), its media items and the parts it is sent as
(`media`), where a forwarded post came from (`source`), the one builder of t.me links to posts and
to the bot (`links`), the untrusted-input limits (`inputs`) and the worker processes that run pure
work off the event loop (`workers`). It imports nothing of the project but `bot.text`, so storage,
the desk, publishing and the archive can all stand on it.
"""
