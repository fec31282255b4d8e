"""A post's Telegram HTML as plain text, for networks without HTML (Bale, Eitaa)."""

from bot.text.plain import plain_text


def test_tags_go_their_text_stays_and_entities_unescape() -> None:
    assert plain_text("<b>تیتر</b>\n\n&lt;متن&gt; &amp; <i>بیشتر</i>") == "تیتر\n\n<متن> & بیشتر"


def test_a_link_keeps_its_address_unless_it_shows_it() -> None:
    assert plain_text('<a href="https://e.ir/x">خبر</a>') == "خبر (https://e.ir/x)"
    assert plain_text('<a href="https://e.ir/x">https://e.ir/x</a>') == "https://e.ir/x"


def test_a_linked_hashtag_is_bare_when_asked() -> None:
    tag = '<a href="https://t.me/bot?start=search_x">#ورزش</a>'
    assert plain_text(tag, bare_tags=True) == "#ورزش"
    assert plain_text(tag) == "#ورزش (https://t.me/bot?start=search_x)"
