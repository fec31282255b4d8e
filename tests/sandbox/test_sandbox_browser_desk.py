"""What an editor sends in Telegram, sent from the sandbox page in headless Chromium, and shown in the
channel and subscriber panes as Telegram shows it: an album, a video, formatted text with a hidden link,
a photo in reply that corrects a post, an edited caption, and a subscriber's inline search.

Each test drives the page only (the sample media menu, the formatting toolbar, ↩ and ✎), then reads
the panes; the API state is read only to check what the bot was given (entities recomputed on edit).
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement

from bot import messages as msg
from bot.botapi.html_check import utf16_len
from tests.sandbox.test_sandbox_browser import browser, button, click, messages, sandbox_url, wait  # noqa: F401

PUBLISH_NOW = msg.text("btn_now", msg.FA)
CORRECT = msg.text("btn_correct", msg.FA)


def type_in_composer(driver: WebDriver, text: str) -> WebElement:
    composer = driver.find_element(By.ID, "editor-input")
    composer.click()
    composer.send_keys(text)
    return composer


def send_sample(driver: WebDriver, names: str) -> None:
    """Pick a sample from the composer's 🎞 menu (sent with the composer's text as its caption)."""
    driver.find_element(By.CSS_SELECTOR, "#samples summary").click()
    driver.find_element(By.CSS_SELECTOR, f"[data-sample='{names}']").click()


def publish_newest(driver: WebDriver, send: Callable[[], None]) -> WebElement:
    """Send a draft with `send`, press publish on its preview, and return the post in the channel pane.
    The preview is known by its place after the editor's last message, not by counting publish buttons:
    an earlier post's preview keeps its button until that post's copies on Bale and Eitaa are out."""
    wait(driver, lambda d: len(messages(d, "channel")) >= 30, "the page drawn")
    before = len(messages(driver, "channel"))
    last = max((int(m.get_attribute("data-id")) for m in messages(driver, "editor")), default=0)
    send()

    def new_button(d: WebDriver) -> WebElement | None:
        for message in reversed(messages(d, "editor")):
            if int(message.get_attribute("data-id")) <= last:
                return None
            found = message.find_elements(By.XPATH, f".//button[.='{PUBLISH_NOW}']")
            if found:
                return found[-1]
        return None

    click(driver, new_button, "the new preview's publish button")
    return wait(
        driver, lambda d: len(messages(d, "channel")) > before and messages(d, "channel")[-1], "the post"
    )


def loaded(driver: WebDriver, element: WebElement) -> bool:
    """A picture decoded, or a video whose size the browser read: it came from the emulator."""
    return driver.execute_script(
        "const e = arguments[0]; return e.tagName === 'VIDEO' ? e.readyState >= 1 && e.videoWidth > 0"
        " : e.complete && e.naturalWidth > 0;",
        element,
    )


def select_text(driver: WebDriver, part: str) -> None:
    """Select `part` of the composer's text, as a person drags over it."""
    driver.execute_script(
        """const composer = document.getElementById("editor-input");
        const walker = document.createTreeWalker(composer, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const at = node.nodeValue.indexOf(arguments[0]);
          if (at < 0) continue;
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + arguments[0].length);
          const selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          return;
        }
        throw new Error("not in the composer: " + arguments[0]);""",
        part,
    )


def at_bottom(driver: WebDriver, pane: str) -> bool:
    return driver.execute_script(
        "const box = document.getElementById(arguments[0]);"
        "return box.scrollHeight - box.scrollTop - box.clientHeight < 2;",
        f"chat-{pane}",
    )


def state(url: str) -> dict:
    return httpx.get(f"{url}api/state").json()


def test_an_album_of_three_photos_is_published_as_one_album(browser: WebDriver, sandbox_url: str) -> None:
    browser.get(sandbox_url)
    wait(browser, lambda d: len(messages(d, "channel")) >= 30, "the seed archive")

    def send() -> None:
        type_in_composer(browser, "نمایشگاه عکس خبری در تبریز\nسه عکس از نمایشگاه عکس خبری امسال در تبریز.")
        send_sample(browser, "photo-1.jpg photo-2.jpg photo-3.jpg")

    post = publish_newest(browser, send)
    photos = wait(
        browser,
        lambda d: (found := post.find_elements(By.CSS_SELECTOR, ".album img.media.photo")) and len(found) == 3
        and all(loaded(d, p) for p in found) and found,
        "three photos in one album bubble, loaded",
    )  # fmt: skip
    assert len(photos) == 3 and "نمایشگاه عکس خبری" in post.find_element(By.CSS_SELECTOR, ".body").text
    assert len(post.get_attribute("data-album").split()) == 3  # three channel messages, one bubble
    # The editor's album shows as one message too.
    mine = browser.find_elements(By.CSS_SELECTOR, "#chat-editor .msg.mine .album")
    assert len(mine[-1].find_elements(By.CSS_SELECTOR, "img.media")) == 3
    # Once the pictures have loaded, both panes still show their newest message.
    for pane in ("editor", "channel"):
        wait(browser, lambda d, pane=pane: at_bottom(d, pane), f"the {pane} pane showing its newest message")


def test_a_video_is_published_with_a_player(browser: WebDriver, sandbox_url: str) -> None:
    browser.get(sandbox_url)

    def send() -> None:
        type_in_composer(browser, "ویدیوی افتتاح پل تازه\nویدیوی کوتاه از افتتاح پل تازه شهر.")
        send_sample(browser, "video.mp4")

    post = publish_newest(browser, send)
    video = wait(
        browser,
        lambda d: (
            (v := post.find_elements(By.CSS_SELECTOR, "video.media.video")) and loaded(d, v[0]) and v[0]
        ),
        "the video in the channel, its size read by the browser",
    )
    assert browser.execute_script("return [arguments[0].videoWidth, arguments[0].controls]", video) == [
        320,
        True,
    ]
    assert "افتتاح پل" in post.find_element(By.CSS_SELECTOR, ".body").text


def test_bold_and_a_hidden_link_from_the_toolbar_reach_the_channel(
    browser: WebDriver, sandbox_url: str
) -> None:
    browser.get(sandbox_url)
    url = "https://example.org/report?id=7"

    def send() -> None:
        type_in_composer(browser, "گزارش تازه بودجه استان\nمتن کامل گزارش بودجه را اینجا بخوانید.")
        select_text(browser, "بودجه استان")
        browser.find_element(By.CSS_SELECTOR, "[data-format='bold']").click()
        select_text(browser, "اینجا")
        browser.find_element(By.CSS_SELECTOR, "[data-format='text_link']").click()
        box = browser.find_element(By.ID, "link-url")
        box.clear()
        box.send_keys(url)
        browser.find_element(By.ID, "link-apply").click()
        assert (
            browser.find_element(By.CSS_SELECTOR, "#editor-input a[data-entity='text_link']").text == "اینجا"
        )
        browser.find_element(By.ID, "editor-send").click()

    post = publish_newest(browser, send)
    body = post.find_element(By.CSS_SELECTOR, ".body")
    assert "بودجه استان" in body.find_element(By.TAG_NAME, "b").text
    link = body.find_element(By.CSS_SELECTOR, f"a[href='{url}']")
    assert link.text == "اینجا"
    # The bot was given real entities, as a Telegram client sends them.
    editor = state(sandbox_url)["chats"]["editor"]
    sent = [m for m in editor if not m["outgoing"] and (m["text"] or "").startswith("گزارش تازه")][-1]
    kinds = {e["type"]: e for e in sent["entities"]}
    assert kinds["text_link"]["url"] == url and kinds["bold"]["offset"] == utf16_len("گزارش تازه ")

    # A subscriber finds it, and the result opens the post.
    before = len(messages(browser, "subscriber"))
    search = browser.find_element(By.ID, "subscriber-input")
    search.send_keys("/search بودجه استان")
    browser.find_element(By.ID, "subscriber-send").click()
    answer = wait(
        browser, lambda d: len(messages(d, "subscriber")) > before + 1 and messages(d, "subscriber")[-1], ""
    )
    assert "بودجه استان" in answer.text


def test_a_photo_in_reply_to_the_published_notice_corrects_the_post(
    browser: WebDriver, sandbox_url: str
) -> None:
    browser.get(sandbox_url)

    def send() -> None:
        type_in_composer(browser, "آتش‌سوزی انبار در قم\nانبار کالا در قم آتش گرفت.")
        send_sample(browser, "photo-1.jpg")

    notices = lambda d: [m for m in messages(d, "editor") if m.text.startswith("✅")]  # noqa: E731
    known = len(notices(browser))
    post = publish_newest(browser, send)
    post_id = post.get_attribute("data-id")
    first = wait(browser, lambda d: (i := post.find_elements(By.CSS_SELECTOR, "img.media")) and i[0], "photo")
    old_source = first.get_attribute("src")

    # ↩ on the bot's "published" notice, then a new photo with the corrected caption.
    def reply_tool(d: WebDriver) -> WebElement | None:  # on this post's notice, once it is there
        found = notices(d)
        return found[-1].find_element(By.CSS_SELECTOR, ".tools .reply") if len(found) > known else None

    click(browser, reply_tool, "↩ on the published notice")
    assert not browser.find_element(By.ID, "editor-reply").get_attribute("hidden")
    type_in_composer(browser, "آتش‌سوزی انبار در قم مهار شد\nآتش انبار کالا در قم پس از دو ساعت مهار شد.")
    send_sample(browser, "photo-1.jpg")  # a new file (its own file id) with the new caption
    # The photo is replaced; the caption is a proposed correction, applied with ✏️.
    click(browser, lambda d: button(d, "editor", CORRECT), "the proposed correction's button")

    def corrected(d: WebDriver) -> WebElement | None:
        node = d.find_element(By.CSS_SELECTOR, f"#chat-channel .msg[data-id='{post_id}']")
        image = node.find_elements(By.CSS_SELECTOR, "img.media")
        return (
            node if image and image[0].get_attribute("src") != old_source and "مهار شد" in node.text else None
        )

    node = wait(browser, corrected, "the channel post with the new photo and caption")
    assert "ویرایش‌شده" in node.find_element(By.CSS_SELECTOR, ".meta").text
    assert wait(browser, lambda d: loaded(d, node.find_element(By.CSS_SELECTOR, "img.media")), "new photo")
    # The bot says so in the editor's chat, under the editor's reply (which quotes the notice).
    reply = [
        m for m in messages(browser, "editor") if "مهار شد" in m.text and "mine" in m.get_attribute("class")
    ]
    assert reply[-1].find_element(By.CSS_SELECTOR, ".reply-quote").text.startswith("✅")


def test_a_caption_is_edited_with_the_pencil_and_its_entities_made_anew(
    browser: WebDriver, sandbox_url: str
) -> None:
    browser.get(sandbox_url)
    caption = "گزارش تصویری بازار تهران\nعکس‌هایی از بازار بزرگ تهران در آستانه نوروز امسال #بازار_تهران"
    type_in_composer(browser, caption)
    send_sample(browser, "photo-1.jpg")

    def own_photo(d: WebDriver) -> WebElement | None:
        mine = [
            m for m in d.find_elements(By.CSS_SELECTOR, "#chat-editor .msg.mine") if "بازار بزرگ" in m.text
        ]
        return mine[-1] if mine and mine[-1].find_elements(By.CSS_SELECTOR, "img.media") else None

    click(browser, lambda d: (m := own_photo(d)) and m.find_element(By.CSS_SELECTOR, ".tools .edit"), "✎")
    composer = browser.find_element(By.ID, "editor-input")
    wait(browser, lambda d: "بازار بزرگ" in composer.text, "the caption in the composer")
    composer.clear()
    short = "بازار تهران پیش از نوروز\nشلوغی بازار پیش از نوروز."
    composer.send_keys(short)
    browser.find_element(By.ID, "editor-send").click()

    def edited(d: WebDriver) -> dict | None:
        mine = [m for m in state(sandbox_url)["chats"]["editor"] if m["caption"] == short]
        return mine[0] if mine and mine[0]["edited"] else None

    message = wait(browser, edited, "the edited caption")
    # No entity of the old caption (its #tag near the end) is left on the shorter one.
    assert all(e["offset"] + e["length"] <= utf16_len(short) for e in message["caption_entities"])
    shown = wait(
        browser,
        lambda d: [
            m for m in d.find_elements(By.CSS_SELECTOR, "#chat-editor .msg.mine") if "شلوغی بازار" in m.text
        ],
        "the edited caption in the editor's chat",
    )
    assert "ویرایش‌شده" in shown[-1].find_element(By.CSS_SELECTOR, ".meta").text
    # The bot follows the edit: its preview (updated in place) carries the new caption; so does the post.
    before = len(messages(browser, "channel"))
    click(browser, lambda d: button(d, "editor", PUBLISH_NOW), "the preview's publish button")
    post = wait(
        browser, lambda d: len(messages(d, "channel")) > before and messages(d, "channel")[-1], "post"
    )
    assert "شلوغی بازار" in post.text and "بازار بزرگ" not in post.text
    assert post.find_elements(By.CSS_SELECTOR, "img.media")


def test_an_inline_search_lists_results_and_sends_one_via_the_bot(
    browser: WebDriver, sandbox_url: str
) -> None:
    browser.get(sandbox_url)
    wait(browser, lambda d: len(messages(d, "channel")) >= 30, "the seed archive")
    before = len(messages(browser, "subscriber"))
    search = browser.find_element(By.ID, "subscriber-input")
    search.send_keys("@newsdesk_sandbox_bot بیکاری")
    results = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#inline-results .result"), "results")
    title = results[0].find_element(By.CSS_SELECTOR, ".title").text
    assert title and "بیکاری" in results[0].text
    results[0].click()
    sent = wait(
        browser, lambda d: len(messages(d, "subscriber")) > before and messages(d, "subscriber")[-1], ""
    )
    assert "via @newsdesk_sandbox_bot" in sent.find_element(By.CSS_SELECTOR, ".via").text
    assert "mine" in sent.get_attribute("class")  # sent by the subscriber, as Telegram shows it
    assert browser.find_element(By.ID, "inline-results").get_attribute("hidden")


def test_a_hashtag_tap_searches_it_as_the_subscriber(browser: WebDriver, sandbox_url: str) -> None:
    browser.get(sandbox_url)
    wait(browser, lambda d: len(messages(d, "channel")) >= 30, "the seed archive")
    tag = browser.find_elements(By.CSS_SELECTOR, "#chat-channel .msg .body .hashtag")[-1]
    text = tag.text
    before = len(messages(browser, "subscriber"))
    tag.click()

    def answered(d: WebDriver) -> list[str] | None:
        shown = [m.text for m in messages(d, "subscriber")[before:]]
        return shown if len(shown) >= 2 and any(text[1:] in m for m in shown[1:]) else None

    shown = wait(browser, answered, "the subscriber's search for the tag, answered")
    assert shown[0].startswith(f"/search {text}")
    wait(browser, lambda d: at_bottom(d, "subscriber"), "the answer in view")


def test_the_tour_is_one_click_a_step_and_can_be_closed(browser: WebDriver, sandbox_url: str) -> None:
    browser.get(sandbox_url)
    browser.execute_script("localStorage.removeItem('newsdesk-tour')")
    browser.get(sandbox_url)  # a first visit: the tour is open
    tour = browser.find_element(By.ID, "tour")
    assert tour.is_displayed()
    steps = browser.find_elements(By.CSS_SELECTOR, "#tour-steps li")
    assert len(steps) == 5 and all(s.find_element(By.CSS_SELECTOR, "bdi.en").text for s in steps)
    before = len(messages(browser, "editor"))
    steps[0].find_element(By.TAG_NAME, "button").click()  # the damaged sample, sent
    wait(
        browser,
        lambda d: any(m.text.startswith("?") for m in messages(d, "editor")[before:]),
        "the damaged sample in the editor's chat",
    )
    hint = browser.find_element(By.ID, "tour-hint").text
    assert "پیش‌نمایش" in hint and "preview" in hint  # Persian with English
    browser.find_element(By.ID, "tour-close").click()
    assert not tour.is_displayed()
    browser.get(sandbox_url)  # closed stays closed
    assert not browser.find_element(By.ID, "tour").is_displayed()
    browser.find_element(By.ID, "tour-open").click()
    assert browser.find_element(By.ID, "tour").is_displayed()


def show_tab(driver: WebDriver, network: str) -> WebElement:
    """Open the channel pane's tab of a network (channel: Telegram, bale, eitaa); its messages box."""
    driver.find_element(By.CSS_SELECTOR, f"[data-tab='{network}']").click()
    box = driver.find_element(By.ID, f"chat-{network}")
    shown = [
        tab
        for tab in ("channel", "bale", "eitaa")
        if driver.find_element(By.ID, f"chat-{tab}").is_displayed()
    ]
    assert shown == [network]  # one tab at a time
    return box


def test_a_post_shows_in_the_bale_and_eitaa_tabs_and_its_correction_follows(
    browser: WebDriver, sandbox_url: str
) -> None:
    """The desk mirrors its channel on Bale and Eitaa (their emulators): each tab shows what its network
    received, as it shows it. A correction edits the Bale copy and comes to Eitaa as a note in reply."""
    browser.get(sandbox_url)
    wait(browser, lambda d: len(messages(d, "channel")) >= 30, "the seed archive")
    copies = {network: len(messages(browser, network)) for network in ("bale", "eitaa")}
    last = max((int(m.get_attribute("data-id")) for m in messages(browser, "editor")), default=0)
    caption = "بازگشایی کتابخانه مرکزی شهر\nکتابخانه مرکزی شهر پس از دو سال بازسازی بازگشایی شد."

    def send() -> None:
        type_in_composer(browser, caption)
        send_sample(browser, "photo-1.jpg")

    post = publish_newest(browser, send)
    post_id = post.get_attribute("data-id")  # the element itself goes stale as the pane is redrawn
    assert "کتابخانه مرکزی" in post.find_element(By.CSS_SELECTOR, ".body b").text  # Telegram: formatted
    for network in ("bale", "eitaa"):  # while the Telegram tab is shown, the others count what came
        unread = f"[data-tab='{network}'] .unread"
        wait(
            browser, lambda d, u=unread: d.find_element(By.CSS_SELECTOR, u).text == "۱", f"{network}'s badge"
        )

    # The published notice links each copy; the Bale link opens the Bale tab at the copy.
    to_bale = ".body a[href^='https://ble.ir/newsdesk_sandbox/']"

    def published_notice(d: WebDriver) -> WebElement | None:  # sent once every copy is out
        found = [
            m
            for m in messages(d, "editor")
            if int(m.get_attribute("data-id")) > last  # this post's, not an earlier one's
            and m.text.startswith("✅")
            and m.find_elements(By.CSS_SELECTOR, to_bale)
        ]
        return found[-1] if found else None

    notice = wait(browser, published_notice, "the published notice linking the copies")
    notice.find_element(By.CSS_SELECTOR, to_bale).click()
    on_bale = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#chat-bale .msg.flash"), "the copy")[
        0
    ]
    assert browser.find_element(By.CSS_SELECTOR, "[data-tab='bale']").get_attribute("aria-selected") == "true"
    assert not browser.find_element(By.ID, "chat-channel").is_displayed()
    assert "کتابخانه مرکزی" in on_bale.text and not on_bale.find_elements(By.CSS_SELECTOR, ".body b")  # plain
    photo = on_bale.find_element(By.CSS_SELECTOR, "img.media.photo")
    wait(browser, lambda d: loaded(d, photo), "the photo uploaded to Bale, loaded from its emulator")
    assert len(messages(browser, "bale")) == copies["bale"] + 1
    assert browser.find_element(By.CSS_SELECTOR, "[data-tab='bale'] .unread").text == ""

    box = show_tab(browser, "eitaa")
    on_eitaa = messages(browser, "eitaa")[-1]
    assert len(messages(browser, "eitaa")) == copies["eitaa"] + 1 and "کتابخانه مرکزی" in on_eitaa.text
    photo = on_eitaa.find_element(By.CSS_SELECTOR, "img.media.photo")
    wait(browser, lambda d: loaded(d, photo), "the photo sent to Eitaa, loaded from the page")
    assert "Eitaa" in browser.find_element(By.CSS_SELECTOR, "[data-note='eitaa']").text

    # A correction, by reply to the notice: the Bale copy is edited, Eitaa gets a note.
    show_tab(browser, "channel")
    notice.find_element(By.CSS_SELECTOR, ".tools .reply").click()
    type_in_composer(browser, caption.replace("دو سال", "سه سال"))
    browser.find_element(By.ID, "editor-send").click()
    click(browser, lambda d: button(d, "editor", CORRECT), "the proposed correction's button")
    corrected = f"#chat-channel .msg[data-id='{post_id}']"
    wait(
        browser,
        lambda d: "سه سال" in d.find_element(By.CSS_SELECTOR, corrected).text,
        "the corrected post",
    )

    show_tab(browser, "bale")
    edited = wait(
        browser, lambda d: "سه سال" in (m := messages(d, "bale")[-1]).text and m, "the Bale copy, edited"
    )
    assert "ویرایش‌شده" in edited.find_element(By.CSS_SELECTOR, ".meta").text
    assert len(messages(browser, "bale")) == copies["bale"] + 1  # in place

    box = show_tab(browser, "eitaa")
    note = wait(
        browser, lambda d: (m := box.find_elements(By.CSS_SELECTOR, ".msg.note")) and m[-1], "the note"
    )
    assert "اصلاحیه" in note.text and "سه سال" in note.text
    assert "دو سال" in note.find_element(By.CSS_SELECTOR, ".reply-quote").text  # in reply to the copy
    assert "دو سال" in messages(browser, "eitaa")[-2].text  # the copy itself as it was
    assert "ویرایش‌شده" not in messages(browser, "eitaa")[-2].text
