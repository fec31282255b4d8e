"""newsdesk: a Telegram bot that runs the desk of a Persian news channel."""
