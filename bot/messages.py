"""Every text a person sees: Persian, or English when the user's Telegram language is not Persian.

`text(key, lang, **values)` fills a template; numbers passed as values come out in Persian digits
for Persian readers. `when(moment, tz, lang)` shows a UTC moment as a Jalali date and local time.
Texts are plain Telegram HTML: values that come from users must be escaped by the caller with
`html.escape`. Keep all wording here, so one person can review and translate it in one place.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import jdatetime

from bot.text.letters import TO_PERSIAN_DIGITS

FA = "fa"
EN = "en"


def language_for(language_code: str | None) -> str:
    """`fa` unless Telegram says the user reads another language."""
    if not language_code or language_code.lower().startswith("fa"):
        return FA
    return EN


def fa_digits(value: object) -> str:
    """`value` as text with Persian digits."""
    return str(value).translate(TO_PERSIAN_DIGITS)


def number(value: int, lang: str) -> str:
    """A count or id in the reader's digits."""
    return fa_digits(value) if lang == FA else str(value)


def count(value: int, lang: str) -> str:
    """A count with its thousands grouped, in the reader's digits (`۱٬۲۵۰`, `1,250`)."""
    return f"{value:,}".replace(",", "٬").translate(TO_PERSIAN_DIGITS) if lang == FA else f"{value:,}"


def when(moment: datetime, tz: ZoneInfo, lang: str) -> str:
    """A UTC moment as a Jalali date and local time, e.g. `پنج‌شنبه ۶ آذر ۱۴۰۵، ساعت ۱۸:۰۰`."""
    local = jdatetime.datetime.fromgregorian(datetime=moment.astimezone(tz))
    weekday, month = local.weekday(), local.month - 1
    if lang == FA:
        return fa_digits(
            f"{jdatetime.date.j_weekdays_fa[weekday]} {local.day} {jdatetime.date.j_months_fa[month]} "
            f"{local.year}، ساعت {local.hour:02d}:{local.minute:02d}"
        )
    return (
        f"{jdatetime.date.j_weekdays_en[weekday]} {local.day} {jdatetime.date.j_months_en[month]} "
        f"{local.year}, {local.hour:02d}:{local.minute:02d} ({tz.key})"
    )


def text(key: str, lang: str, /, **values: object) -> str:
    """The text `key` in `lang` (Persian when no English exists), filled with `values`."""
    persian, english = TEXTS[key]
    template = english if lang == EN and english else persian
    if lang == FA:
        values = {k: fa_digits(v) if isinstance(v, int) else v for k, v in values.items()}
    return template.format(**values)


# key: (Persian, English). Values in {braces}; ints become Persian digits in the Persian text.
TEXTS: dict[str, tuple[str, str]] = {
    # — editor desk: access —
    "not_editor": (
        "این بخش فقط برای دبیران کانال است.",
        "This is for the channel's editors only.",
    ),
    # — editor desk: drafts and preview —
    "preview_intro": (
        "پیش‌نمایش پست #{article_id} — همین متن در کانال منتشر می‌شود ({parts} پیام):",
        "Preview of post #{article_id} — exactly what will be posted ({parts} message(s)):",
    ),
    "refused_empty": (
        "این پیام جز نشانه، امضا و هشتگ متنی برای انتشار ندارد؛ پست خالی منتشر نمی‌کنم. متن خبر را "
        "بفرستید (یا فایل ‎.txt‎).",
        "Apart from markers, the signature and hashtags there is nothing to publish here; I won't post an "
        "empty message. Send the draft text (or a .txt file).",
    ),
    "draft_bad_file": (
        "این فایل را نمی‌توانم بخوانم: فقط فایل متنی ‎.txt‎ با کدگذاری UTF-8 و کمتر از {limit} نویسه.",
        "I can't read this file: only a UTF-8 .txt file under {limit} characters.",
    ),
    "file_caption_edit_ignored": (
        "پیش‌نویس از متن درون فایل ساخته شده است و ویرایش توضیح فایل آن را تغییر نمی‌دهد؛ "
        "فایل اصلاح‌شده را دوباره بفرستید یا دکمهٔ ✏️ ویرایش را بزنید.",
        "The draft was made from the text inside the file, so editing the file's caption does not change "
        "it; send the corrected file again or press ✏️ Edit.",
    ),
    "draft_too_long": (
        "این متن بیش از {limit} نویسه است؛ لطفاً کوتاه‌ترش کنید.",
        "This text is longer than {limit} characters; please shorten it.",
    ),
    "draft_gone": (
        "پست #{article_id} دیگر قابل این کار نیست (وضعیت فعلی: {status}).",
        "Post #{article_id} can no longer do that (current state: {status}).",
    ),
    "done_discarded": ("پیش‌نویس #{article_id} دور ریخته شد.", "Draft #{article_id} discarded."),
    # — editor desk: undo and restore (bot.desk.undo) —
    "undo_offer": (
        "↩️ تا {seconds} ثانیه برمی‌گردد؛ پس از آن در /drafts تا {days} روز.",
        "↩️ brings it back for {seconds} seconds; after that, /drafts does for {days} days.",
    ),
    "btn_undo": ("↩️ برگردان", "↩️ Undo"),
    "btn_restore": ("↩️ بازگردانی #{article_id}", "↩️ Restore #{article_id}"),
    "refused_undo_expired": (
        "مهلت {seconds} ثانیه‌ای برگرداندن پست #{article_id} گذشته است؛ "
        "در /drafts تا {days} روز با ↩️ برمی‌گردد.",
        "The {seconds} seconds to undo post #{article_id} are over; "
        "↩️ in /drafts brings it back for {days} days.",
    ),
    "restored_scheduled": (
        "↩️ پست #{article_id} به صف برگشت.",
        "↩️ Post #{article_id} is back in the queue.",
    ),
    "restored_draft": ("↩️ پیش‌نویس #{article_id} برگشت.", "↩️ Draft #{article_id} is back."),
    "restored_time_passed": (
        "↩️ پست #{article_id} برگشت، ولی زمانش ({when}) گذشته است: پیش‌نویس شد تا زمان تازه‌ای بدهید.",
        "↩️ Post #{article_id} is back, but its time ({when}) has passed: "
        "it is a draft until you give it a new one.",
    ),
    "drafts_flag_discarded": ("\n🗑 دور ریخته شده", "\n🗑 discarded"),
    "drafts_flag_cancelled": ("\n❌ لغو شده (زمانش {when} بود)", "\n❌ cancelled (it was due {when})"),
    "drafts_kept_note": (
        "لغوشده‌ها و دورریخته‌های {days} روز گذشته هم اینجا هستند؛ ↩️ برشان می‌گرداند.",
        "Posts cancelled or discarded in the last {days} days are here too; ↩️ brings them back.",
    ),
    "ask_edit": (
        "متن اصلاح‌شدهٔ پست #{article_id} را بفرستید (یا /cancel). تا {minutes} دقیقه منتظر می‌مانم.",
        "Send the corrected text of post #{article_id} (or /cancel). I'll wait {minutes} minutes.",
    ),
    "ask_time": (
        "زمان انتشار پست #{article_id} را بنویسید، مثلاً: <code>۱۴:۳۰</code> ، <code>فردا ۸:۳۰</code> ، "
        "<code>نیم ساعت دیگر</code> ، <code>ساعت ۲ بعدازظهر</code> ، <code>امشب</code> ، "
        "<code>شنبه ساعت ۹</code> یا <code>۱۰ آذر ساعت ۹</code>. برای انصراف: /cancel (تا {minutes} دقیقه "
        "منتظر می‌مانم).",
        "Type when to publish post #{article_id}, e.g. <code>14:30</code>, <code>tomorrow 8:30</code>, "
        "<code>in 30 min</code>, <code>2 pm</code>, <code>tonight</code>, <code>saturday 9:00</code> or "
        "<code>2026-12-01 08:00</code>. To stop: /cancel (I'll wait {minutes} minutes).",
    ),
    # — typed times —
    "time_unreadable": (
        "«{typed}» را به‌عنوان زمان نفهمیدم. مثال‌ها: <code>۱۴:۳۰</code> ، <code>فردا ۸:۳۰</code> ، "
        "<code>نیم ساعت دیگر</code> ، <code>امشب</code> ، <code>شنبه ساعت ۹</code> ، "
        "<code>۱۰ آذر ساعت ۹</code>",
        "I couldn't read “{typed}” as a time. Examples: <code>14:30</code>, <code>tomorrow 8:30</code>, "
        "<code>in 30 min</code>, <code>tonight</code>, <code>saturday 9:00</code>, "
        "<code>2026-12-01 08:00</code>",
    ),
    "time_no_such_date": (
        "تاریخ «{typed}» وجود ندارد. مثال درست: <code>۱۴۰۵/۰۹/۱۰ ۰۸:۰۰</code>",
        "There is no such date as “{typed}”. A valid example: <code>2026-12-01 08:00</code>",
    ),
    "time_past": (
        "«{typed}» یعنی {when} که گذشته است. زمانی در آینده بنویسید، مثلاً <code>فردا ۸:۳۰</code> "
        "یا <code>+۱ ساعت</code>.",
        "“{typed}” means {when}, which has passed. Type a future time, e.g. <code>tomorrow 8:30</code> "
        "or <code>+1h</code>.",
    ),
    "time_past_plain": (
        "«{typed}» گذشته است. زمانی در آینده بنویسید، مثلاً <code>فردا ۸:۳۰</code>.",
        "“{typed}” has passed. Type a future time, e.g. <code>tomorrow 8:30</code>.",
    ),
    "time_too_far": (
        "«{typed}» بیش از یک سال دیگر است. زمانی نزدیک‌تر بنویسید.",
        "“{typed}” is more than a year away. Type a nearer time.",
    ),
    # what a typed time assumed (bot.desk.timeparse.Assumption), said with the moment it was read as
    "time_assumed_first_slot": (
        "برای «{typed}» ساعتی ننوشتید؛ نخستین نوبت انتشار آن روز را گذاشتم: {when}",
        "“{typed}” names no hour; I took that day's first posting slot: {when}",
    ),
    "time_assumed_afternoon": (
        "«{typed}» امروز صبح گذشته است؛ آن را بعد از ظهر خواندم: {when}",
        "“{typed}” this morning has passed; I read it as the afternoon or evening: {when}",
    ),
    "time_assumed_next_week": (
        "«{typed}» امروز گذشته است؛ آن را هفتهٔ بعد خواندم: {when}",
        "“{typed}” has passed today; I read it as next week: {when}",
    ),
    "time_assumed_next_year": (
        "«{typed}» امسال گذشته است؛ آن را سال بعد خواندم: {when}",
        "“{typed}” has passed this year; I read it as next year: {when}",
    ),
    "refused_tonight_passed": (
        "ساعت انتشار امشب گذشته است؛ «فردا صبح» یا «انتخاب زمان» را بزنید.",
        "Tonight's publishing time has passed; choose “tomorrow morning” or “pick a time”.",
    ),
    # — scheduling —
    "scheduled": (
        "پست #{article_id} برای {when} زمان‌بندی شد.{quiet}",
        "Post #{article_id} is scheduled for {when}.{quiet}",
    ),
    "quiet_note": (" (ساعت سکوت: بی‌صدا ارسال می‌شود)", " (quiet hours: it goes out silently)"),
    "done_cancelled": ("زمان‌بندی پست #{article_id} لغو شد.", "Post #{article_id} is cancelled."),
    "refused_no_free_slot": (
        "در یک سال آینده نوبت خالی نیست؛ زمان را خودتان بنویسید.",
        "No free slot in the coming year; type a time yourself.",
    ),
    # — publishing outcomes (sent to the editor) —
    "published": (
        "✅ پست #{article_id} در کانال منتشر شد ({parts} پیام). برای اصلاح، متن تازه را در پاسخ به همین "
        "پیام بفرستید.",
        "✅ Post #{article_id} is published ({parts} message(s)). To correct it, reply to this message "
        "with the new text.",
    ),
    "publish_failed": (
        "⚠️ انتشار پست #{article_id} ناموفق بود: {reason}\nپست از بین نرفته است؛ پس از رفع مشکل "
        "دوباره منتشرش کنید.",
        "⚠️ Post #{article_id} could not be published: {reason}\nThe post is kept; publish it again "
        "once the problem is fixed.",
    ),
    "reason_not_admin": (
        "ربات در کانال ادمین نیست یا اجازهٔ ارسال پیام ندارد.",
        "the bot is not an admin of the channel or may not post there.",
    ),
    "reason_bad_request": (
        "تلگرام درخواست را نپذیرفت ({detail}).",
        "Telegram refused the request ({detail}).",
    ),
    "reason_network": (
        "تلگرام پس از چند بار تلاش پاسخ نداد.",
        "Telegram did not answer after several attempts.",
    ),
    "uncertain": (
        "❓ پست #{article_id} در حال انتشار بود که ربات متوقف شد یا پاسخ تلگرام نرسید، و معلوم نیست به "
        "کانال رسیده یا نه. کانال را نگاه کنید و انتخاب کنید:",
        "❓ Post #{article_id} was being published when the bot stopped or Telegram's answer was lost; "
        "it may or may not be in the channel. Check the channel and choose:",
    ),
    "uncertain_part": (
        "❓ پست #{article_id} ({parts} پیام) در حال انتشار بود که ربات متوقف شد یا پاسخ تلگرام نرسید: "
        "{done} پیام نخستش در کانال است و معلوم نیست پیام {part} رسیده یا نه. کانال را نگاه کنید و "
        "انتخاب کنید (ادامه از همان‌جا منتشر می‌شود، نه از اول):",
        "❓ Post #{article_id} ({parts} messages) was being published when the bot stopped or Telegram's "
        "answer was lost: its first {done} are in the channel; message {part} may or may not be. Check "
        "the channel and choose (publishing resumes from there, not from the start):",
    ),
    "missed": (
        "⏰ پست #{article_id} برای {when} زمان‌بندی شده بود و ربات در آن زمان خاموش بود "
        "({late} دقیقه تأخیر). چه کنم؟",
        "⏰ Post #{article_id} was due at {when} while the bot was down ({late} minutes late). "
        "What should I do?",
    ),
    "done_marked_published": (
        "پست #{article_id} منتشرشده ثبت شد (دوباره ارسال نمی‌شود).",
        "Post #{article_id} is recorded as published (it will not be sent again).",
    ),
    # — queue —
    "queue_empty": ("صف انتشار خالی است.", "Nothing is scheduled."),
    "queue_title": (
        "صف انتشار ({count} پست){page}:",
        "Scheduled posts ({count}){page}:",
    ),
    "queue_page": (" — صفحهٔ {page} از {pages}", " — page {page} of {pages}"),
    "queue_item": ("#{article_id} · {when}\n{title}", "#{article_id} · {when}\n{title}"),
    # — editing and deleting published posts —
    "edited": (
        "✏️ پست #{article_id} در کانال اصلاح شد و بایگانی به‌روز شد.",
        "✏️ Post #{article_id} is corrected in the channel and in the archive.",
    ),
    "edit_unchanged": (
        "متن تازه با پست #{article_id} فرقی ندارد.",
        "The new text is the same as post #{article_id}.",
    ),
    "edit_parts_differ": (
        "متن تازه {new} پیام می‌شود ولی پست منتشرشده {old} پیام است؛ متن را هم‌اندازه کنید یا پست را "
        "حذف و دوباره منتشر کنید.",
        "The new text needs {new} message(s) but the published post has {old}; match its length, or "
        "delete the post and publish again.",
    ),
    "edit_unknown_ids": (
        "شناسهٔ همهٔ پیام‌های پست #{article_id} در کانال معلوم نیست (پس از توقف ربات تأیید شد)؛ آن را در "
        "خود کانال اصلاح کنید.",
        "Not every channel message of post #{article_id} is known (it was confirmed by hand after a "
        "stop); correct it in the channel itself.",
    ),
    "edit_failed": (
        "اصلاح پست #{article_id} در کانال ممکن نشد: {reason}",
        "Post #{article_id} could not be corrected in the channel: {reason}",
    ),
    # — editor desk: a post's history (/history) —
    "refused_history_usage": (
        "پستی با این شماره یا پیوند نمی‌شناسم. /history را در پاسخ به پیام «منتشر شد» پست بفرستید، یا با "
        "شمارهٔ پست (<code>/history 12</code>) یا پیوند آن در کانال.",
        "I know no post by that number or link. Send /history as a reply to the post's “published” "
        "message, or with its number (<code>/history 12</code>) or its link in the channel.",
    ),
    "history_title": ("📜 تاریخچهٔ پست #{article_id}: {title}", "📜 History of post #{article_id}: {title}"),
    "history_page": (" ({first} تا {last} از {total})", " ({first} to {last} of {total})"),
    "history_empty": (
        "📜 پست #{article_id} ({title}) هنوز در کانال کاری نداشته است.",
        "📜 Post #{article_id} ({title}) has not been in the channel yet.",
    ),
    "history_entry": ("🕓 {when} — {who}\n{what}", "🕓 {when} — {who}\n{what}"),
    "history_by": ("{name} (شناسهٔ {user_id})", "{name} (id {user_id})"),
    "history_editor": ("دبیر", "an editor"),
    "history_by_schedule": ("خودکار، سر وقت زمان‌بندی", "automatically, at its scheduled time"),
    "history_ring": ("🔔 با صدا", "🔔 ringing"),
    "history_silent": ("🔕 بی‌صدا", "🔕 silently"),
    "history_published": ("🚀 منتشر شد، {ring}: {sent} پیام", "🚀 Published {ring}: {sent} message(s)"),
    "history_confirmed": (
        "✔️ دبیر بخش نامطمئن را در کانال دید و فرستاده ثبت شد",
        "✔️ The editor saw the doubtful part in the channel: recorded as sent",
    ),
    "history_uncertain": (
        "❓ {sent} پیام فرستاده شد و پاسخ تلگرام برای آخری نرسید",
        "❓ {sent} message(s) sent; Telegram never answered for the last one",
    ),
    "history_failed": (
        "⛔️ انتشار ناموفق ماند؛ {deleted} پیامِ رفته پس گرفته شد",
        "⛔️ Publishing failed; {deleted} message(s) already sent taken back",
    ),
    "history_dropped": (
        "🗑 انتشار نیمه‌کاره کنار گذاشته شد؛ {deleted} پیام پس گرفته شد",
        "🗑 The half-sent post was dropped; {deleted} message(s) taken back",
    ),
    "history_corrected": (
        "✏️ اصلاح شد: {edited} پیام ویرایش، {sent} پیام افزوده و {deleted} پیام حذف شد",
        "✏️ Corrected: {edited} message(s) edited, {sent} added, {deleted} removed",
    ),
    "history_media": ("🖼 فایل عوض شد (شمارهٔ {items})", "🖼 File replaced (item {items})"),
    "history_deleted": (
        "🗑 از کانال حذف شد: {deleted} پیام",
        "🗑 Deleted from the channel: {deleted} message(s)",
    ),
    "history_copied": (
        "📤 رونوشت در {destination} رفت: {sent} پیام",
        "📤 Copied to {destination}: {sent} message(s)",
    ),
    "history_in_copy": ("↪️ در رونوشت {destination}", "↪️ In the copy in {destination}"),
    "history_incomplete": ("⚠️ نیمه‌کاره ماند: {reason}", "⚠️ Stopped midway: {reason}"),
    "refused_delete_usage": (
        "برای حذف، /delete را در پاسخ به پیام «منتشر شد» پست بفرستید، یا: <code>/delete 12</code>",
        "To delete, send /delete as a reply to the post's “published” message, or: <code>/delete 12</code>",
    ),
    "delete_confirm": (
        "پست #{article_id} از کانال و بایگانی حذف شود؟",
        "Delete post #{article_id} from the channel and the archive?",
    ),
    "deleted_partly": (
        "🗑 پست #{article_id} از بایگانی حذف شد؛ {unknown} پیام آن را که شناسه‌اش معلوم نیست خودتان از "
        "کانال پاک کنید.",
        "🗑 Post #{article_id} is deleted from the archive; delete its {unknown} message(s) of unknown id "
        "from the channel yourself.",
    ),
    "deleted": ("🗑 پست #{article_id} حذف شد.", "🗑 Post #{article_id} is deleted."),
    "cannot_delete": (
        "ربات نمی‌تواند پست #{article_id} را از کانال حذف کند: {reason}",
        "The bot cannot delete post #{article_id} from the channel: {reason}",
    ),
    "cannot_delete_too_old": (
        "بیش از {hours} ساعت از انتشارش گذشته است و تلگرام به ربات اجازه نمی‌دهد پیام کانال را پس از "
        "{hours} ساعت حذف کند، مگر آنکه در کانال اجازهٔ «حذف پیام‌ها» داشته باشد.",
        "it went out more than {hours} hours ago, and Telegram lets a bot delete a channel message only "
        "within {hours} hours unless it holds the “delete messages” right in the channel.",
    ),
    "cannot_delete_not_admin": (
        "ربات در کانال ادمین نیست.",
        "the bot is not an admin of the channel.",
    ),
    "cannot_delete_no_right": (
        "ربات در کانال نه اجازهٔ «ارسال پیام» دارد (که با آن پست‌های خودش را حذف کند) و نه اجازهٔ «حذف پیام‌ها».",
        "the bot holds neither the “post messages” right in the channel (to delete its own posts) nor "
        "the “delete messages” right.",
    ),
    "removal_offer": (
        "به‌جای حذف، می‌توانم متن پست را با یادداشت کوتاه «{note}» جایگزین کنم؛ پیش از اعمال، پست را "
        "همان‌طور که در کانال خواهد بود می‌بینید.",
        "Instead, I can replace the post's text with a short removal note (“{note}”); you will see the "
        "post as it would stand before anything changes.",
    ),
    "removal_note": ("این خبر حذف شد.", ""),  # the channel's language: always the Persian
    "edit_uncertain": (
        "❓ تلگرام به اصلاح پست #{article_id} پاسخ روشنی نداد و معلوم نیست در کانال اعمال شده یا نه. "
        "کانال را نگاه کنید و اگر لازم بود دوباره اصلاح کنید.",
        "❓ Telegram gave no clear answer to the correction of post #{article_id}; it may or may not "
        "be applied in the channel. Check the channel and correct it again if needed.",
    ),
    "delete_uncertain": (
        "❓ تلگرام به حذف پست #{article_id} پاسخ روشنی نداد و معلوم نیست از کانال حذف شده یا نه. کانال "
        "را نگاه کنید و اگر لازم بود دوباره حذف کنید.",
        "❓ Telegram gave no clear answer to the deletion of post #{article_id}; it may or may not be "
        "gone from the channel. Check the channel and delete it again if needed.",
    ),
    "delete_failed": (
        "حذف پست #{article_id} از کانال ممکن نشد: {reason} (تلگرام فقط پیام‌های کمتر از ۴۸ ساعت را "
        "حذف می‌کند، مگر ربات اجازهٔ حذف داشته باشد.)",
        "Post #{article_id} could not be deleted from the channel: {reason} (bots can delete only "
        "messages under 48 hours old unless they hold the delete right.)",
    ),
    # — the desk's answers (bot.desk.view) —
    "private_only": (
        "فرمان‌های دبیران فقط در گفتگوی خصوصی با ربات کار می‌کنند.",
        "Editor commands work only in your private chat with the bot.",
    ),
    "refused_stale_button": (
        "این دکمه دیگر معتبر نیست؛ /queue یا /drafts را بزنید.",
        "This button is no longer valid; use /queue or /drafts.",
    ),
    "refused_wrong_state": (
        "پست #{article_id} دیگر قابل این کار نیست.",
        "Post #{article_id} can no longer do that.",
    ),
    "refused_nothing_to_cancel": (
        "منتظر پاسخی از شما نبودم؛ چیزی برای لغو نیست.",
        "I wasn't waiting for anything from you; there is nothing to cancel.",
    ),
    "wait_ended_time": (
        "⌛ {minutes} دقیقه منتظر زمان انتشار پست #{article_id} ماندم و انتظار تمام شد؛ پست دست‌نخورده ماند. "
        "برای زمان‌بندی، دوباره «{button}» را بزنید.",
        "⌛ I waited {minutes} minutes for the publishing time of post #{article_id}; the wait is over and "
        "the post is unchanged. To schedule it, press “{button}” again.",
    ),
    "wait_ended_edit": (
        "⌛ {minutes} دقیقه منتظر متن اصلاح‌شدهٔ پست #{article_id} ماندم و انتظار تمام شد؛ پست دست‌نخورده "
        "ماند. برای اصلاح، دوباره «{button}» را بزنید.",
        "⌛ I waited {minutes} minutes for the corrected text of post #{article_id}; the wait is over and "
        "the post is unchanged. To correct it, press “{button}” again.",
    ),
    "wait_late_time": (
        "⌛ انتظار برای زمان انتشار پست #{article_id} پیش از این پیام تمام شده بود ({when})؛ پست "
        "زمان‌بندی نشد.",
        "⌛ The wait for the publishing time of post #{article_id} had ended before this message ({when}); "
        "the post was not scheduled.",
    ),
    "wait_late_edit": (
        "⌛ انتظار برای متن اصلاح‌شدهٔ پست #{article_id} پیش از این پیام تمام شده بود ({when})؛ پست اصلاح نشد.",
        "⌛ The wait for the corrected text of post #{article_id} had ended before this message ({when}); "
        "the post was not corrected.",
    ),
    "wait_late_taken": (
        "پیام شما را همان‌طور که هست خواندم:",
        "I read your message as it is:",
    ),
    "note_wait_ended": (
        "ℹ️ این پیام پاسخ پرسش قبلی نبود؛ انتظار تمام شد و آن را پیام تازه گرفتم.",
        "ℹ️ This message was not an answer to my last question; I stopped waiting and took it as new.",
    ),
    "note_updated": (
        "✏️ پیام ویرایش‌شدهٔ شما، پیش‌نویس را به‌روز کرد.",
        "✏️ Your edited message updated the draft.",
    ),
    "note_still_scheduled": (
        "🕒 پست همچنان در زمان خودش منتشر می‌شود، با متن تازه.",
        "🕒 The post is still scheduled, now with the new text.",
    ),
    "card_state": ("وضعیت: {status}", "State: {status}"),
    "card_draft": ("پست #{article_id}: چه کنم؟", "Post #{article_id}: what should I do?"),
    "card_scheduled_at": (
        "پست #{article_id} برای {when} زمان‌بندی شده است.",
        "Post #{article_id} is scheduled for {when}.",
    ),
    "card_scheduled": ("پست #{article_id} زمان‌بندی شده است.", "Post #{article_id} is scheduled."),
    "card_failed": (
        "پست #{article_id} منتشر نشد؛ دوباره تلاش کنم؟",
        "Post #{article_id} was not published; try again?",
    ),
    "card_publishing": (
        "پست #{article_id} در حال انتشار است (یا معلوم نیست رسیده یا نه).",
        "Post #{article_id} is being published (or it is unknown whether it arrived).",
    ),
    "card_published": ("پست #{article_id} منتشر شده است.", "Post #{article_id} is published."),
    "card_cancelled": (
        "پست #{article_id} لغو شده است؛ ↩️ برش می‌گرداند.",
        "Post #{article_id} is cancelled; ↩️ brings it back.",
    ),
    "clash_warning": (
        "⚠️ هم‌دقیقه با {others}: چند پست در یک دقیقه پشت هم به کانال می‌روند.",
        "⚠️ Same minute as {others}: several posts would go out back to back.",
    ),
    "clash_flag": (" ⚠️ هم‌دقیقه", " ⚠️ same minute"),
    "spaced_out": (
        "پست‌های هم‌دقیقه با فاصلهٔ {minutes} دقیقه چیده شدند:",
        "Posts that shared a minute now go out {minutes} minutes apart:",
    ),
    "refused_no_clash": (
        "پست #{article_id} دیگر با پست دیگری هم‌دقیقه نیست؛ چیزی برای فاصله دادن نماند.",
        "Post #{article_id} no longer shares its minute with another; there is nothing to space out.",
    ),
    "done_published": ("انجام شد: پست #{article_id} منتشر شد.", "Done: post #{article_id} is published."),
    "done_wait_stopped": (
        "باشد؛ دیگر منتظر پاسخ نیستم. پست #{article_id} دست‌نخورده ماند.",
        "All right, I stopped waiting. Post #{article_id} is unchanged.",
    ),
    "done_kept": (
        "پست #{article_id} در کانال همان‌طور که بود ماند.",
        "Post #{article_id} stays as it is in the channel.",
    ),
    "done_dismissed": ("باشد.", "All right."),
    "ask_make_draft": (
        "این پیام برای یک پست خیلی کوتاه است (کمتر از {words} واژه در یک خط). پیش‌نویس شود؟",
        "This message is very short for a post (under {words} words on one line). Make it a draft?",
    ),
    "ask_correct_intro": (
        "پست #{article_id} منتشر شده است. با این اصلاح در کانال چنین می‌شود:",
        "Post #{article_id} is already published. With this correction it would read:",
    ),
    "flood_warning": (
        "⚠️ این پست {messages} پیام است (بیش از {limit})؛ پیش از انتشار فوری دوباره می‌پرسم.",
        "⚠️ This post is {messages} messages (over {limit}); publishing it now asks once more.",
    ),
    "duplicate_published": (
        "⚠️ همین خبر {when} در کانال منتشر شده است (پست #{article_id}): {title}",
        "⚠️ This story was already published {when} (post #{article_id}): {title}",
    ),
    "duplicate_queued": (
        "⚠️ همین خبر در صف است و {when} منتشر می‌شود: پست #{article_id} {title}",
        "⚠️ This story is already queued, going out {when}: post #{article_id} {title}",
    ),
    "duplicate_title": ("«{title}»", "“{title}”"),
    "duplicate_title_link": ('<a href="{url}">«{title}»</a>', '<a href="{url}">“{title}”</a>'),
    "ask_duplicate": (
        "{earlier}\nپست #{article_id} همان خبر را می‌گوید. با این حال «{choice}»؟",
        "{earlier}\nPost #{article_id} tells the same story. “{choice}” all the same?",
    ),
    "btn_anyway": ("✅ بله: {choice}", "✅ Yes: {choice}"),
    "ask_flood": (
        "پست #{article_id} {messages} پیام است و همه پشت سر هم به کانال می‌رود. همهٔ {messages} پیام "
        "منتشر شود، یا اول کوتاهش می‌کنید؟",
        "Post #{article_id} is {messages} messages, all sent to the channel one after another. Publish all "
        "{messages}, or shorten it first?",
    ),
    "btn_publish_all": ("🚀 بله، هر {messages} پیام", "🚀 Yes, all {messages}"),
    "btn_shorten": ("✏️ کوتاهش می‌کنم", "✏️ I'll shorten it"),
    "ring_loud": (
        "🔔 با صدا منتشر می‌شود (خبر فوری یا انتخاب شما)، حتی در ساعت سکوت.",
        "🔔 Goes out with a notification (urgent, or your choice), even in quiet hours.",
    ),
    "ring_silent": ("🔕 بی‌صدا منتشر می‌شود (انتخاب شما).", "🔕 Goes out silently (your choice)."),
    "ring_quiet": (
        "🔕 در ساعت سکوت بی‌صدا منتشر می‌شود؛ برای خبر فوری «🔔 با صدا» را بزنید.",
        "🔕 Goes out silently in quiet hours; for urgent news press “🔔 With sound”.",
    ),
    "btn_ring": ("🔔 با صدا", "🔔 With sound"),
    "btn_silent": ("🔕 بی‌صدا", "🔕 Silently"),
    "ask_correct_short": (
        "⚠️ این پاسخ برای یک پست خیلی کوتاه است: یادداشت بود یا اصلاح پست؟ تا «اصلاح در کانال» را نزنید، "
        "کانال دست نمی‌خورد.",
        "⚠️ This reply is very short for a post: a note, or the post's correction? The channel is not "
        "touched unless you press “Correct the channel post”.",
    ),
    "correct_removed": ("➖ حذف می‌شود: {words}", "➖ Taken out: {words}"),
    "correct_added": ("➕ افزوده می‌شود: {words}", "➕ Put in: {words}"),
    "correct_more_words": ("… و {count} واژهٔ دیگر", "… and {count} more words"),
    "correct_form_only": (
        "واژه‌ها همان است؛ فقط قالب یا نشانه‌گذاری تغییر می‌کند.",
        "The words stay the same; only the formatting or punctuation changes.",
    ),
    "correct_file": (
        "🖼 {kind} پست با فایل تازه جایگزین می‌شود.",
        "🖼 The post's {kind} is replaced by the new file.",
    ),
    "correct_album_files": (
        "🖼 در آلبوم {count} فایلی پست، این‌ها با فایل تازه جایگزین می‌شود: {places}",
        "🖼 In the post's album of {count} files, these are replaced by the new files: {places}",
    ),
    "correct_text_kept": ("متن پست همان می‌ماند.", "The post's text stays as it is."),
    "correct_more_parts": (
        "پست از {old} پیام به {new} پیام می‌رسد: {extra} پیام تازه در پاسخ به پست فرستاده می‌شود.",
        "The post goes from {old} to {new} messages: {extra} new message(s) go out as replies to the post.",
    ),
    "correct_fewer_parts": (
        "پست از {old} پیام به {new} پیام می‌رسد: {extra} پیام آخر از کانال حذف می‌شود.",
        "The post goes from {old} to {new} messages: the last {extra} message(s) are deleted from the "
        "channel.",
    ),
    "ask_correct": (
        "پست #{article_id} در کانال اصلاح شود؟",
        "Correct post #{article_id} in the channel?",
    ),
    "edit_gone": (
        "پیام پست #{article_id} دیگر در کانال نیست (شاید دستی حذف شده)؛ اصلاحی انجام نشد.",
        "Post #{article_id} is no longer in the channel (deleted by hand?); nothing was corrected.",
    ),
    "published_link": ('<a href="{url}">دیدن پست در کانال</a>', '<a href="{url}">See it in the channel</a>'),
    # The copies in the other destinations (bot/publishing/copies.py), one line each under a notice.
    "copies_head": ("نسخه‌ها در کانال‌های دیگر:", "Copies in the other channels:"),
    "copies_of": (
        "نسخه‌های پست #{article_id} در کانال‌های دیگر:",
        "The copies of post #{article_id} in the other channels:",
    ),
    # Where a post goes, under its preview (bot.desk.routes): the primary channel, each mirror on or off.
    "routes_head": ("📤 کجا منتشر می‌شود:", "📤 Where it goes:"),
    "route_primary": ("✅ {name} — کانال اصلی", "✅ {name} — the main channel"),
    "route_on": ("✅ {name}", "✅ {name}"),
    "route_off": ("⬜ {name}: این بار نه", "⬜ {name}: not this time"),
    "btn_route_on": ("✅ {name}", "✅ {name}"),
    "btn_route_off": ("⬜ {name}", "⬜ {name}"),
    "queue_routes": ("📤 {names}", "📤 {names}"),
    # A destination with its own posting slots: when its copy goes (bot.publishing.slots.copy_due).
    "route_slot": (": ساعت {time}", ": at {time}"),
    "route_slots": (": در ساعت‌های خودش ({times})", ": at its own slots ({times})"),
    "copy_planned": ("🕒 {name}: {when}", "🕒 {name}: {when}"),
    "copy_sent": ("✅ {name}", "✅ {name}"),
    "copy_link": (' — <a href="{url}">دیدن</a>', ' — <a href="{url}">see it</a>'),
    "copy_failed": ("❌ {name}: نرفت ({detail})", "❌ {name}: not sent ({detail})"),
    "copy_uncertain": (
        "❔ {name}: معلوم نیست رسید یا نه ({detail}). اگر در آن کانال هست «در {name} رسیده است» را "
        "بزنید، وگرنه «دوباره».",
        "❔ {name}: unknown whether it arrived ({detail}). If it is in that channel press «It is there in "
        "{name}», else «Again».",
    ),
    "copy_edited": ("✏️ {name}: اصلاح شد", "✏️ {name}: corrected"),
    "copy_noted": (
        "📝 {name}: آنجا ویرایش و حذف نمی‌شود؛ یادداشتی در پاسخ به نسخه فرستاده شد",
        "📝 {name}: nothing can be edited or deleted there; a note went out in reply to the copy",
    ),
    "copy_deleted": ("🗑 {name}: حذف شد", "🗑 {name}: deleted"),
    "copy_left": (
        "⚠️ {name}: آنجا حذف نمی‌شود و نسخه مانده است؛ اگر لازم است دستی پاکش کنید",
        "⚠️ {name}: nothing can be deleted there, the copy stays; remove it by hand if needed",
    ),
    "copy_unfollowed": ("❌ {name}: انجام نشد ({detail})", "❌ {name}: not done ({detail})"),
    "copy_id_unknown": (
        "شمارهٔ پیام نسخه معلوم نیست (با «رسیده است» تأیید شده بود)",
        "the copy's message id is unknown (it was confirmed as there)",
    ),
    "copy_shape_changed": (
        "متن تازه تعداد پیام‌ها را عوض می‌کند",
        "the new text changes the number of messages",
    ),
    # Posted in a channel (read by its subscribers, in Persian): where a copy cannot be edited or deleted.
    "copy_correction_note": ("✏️ اصلاحیه — متن درست این خبر:\n\n{text}", ""),
    "copy_files_note": ("🖼 اصلاحیه — تصویر (پرونده) درست این خبر:", ""),
    "copy_deletion_note": ("🗑 این خبر از سوی تحریریه حذف شده است.", ""),
    # Said before ✅ of a correction or a deletion: what it also does to each copy elsewhere.
    "follow_head": ("در جاهای دیگر هم، پس از ✅:", "Elsewhere too, after ✅:"),
    "follow_edit": ("✏️ {name}: همان‌جا ویرایش می‌شود", "✏️ {name}: edited in place"),
    "follow_note": (
        "📝 {name}: ویرایش‌پذیر نیست؛ «{note}» با متن یا پروندهٔ تازه در پاسخ به نسخه فرستاده می‌شود",
        "📝 {name}: cannot be edited; «{note}» with the new text or file goes out in reply to the copy",
    ),
    "follow_delete": ("🗑 {name}: همان‌جا هم حذف می‌شود", "🗑 {name}: deleted there too"),
    "follow_note_deletion": (
        "📝 {name}: حذف‌پذیر نیست؛ اطلاعیهٔ «{note}» در پاسخ به نسخه فرستاده می‌شود",
        "📝 {name}: cannot be deleted; the notice «{note}» goes out in reply to the copy",
    ),
    "follow_left": (
        "⚠️ {name}: حذف‌پذیر نیست؛ نسخه می‌ماند و فقط به شما گفته می‌شود",
        "⚠️ {name}: cannot be deleted; the copy stays and only you are told",
    ),
    "elsewhere_plain": (" — متن ساده", " — plain text"),
    "elsewhere_no_edit_notice": (
        " — اصلاح: یادداشت اصلاحیه؛ حذف: اطلاعیهٔ حذف",
        " — a correction: a correction note; a deletion: a deletion notice",
    ),
    "elsewhere_no_edit_editor": (
        " — اصلاح: یادداشت اصلاحیه؛ حذف: نسخه می‌ماند و فقط به شما گفته می‌شود",
        " — a correction: a correction note; a deletion: the copy stays, only you are told",
    ),
    "btn_copy_retry": ("🔁 دوباره فرستادن نسخه‌ها", "🔁 Send the copies again"),
    "btn_copy_there": ("✅ در {name} رسیده است", "✅ It is there in {name}"),
    "changes_title": (
        "🔍 ویرایش خودکار پست #{article_id}: {count} تغییر",
        "🔍 What the clean-up changed in post #{article_id}: {count} change(s)",
    ),
    "changes_none": (
        "ویرایش خودکار در متن پست #{article_id} چیزی را تغییر نداد.",
        "The clean-up changed nothing in the text of post #{article_id}.",
    ),
    "refused_too_complex": (
        "قالب‌بندی این متن بیش از حد طول کشید؛ آن را کوتاه‌تر یا در چند پست بفرستید.",
        "Formatting this text took too long; send it shorter, or as several posts.",
    ),
    "drafts_empty": ("پیش‌نویسی نیست.", "There are no drafts."),
    "drafts_title": ("پیش‌نویس‌ها ({count}){page}:", "Drafts ({count}){page}:"),
    "editor_help": (
        "🗞 <b>میز دبیری</b>\n\n"
        "• متن خبر را بفرستید یا بازنشر کنید (یا فایل ‎.txt‎): پیش‌نویس می‌شود و همان چیزی را می‌بینید که در "
        "کانال منتشر خواهد شد، با دکمه‌های انتشار فوری، نوبت خالی بعدی، زمان دلخواه، ویرایش و دور ریختن.\n"
        "• زمان را هر طور راحتید بنویسید: <code>۱۴:۳۰</code> ، <code>نیم ساعت دیگر</code> ، "
        "<code>فردا صبح</code> ، <code>شنبه ساعت ۹</code> ، <code>۱۰ آذر ساعت ۹</code>.\n"
        "• پیام فرستاده‌تان را در تلگرام ویرایش کنید: پیش‌نویس (و پست زمان‌بندی‌شده) به‌روز می‌شود؛ "
        "برای پست منتشرشده می‌پرسم که در کانال هم اصلاح شود یا نه.\n"
        "• پیامی کمتر از {words} واژه در یک خط پیش‌نویس نمی‌شود مگر تأیید کنید.\n"
        "• /drafts پیش‌نویس‌ها · /queue صف انتشار · /delete حذف پست منتشرشده · /cancel پایان انتظار\n"
        "• دور ریختن و لغو را تا {seconds} ثانیه ↩️ برمی‌گرداند، و تا {days} روز ↩️ در /drafts.\n"
        "• /history تاریخچهٔ پست (در پاسخ به پیام «منتشر شد»، یا با شماره یا پیوند پست): هر انتشار، اصلاح، "
        "تعویض فایل و حذف، با نام دبیر و زمانش.\n"
        "• برای اصلاح پست منتشرشده، متن تازه را در پاسخ به پیام «منتشر شد» بفرستید: پست اصلاح‌شده و "
        "واژه‌های حذف و افزوده را نشان می‌دهم و تا تأیید نکنید کانال دست نمی‌خورد؛ عکس تازه (یا ویدیو، "
        "فایل) در پاسخ هم همین‌طور: پس از تأیید جای عکس پست را می‌گیرد و زیرنویسش، اگر باشد، متن "
        "اصلاح‌شده می‌شود. در آلبوم: همهٔ "
        "فایل‌ها به همان ترتیب، یا یک فایل با شمارهٔ جایش (مثلاً ۲) به‌عنوان زیرنویس.\n"
        "• جستجو در بایگانی: هر واژه‌ای در گفتگو با @{bot} در حالت درون‌خطی، یا /search.",
        "🗞 <b>The editor desk</b>\n\n"
        "• Send or forward a draft (or a .txt file): you see exactly what will be posted, with buttons to "
        "publish now, take the next free slot, pick a time, edit or discard.\n"
        "• Type times as you like: <code>14:30</code>, <code>in 30 min</code>, <code>tomorrow 8:30</code>, "
        "<code>+2h</code>, <code>2026-12-01 08:00</code>.\n"
        "• Edit your sent message in Telegram: the draft (and a scheduled post) follows; for a published "
        "post I ask whether to correct the channel too.\n"
        "• A message under {words} words on one line becomes a draft only if you say so.\n"
        "• /drafts drafts · /queue scheduled posts · /delete delete a published post · /cancel stop a wait\n"
        "• Discard and cancel are undone by ↩️ for {seconds} seconds, and by ↩️ in /drafts for {days} days.\n"
        "• /history a post's history (reply to its “published” message, or give its number or link): "
        "every publication, correction, file replaced and deletion, with the editor and the time.\n"
        "• To correct a published post, reply to its “published” message with the new text: I show the "
        "corrected post and the words taken out and put in, and the channel changes only when you confirm; "
        "likewise a new photo (or video, file) in reply: once confirmed it replaces the post's, and its "
        "caption, if any, is the corrected text. In "
        "an album: all its files again in the same order, or one file whose caption is its place (e.g. 2).\n"
        "• Search the archive: @{bot} words in any chat, or /search.",
    ),
    "status_draft": ("پیش‌نویس", "draft"),
    "status_scheduled": ("زمان‌بندی‌شده", "scheduled"),
    "status_publishing": ("در حال انتشار", "being published"),
    "status_published": ("منتشرشده", "published"),
    "status_failed": ("ناموفق", "failed"),
    "status_cancelled": ("لغوشده", "cancelled"),
    "status_deleted": ("حذف‌شده", "deleted"),
    "error_generic": (
        "متأسفانه کار انجام نشد. دوباره امتحان کنید؛ اگر باز هم نشد، به مدیر ربات خبر دهید.",
        "Sorry, that did not work. Please try again; if it keeps failing, tell the bot's admin.",
    ),
    "refused_not_found": ("پست #{article_id} پیدا نشد.", "There is no post #{article_id}."),
    # — button labels —
    "btn_now": ("🚀 انتشار فوری", "🚀 Publish now"),
    "btn_slot": ("🗓 نوبت خالی بعدی", "🗓 Next free slot"),
    "btn_hour": ("⏱ یک ساعت دیگر", "⏱ In 1 hour"),
    "btn_tonight": ("🌙 امشب", "🌙 Tonight"),
    "btn_morning": ("🌅 فردا صبح", "🌅 Tomorrow morning"),
    "btn_pick": ("⌨️ انتخاب زمان", "⌨️ Pick a time"),
    "btn_edit": ("✏️ ویرایش", "✏️ Edit"),
    "btn_discard": ("🗑 دور بریز", "🗑 Discard"),
    "btn_cancel": ("❌ لغو #{article_id}", "❌ Cancel #{article_id}"),
    "btn_reschedule": ("🕒 زمان تازه #{article_id}", "🕒 Reschedule #{article_id}"),
    "btn_send_anyway": ("📤 منتشر کن", "📤 Publish it"),
    "btn_already_sent": ("✅ در کانال هست", "✅ It is in the channel"),
    "btn_drop": ("🗑 منتشر نکن", "🗑 Drop it"),
    "btn_retry": ("🔁 تلاش دوباره", "🔁 Try again"),
    "btn_delete": ("🗑 حذف از کانال", "🗑 Delete from channel"),
    "btn_yes_delete": ("بله، حذف کن", "Yes, delete"),
    "btn_no": ("نه", "No"),
    "btn_removal_note": ("✏️ جایگزینی با یادداشت حذف", "✏️ Replace with a removal note"),
    "btn_changes": ("🔍 چه تغییر کرد؟", "🔍 What changed?"),
    "btn_changes_prev": ("◀️ قبلی", "◀️ Previous"),
    "btn_changes_next": ("بعدی ▶️", "Next ▶️"),
    "btn_space_out": ("↔️ فاصله بده ({minutes} دقیقه)", "↔️ Space them out ({minutes} min)"),
    "btn_open": ("{warn}پست #{article_id}", "{warn}Post #{article_id}"),
    "btn_stop_waiting": ("✖️ منصرف شدم", "✖️ Never mind"),
    "btn_make_draft": ("📝 پیش‌نویس شود", "📝 Make it a draft"),
    "btn_correct": ("✏️ اصلاح در کانال", "✏️ Correct the channel post"),
    "btn_keep": ("نه، بماند", "No, keep it"),
    "btn_prev": ("« قبلی", "« Previous"),
    "btn_next": ("بعدی »", "Next »"),
    "btn_newest_first": ("🕒 تازه‌ترین اول", "🕒 Newest first"),
    "btn_relevant_first": ("⭐ مرتبط‌ترین اول", "⭐ Most relevant first"),
    # — commands (menu) —
    "cmd_queue": ("صف انتشار", "Scheduled posts"),
    "cmd_drafts": ("پیش‌نویس‌ها", "Drafts"),
    "cmd_cancel": ("پایان انتظار برای پاسخ", "Stop waiting for an answer"),
    "cmd_delete": ("حذف پست منتشرشده", "Delete a published post"),
    "cmd_history": ("تاریخچهٔ یک پست در کانال", "A post's history in the channel"),
    # ═══ subscriber side (handlers/subscriber.py, bot/archive/view.py) ═══
    "start_welcome": (
        "سلام {name}! 👋\nمن خبرهای بایگانی کانال را برایتان جستجو می‌کنم.\n\n"
        "• هر چه می‌خواهید بنویسید، مثلاً <code>قیمت دلار</code>\n"
        "• /latest تازه‌ترین خبرها\n"
        "{inline}"
        "• /help راهنما",
        "Hello {name}! 👋\nI search the channel's news archive for you.\n\n"
        "• Just type what you are looking for, e.g. <code>oil price</code>\n"
        "• /latest the newest posts\n"
        "{inline}"
        "• /help how it works",
    ),
    # the welcome's and the help's lines where inline mode or links exist (Telegram; not Bale)
    "start_inline": (
        "• در هر گفتگویی بنویسید <code>@{bot} واژه‌ها</code>\n",
        "• In any chat, type <code>@{bot} words</code>\n",
    ),
    "help_hashtags": (
        "• روی هشتگ خبرها بزنید تا خبرهای همان موضوع بیاید.\n",
        "• Tap a hashtag in a post to see posts on that topic.\n",
    ),
    "help_inline": (
        "• در هر گفتگویی <code>@{bot} واژه‌ها</code> بنویسید و خبر را بفرستید.\n",
        "• In any chat, type <code>@{bot} words</code> and send the post.\n",
    ),
    "help": (
        "🔎 <b>جستجو در خبرهای کانال</b>\n\n"
        "• واژه‌ها را بنویسید یا <code>/search قیمت دلار</code>؛ خبرهایی می‌آیند که همهٔ واژه‌ها را دارند "
        "و واژهٔ آخر می‌تواند نیمه‌کاره باشد.\n"
        "• نیم‌فاصله یا فاصله (<code>کتاب خانه‌ها</code>، <code>حسن پور</code>)، «ی» و «ک» عربی، جمع و مفرد "
        "(<code>اخبار</code> و <code>خبر</code>) و ارقام فارسی یا لاتین فرقی نمی‌کنند؛ عددها را با "
        "جداکننده یا بی‌جداکننده بنویسید (<code>۸۵٬۴۰۰٬۰۰۰</code> یا <code>85400000</code>، "
        "<code>۴٫۲</code> یا <code>4.2</code>).\n"
        "• اگر خبری همهٔ واژه‌ها را نداشت، خبرهایی که بیشترِ آن‌ها را دارند اول می‌آیند و می‌گویم.\n\n"
        "<b>جستجوی دقیق‌تر</b>\n"
        '• عبارت دقیق در گیومه: <code>«پیش بینی هوا»</code> یا <code>"پیش بینی هوا"</code>\n'
        "• کنار گذاشتن یک واژه با منفی: <code>نفت -بنزین</code> (در کنار واژه یا تاریخی برای جستجو)\n"
        "• هشتگ: <code>#انتخابات_مجلس</code>\n"
        "• تاریخ: <code>زلزله از:۱۴۰۵/۹/۱ تا:۱۴۰۵/۹/۳۰</code>، <code>باران امروز</code>، "
        "<code>دیروز</code>، <code>هفته گذشته</code>، <code>ماه گذشته</code>، <code>آذر ۱۴۰۵</code>\n"
        "• دکمهٔ «🕒 تازه‌ترین اول» نتیجه‌ها را به ترتیب تاریخ می‌چیند.\n"
        "• چیزی که این‌طور خوانده نشود، واژهٔ معمولی جستجو می‌شود.\n\n"
        "• با دکمه‌های «قبلی» و «بعدی» صفحه‌ها را ببینید.\n"
        "• <code>/latest</code> یا <code>/latest ۱۰</code> تازه‌ترین خبرها.\n"
        "{hashtags}{inline}"
        "• تا {limit} جستجو در دقیقه.",
        "🔎 <b>Searching the channel's news</b>\n\n"
        "• Type words, or <code>/search oil price</code>: you get posts holding every word; the last "
        "word may be unfinished.\n"
        "• Half-spaces or spaces inside a word, Arabic or Persian letters, singular or plural (also Arabic "
        "plurals) and Persian or Latin digits do not matter; numbers may be typed with or without separators "
        "(<code>85,400,000</code> or <code>85400000</code>, <code>4.2</code> or <code>۴٫۲</code>).\n"
        "• If no post has every word, posts holding most of them come first, and I say so.\n\n"
        "<b>Narrowing a search</b>\n"
        '• An exact phrase in quotes: <code>"weather forecast"</code> or <code>«پیش بینی هوا»</code>\n'
        "• Leave a word out with a minus: <code>oil -petrol</code> (beside a word or a date to search for)\n"
        "• A hashtag: <code>#election</code>\n"
        "• Dates (the desk's time, Jalali or Gregorian): <code>quake from:1405/9/1 to:1405/9/30</code>, "
        "<code>today</code>, <code>yesterday</code>, <code>last week</code>, <code>آذر ۱۴۰۵</code>\n"
        "• The “🕒 Newest first” button sorts the results by date.\n"
        "• Anything that does not read this way is searched as plain words.\n\n"
        "• Use the “Previous” and “Next” buttons to page.\n"
        "• <code>/latest</code> or <code>/latest 10</code> for the newest posts.\n"
        "{hashtags}{inline}"
        "• Up to {limit} searches a minute.",
    ),
    "search_usage": (
        "بعد از /search واژه‌های جستجو را بنویسید، مثلاً <code>/search قیمت دلار</code>",
        "Write the words after /search, e.g. <code>/search oil price</code>",
    ),
    "search_header": ("🔎 نتایج «{query}» — {shown}", "🔎 Results for “{query}” — {shown}"),
    # which results a page shows, and of how many (a count stops at a cap: "more than")
    "search_range_total": ("{first} تا {last} از {total} نتیجه", "{first}–{last} of {total}"),
    "search_range_more": ("{first} تا {last} از بیش از {total} نتیجه", "{first}–{last} of more than {total}"),
    "search_range": ("{first} تا {last}", "{first}–{last}"),
    "search_newest_note": ("🕒 تازه‌ترین خبرها اول", "🕒 Newest posts first"),
    "search_partial": (
        "هیچ خبری همهٔ واژه‌های «{query}» را با هم نداشت؛ این‌ها نزدیک‌ترین نتیجه‌ها هستند.",
        "No post has all the words of “{query}”; these are the closest matches.",
    ),
    "search_truncated": (
        "جستجو خیلی بلند بود؛ فقط بخش آغازین آن جستجو شد.",
        "The search was too long; only its beginning was searched.",
    ),
    "search_none": (
        "برای «{query}» خبری پیدا نشد.\nپیشنهاد: واژه‌های کمتر یا کلی‌تر بنویسید، املای دیگری را امتحان "
        "کنید، یا با /latest تازه‌ترین خبرها را ببینید.",
        "Nothing found for “{query}”.\nTry fewer or more general words, another spelling, or /latest for "
        "the newest posts.",
    ),
    "search_only_excluded": (
        "«{query}» فقط واژه‌هایی را کنار می‌گذارد و چیزی برای جستجو ندارد.\nواژه‌ای هم برای جستجو "
        "بنویسید، مثلاً <code>قیمت -تورم</code>، یا تاریخی، مثلاً <code>امروز -تورم</code>.",
        "“{query}” only leaves words out: there is nothing to search for.\nAdd a word to search for, e.g. "
        "<code>price -inflation</code>, or a date, e.g. <code>today -inflation</code>.",
    ),
    "search_expired": (
        "این جستجو دیگر در دسترس نیست؛ لطفاً دوباره جستجو کنید.",
        "This search has expired; please search again.",
    ),
    "rate_limited": (
        "کمی آهسته‌تر لطفاً 🙏 در هر دقیقه تا {limit} جستجو ممکن است؛ {seconds} ثانیهٔ دیگر دوباره امتحان کنید.",
        "Please slow down 🙏 Up to {limit} searches a minute are possible; try again in {seconds} seconds.",
    ),
    "result_card": ("{number}<b>{title}</b>\n🗓 {when}\n{snippet}", ""),  # same layout in English
    "result_number": ("{n}. ", ""),
    "latest_header": ("📰 {count} خبر تازهٔ کانال:", "📰 The {count} newest posts:"),
    "latest_none": ("هنوز خبری در بایگانی نیست.", "The archive is empty so far."),
    "latest_usage": (
        "بعد از /latest یک عدد از ۱ تا {max} بنویسید، مثلاً <code>/latest ۵</code>",
        "After /latest write a number from 1 to {max}, e.g. <code>/latest 5</code>",
    ),
    "inline_none": ("نتیجه‌ای نبود — جستجو در ربات", "No results — search in the bot"),
    # the one result inline mode answers when nothing is found: title, description, message if sent
    "inline_none_title": ("برای «{query}» خبری پیدا نشد", "Nothing found for “{query}”"),
    "inline_none_hint": (
        "امتحان کنید: واژه‌های کمتر یا کلی‌تر، املای دیگر، یا جستجو در ربات",
        "Try fewer or more general words, another spelling, or searching in the bot",
    ),
    "inline_only_excluded_title": (
        "«{query}» فقط واژه‌هایی را کنار می‌گذارد",
        "“{query}” only leaves words out",
    ),
    "inline_only_excluded_hint": (
        "امتحان کنید: واژه‌ای هم برای جستجو بنویسید، مثلاً قیمت -تورم",
        "Try adding a word to search for, e.g. price -inflation",
    ),
    "inline_search_in_bot": (
        '🔎 <a href="{url}">جستجو در ربات</a>',
        '🔎 <a href="{url}">Search in the bot</a>',
    ),
    "inline_only_excluded": (
        "فقط واژه‌های کنار گذاشته — واژه‌ای برای جستجو بنویسید",
        "Only words left out — add a word to search for",
    ),
    "inline_limited": ("جستجوی زیاد؛ چند ثانیه صبر کنید", "Too many searches; wait a few seconds"),
    "cmd_search": ("جستجو در خبرهای کانال", "Search the channel's news"),
    "cmd_latest": ("تازه‌ترین خبرها", "The newest posts"),
    "cmd_help": ("راهنمای جستجو", "How searching works"),
    # ═══ end of subscriber side ═══
    # — what the clean-up changed (one per `bot.text.changes.Rule`; the "what changed" list) —
    "change_soft_hyphen": ("خط تیرهٔ نرم میان حروف به نیم‌فاصله تبدیل شد", "Soft hyphen made a half-space"),
    "change_kashida": (
        "کشیده حذف شد، یا میان دو عدد یا دو سوی جمله‌ای معترضه به خط تیره تبدیل شد",
        "Tatweel removed, or made a dash between numbers or around an aside",
    ),
    "change_dots": ("چند نقطهٔ پشت سر هم به یک «…» تبدیل شد", "A run of dots made one ellipsis"),
    "change_ezafe": ("نشانهٔ اضافه به شکل «هٔ» نوشته شد", "The ezafe written as هٔ"),
    "change_letters": (
        "حروف عربی به فارسی تبدیل شد، اعراب حذف شد یا گیومه فارسی شد",
        "Arabic letters made Persian, diacritics removed or quotes made Persian",
    ),
    "change_half_space_tidy": ("نیم‌فاصلهٔ زائد حذف شد", "Stray half-space removed"),
    "change_punctuation": ("ویرگول یا نقطه‌ویرگول لاتین فارسی شد", "Latin comma or semicolon made Persian"),
    "change_spacing": ("فاصله‌گذاری پیرامون نشانه‌ها درست شد", "Spacing around punctuation fixed"),
    "change_brackets": ("فاصلهٔ درون یا بیرون کمانک و گیومه درست شد", "Spacing of brackets and quotes fixed"),
    "change_half_space": ("نیم‌فاصله یا پیوستگی واژه درست شد", "Half-space or joined word fixed"),
    "change_digits": ("رقم‌ها فارسی شد", "Digits made Persian"),
    "change_lost_bullet": (
        "«?» به‌جای نشانهٔ فهرستِ ازدست‌رفته حذف شد",
        "A ? standing for a lost bullet removed",
    ),
    "change_lost_bullet_doubtful": (
        "«?» به‌جای نشانهٔ فهرست حذف شد؛ شاید علامت پرسش بوده است، بررسی کنید",
        "A ? was taken for a lost bullet and removed; it may have been a question mark, please check",
    ),
    "change_bullet": (
        "«?» آغاز سطر (نشانهٔ فهرستی که در رمزگذاری از دست رفته) به نشانهٔ فهرست تبدیل شد",
        "A ? opening the line (an emoji bullet lost to an encoding) made a bullet",
    ),
    "change_bullet_doubtful": (
        "«?» آغاز سطر به نشانهٔ فهرست تبدیل شد؛ این سطر پرسشی است و شاید «?» علامت پرسش بوده، بررسی کنید",
        "A ? opening the line was made a bullet; the line reads as a question and the ? may have been "
        "its question mark, please check",
    ),
    "change_question_mark": ("«?» به «؟» تبدیل شد", "? made ؟"),
    "change_foreign_signature": (
        "امضای کانال دیگر در پایان متن حذف شد",
        "Another channel's signature line at the end removed",
    ),
    "change_line": (
        "سطر {line}: {what}\n«{before}» ← «{after}»",
        "Line {line}: {what}\n“{before}” → “{after}”",
    ),
    # ——— media (issue 11) ———
    "media_photo": ("عکس", "photo"),
    "media_video": ("ویدیو", "video"),
    "media_animation": ("گیف", "GIF"),
    "media_audio": ("فایل صوتی", "audio file"),
    "media_document": ("فایل", "file"),
    "layout_caption": (
        "متن، زیرنویس همین {kind} می‌شود (تا {limit} نویسه جا دارد).",
        "The text goes as the {kind}'s caption (it fits Telegram's {limit:,} characters).",
    ),
    "layout_separate": (
        "متن جدا و پس از {kind} می‌رود، چون از {limit} نویسهٔ مجاز زیرنویس تلگرام بلندتر است.",
        "The text goes as a separate message after the {kind}, because it is longer than the {limit:,} "
        "characters Telegram allows in a caption.",
    ),
    "layout_media_only": (
        "این پست متنی ندارد و فقط {kind} منتشر می‌شود.",
        "This post has no text: only the {kind} is published.",
    ),
    "note_needs_text": (
        "🖼 متن این پست را در پیام بعدی بفرستید، یا با دکمهٔ «انتشار» همین‌طور بدون متن منتشرش کنید.",
        "🖼 Send this post's text as your next message, or press publish to post it as it is, without text.",
    ),
    "note_needs_text_signed": (
        "🖼 متن این پست را در پیام بعدی بفرستید، یا با دکمهٔ «انتشار» همین‌طور منتشرش کنید: بی‌متن، فقط با "
        "امضای کانال (و منبع، اگر بازنشر است) در زیرنویس، چنان‌که هر پست امضا دارد.",
        "🖼 Send this post's text as your next message, or press publish to post it as it is: without text, "
        "with only the channel's signature (and the source, for a forward) as its caption, as every post is "
        "signed.",
    ),
    "refused_no_media": (
        "پست #{article_id} عکس یا ویدیویی ندارد که جایگزین شود؛ برای اصلاح متن، متن تازه را بفرستید.",
        "Post #{article_id} has no photo or video to replace; to correct its text, send the new text.",
    ),
    # The credit line a forwarded post carries in the channel (bot.core.source): the channel's language, so
    # the Persian is what is posted; {source} is the name (linked to the original post, or not).
    "source_credit": ("منبع: {source}", "Source: {source}"),
    "refused_media_mismatch_one": (
        "پست #{article_id} یک فایل دارد؛ برای جایگزینی‌اش یک عکس، ویدیو یا فایل در پاسخ بفرستید.",
        "Post #{article_id} has one file; to replace it, reply with one photo, video or file.",
    ),
    "refused_media_mismatch_album": (
        "پست #{article_id} آلبومی از {count} فایل است. برای جایگزینی همه، {count} فایل را به همان ترتیب در "
        "پاسخ بفرستید؛ برای یکی، یک فایل با شمارهٔ جایش (مثلاً ۲) به‌عنوان زیرنویس. در آلبوم فایل فقط فایل "
        "و در آلبوم صوتی فقط فایل صوتی می‌نشیند.",
        "Post #{article_id} is an album of {count} files. To replace them all, reply with {count} files in "
        "the same order; to replace one, reply with one file whose caption is its place (e.g. 2). A file "
        "album takes only files, an audio album only audio.",
    ),
    "draft_unsupported_kind": (
        "این نوع پیام (استیکر، پیام صوتی، مکان، نظرسنجی) پست نمی‌شود. متن، عکس، ویدیو، گیف، فایل یا "
        "آلبوم بفرستید.",
        "I can't post this kind of message (sticker, voice note, location, poll). Send text, a photo, "
        "video, GIF, file or album.",
    ),
}
