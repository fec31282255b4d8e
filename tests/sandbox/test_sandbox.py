"""`newsdesk sandbox` over its page's HTTP API (the browser test drives the page itself).

The sandbox runs as a user starts it (a subprocess, no .env); these tests act through the API the
page uses: send a draft as the editor, press the bot's buttons, let time pass.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot import messages as msg
from bot.sandbox.clock import fast_step
from tests.sandbox_process import (
    NEWSDESK,
    NO_DUPLICATE_GUARD,
    START_SECONDS,
    clean_environment,
    free_port,
    running_sandbox,
    wait_for_line,
)

State = dict[str, Any]
DRAFT = "?خبر زمان‌بندی شده برای آزمون سندباکس\nمتن کوتاه خبری که یک ساعت دیگر منتشر می‌شود ."


class Page:
    """The page's API, as the page's JavaScript calls it."""

    def __init__(self, url: str) -> None:
        self.client = httpx.Client(base_url=url, timeout=30)

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.client.post(path, json=body)
        assert response.status_code == 200, response.text
        return response.json()

    def wait(self, predicate: Callable[[State], Any], what: str, timeout: float = 30.0) -> Any:
        """The state as it is now if `predicate` holds for it, else long-poll each change until it does;
        the predicate's value. (Asked with the ETag of an earlier answer, a state that had not changed
        since was held up to LONG_POLL_SECONDS, until the bot's next getUpdates: ~10 s a test.)"""
        deadline = time.monotonic() + timeout
        params: dict[str, str] = {}
        while time.monotonic() < deadline:
            response = self.client.get("/api/state", params=params)
            found = predicate(response.json())
            if found:
                return found
            params = {"after": response.headers["ETag"]}
        raise AssertionError(f"no {what} within {timeout} s")


@pytest.fixture(scope="module")
def sandbox_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One sandbox for the tests of this module (each start costs ~5 s of CPU): each test acts on what
    it sent itself, and leaves no post scheduled and the clock at real speed. Several tests send the same
    draft, which the duplicate guard would ask about from the second on: it is off here."""
    with running_sandbox(tmp_path_factory.mktemp("sandbox"), settings=NO_DUPLICATE_GUARD) as url:
        yield url


@pytest.fixture
def page(sandbox_url: str) -> Iterator[Page]:
    page = Page(sandbox_url)
    yield page
    page.client.close()


def with_button(label: str, after: int = 0) -> Callable[[State], tuple[int, str] | None]:
    """The editor's last message after message id `after` carrying a button with this label:
    (message id, callback data)."""

    def find(state: State) -> tuple[int, str] | None:
        for message in reversed(state["chats"]["editor"]):
            if message["id"] <= after:
                break
            for row in message["buttons"]:
                for button in row:
                    if button["text"] == label:
                        return message["id"], button["callback_data"]
        return None

    return find


def test_the_page_and_its_files_are_served_from_the_package(page: Page) -> None:
    index = page.client.get("/")
    assert index.status_code == 200 and '<html lang="fa" dir="rtl">' in index.text
    for name in ("app.js", "style.css"):
        assert page.client.get(f"/static/{name}").status_code == 200
    # Nothing on the page comes from the network: every src and href is local, fonts included.
    assert "http" not in index.text.replace("http-equiv", "")
    assert "http" not in page.client.get("/static/style.css").text
    for font in ("Vazirmatn.woff2", "NotoColorEmoji-subset.ttf"):
        assert len(page.client.get(f"/static/fonts/{font}").content) > 50_000
    # The sample media ship with the package.
    samples = page.client.get("/api/samples").json()
    assert {s["kind"] for s in samples} == {"photo", "video", "animation", "document"}
    for sample in samples:
        assert len(page.client.get(sample["url"]).content) > 500, sample
    example = page.client.get("/api/example").json()["text"]
    assert example.startswith("?") and "می شود" in example  # damaged: a lost emoji, a missing half-space


def test_the_archive_starts_with_the_seed_posts_and_is_searchable(page: Page) -> None:
    state = page.wait(lambda s: s, "state")
    channel = state["chats"]["channel"]
    assert len(channel) >= 30 and all(m["entities"][0]["type"] == "bold" for m in channel)
    page.post("/api/send", {"pane": "subscriber", "text": "/search زعفران"})
    answer = page.wait(
        lambda s: [m for m in s["chats"]["subscriber"] if m["outgoing"] and "زعفران" in (m["text"] or "")],
        "search results",
    )[0]
    links = [e["url"] for e in answer["entities"] if e["type"] == "text_link"]
    saffron = next(m for m in channel if m["text"].startswith("برداشت زعفران"))
    assert f"https://t.me/newsdesk_sandbox/{saffron['id']}" in links


def _scheduled_in_an_hour(page: Page) -> tuple[int, State]:
    """The editor sends DRAFT and presses "in an hour": the channel's post count before, and the state."""
    seeded = len(page.wait(lambda s: s, "state")["chats"]["channel"])
    sent = page.post("/api/send", {"pane": "editor", "text": DRAFT})["message_id"]
    message_id, data = page.wait(with_button(msg.text("btn_hour", msg.FA), sent), "the scheduling buttons")
    page.post("/api/press", {"pane": "editor", "message_id": message_id, "data": data})
    return seeded, page.wait(lambda s: s["next_publication"] and s, "a scheduled post")


def test_letting_time_pass_publishes_a_scheduled_post_at_its_time(page: Page) -> None:
    seeded, state = _scheduled_in_an_hour(page)
    due, due_at = state["next_publication"], state["next_publication_at"]
    draft_at = state["chats"]["editor"][-1]["date"]
    assert 3590 < due_at - draft_at < 3610  # in one hour
    assert len(page.wait(lambda s: s, "state")["chats"]["channel"]) == seeded  # not yet

    page.post("/api/time", {"minutes": 10})
    later = page.wait(lambda s: s, "state")
    assert 600 <= later["now_at"] - state["now_at"] < 660
    assert abs(later["next_publication_at"] - due_at) < 1  # the post keeps its time...
    assert len(later["chats"]["channel"]) == seeded  # ...50 minutes ahead

    jumped = page.post("/api/time", {"next": True})["jumped_to"]
    assert jumped == due
    post = page.wait(lambda s: len(s["chats"]["channel"]) > seeded and s["chats"]["channel"][-1], "the post")
    assert post["text"].startswith("خبر زمان‌بندی شده برای آزمون سندباکس")
    assert abs(post["date"] - due_at) < 10  # published at its time on the sandbox's clock
    assert page.wait(lambda s: s["next_publication"] is None, "the queue empty")


def test_a_fast_clock_runs_on_and_publishes_a_scheduled_post_at_its_minute(page: Page) -> None:
    seeded, state = _scheduled_in_an_hour(page)
    due_at = state["next_publication_at"]
    assert page.post("/api/time", {"speed": 600}) == {"speed": 600}  # ten minutes a second
    running = page.wait(lambda s: s["now_at"] - state["now_at"] > 300 and s, "the clock running on")
    assert running["speed"] == 600
    post = page.wait(lambda s: len(s["chats"]["channel"]) > seeded and s["chats"]["channel"][-1], "the post")
    assert post["text"].startswith("خبر زمان‌بندی شده برای آزمون سندباکس")
    # Not before its time, and not a jump later (the clock runs 10 minutes a real second on while the
    # bot sends, so the bound leaves it 1.5 real seconds).
    assert due_at - 1 <= post["date"] <= due_at + 900
    assert page.post("/api/time", {"speed": 1}) == {"speed": 1}
    assert page.wait(lambda s: s["speed"] == 1, "real time again")


def test_a_fast_clock_stops_at_the_next_timer_instead_of_passing_it() -> None:
    minute = timedelta(minutes=1)
    assert fast_step(0.5, 60, None) == timedelta(seconds=29.5)  # real time passes the other 0.5 s
    assert fast_step(0.5, 60, minute) == timedelta(seconds=29.5)
    assert fast_step(0.5, 600, minute) == minute  # lands on the timer, which fires at its own time
    assert fast_step(0.5, 600, -minute) == timedelta()  # a timer due now runs before time moves on
    assert fast_step(0.5, 1, minute) == timedelta()


def test_the_editor_attaches_a_photo_or_a_file_and_the_bot_answers(page: Page) -> None:
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360f80f0000010101005a4d6e2f0000000049454e44ae426082"
    )
    for size in ({"width": "1", "height": "1"}, {}):  # a photo, then the same picture "as file"
        response = page.client.post(
            "/api/file",
            data={"pane": "editor", "caption": "عکس خبر", **size},
            files={"file": ("photo.png", png, "image/png")},
        )
        assert response.status_code == 200, response.text
        sent = response.json()["message_id"]
        answered = lambda s: any(m["outgoing"] and m["id"] > sent for m in s["chats"]["editor"]) and s  # noqa: E731, B023
        state = page.wait(answered, "the bot's answer")
        shown = next(m for m in state["chats"]["editor"] if m["id"] == sent)
        assert shown["caption"] == "عکس خبر"
        assert shown["media"]["kind"] == ("photo" if size else "document")
        assert httpx.get(shown["media"]["url"]).content == png  # the page shows it from the emulator
        assert shown["media"]["mime"] == "image/png"


def test_the_editor_edits_a_sent_draft_and_the_bot_follows(page: Page) -> None:
    sent = page.post("/api/send", {"pane": "editor", "text": DRAFT})["message_id"]
    page.wait(lambda s: any(m["outgoing"] and m["id"] > sent for m in s["chats"]["editor"]), "the preview")
    edited = DRAFT.replace("آزمون سندباکس", "ویرایش تازه سندباکس")
    answer = page.post("/api/edit", {"pane": "editor", "message_id": sent, "text": edited})
    assert answer["message_id"] == sent

    def followed(s: State) -> State | None:
        bots = [m for m in s["chats"]["editor"] if m["outgoing"]]
        return s if any("ویرایش تازه" in (m["text"] or "") for m in bots) else None

    state = page.wait(followed, "the bot's answer to the edit")
    mine = next(m for m in state["chats"]["editor"] if m["id"] == sent)
    assert mine["edited"] and mine["text"] == edited
    # Only one's own messages can be edited.
    bots = next(m for m in state["chats"]["editor"] if m["outgoing"])
    refused = page.client.post("/api/edit", json={"pane": "editor", "message_id": bots["id"], "text": "x"})
    assert refused.status_code == 400


def test_a_post_forwarded_from_another_channel_carries_its_credit(page: Page) -> None:
    seeded = len(page.wait(lambda s: s, "state")["chats"]["channel"])
    sent = page.post("/api/send", {"pane": "editor", "text": DRAFT, "forward": True})["message_id"]
    message_id, data = page.wait(with_button(msg.text("btn_now", msg.FA), sent), "the preview's buttons")
    state = page.wait(lambda s: s, "state")
    mine = next(m for m in state["chats"]["editor"] if m["id"] == sent)
    assert mine["forwarded"] == "خبرگزاری نمونه"  # shown as Telegram shows a forward
    preview = [m for m in state["chats"]["editor"] if sent < m["id"] < message_id][-1]
    assert "منبع: خبرگزاری نمونه" in preview["text"]
    page.post("/api/press", {"pane": "editor", "message_id": message_id, "data": data})
    post = page.wait(lambda s: len(s["chats"]["channel"]) > seeded and s["chats"]["channel"][-1], "the post")
    assert post["text"] == preview["text"] and post["text"].endswith(
        "منبع: خبرگزاری نمونه\n\n🆔 @newsdesk_sandbox"
    )
    links = [e["url"] for e in post["entities"] if e["type"] == "text_link"]
    assert links == ["https://t.me/sample_news/1001"]


def _published_notice(after: int) -> Callable[[State], State | None]:
    """The state once the bot's "published" notice after message `after` links the copies on Bale and
    Eitaa (it is sent once every copy went)."""

    def found(state: State) -> State | None:
        for message in state["chats"]["editor"]:
            links = [e.get("url", "") for e in message["entities"] if e["type"] == "text_link"]
            if message["id"] > after and any("eitaa.com/" in url for url in links):
                return state
        return None

    return found


def test_a_post_and_its_correction_reach_bale_and_eitaa_each_as_it_shows_them(page: Page) -> None:
    """The sandbox's desk mirrors its channel on Bale and Eitaa (BALE_* and EITAA_*, pointed at their
    emulators): a post reaches both as plain text; its correction edits the Bale copy in place and
    reaches Eitaa as a note in reply to the copy (Eitaayar edits nothing)."""
    state = page.wait(lambda s: s, "state")
    assert state["mirrors"] == {
        "bale": {"title": state["channel"]["title"], "username": "newsdesk_sandbox"},
        "eitaa": {"username": "newsdesk_sandbox"},
    }
    on_bale_before, on_eitaa_before = len(state["chats"]["bale"]), len(state["chats"]["eitaa"])
    draft = "نشست شورای شهر درباره پارک‌ها\nشورای شهر امروز درباره ساخت سه پارک تازه گفتگو کرد."
    sent = page.post("/api/send", {"pane": "editor", "text": draft})["message_id"]
    message_id, data = page.wait(with_button(msg.text("btn_now", msg.FA), sent), "the preview")
    page.post("/api/press", {"pane": "editor", "message_id": message_id, "data": data})
    state = page.wait(_published_notice(message_id), "the published notice with its copies")

    post = state["chats"]["channel"][-1]
    assert post["text"].startswith("نشست شورای شهر") and post["entities"][0]["type"] == "bold"
    (on_bale,) = state["chats"]["bale"][on_bale_before:]
    (on_eitaa,) = state["chats"]["eitaa"][on_eitaa_before:]
    assert on_bale["text"] == on_eitaa["text"] == post["text"]  # the same words...
    assert not {e["type"] for e in on_bale["entities"]} & {"bold", "italic", "text_link"}  # ...plain
    assert on_eitaa["entities"] == [] and not on_eitaa.get("note")
    notice = next(m for m in state["chats"]["editor"] if m["id"] > message_id and m["text"].startswith("✅"))
    links = {e["url"] for e in notice["entities"] if e["type"] == "text_link"}
    assert {
        f"https://t.me/newsdesk_sandbox/{post['id']}",
        f"https://ble.ir/newsdesk_sandbox/{on_bale['id']}",
        f"https://eitaa.com/newsdesk_sandbox/{on_eitaa['id']}",
    } <= links  # the page opens each in its tab

    corrected = draft.replace("سه پارک", "چهار پارک")
    reply = page.post("/api/send", {"pane": "editor", "text": corrected, "reply_to": notice["id"]})
    message_id, data = page.wait(with_button(msg.text("btn_correct", msg.FA), reply["message_id"]), "✏️")
    page.post("/api/press", {"pane": "editor", "message_id": message_id, "data": data})

    def followed(state: State) -> State | None:
        eitaa = state["chats"]["eitaa"][on_eitaa_before:]
        bale = state["chats"]["bale"][on_bale_before:]
        return state if len(eitaa) == 2 and bale and bale[0]["edited"] else None

    state = page.wait(followed, "the correction on Bale and Eitaa")
    assert "چهار پارک" in state["chats"]["channel"][-1]["text"]
    (bale_copy,) = state["chats"]["bale"][on_bale_before:]  # edited in place
    assert bale_copy["id"] == on_bale["id"] and "چهار پارک" in bale_copy["text"]
    copy, note = state["chats"]["eitaa"][on_eitaa_before:]
    assert copy == on_eitaa  # as it was: nothing is edited on Eitaa
    assert note["note"] and note["reply_to"]["id"] == on_eitaa["id"]
    assert "اصلاحیه" in note["text"] and "چهار پارک" in note["text"]


def test_bad_requests_are_answered_400_with_a_reason(page: Page) -> None:
    for path, body in (
        ("/api/send", {"pane": "channel", "text": "x"}),
        ("/api/send", {"pane": "editor", "text": "  "}),
        ("/api/press", {"pane": "editor", "message_id": 999, "data": "x"}),
        ("/api/time", {"minutes": -5}),
        ("/api/time", {"speed": 0}),
        ("/api/time", {"speed": 3601}),
        ("/api/time", {"speed": 2.5}),
        ("/api/time", {"speed": True}),
    ):
        response = page.client.post(path, json=body)
        assert response.status_code == 400 and response.json()["error"], (path, body)
    # Another site's page cannot drive the sandbox through the visitor's browser.
    forged = page.client.post(
        "/api/send", json={"pane": "editor", "text": "x"}, headers={"Origin": "http://a.example"}
    )
    assert forged.status_code == 403


def _sandbox_command(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(NEWSDESK), *args],
        cwd=tmp_path,
        env={**clean_environment(), **env},
        capture_output=True,
        text=True,
        timeout=START_SECONDS,
    )


def test_run_without_a_token_starts_the_sandbox_and_says_how_to_go_live(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [str(NEWSDESK), "run", "--sandbox-without-token"],
        cwd=tmp_path,
        env={**clean_environment(), "SANDBOX_PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        _, lines = wait_for_line(process, "Ctrl-C stops the sandbox", START_SECONDS)
        said = "".join(lines)
        assert f"Open http://127.0.0.1:{port}/" in said
        assert "SANDBOX (no BOT_TOKEN is configured)" in said
        assert "To go live" in said and "BOT_TOKEN" in said
    finally:
        process.terminate()
        assert process.wait(timeout=30) == 0
    # Without the flag, `newsdesk run` still refuses to start without a token.
    refused = _sandbox_command(tmp_path, "run")
    assert refused.returncode == 2 and "BOT_TOKEN" in refused.stderr


def test_the_sandbox_never_takes_the_bots_database_or_a_busy_port(tmp_path: Path, sandbox_url: str) -> None:
    bots = tmp_path / "bot.sqlite3"
    refused = _sandbox_command(tmp_path, "sandbox", "--db", str(bots), DATABASE_PATH=str(bots))
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and "DATABASE_PATH" in refused.stderr
    port = sandbox_url.rsplit(":", 1)[1].strip("/")  # the port of the module's running sandbox
    other = tmp_path / "other.sqlite3"
    busy = _sandbox_command(tmp_path, "sandbox", "--port", port, "--db", str(other))
    assert busy.returncode == 2 and f"port {port} is in use" in busy.stderr
    assert busy.stderr.count("\n") == 1 and "Traceback" not in busy.stderr  # one line, nothing logged
    assert not other.exists()  # refused at once: no database made, no emulator or bot started


def sample(page: Page, name: str) -> bytes:
    return page.client.get(f"/static/samples/{name}").content


def test_an_edited_caption_gets_the_entities_of_its_new_text_only(page: Page) -> None:
    """/api/edit on a photo edits its caption, and no entity of the old caption survives (a #tag at
    offset 77 of the old caption was kept on a 52-character new one)."""
    caption = "گزارش تصویری بازار تهران\nعکس‌هایی از بازار بزرگ تهران در آستانه نوروز امسال #بازار_تهران"
    sent = page.client.post(
        "/api/file",
        data={"pane": "editor", "caption": caption, "kind": "photo", "width": "480", "height": "320"},
        files={"file": ("photo-1.jpg", sample(page, "photo-1.jpg"), "image/jpeg")},
    ).json()["message_id"]
    edited = "بازار تهران پیش از نوروز\nشلوغی **بازار** پیش از نوروز."
    bold = {"type": "bold", "offset": edited.index("**"), "length": 9}
    page.post("/api/edit", {"pane": "editor", "message_id": sent, "text": edited, "entities": [bold]})
    mine = page.wait(
        lambda s: next((m for m in s["chats"]["editor"] if m["id"] == sent and m["edited"]), None), "the edit"
    )
    assert mine["caption"] == edited and mine["text"] is None
    assert mine["caption_entities"] == [bold]  # the new formatting; the old #tag is gone
    refused = page.client.post(
        "/api/edit",
        json={"pane": "editor", "message_id": sent, "text": "x", "entities": [{**bold, "offset": 0}]},
    )
    assert refused.status_code == 400 and "past the end" in refused.json()["error"]


def test_several_files_are_one_album_and_a_reply_carries_its_file(page: Page) -> None:
    files = [
        ("file", (name, sample(page, name), mime))
        for name, mime in (
            ("photo-1.jpg", "image/jpeg"),
            ("video.mp4", "video/mp4"),
            ("photo-3.jpg", "image/jpeg"),
        )
    ]
    kinds = ["photo", "video", "photo"]
    answer = page.client.post(
        "/api/file", data={"pane": "editor", "caption": "آلبوم", "kind": kinds}, files=files
    )
    assert answer.status_code == 200, answer.text
    parts = answer.json()["album"]
    state = page.wait(lambda s: all(any(m["id"] == i for m in s["chats"]["editor"]) for i in parts) and s, "")
    shown = [m for m in state["chats"]["editor"] if m["id"] in parts]
    assert [m["media"]["kind"] for m in shown] == ["photo", "video", "photo"]
    assert len({m["album"] for m in shown}) == 1 and shown[0]["caption"] == "آلبوم"
    assert shown[1]["media"]["mime"] == "video/mp4"
    assert httpx.get(shown[1]["media"]["url"]).headers["content-type"] == "video/mp4"  # a browser plays it
    # A GIF cannot be in an album (as in Telegram); a reply carries its file.
    mixed = page.client.post(
        "/api/file",
        data={"pane": "editor", "kind": ["photo", "animation"]},
        files=[files[0], ("file", ("a.gif", sample(page, "animation.gif"), "image/gif"))],
    )
    assert mixed.status_code == 400
    reply = page.client.post(
        "/api/file",
        data={"pane": "editor", "kind": "animation", "reply_to": str(parts[0])},
        files={"file": ("a.gif", sample(page, "animation.gif"), "image/gif")},
    ).json()["message_id"]
    state = page.wait(lambda s: any(m["id"] == reply for m in s["chats"]["editor"]) and s, "the reply")
    gif = next(m for m in state["chats"]["editor"] if m["id"] == reply)
    assert gif["reply_to"]["id"] == parts[0] and gif["media"]["kind"] == "animation"


def test_an_inline_result_is_sent_via_the_bot(page: Page) -> None:
    answer = page.post("/api/inline", {"query": "زعفران"})
    assert answer["results"], answer
    first = answer["results"][0]
    sent = page.post("/api/inline-choose", {"query_id": answer["query_id"], "result_id": first["id"]})
    state = page.wait(
        lambda s: any(m["id"] == sent["message_id"] for m in s["chats"]["subscriber"]) and s, "the message"
    )
    shown = next(m for m in state["chats"]["subscriber"] if m["id"] == sent["message_id"])
    assert shown["via"] == "newsdesk_sandbox_bot" and shown["text"] == first["text"] and not shown["outgoing"]
    unknown = page.client.post(
        "/api/inline-choose", json={"query_id": answer["query_id"], "result_id": "nope"}
    )
    assert unknown.status_code == 400
