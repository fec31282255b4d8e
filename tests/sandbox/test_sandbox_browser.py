"""The sandbox in a real browser: headless Chromium (Debian's `chromium` and `chromium-driver`).

The page is opened as a person would: paste the example draft, send it, press publish, see the
formatted post in the channel pane, find it from the subscriber's pane with /search and with
inline mode. A screenshot is saved to the test's tmp dir (and to $SANDBOX_SCREENSHOT if set, which is
how docs/sandbox.png is made). Skipped only where Chromium is not installed, and never in CI.
"""

from __future__ import annotations

import os
import shutil
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot import messages as msg
from bot.text.limits import utf16_len
from tests.sandbox_process import NO_DUPLICATE_GUARD, running_sandbox

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
WAIT_SECONDS = 30
HEADLINE = "آغاز عملیات اجرایی خط دوم انتقال آب به شیراز"

if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    if os.environ.get("CI") == "true":
        pytest.fail("CI must run the browser test: .ci/run installs chromium", pytrace=False)
    pytest.skip("chromium and chromium-driver are not installed", allow_module_level=True)

from selenium import webdriver  # noqa: E402  (only where a browser exists)
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def sandbox_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_sandbox(tmp_path_factory.mktemp("sandbox"), settings=NO_DUPLICATE_GUARD) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    profile = tmp_path_factory.mktemp("chromium-profile")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1600,1000",
        "--lang=fa",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()


def wait(driver: WebDriver, condition, what: str):
    """Poll `condition` until it returns something truthy; a pane redrawn meanwhile means try again."""
    waiting = WebDriverWait(
        driver, WAIT_SECONDS, poll_frequency=0.1, ignored_exceptions=(StaleElementReferenceException,)
    )
    return waiting.until(lambda d: condition(d), message=what)


def click(driver: WebDriver, find, what: str) -> None:
    """Click what `find` finds, once it is there (again if the pane was redrawn under the pointer)."""

    def clicked(d: WebDriver) -> bool:
        element = find(d)
        if not element:
            return False
        element.click()
        return True

    wait(driver, clicked, what)


def messages(driver: WebDriver, pane: str) -> list[WebElement]:
    return driver.find_elements(By.CSS_SELECTOR, f"#chat-{pane} .msg")


def button(driver: WebDriver, pane: str, label: str) -> WebElement | None:
    """The last message's button with this label in a pane, once the bot has sent it."""
    found = [b for b in driver.find_elements(By.CSS_SELECTOR, f"#chat-{pane} .kb button") if b.text == label]
    return found[-1] if found else None


def test_paste_publish_and_find_in_a_real_browser(
    browser: WebDriver, sandbox_url: str, tmp_path: Path
) -> None:
    browser.get(sandbox_url)
    seeded = wait(browser, lambda d: len(messages(d, "channel")) >= 30, "the seed archive in the channel")
    channel_before = len(messages(browser, "channel"))
    assert seeded and browser.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"

    # The editor pastes the damaged example and sends it; the bot answers with a preview.
    browser.find_element(By.ID, "editor-example").click()
    draft = browser.find_element(By.ID, "editor-input")
    wait(browser, lambda d: "?" in draft.text, "the example draft in the composer")
    browser.find_element(By.ID, "editor-send").click()
    publish_now = msg.text("btn_now", msg.FA)
    click(browser, lambda d: button(d, "editor", publish_now), "the publish button")

    # The channel pane shows the formatted post: bold headline, bullets, italic byline, a link.
    def published(d: WebDriver) -> dict[str, str] | None:
        posts = messages(d, "channel")
        if len(posts) <= channel_before:
            return None
        body = posts[-1].find_element(By.CSS_SELECTOR, ".body")
        return {
            "id": posts[-1].get_attribute("data-id"),
            "text": body.text,
            "bold": body.find_element(By.TAG_NAME, "b").text,
            "italic": body.find_element(By.TAG_NAME, "i").text,
            "link": body.find_element(By.CSS_SELECTOR, "a[href^='https://example.org/']").get_attribute(
                "href"
            ),
        }

    post = wait(browser, published, "the published post in the channel pane")
    assert HEADLINE in post["bold"]
    assert "پیش‌بینی می‌شود" in post["text"] and "?" not in post["text"].replace("?id=2", "")
    assert post["text"].count("🔹") == 4
    assert post["italic"] == "خبرنگار: م. رضایی"
    assert post["link"] == "https://example.org/water?id=2"

    # A subscriber finds it with /search: the first result links to the new channel post.
    before = len(messages(browser, "subscriber"))
    search = browser.find_element(By.ID, "subscriber-input")
    search.send_keys("/search انتقال آب شیراز")
    browser.find_element(By.ID, "subscriber-send").click()

    def first_result(d: WebDriver) -> WebElement | None:
        answers = messages(d, "subscriber")
        return answers[-1].find_element(By.CSS_SELECTOR, ".body a") if len(answers) > before + 1 else None

    first = wait(browser, lambda d: (r := first_result(d)) and (r.text, r.get_attribute("href")), "results")
    assert HEADLINE in first[0]
    assert first[1] == f"https://t.me/newsdesk_sandbox/{post['id']}"
    click(browser, first_result, "the first result")  # opens the post in the channel pane
    highlighted = f"#chat-channel .msg.flash[data-id='{post['id']}']"
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, highlighted), "the post highlighted")

    # ...and with inline mode, as in any chat.
    search.clear()
    search.send_keys("@newsdesk_sandbox_bot انتقال آب")
    click(
        browser,
        lambda d: next(
            (r for r in d.find_elements(By.CSS_SELECTOR, "#inline-results .result") if HEADLINE in r.text),
            None,
        ),
        "the post among the inline results",
    )
    # Picked, the result is sent into the chat "via @newsdesk_sandbox_bot", as Telegram shows it.
    via = "#chat-subscriber .msg.mine .via"
    sent = wait(
        browser,
        lambda d: [v.find_element(By.XPATH, "..").text for v in d.find_elements(By.CSS_SELECTOR, via)],
        "",
    )
    assert HEADLINE in sent[-1] and "via @newsdesk_sandbox_bot" in sent[-1]

    shot = tmp_path / "sandbox.png"
    assert browser.save_screenshot(str(shot))
    if os.environ.get("SANDBOX_SCREENSHOT"):
        shutil.copyfile(shot, os.environ["SANDBOX_SCREENSHOT"])


def test_entities_render_as_telegram_shows_them(browser: WebDriver, sandbox_url: str) -> None:
    """The page's renderer: Telegram's entities (UTF-16 offsets) to nested elements, right to left."""
    browser.get(sandbox_url)
    text = "🔹 خبر مهم: متن پنهان و نقل‌قول با پیوند"

    def entity(kind: str, part: str, **extra: str) -> dict:
        """An entity over `part` of the text, in UTF-16 units as Telegram counts (the emoji is 2)."""
        start = text.index(part)
        return {"type": kind, "offset": utf16_len(text[:start]), "length": utf16_len(part), **extra}

    entities = [
        entity("bold", "خبر مهم:"),
        entity("italic", "مهم:"),
        entity("spoiler", "متن پنهان"),
        entity("blockquote", "و نقل‌قول با پیوند"),
        entity("text_link", "پیوند", url="https://example.org/"),
    ]
    shown = browser.execute_script(
        """const box = document.createElement("div");
        box.className = "body"; box.id = "rendered";
        box.append(formatted(arguments[0], arguments[1]));
        document.body.append(box);  // not in a pane: a redraw would drop it
        return box.innerHTML;""",
        text,
        entities,
    )
    assert shown == (
        '🔹 <b>خبر <i>مهم:</i></b> <span class="spoiler">متن پنهان</span> '
        '<blockquote>و نقل‌قول با <a href="https://example.org/">پیوند</a></blockquote>'
    )
    browser.find_element(By.CSS_SELECTOR, "#rendered .spoiler").click()
    revealed = wait(
        browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#rendered .spoiler.revealed"), "revealed"
    )
    direction = browser.execute_script("return getComputedStyle(arguments[0]).direction", revealed[0])
    assert direction == "rtl"


def png(width: int, height: int) -> bytes:
    """A real PNG of one colour (the page reads its size as a browser does)."""
    row = b"\x00" + b"\x2a\x7a\xb0" * width
    chunks = [
        (b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
        (b"IDAT", zlib.compress(row * height)),
    ]
    body = b"".join(
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        for kind, data in [*chunks, (b"IEND", b"")]
    )
    return b"\x89PNG\r\n\x1a\n" + body


def test_a_picture_attached_in_the_editor_pane_is_sent_as_a_photo(
    browser: WebDriver, sandbox_url: str, tmp_path: Path
) -> None:
    browser.get(sandbox_url)
    picture = tmp_path / "news.png"
    picture.write_bytes(png(64, 48))
    before = len(messages(browser, "editor"))
    browser.find_element(By.ID, "editor-input").send_keys("عکس خبر")
    browser.find_element(By.ID, "editor-file").send_keys(str(picture))
    shown = wait(
        browser,
        lambda d: [
            img
            for m in messages(d, "editor")[before:]
            for img in m.find_elements(By.CSS_SELECTOR, "img.photo")
            if d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", img)
        ],
        "the photo in the editor's chat, loaded from the emulator",
    )
    assert browser.execute_script(
        "return [arguments[0].naturalWidth, arguments[0].naturalHeight]", shown[0]
    ) == [64, 48]
    assert browser.find_element(By.ID, "editor-input").text == ""  # the caption went with it


def test_the_editor_edits_a_sent_message_from_the_page(browser: WebDriver, sandbox_url: str) -> None:
    browser.get(sandbox_url)
    composer = browser.find_element(By.ID, "editor-input")
    composer.send_keys("خبر کوتاه برای ویرایش\nمتن نخست این خبر کوتاه برای آزمودن ویرایش است.")
    browser.find_element(By.ID, "editor-send").click()

    def own_last(d: WebDriver) -> WebElement | None:
        mine = d.find_elements(By.CSS_SELECTOR, "#chat-editor .msg.mine")
        return mine[-1] if mine and "متن نخست" in mine[-1].text else None

    def edit_button(d: WebDriver) -> WebElement | None:
        message = own_last(d)  # the tools show without hover (a touch screen has none)
        return message.find_element(By.CSS_SELECTOR, ".tools .edit") if message else None

    click(browser, edit_button, "the edit tool on the editor's own message")
    wait(browser, lambda d: "متن نخست" in composer.text, "the message in the composer")
    composer.clear()
    composer.send_keys("خبر کوتاه برای ویرایش\nمتن ویرایش‌شده این خبر کوتاه برای آزمودن ویرایش است.")
    browser.find_element(By.ID, "editor-send").click()
    bots = "#chat-editor .msg:not(.mine)"
    wait(
        browser,
        lambda d: any("متن ویرایش‌شده" in m.text for m in d.find_elements(By.CSS_SELECTOR, bots)),
        "the bot's answer to the edited draft",
    )
    edited = browser.find_elements(By.CSS_SELECTOR, "#chat-editor .msg.mine")
    assert "ویرایش‌شده" in edited[-1].find_element(By.CSS_SELECTOR, ".meta").text


def test_the_clock_runs_on_at_the_speed_picked_in_the_toolbar(browser: WebDriver, sandbox_url: str) -> None:
    browser.get(sandbox_url)
    clock = browser.find_element(By.ID, "clock-now")
    shown = wait(browser, lambda d: clock.text if "ساعت" in clock.text else None, "the clock")
    speed = Select(browser.find_element(By.ID, "time-speed"))
    speed.select_by_value("600")  # ten minutes a real second
    wait(browser, lambda d: httpx.get(f"{sandbox_url}api/state").json()["speed"] == 600, "the fast clock")
    wait(browser, lambda d: clock.text != shown, "the shown time running on")
    speed.select_by_value("1")  # real time again, for whatever runs next
    wait(browser, lambda d: httpx.get(f"{sandbox_url}api/state").json()["speed"] == 1, "real time")


def platform_fonts(driver: WebDriver, selector: str) -> list[dict]:
    """The fonts Chromium actually drew a node's text with (DevTools: CSS.getPlatformFontsForNode)."""
    driver.execute_cdp_cmd("DOM.enable", {})
    driver.execute_cdp_cmd("CSS.enable", {})
    root = driver.execute_cdp_cmd("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node = driver.execute_cdp_cmd("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return driver.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]


def test_persian_and_emoji_are_drawn_with_the_fonts_the_page_ships(
    browser: WebDriver, sandbox_url: str
) -> None:
    """Not the machine's fonts: each text is drawn only with a web font the page loaded from the package
    (isCustomFont), so the page reads the same where no Persian or emoji font is installed (this
    machine and CI have no emoji font; `fc-list :charset=1f4f0` finds none)."""
    browser.get(sandbox_url)
    browser.execute_script(
        """for (const [id, text] of [["probe-fa", "میز خبر تهران"], ["probe-emoji", "📰🔹🆔"]]) {
          const probe = document.createElement("div");
          probe.id = id; probe.className = "body"; probe.textContent = text;
          document.body.append(probe);
        }"""
    )
    loaded = browser.execute_async_script(
        """const done = arguments[arguments.length - 1];
        document.fonts.ready.then(() => done({
          persian: document.fonts.check('16px "Vazirmatn"', "میز خبر"),
          emoji: document.fonts.check('16px "Noto Color Emoji"', "📰"),
          faces: [...document.fonts].filter((f) => f.status === "loaded")
            .map((f) => f.family.replaceAll('"', "")),
        }));"""
    )
    assert loaded["persian"] and loaded["emoji"]
    assert {"Vazirmatn", "Noto Color Emoji"} <= set(loaded["faces"])
    persian = platform_fonts(browser, "#probe-fa")
    emoji = platform_fonts(browser, "#probe-emoji")
    assert [(f["familyName"], f["isCustomFont"]) for f in persian] == [("Vazirmatn", True)]
    assert [(f["familyName"], f["isCustomFont"]) for f in emoji] == [("Noto Color Emoji", True)]
    # The licences ship beside the fonts.
    for name in ("Vazirmatn-OFL.txt", "NotoColorEmoji-LICENSE.txt"):
        assert "SIL OPEN FONT LICENSE" in httpx.get(f"{sandbox_url}static/fonts/{name}").text.upper()


def test_mixed_direction_labels_read_in_their_own_order(browser: WebDriver, sandbox_url: str) -> None:
    """In the right-to-left page, the chips read /latest, /search …, /help (the slash first, on the left),
    and the subscriber's Persian placeholder reads right to left."""
    browser.get(sandbox_url)
    chips = browser.execute_script(
        """return [...document.querySelectorAll(".chips bdi")].map((bdi) => {
          const text = bdi.firstChild, range = document.createRange(), left = (i) => {
            range.setStart(text, i); range.setEnd(text, i + 1); return range.getBoundingClientRect().left;
          };
          return [bdi.textContent, left(0) < left(1), getComputedStyle(bdi).direction];
        });"""
    )
    assert chips[:3] == [["/latest", True, "ltr"], ["/search …", True, "ltr"], ["/help", True, "ltr"]]
    search = browser.find_element(By.ID, "subscriber-input")
    assert search.get_attribute("dir") == "rtl" and search.get_attribute("placeholder").startswith("واژه")
    search.send_keys("/latest")
    assert browser.execute_script("return getComputedStyle(arguments[0]).direction", search) == "ltr"
    search.clear()
    # A Persian example in code keeps its direction (dir=auto), and a /command reads /help.
    shown = browser.execute_script(
        """const box = document.createElement("div");
        box.className = "body"; box.append(formatted(arguments[0], arguments[1]));
        document.body.append(box);
        const code = box.querySelector("code"), command = box.querySelector(".command");
        return [code.dir, getComputedStyle(code).direction, command.tagName, command.textContent];""",
        "نمونه: #انتخابات_مجلس و /help",
        [
            {"type": "code", "offset": 7, "length": 14},
            {"type": "bot_command", "offset": 24, "length": 5},
        ],
    )
    assert shown == ["auto", "rtl", "BDI", "/help"]
