"""The archive as its readers and importers meet it.

`importers` reads Telegram Desktop exports and JSON Lines into records (damage reported, never
spreading); the import pipeline and the search service are shared by the command line, the bot and
the sandbox; `view` shows search results and /latest to subscribers; `ratelimit` bounds how often one
subscriber may search.
"""
