"""Versioned schema migrations, applied in order at start-up; `PRAGMA user_version` records the last one.

Add a migration by appending a script to MIGRATIONS; never edit one that has shipped.

Times are UTC ISO-8601 text with seconds and `+00:00` (`2026-11-26T08:00:00+00:00`), so text order is
time order. The search index is an FTS5 table over *analyzed* terms (bot.text.analyze), contentless
(the original text lives once, in `articles`), each term once per column (so positions cost
little; `detail=column` would be smaller, but FTS5's bm25 returns 0 without positions). Its rowid is
`articles.search_key`, which encodes the publication time, so rowid order is recency order.
`search_terms` holds each term's document frequency, kept in step with the index, for prefix
expansion and for choosing a ranking plan.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: articles, search index, search log
    """
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL CHECK (source IN ('bot', 'import')),
        external_id TEXT,
        title TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL DEFAULT '',
        html TEXT,
        status TEXT NOT NULL CHECK (status IN
            ('draft', 'scheduled', 'publishing', 'published', 'failed', 'cancelled')),
        deleted INTEGER NOT NULL DEFAULT 0,
        scheduled_at TEXT,
        published_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        channel_message_ids TEXT,
        editor_id INTEGER,
        editor_chat_id INTEGER,
        preview_message_id INTEGER,
        confirmation_message_id INTEGER,
        url TEXT,
        failure_reason TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        search_key INTEGER UNIQUE,
        UNIQUE (source, external_id)
    );
    CREATE INDEX articles_by_status_time ON articles (status, scheduled_at);
    CREATE INDEX articles_by_confirmation ON articles (editor_chat_id, confirmation_message_id)
        WHERE confirmation_message_id IS NOT NULL;

    CREATE VIRTUAL TABLE search_index USING fts5(
        title, body, content='', tokenize='ascii'
    );
    CREATE TABLE search_terms (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE search_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

    CREATE TABLE search_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_id INTEGER,
        kind TEXT NOT NULL,
        query TEXT NOT NULL,
        results INTEGER NOT NULL,
        partial INTEGER NOT NULL,
        ms REAL NOT NULL
    );
    """,
    # 2: FTS5 tuning for bulk imports: a 64 MB in-memory term hash (flushed at every commit anyway)
    # makes fewer, larger segments and so far less merge work; 4 KB index pages match SQLite's.
    # Measured on 30k synthetic articles: 237 → 85 µs CPU per article indexed.
    """
    INSERT INTO search_index (search_index, rank) VALUES ('hashsize', 67108864);
    INSERT INTO search_index (search_index, rank) VALUES ('pgsz', 4000);
    """,
    # 3: per indexed article, its length in index terms and its distinct title terms: ranking the
    # recent matches of common words then learns which hold a term in the title, and how long each
    # is, from one primary-key lookup instead of walking the doclists again per term and decoding
    # FTS5's size records; filled from the articles at the next start (see Database.open).
    """
    CREATE TABLE search_docs (key INTEGER PRIMARY KEY, length INTEGER NOT NULL, title TEXT NOT NULL);
    INSERT INTO search_meta (key, value) VALUES ('docs_pending', '1');
    """,
    # 4: editors between messages. What an editor's next message is awaited as (a typed time, or a
    # draft's corrected text), so a restart between the button and the answer does not turn "08:30"
    # into a new draft; and each editor's language, for the notices the bot sends unasked.
    """
    CREATE TABLE editor_waits (
        user_id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('time', 'edit')),
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        since TEXT NOT NULL
    );
    CREATE TABLE editor_languages (user_id INTEGER PRIMARY KEY, lang TEXT NOT NULL);
    """,
    # 5: an article is identified by (channel, message id), no longer by (source, id): two channels'
    # exports share message ids, and a post the bot published is the same post in its channel's export.
    # SQLite cannot drop a UNIQUE constraint, so the table is rebuilt (ids and search keys kept; the
    # database turns foreign keys off while migrating, so editor_waits keeps its rows). Earlier imports
    # did not record their channel: '' marks them, and an import matches them whatever its channel.
    # `channels` holds what the bot learns of channels (its own, and public handles for links).
    """
    CREATE TABLE articles_v5 (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL CHECK (source IN ('bot', 'import')),
        channel TEXT,
        external_id TEXT,
        title TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL DEFAULT '',
        html TEXT,
        status TEXT NOT NULL CHECK (status IN
            ('draft', 'scheduled', 'publishing', 'published', 'failed', 'cancelled')),
        deleted INTEGER NOT NULL DEFAULT 0,
        scheduled_at TEXT,
        published_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        channel_message_ids TEXT,
        editor_id INTEGER,
        editor_chat_id INTEGER,
        preview_message_id INTEGER,
        confirmation_message_id INTEGER,
        url TEXT,
        failure_reason TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        search_key INTEGER UNIQUE
    );
    INSERT INTO articles_v5 (id, source, channel, external_id, title, body, html, status, deleted,
        scheduled_at, published_at, created_at, updated_at, channel_message_ids, editor_id, editor_chat_id,
        preview_message_id, confirmation_message_id, url, failure_reason, attempts, search_key)
    SELECT id, source, CASE WHEN source = 'import' THEN '' END, external_id, title, body, html, status,
        deleted, scheduled_at, published_at, created_at, updated_at, channel_message_ids, editor_id,
        editor_chat_id, preview_message_id, confirmation_message_id, url, failure_reason, attempts, search_key
    FROM articles;
    DROP TABLE articles;
    ALTER TABLE articles_v5 RENAME TO articles;
    CREATE UNIQUE INDEX articles_by_channel_post ON articles (channel, external_id)
        WHERE channel IS NOT NULL AND external_id IS NOT NULL;
    CREATE INDEX articles_by_status_time ON articles (status, scheduled_at);
    CREATE INDEX articles_by_confirmation ON articles (editor_chat_id, confirmation_message_id)
        WHERE confirmation_message_id IS NOT NULL;
    CREATE TABLE channels (
        chat_id TEXT PRIMARY KEY,
        handle TEXT,
        own INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    """,
    # 6: the desk. Each draft remembers the editor's message it came from, so an edit of that message in
    # Telegram updates the same draft; a correction of a published post waits here for the editor's yes.
    """
    ALTER TABLE articles ADD COLUMN source_message_id INTEGER;
    CREATE INDEX articles_by_source_message ON articles (editor_chat_id, source_message_id)
        WHERE source_message_id IS NOT NULL;
    CREATE TABLE pending_corrections (
        article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        html TEXT NOT NULL,
        since TEXT NOT NULL
    );
    """,
    # 7: the editor's own text of a draft, as sent: the "what changed" list explains the clean-up from it.
    """
    ALTER TABLE articles ADD COLUMN source_text TEXT;
    """,
    # 8: media. A post's files as a JSON list of [kind, file id] (an album: several; an imported post:
    # its kind with an empty id, the export holds no files). NULL: a text post.
    """
    ALTER TABLE articles ADD COLUMN media TEXT;
    """,
    # 9: where a forwarded draft came from, as JSON {"name", "url"} (bot.core.source): the post's source
    # credit, kept so that every edit of the draft renders it again. NULL: not forwarded.
    """
    ALTER TABLE articles ADD COLUMN forward_source TEXT;
    """,
    # 10: every editor's copy of a "published" notice, so a reply to any of them corrects the post (the
    # articles row held only the author's). The author's copies recorded so far come along; the row's
    # confirmation_message_id stays the author's copy but is no longer looked up.
    """
    CREATE TABLE notice_messages (
        chat_id INTEGER NOT NULL,
        message_id INTEGER NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        PRIMARY KEY (chat_id, message_id)
    ) WITHOUT ROWID;
    INSERT OR IGNORE INTO notice_messages (chat_id, message_id, article_id)
        SELECT editor_chat_id, confirmation_message_id, id FROM articles
        WHERE editor_chat_id IS NOT NULL AND confirmation_message_id IS NOT NULL;
    DROP INDEX articles_by_confirmation;
    """,
    # 11: whether a post rings its subscribers: 1 (🔔, an urgent headline or the editor's choice), 0 (🔕),
    # NULL: as QUIET_HOURS decide at its time.
    """
    ALTER TABLE articles ADD COLUMN ring INTEGER;
    """,
    # 12: a proposed correction may bring files (a photo, a video, a file or an album in reply to the
    # "published" notice): the post's whole media after it, as `articles.media` holds it; NULL: they stay.
    """
    ALTER TABLE pending_corrections ADD COLUMN media TEXT;
    """,
    # 13: when a post was cancelled (or discarded, as a draft), on the bot's clock: its ↩️ works for a
    # minute after, /drafts lists it for a week after. Posts cancelled before have their last change.
    """
    ALTER TABLE articles ADD COLUMN cancelled_at TEXT;
    UPDATE articles SET cancelled_at = updated_at WHERE status = 'cancelled';
    """,
    # 14: a wait's prompt (the "type a time" message with its ✖️), edited when the wait expires; and when
    # it expired (NULL: still waiting): the editor's next message is told so before it is taken.
    """
    ALTER TABLE editor_waits ADD COLUMN prompt_chat_id INTEGER;
    ALTER TABLE editor_waits ADD COLUMN prompt_message_id INTEGER;
    ALTER TABLE editor_waits ADD COLUMN ended_at TEXT;
    """,
    # 15: the copies of a post in the other destinations (bot/destinations.py), one row per request of a
    # copy (`part`), all `planned` at once, then each written before its request (`sending`) and after
    # (`sent` with its message ids, `failed`, `uncertain`), so a crash completes a copy or asks, never
    # sends it twice; and since when each destination is known (posts older than that are not copied).
    """
    CREATE TABLE copies (
        article_id INTEGER NOT NULL,
        destination TEXT NOT NULL,
        part INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('planned', 'sending', 'sent', 'failed', 'uncertain')),
        message_ids TEXT,
        detail TEXT,
        at TEXT NOT NULL,
        PRIMARY KEY (article_id, destination, part)
    ) WITHOUT ROWID;
    CREATE INDEX copies_by_state ON copies (state) WHERE state IN ('sending', 'uncertain', 'failed');
    CREATE TABLE destinations_known (destination TEXT PRIMARY KEY, since TEXT NOT NULL) WITHOUT ROWID;
    """,
    # 16: every post's history (bot.core.history): one row per act that wrote to the channel, with the
    # editor who did it (NULL: the schedule), the app's time, the channel messages it sent, edited and
    # deleted ({"sent": [...], "edited": [...], "deleted": [...]}) and what changed (JSON). The names the
    # desk knows its editors by, so an entry says who acted in words.
    """
    CREATE TABLE post_history (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        act TEXT NOT NULL,
        editor_id INTEGER,
        editor_name TEXT,
        writes TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    CREATE INDEX post_history_by_post ON post_history (article_id, id);
    CREATE TABLE editor_names (user_id INTEGER PRIMARY KEY, name TEXT NOT NULL);
    """,
    # 17: where each post goes besides the primary channel, as the editor toggled it under its preview
    # (bot.desk.routes); no row: the destination's own default. `is_on`, as ON is an SQL keyword.
    """
    CREATE TABLE post_destinations (
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        destination TEXT NOT NULL,
        is_on INTEGER NOT NULL CHECK (is_on IN (0, 1)),
        PRIMARY KEY (article_id, destination)
    ) WITHOUT ROWID;
    """,
    # 18: when a planned copy is due (bot.publishing.slots.copy_due): a destination with its own posting
    # slots gets its copy at its next free slot, sent by the scheduler then; NULL: with the primary.
    """
    ALTER TABLE copies ADD COLUMN due TEXT;
    """,
)
