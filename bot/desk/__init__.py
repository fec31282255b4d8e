"""The editors' desk: every editor action as a service, and how its answers look.

`service` decides (drafts, previews, scheduling; `live` for corrections and deletions of published
posts; no Telegram in either) and returns typed answers (`answers`) that `view` renders; `callbacks`
is the one typed encode/parse of the desk's button data (≤ 64 bytes); `pending` holds the editor
chats with a notice on its way; `timeparse` reads the publishing times editors type in Persian.
"""
