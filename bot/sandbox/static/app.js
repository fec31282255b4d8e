// newsdesk sandbox page: renders the emulator's chats and acts as a Telegram client would.
// Plain JavaScript, no build step, nothing fetched from the network (see bot/sandbox/web.py for the API).
"use strict";

const state = {
  bot: "", channel: "", rendered: {}, nodes: {}, mode: null, inlineTimer: null, inlineQueryId: null,
  stuck: {}, chats: {}, savedRange: null, mirrors: {}, tab: "channel", seen: {},
};
// The channel pane's tabs: the Telegram channel and its copies on Bale and Eitaa (their emulators' records).
const CHANNELS = ["channel", "bale", "eitaa"];
const $ = (id) => document.getElementById(id);

// ------------------------------------------------------------------ server calls

async function api(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    toast(data.error || `${response.status} ${response.statusText}`, true);
    throw new Error(data.error || response.statusText);
  }
  return data;
}

async function watch() {
  let etag = "";
  for (;;) {
    try {
      const response = await fetch(`/api/state?after=${encodeURIComponent(etag)}`, { cache: "no-store" });
      etag = response.headers.get("ETag") || "";
      render(await response.json());
    } catch (error) {
      $("clock-now").textContent = "ارتباط با سندباکس قطع است";
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

// ------------------------------------------------------------------ rendering the state

function render(data) {
  state.bot = data.bot;
  state.channel = data.channel.username;
  state.chats = data.chats;
  state.mirrors = data.mirrors;
  document.body.dataset.bot = data.bot;
  $("channel-name").textContent = data.channel.title;
  $("channel-handle").textContent = `@${data.channel.username}`;
  $("clock-now").textContent = data.now;
  $("clock-next").textContent = data.next_publication ? `نوبت بعدی انتشار: ${data.next_publication}` : "";
  $("time-next").disabled = !data.next_publication;
  if (document.activeElement !== $("time-speed")) $("time-speed").value = String(data.speed);
  $("inline-chip").dataset.fill = `@${data.bot} `;
  $("subscriber-input").placeholder =
    `واژه‌ها را بنویسید، یا \u2066/search\u2069 واژه‌ها، یا \u2066@${data.bot}\u2069 واژه‌ها`;
  for (const [pane, messages] of Object.entries(data.chats)) renderChat(pane, groupAlbums(messages));
  countUnread();
  renderErrors(data.api_errors);
}

// A tab not shown counts the posts that came since it was last seen (Telegram's unread badge).
function countUnread() {
  for (const tab of CHANNELS) {
    const count = $(`chat-${tab}`).querySelectorAll(".msg").length;
    if (state.seen[tab] === undefined || tab === state.tab) state.seen[tab] = count;
    const unread = count - state.seen[tab];
    document.querySelector(`[data-tab="${tab}"] .unread`).textContent = unread > 0 ? unread.toLocaleString("fa") : "";
  }
}

function showTab(tab) {
  state.tab = tab;
  for (const button of document.querySelectorAll("[data-tab]")) {
    button.setAttribute("aria-selected", String(button.dataset.tab === tab));
  }
  for (const name of CHANNELS) $(`chat-${name}`).hidden = name !== tab;
  for (const note of document.querySelectorAll("[data-note]")) note.hidden = note.dataset.note !== tab;
  countUnread();
  keepNewestInView(tab);
}

for (const button of document.querySelectorAll("[data-tab]")) {
  button.addEventListener("click", () => showTab(button.dataset.tab));
}

// Telegram shows an album's parts (one media_group_id, consecutive) as one message.
function groupAlbums(messages) {
  const shown = [];
  for (const message of messages) {
    const last = shown[shown.length - 1];
    if (message.album && last && last.album === message.album) last.parts.push(message);
    else shown.push({ ...message, parts: [message] });
  }
  return shown;
}

// A message keeps its element while it is unchanged (a revealed spoiler stays revealed); an edited
// one is drawn again. A pane that shows its newest message keeps showing it.
function renderChat(pane, messages) {
  const json = JSON.stringify(messages);
  if (state.rendered[pane] === json) return;
  state.rendered[pane] = json;
  const box = $(`chat-${pane}`);
  const known = state.nodes[pane] || new Map();
  const drawn = new Map();
  const children = [];
  let day = null;
  for (const message of messages) {
    if (message.day !== day) {
      day = message.day;
      children.push(textDiv("day", day));
    }
    const key = JSON.stringify(message);
    let entry = known.get(message.id);
    if (!entry || entry.key !== key) entry = { key, node: bubble(pane, message) };
    drawn.set(message.id, entry);
    children.push(entry.node);
  }
  state.nodes[pane] = drawn;
  box.replaceChildren(...children);
  keepNewestInView(pane);
}

function keepNewestInView(pane) {
  const box = $(`chat-${pane}`);
  if (state.stuck[pane] !== false) box.scrollTop = box.scrollHeight;
}

// A pane is "stuck" to its newest message unless the reader scrolled up; pictures that load, a banner
// that appears or a window that shrinks then keep the newest message in view.
for (const pane of ["editor", "subscriber", ...CHANNELS]) {
  const box = $(`chat-${pane}`);
  box.addEventListener("scroll", () => {
    state.stuck[pane] = box.scrollHeight - box.scrollTop - box.clientHeight < 48;
  });
  for (const type of ["load", "loadedmetadata"]) box.addEventListener(type, () => keepNewestInView(pane), true);
  new ResizeObserver(() => keepNewestInView(pane)).observe(box);
}

function bubble(pane, message) {
  const node = document.createElement("div");
  node.className = "msg";
  // In a private chat `outgoing` is the bot's message; the person's own are "mine".
  if (!CHANNELS.includes(pane) && !message.outgoing) node.classList.add("mine");
  if (message.note) node.classList.add("note"); // on Eitaa: a correction or deletion note, in reply
  node.dataset.id = message.id;
  if (message.parts.length > 1) node.dataset.album = message.parts.map((part) => part.id).join(" ");
  if (message.forwarded) node.append(textDiv("forwarded", `بازارسال از ${message.forwarded}`));
  if (message.reply_to) node.append(textDiv("reply-quote", message.reply_to.text || "📎"));
  const media = message.parts.filter((part) => part.media).map((part) => mediaView(part.media));
  if (media.length > 1) {
    const album = document.createElement("div");
    album.className = "album";
    album.append(...media);
    node.append(album);
  } else if (media.length) {
    node.append(media[0]);
  }
  // An album's caption is the one of the part that has it (the first, as clients send it).
  const captioned = message.parts.find((part) => part.text != null || part.caption) || message;
  const text = captioned.text ?? captioned.caption;
  if (text) {
    const body = document.createElement("div");
    body.className = "body";
    body.dir = "auto";
    body.append(formatted(text, captioned.text != null ? captioned.entities : captioned.caption_entities));
    node.append(body);
  }
  const last = message.parts[message.parts.length - 1];
  const buttons = message.parts.find((part) => part.buttons.length);
  if (buttons) node.append(keyboard(pane, buttons));
  const meta = [last.time];
  if (message.parts.some((part) => part.edited)) meta.unshift("ویرایش‌شده");
  if (message.silent) meta.unshift("🔕");
  if (message.pinned) meta.unshift("📌");
  if (message.via) node.append(textDiv("via", `via @${message.via}`));
  node.append(textDiv("meta", meta.join(" · ")));
  if (pane === "editor") {
    // As in Telegram: reply to any message; edit one's own text, or a file's caption.
    const tools = document.createElement("div");
    tools.className = "tools";
    tools.append(toolButton("↩", "reply", "پاسخ", () => setMode("reply", message)));
    if (!message.outgoing && !message.forwarded) {
      tools.append(toolButton("✎", "edit", "ویرایش", () => setMode("edit", captioned)));
    }
    node.append(tools);
  }
  return node;
}

function toolButton(label, name, title, action) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = name;
  button.title = `${title} (${name})`;
  button.setAttribute("aria-label", title);
  button.textContent = label;
  button.addEventListener("click", action);
  return button;
}

function textDiv(className, text) {
  const div = document.createElement("div");
  div.className = className;
  div.textContent = text;
  return div;
}

// A file as Telegram shows it: a photo, a playing GIF, a video or audio player, or a file to download.
function mediaView(media) {
  const sized = (element) => {
    element.classList.add("media", media.kind);
    if (media.width && media.height) {
      element.width = media.width;
      element.height = media.height;
    }
    return element;
  };
  const picture = (media.mime || "").startsWith("image/");
  if (media.kind === "photo" || (media.kind === "animation" && picture)) {
    const image = sized(document.createElement("img"));
    image.src = media.url;
    image.alt = media.kind === "photo" ? "📷" : "GIF";
    return image;
  }
  if (media.kind === "video" || media.kind === "animation") {
    const video = sized(document.createElement("video"));
    video.src = media.url;
    video.muted = true;
    video.playsInline = true;
    if (media.kind === "animation") { video.autoplay = true; video.loop = true; } else { video.controls = true; }
    video.preload = "metadata";
    return video;
  }
  if (media.kind === "audio") {
    const audio = document.createElement("audio");
    audio.className = "media audio";
    audio.controls = true;
    audio.src = media.url;
    return audio;
  }
  if (picture) { // a picture sent as a file: Telegram shows its preview
    const image = sized(document.createElement("img"));
    image.classList.add("picture-file");
    image.src = media.url;
    image.alt = media.name || "";
    return image;
  }
  const link = document.createElement("a");
  link.className = "file media-file";
  link.href = media.url;
  link.download = media.name || "file";
  const icon = document.createElement("span");
  icon.className = "icon";
  icon.textContent = "📄";
  const name = document.createElement("bdi");
  name.textContent = media.name || "file";
  const size = document.createElement("small");
  size.textContent = `${Math.max(1, Math.round(media.size / 1024)).toLocaleString("fa")} KB`;
  link.append(icon, name, size);
  return link;
}

// Telegram's entities (UTF-16 offsets, as JavaScript strings count) to nested elements.
function formatted(text, entities, make = elementFor) {
  const sorted = [...(entities || [])].sort((a, b) => a.offset - b.offset || b.length - a.length);
  const root = document.createDocumentFragment();
  build(root, text, 0, text.length, sorted, make);
  return root;
}

function build(parent, text, start, end, entities, make) {
  let position = start;
  let i = 0;
  while (i < entities.length) {
    const entity = entities[i];
    const entityEnd = Math.min(entity.offset + entity.length, end);
    if (entity.offset < position) { i += 1; continue; } // overlaps the previous one: Telegram nests only
    if (entity.offset > position) parent.append(text.slice(position, entity.offset));
    const inner = [];
    let j = i + 1;
    while (j < entities.length && entities[j].offset < entityEnd) {
      const child = entities[j];
      inner.push({ ...child, length: Math.min(child.offset + child.length, entityEnd) - child.offset });
      j += 1;
    }
    const element = make(entity, text.slice(entity.offset, entityEnd));
    build(element, text, entity.offset, entityEnd, inner, make);
    parent.append(element);
    position = entityEnd;
    i = j;
  }
  if (position < end) parent.append(text.slice(position, end));
}

function elementFor(entity, covered) {
  const tags = { bold: "b", italic: "i", underline: "u", strikethrough: "s" };
  if (tags[entity.type]) return document.createElement(tags[entity.type]);
  switch (entity.type) {
    case "code":
    case "pre": {
      const code = document.createElement(entity.type);
      code.dir = "auto"; // a Persian example (#انتخابات_مجلس, a date range) stays right to left
      return code;
    }
    case "text_link":
    case "url": {
      const link = document.createElement("a");
      link.href = entity.type === "url" ? (/^https?:/i.test(covered) ? covered : `http://${covered}`) : entity.url;
      return link;
    }
    case "mention": {
      const link = document.createElement("a");
      link.href = `https://t.me/${covered.slice(1)}`;
      return link;
    }
    case "spoiler": {
      const span = document.createElement("span");
      span.className = "spoiler";
      span.addEventListener("click", (event) => {
        if (!span.classList.contains("revealed")) { event.preventDefault(); event.stopPropagation(); }
        span.classList.add("revealed");
      });
      return span;
    }
    case "blockquote":
    case "expandable_blockquote": {
      const quote = document.createElement("blockquote");
      if (entity.type === "expandable_blockquote") {
        quote.className = "expandable";
        quote.addEventListener("click", () => quote.classList.toggle("open"));
      }
      return quote;
    }
    case "bot_command": {
      const span = document.createElement("bdi"); // "/help" reads /help inside right-to-left text
      span.className = "command";
      span.dataset.command = covered;
      return span;
    }
    case "hashtag": {
      const span = document.createElement("span");
      span.className = "hashtag";
      span.dataset.tag = covered;
      return span;
    }
    default: {
      const span = document.createElement("span");
      span.className = entity.type;
      return span;
    }
  }
}

function keyboard(pane, message) {
  const box = document.createElement("div");
  box.className = "kb";
  for (const row of message.buttons) {
    const line = document.createElement("div");
    line.className = "row";
    for (const button of row) {
      const element = document.createElement("button");
      element.type = "button";
      element.textContent = button.text;
      if (button.callback_data) element.dataset.data = button.callback_data;
      element.addEventListener("click", () => pressButton(pane, message, button, element));
      line.append(element);
    }
    box.append(line);
  }
  return box;
}

function renderErrors(errors) {
  const box = $("api-errors");
  box.hidden = !errors.length;
  box.replaceChildren(
    ...errors.map((e) => textDiv("error", `${e.api} refused ${e.method}: ${e.status} ${e.description}`)),
  );
}

// ------------------------------------------------------------------ acting as a user

// Who taps something in a pane: the editor in theirs; in the channel and the subscriber's chat, a reader.
const actor = (pane) => (pane === "editor" ? "editor" : "subscriber");

async function pressButton(pane, message, button, element) {
  if (button.callback_data) {
    element.classList.add("pending");
    try {
      const { answer } = await api("/api/press", { pane: actor(pane), message_id: message.id, data: button.callback_data });
      if (answer && answer.text) toast(answer.text, answer.show_alert);
    } finally {
      element.classList.remove("pending");
    }
  } else if (button.url) {
    openLink(pane, button.url);
  } else if (button.switch_inline_query_current_chat != null || button.switch_inline_query != null) {
    const query = button.switch_inline_query_current_chat ?? button.switch_inline_query;
    setSubscriberInput(`@${state.bot} ${query}`);
    $("subscriber-input").focus();
    inlineSoon();
  }
}

function openLink(pane, url) {
  const start = url.match(/^(?:https?:\/\/)?t\.me\/([A-Za-z0-9_]+)\?start=/);
  if (start && start[1].toLowerCase() === state.bot.toLowerCase()) {
    api("/api/open-link", { pane: actor(pane), url });
    return;
  }
  // A post's link on its network (the "published" notice links each copy) opens it in its tab.
  const post = url.match(/^(?:https?:\/\/)?(t\.me|ble\.ir|eitaa\.com)\/([A-Za-z0-9_]+)\/(\d+)/);
  const networks = {
    "t.me": ["channel", state.channel],
    "ble.ir": ["bale", state.mirrors.bale?.username],
    "eitaa.com": ["eitaa", state.mirrors.eitaa?.username],
  };
  if (post && post[2].toLowerCase() === (networks[post[1]][1] || "").toLowerCase()) {
    showPost(networks[post[1]][0], post[3]);
    return;
  }
  window.open(url, "_blank", "noopener");
}

function showPost(tab, id) {
  showTab(tab);
  const node = [...document.querySelectorAll(`#chat-${tab} .msg`)].find(
    (m) => m.dataset.id === id || (m.dataset.album || "").split(" ").includes(id),
  );
  if (!node) { toast("این پست در کانال نیست (حذف شده است)"); return; }
  state.stuck[tab] = false;
  node.scrollIntoView({ block: "center", behavior: "smooth" });
  node.classList.add("flash");
  setTimeout(() => node.classList.remove("flash"), 1600);
}

// Links, /commands and #hashtags inside messages: handled as a Telegram client would. A hashtag is
// searched with the bot, as the subscriber would ask it.
document.addEventListener("click", (event) => {
  const pane = event.target.closest(".pane")?.dataset.pane;
  if (!pane || event.target.closest(".editable")) return;
  const command = event.target.closest(".body .command");
  if (command) {
    event.preventDefault();
    sendText(actor(pane), command.dataset.command);
    return;
  }
  const tag = event.target.closest(".body .hashtag");
  if (tag) {
    event.preventDefault();
    state.stuck.subscriber = true;
    sendText("subscriber", `/search ${tag.dataset.tag}`);
    return;
  }
  const link = event.target.closest(".body a");
  if (link) {
    event.preventDefault();
    openLink(pane, link.getAttribute("href"));
  }
});

async function sendText(pane, text) {
  state.stuck[pane] = true;
  await api("/api/send", { pane, text });
}

// ------------------------------------------------------------------ the editor's composer

// The composer is a rich text box: formatting is kept as elements carrying data-entity, and turned
// into Telegram's MessageEntity list (UTF-16 offsets) when sent.
const composer = $("editor-input");
const FORMATS = {
  bold: () => document.createElement("b"),
  italic: () => document.createElement("i"),
  underline: () => document.createElement("u"),
  strikethrough: () => document.createElement("s"),
  spoiler: () => Object.assign(document.createElement("span"), { className: "spoiler" }),
  blockquote: () => document.createElement("blockquote"),
  code: () => Object.assign(document.createElement("code"), { dir: "auto" }),
  text_link: (url) => Object.assign(document.createElement("a"), { href: url }),
};

function composerElement(entity) {
  const make = FORMATS[entity.type];
  if (!make) return document.createDocumentFragment(); // detected ones (#tags, links) are found again
  const element = make(entity.url);
  element.dataset.entity = entity.type;
  if (entity.url) element.dataset.url = entity.url;
  return element;
}

function setComposer(text, entities = []) {
  composer.replaceChildren(formatted(text, entities.filter((e) => FORMATS[e.type]), composerElement));
}

// The composer's text and entities, as a Telegram client sends them (surrounding blanks trimmed).
function composed() {
  let text = "";
  const entities = [];
  const walk = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) { text += child.nodeValue; continue; }
      if (child.nodeName === "BR") { text += "\n"; continue; }
      if (child.nodeType !== Node.ELEMENT_NODE) continue;
      const block = ["DIV", "P"].includes(child.nodeName);
      if (block && text && !text.endsWith("\n")) text += "\n";
      const start = text.length;
      walk(child);
      const type = child.dataset.entity;
      if (type && text.length > start) {
        entities.push({ type, offset: start, length: text.length - start, ...(child.dataset.url ? { url: child.dataset.url } : {}) });
      }
    }
  };
  walk(composer);
  const lead = text.length - text.trimStart().length;
  const trimmed = text.trim();
  const kept = [];
  for (const entity of entities) {
    const offset = Math.max(0, entity.offset - lead);
    const end = Math.min(trimmed.length, entity.offset + entity.length - lead);
    if (end > offset) kept.push({ ...entity, offset, length: end - offset });
  }
  kept.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text: trimmed, entities: kept };
}

function selectionInComposer() {
  const selection = window.getSelection();
  if (!selection.rangeCount) return null;
  const range = selection.getRangeAt(0);
  return composer.contains(range.commonAncestorContainer) ? range : null;
}

function applyFormat(type, range = selectionInComposer(), url = undefined) {
  if (!range || range.collapsed) { toast("اول بخشی از متن را انتخاب کنید (select some text first)"); return; }
  if (type === "clear") {
    for (const element of [...composer.querySelectorAll("[data-entity]")]) {
      if (range.intersectsNode(element)) element.replaceWith(...element.childNodes);
    }
    composer.normalize();
    return;
  }
  const element = composerElement({ type, url });
  element.append(range.extractContents());
  range.insertNode(element);
  const selection = window.getSelection();
  selection.removeAllRanges();
  const after = document.createRange();
  after.selectNodeContents(element);
  selection.addRange(after);
}

// A link asks for its address in a small box; the selection is kept meanwhile.
function askLink() {
  const range = selectionInComposer();
  if (!range || range.collapsed) { toast("اول بخشی از متن را انتخاب کنید (select some text first)"); return; }
  state.savedRange = range.cloneRange();
  $("link-box").hidden = false;
  $("link-url").value = "https://";
  $("link-url").focus();
}

function applyLink() {
  const url = $("link-url").value.trim();
  if (!/^(https?|tg):\/\/\S+$/.test(url)) { toast("نشانی باید با https:// آغاز شود (an http(s) address)", true); return; }
  $("link-box").hidden = true;
  composer.focus();
  if (state.savedRange) applyFormat("text_link", state.savedRange, url);
  state.savedRange = null;
}

for (const button of document.querySelectorAll("#format-bar [data-format]")) {
  button.addEventListener("mousedown", (event) => event.preventDefault()); // the composer keeps its selection
  button.addEventListener("click", () => {
    if (button.dataset.format === "text_link") askLink();
    else applyFormat(button.dataset.format);
  });
}
$("link-apply").addEventListener("click", applyLink);
$("link-url").addEventListener("keydown", (event) => {
  if (event.key === "Enter") { event.preventDefault(); applyLink(); }
  if (event.key === "Escape") { $("link-box").hidden = true; composer.focus(); }
});

// Telegram Desktop's shortcuts, by key position (they work with a Persian keyboard layout too).
const SHORTCUTS = {
  KeyB: "bold", KeyI: "italic", KeyU: "underline", "shift+KeyX": "strikethrough", "shift+KeyP": "spoiler",
  "shift+KeyM": "code", "shift+Period": "blockquote", "shift+KeyN": "clear",
};
composer.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    $("editor-form").requestSubmit();
    return;
  }
  if (event.key === "Enter") { // a line break, not a new paragraph element
    event.preventDefault();
    document.execCommand("insertLineBreak");
    return;
  }
  if (!(event.ctrlKey || event.metaKey)) return;
  if (event.code === "KeyK") { event.preventDefault(); askLink(); return; }
  const type = SHORTCUTS[`${event.shiftKey ? "shift+" : ""}${event.code}`];
  if (type) {
    event.preventDefault();
    applyFormat(type);
  }
});

// An emptied composer is empty again (a left-over <br> would hide its placeholder).
composer.addEventListener("input", () => {
  if (!composer.textContent && !composer.querySelector("img")) composer.replaceChildren();
});

// Pasted text comes in as plain text (Telegram keeps only its own formatting).
composer.addEventListener("paste", (event) => {
  event.preventDefault();
  document.execCommand("insertText", false, event.clipboardData.getData("text/plain"));
});

// The editor's composer either writes a new message, replies to one (to correct a published post,
// or answer a question), or edits one the editor sent (the bot gets an edited_message).
function setMode(kind, message) {
  state.mode = { kind, id: message.id };
  const bar = $("editor-reply");
  bar.hidden = false;
  const label = kind === "edit" ? "ویرایش پیام" : "در پاسخ به";
  const text = message.text ?? message.caption ?? "";
  bar.querySelector("span").textContent = `${label}: ${text.slice(0, 60) || "📎"}`;
  if (kind === "edit") setComposer(text, (message.text != null ? message.entities : message.caption_entities) || []);
  composer.focus();
}

function clearMode() {
  state.mode = null;
  $("editor-reply").hidden = true;
}

$("editor-reply").querySelector(".reply-cancel").addEventListener("click", clearMode);

$("editor-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const { text, entities } = composed();
  if (!text) return;
  const mode = state.mode;
  state.stuck.editor = true;
  if (mode && mode.kind === "edit") {
    await api("/api/edit", { pane: "editor", message_id: mode.id, text, entities });
  } else {
    await api("/api/send", { pane: "editor", text, entities, ...(mode ? { reply_to: mode.id } : {}) });
  }
  clearMode();
  composer.replaceChildren();
});

// ↪️ sends the composer's text as a post forwarded from another channel (its credit shows in the post).
$("editor-forward").addEventListener("click", async () => {
  const { text, entities } = composed();
  if (!text) return;
  state.stuck.editor = true;
  await api("/api/send", { pane: "editor", text, entities, forward: true });
  clearMode();
  composer.replaceChildren();
});

$("editor-example").addEventListener("click", async () => {
  const response = await fetch("/api/example");
  setComposer((await response.json()).text);
  composer.focus();
});

// What a Telegram client sends a file as: a GIF as an animation, a picture as a photo (unless sent
// "as file"), a video as a video, music as audio, anything else as a document.
function kindOf(file) {
  const type = file.type || "";
  if (type === "image/gif") return "animation";
  if (type.startsWith("image/")) return $("editor-as-file").checked ? "document" : "photo";
  if (type.startsWith("video/")) return "video";
  if (type.startsWith("audio/")) return "audio";
  return "document";
}

async function sizeOf(file, kind) {
  if (kind === "photo" || kind === "animation") {
    const bitmap = await createImageBitmap(file).catch(() => null);
    return bitmap ? [bitmap.width, bitmap.height] : null;
  }
  if (kind === "video") {
    const video = document.createElement("video");
    video.preload = "metadata";
    const url = URL.createObjectURL(file);
    try {
      return await new Promise((resolve) => {
        video.onloadedmetadata = () => resolve([video.videoWidth, video.videoHeight]);
        video.onerror = () => resolve(null);
        setTimeout(() => resolve(null), 3000);
        video.src = url;
      });
    } finally {
      URL.revokeObjectURL(url);
    }
  }
  return null;
}

// Sends files as one message (or, 2 to 10 of them, an album), the composer's text as the caption,
// in reply to the message being replied to.
async function sendFiles(files) {
  if (!files.length) return;
  const form = new FormData();
  form.append("pane", "editor");
  const { text, entities } = composed();
  form.append("caption", text);
  form.append("caption_entities", JSON.stringify(entities));
  if (state.mode && state.mode.kind === "reply") form.append("reply_to", state.mode.id);
  for (const file of files) {
    const kind = kindOf(file);
    const size = await sizeOf(file, kind);
    form.append("file", file, file.name);
    form.append("kind", kind);
    form.append("width", size ? size[0] : "");
    form.append("height", size ? size[1] : "");
  }
  state.stuck.editor = true;
  const response = await fetch("/api/file", { method: "POST", body: form });
  if (!response.ok) {
    toast((await response.json().catch(() => ({}))).error || response.statusText, true);
    return;
  }
  composer.replaceChildren();
  clearMode();
}

$("editor-file").addEventListener("change", async (event) => {
  await sendFiles([...event.target.files]);
  event.target.value = "";
});

// The sample media that ship with the sandbox, sent as if picked from the computer.
async function sendSamples(names) {
  const files = await Promise.all(
    names.map(async (name) => {
      const blob = await (await fetch(`/static/samples/${name}`)).blob();
      return new File([blob], name, { type: blob.type });
    }),
  );
  $("samples").open = false;
  await sendFiles(files);
}

for (const button of document.querySelectorAll("[data-sample]")) {
  button.addEventListener("click", () => sendSamples(button.dataset.sample.split(" ")));
}

// ------------------------------------------------------------------ the subscriber

function setSubscriberInput(value) {
  const input = $("subscriber-input");
  input.value = value;
  input.dir = value ? "auto" : "rtl"; // the (Persian) placeholder reads right to left
}

$("subscriber-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = $("subscriber-input");
  const text = input.value.trim();
  if (!text || inlineQuery(text) !== null) return;
  await sendText("subscriber", text);
  setSubscriberInput("");
  hideInline();
});

for (const chip of document.querySelectorAll(".chips button")) {
  chip.addEventListener("click", () => {
    setSubscriberInput(chip.dataset.fill);
    $("subscriber-input").focus();
    if (chip.dataset.fill === "/latest" || chip.dataset.fill === "/help") $("subscriber-form").requestSubmit();
    else inlineSoon();
  });
}

// ------------------------------------------------------------------ inline mode

function inlineQuery(text) {
  const prefix = `@${state.bot}`;
  if (!state.bot || !text.toLowerCase().startsWith(prefix.toLowerCase())) return null;
  const rest = text.slice(prefix.length);
  return rest === "" || rest.startsWith(" ") ? rest.trim() : null;
}

function inlineSoon() {
  clearTimeout(state.inlineTimer);
  state.inlineTimer = setTimeout(() => runInline(""), 350);
}

$("subscriber-input").addEventListener("input", () => {
  const input = $("subscriber-input");
  input.dir = input.value ? "auto" : "rtl";
  if (inlineQuery(input.value) === null) hideInline();
  else inlineSoon();
});

// As Telegram shows inline mode: the bot's results above the input; tapping one sends its message
// "via @bot" into the chat (here, the subscriber's chat with the bot).
async function runInline(offset) {
  const query = inlineQuery($("subscriber-input").value);
  if (query === null) return;
  const box = $("inline-results");
  const { query_id: queryId, results, next_offset: next } = await api("/api/inline", { query, offset });
  if (inlineQuery($("subscriber-input").value) !== query) return; // typed on meanwhile
  if (!offset) box.replaceChildren(textDiv("note", "نتیجه‌های جستجوی درون‌خطی؛ یکی را بزنید تا در گفتگو فرستاده شود"));
  box.querySelector(".more")?.remove();
  for (const result of results) {
    const item = document.createElement("div");
    item.className = "result";
    item.dataset.id = result.id;
    item.append(textDiv("title", result.title), textDiv("description", result.description));
    item.addEventListener("click", async () => {
      state.stuck.subscriber = true;
      await api("/api/inline-choose", { query_id: queryId, result_id: result.id });
      setSubscriberInput("");
      hideInline();
    });
    box.append(item);
  }
  if (!results.length && !offset) box.append(textDiv("note", "نتیجه‌ای نیست"));
  if (next) {
    const more = document.createElement("div");
    more.className = "result more";
    more.textContent = "نتیجه‌های بیشتر…";
    more.addEventListener("click", () => runInline(next));
    box.append(more);
  }
  box.hidden = false;
}

function hideInline() {
  $("inline-results").hidden = true;
}

// ------------------------------------------------------------------ time

for (const button of document.querySelectorAll(".time-jump")) {
  button.addEventListener("click", () => api("/api/time", { minutes: Number(button.dataset.minutes) }));
}

$("time-speed").addEventListener("change", () => api("/api/time", { speed: Number($("time-speed").value) }));

async function publishNext() {
  const { jumped_to: when } = await api("/api/time", { next: true });
  toast(when ? `ساعت جلو رفت تا ${when}` : "پستی در صف انتشار نیست");
}

$("time-next").addEventListener("click", publishNext);

// ------------------------------------------------------------------ the guided tour

const lastMessage = (pane, test) => [...(state.chats[pane] || [])].reverse().find(test);
const buttonWith = (pane, mark) => {
  for (const message of [...(state.chats[pane] || [])].reverse()) {
    for (const row of message.buttons) for (const button of row) if (button.text.includes(mark)) return [message, button];
  }
  return null;
};

// Each step is one click that does what a person would, and says what to look at.
const TOUR = [
  {
    fa: "نمونهٔ خراب را بفرستید",
    en: "Send the damaged sample",
    hint: ["ربات پیش‌نویس را درست می‌کند و پیش‌نمایش را با دکمه‌ها پس می‌دهد.",
      "The bot repairs the draft and answers with a preview and buttons."],
    run: async () => {
      const response = await fetch("/api/example");
      setComposer((await response.json()).text);
      $("editor-form").requestSubmit();
    },
  },
  {
    fa: "با فارسی زمان‌بندی کنید: «نیم ساعت دیگر»",
    en: "Schedule in typed Persian",
    hint: ["«⌨️ انتخاب زمان» زده و «نیم ساعت دیگر» نوشته شد؛ ربات زمان را می‌فهمد.",
      "Presses ⌨️ Pick a time and types «in half an hour»; the bot understands it."],
    run: async () => {
      const found = buttonWith("editor", "⌨️");
      if (!found) { toast("اول گام ۱ (first step 1)"); return; }
      await api("/api/press", { pane: "editor", message_id: found[0].id, data: found[1].callback_data });
      await sendText("editor", "نیم ساعت دیگر");
    },
  },
  {
    fa: "بگذارید زمان بگذرد ⏭",
    en: "Let time pass",
    hint: ["ساعت سندباکس تا نوبت بعدی جلو رفت؛ پست در کانال (وسط) آمد، و رونوشتش در زبانه‌های بله و ایتا.",
      "The sandbox clock jumps to the next slot; the post appears in the channel (middle), its copies in the Bale and Eitaa tabs."],
    run: publishNext,
  },
  {
    fa: "با پاسخ اصلاح کنید",
    en: "Correct by reply",
    hint: ["پاسخ به پیام «✅ منتشر شد» با متن تازه؛ ربات می‌پرسد که پست کانال هم اصلاح شود یا نه؛ بله در جا اصلاح می‌شود و ایتا «اصلاحیه» می‌گیرد.",
      "A reply to the ✅ published message with new text; the bot offers to correct the post (Bale in place, Eitaa by a note)."],
    run: () => {
      const notice = lastMessage("editor", (m) => m.outgoing && (m.text || "").startsWith("✅"));
      // The editor's own draft, amended (the bot signs and repairs it as before).
      const draft = lastMessage("editor", (m) => !m.outgoing && (m.text || "").includes("\n"));
      if (!notice || !draft) { toast("اول پستی منتشر کنید (publish a post first)"); return; }
      setMode("reply", notice);
      setComposer(`${draft.text}\nبه‌روزرسانی: ساعت ۱۸ نشست خبری برگزار می‌شود.`);
    },
  },
  {
    fa: "به‌عنوان مشترک جستجو کنید",
    en: "Search as a subscriber",
    hint: ["مشترک (چپ) «/search انتقال آب» را می‌فرستد؛ نتیجه به پست کانال پیوند دارد. درون‌خطی هم امتحان کنید.",
      "The subscriber (left) sends /search; results link to the channel post. Try inline mode too."],
    run: () => sendText("subscriber", "/search انتقال آب"),
  },
];

function renderTour() {
  const list = $("tour-steps");
  list.replaceChildren(
    ...TOUR.map((step, i) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = step.fa;
      button.addEventListener("click", async () => {
        $("tour-hint").replaceChildren(textDiv("fa", step.hint[0]), textDiv("en", step.hint[1]));
        item.classList.add("done");
        await step.run();
      });
      const english = document.createElement("bdi");
      english.className = "en";
      english.dir = "ltr";
      english.textContent = step.en;
      item.dataset.step = String(i + 1);
      item.append(button, " ", english);
      return item;
    }),
  );
}

function showTour(shown) {
  $("tour").hidden = !shown;
  localStorage.setItem("newsdesk-tour", shown ? "open" : "closed");
}

$("tour-open").addEventListener("click", () => showTour($("tour").hidden));
$("tour-close").addEventListener("click", () => showTour(false));
renderTour();
showTour(localStorage.getItem("newsdesk-tour") !== "closed");

// ------------------------------------------------------------------ toast

function toast(text, alert = false) {
  const box = $("toast");
  box.textContent = text;
  box.className = alert ? "toast alert" : "toast";
  box.hidden = false;
  clearTimeout(state.toastTimer);
  state.toastTimer = setTimeout(() => { box.hidden = true; }, alert ? 5000 : 2500);
}

watch();
