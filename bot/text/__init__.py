"""Pure text functions: Persian normalizer, draft parser, HTML renderer and splitter, search analyzer.

Nothing here does I/O or knows about Telegram objects or the database.
"""
