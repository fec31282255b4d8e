// newsdesk sandbox page: renders the emulator's chats and acts as a Telegram client would.
// Plain JavaScript, no build step, nothing fetched from the network (see bot/sandbox/web.py for the API).
"use strict";

const state = { bot: "", channel: "", rendered: {}, nodes: {}, mode: null, inlineTimer: null };
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
  document.body.dataset.bot = data.bot;
  $("channel-name").textContent = data.channel.title;
  $("channel-handle").textContent = `@${data.channel.username}`;
  $("clock-now").textContent = data.now;
  $("clock-next").textContent = data.next_publication ? `نوبت بعدی انتشار: ${data.next_publication}` : "";
  $("time-next").disabled = !data.next_publication;
  if (document.activeElement !== $("time-speed")) $("time-speed").value = String(data.speed);
  $("inline-chip").dataset.fill = `@${data.bot} `;
  for (const [pane, messages] of Object.entries(data.chats)) renderChat(pane, messages);
  renderErrors(data.api_errors);
}

// A message keeps its element while it is unchanged (a revealed spoiler stays revealed); an edited
// one is drawn again.
function renderChat(pane, messages) {
  const json = JSON.stringify(messages);
  if (state.rendered[pane] === json) return;
  state.rendered[pane] = json;
  const box = $(`chat-${pane}`);
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
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
  if (atBottom || !box.dataset.scrolled) box.scrollTop = box.scrollHeight;
  box.dataset.scrolled = "1";
}

function bubble(pane, message) {
  const node = document.createElement("div");
  node.className = "msg";
  // In a private chat `outgoing` is the bot's message; the person's own are "mine".
  if (pane !== "channel" && !message.outgoing) node.classList.add("mine");
  node.dataset.id = message.id;
  if (message.forwarded) node.append(textDiv("forwarded", `بازارسال از ${message.forwarded}`));
  if (message.reply_to) node.append(textDiv("reply-quote", message.reply_to.text || "…"));
  if (message.photo) node.append(photoView(message.photo));
  if (message.document) node.append(documentView(message.document));
  const text = message.text ?? message.caption;
  if (text) {
    const body = document.createElement("div");
    body.className = "body";
    body.append(formatted(text, message.text != null ? message.entities : message.caption_entities));
    node.append(body);
  }
  if (message.buttons.length) node.append(keyboard(pane, message));
  const meta = [message.time];
  if (message.edited) meta.unshift("ویرایش‌شده");
  if (message.silent) meta.unshift("🔕");
  node.append(textDiv("meta", meta.join(" · ")));
  if (pane === "editor") {
    // As in Telegram: reply to any message; edit one's own text messages.
    const tools = document.createElement("div");
    tools.className = "tools";
    tools.append(toolButton("↩", "reply", () => setMode("reply", message)));
    if (!message.outgoing && message.text != null) {
      tools.append(toolButton("✎", "edit", () => setMode("edit", message)));
    }
    node.append(tools);
  }
  return node;
}

function toolButton(label, title, action) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = title;
  button.title = title;
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

function photoView(photo) {
  const image = document.createElement("img");
  image.className = "photo";
  image.src = photo.url;
  image.width = photo.width;
  image.height = photo.height;
  image.alt = "📷";
  return image;
}

function documentView(document_) {
  if ((document_.mime || "").startsWith("image/")) {
    const image = document.createElement("img");
    image.className = "picture-file";
    image.src = document_.url;
    image.alt = document_.name || "";
    return image;
  }
  return textDiv("file", `📎 ${document_.name || "file"} (${document_.size} bytes)`);
}

// Telegram's entities (UTF-16 offsets, as JavaScript strings count) to nested elements.
function formatted(text, entities) {
  const sorted = [...(entities || [])].sort((a, b) => a.offset - b.offset || b.length - a.length);
  const root = document.createDocumentFragment();
  build(root, text, 0, text.length, sorted);
  return root;
}

function build(parent, text, start, end, entities) {
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
    const element = elementFor(entity, text.slice(entity.offset, entityEnd));
    build(element, text, entity.offset, entityEnd, inner);
    parent.append(element);
    position = entityEnd;
    i = j;
  }
  if (position < end) parent.append(text.slice(position, end));
}

function elementFor(entity, covered) {
  const tags = { bold: "b", italic: "i", underline: "u", strikethrough: "s", code: "code", pre: "pre" };
  if (tags[entity.type]) return document.createElement(tags[entity.type]);
  switch (entity.type) {
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
      const span = document.createElement("span");
      span.className = "command";
      span.dataset.command = covered;
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
    ...errors.map((e) => textDiv("error", `Bot API refused ${e.method}: ${e.status} ${e.description}`)),
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
    $("subscriber-input").value = `@${state.bot} ${query}`;
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
  const post = url.match(/^(?:https?:\/\/)?t\.me\/([A-Za-z0-9_]+)\/(\d+)/);
  if (post && post[1].toLowerCase() === state.channel.toLowerCase()) {
    showChannelPost(post[2]);
    return;
  }
  window.open(url, "_blank", "noopener");
}

function showChannelPost(id) {
  const node = document.querySelector(`#chat-channel .msg[data-id="${id}"]`);
  if (!node) { toast("این پست در کانال نیست (حذف شده است)"); return; }
  node.scrollIntoView({ block: "center", behavior: "smooth" });
  node.classList.add("flash");
  setTimeout(() => node.classList.remove("flash"), 1600);
}

// Links and /commands inside messages: handled as a Telegram client would.
document.addEventListener("click", (event) => {
  const pane = event.target.closest(".pane")?.dataset.pane;
  const command = event.target.closest(".body .command");
  if (command && pane) {
    event.preventDefault();
    sendText(actor(pane), command.dataset.command);
    return;
  }
  const link = event.target.closest(".body a");
  if (link && pane) {
    event.preventDefault();
    openLink(pane, link.getAttribute("href"));
  }
});

async function sendText(pane, text) {
  await api("/api/send", { pane, text });
}

// The editor's composer either writes a new message, replies to one (to correct a published post,
// or answer a question), or edits one the editor sent (the bot gets an edited_message).
function setMode(kind, message) {
  state.mode = { kind, id: message.id };
  const bar = $("editor-reply");
  bar.hidden = false;
  const label = kind === "edit" ? "ویرایش پیام" : "در پاسخ به";
  bar.querySelector("span").textContent = `${label}: ${(message.text || message.caption || "").slice(0, 60)}`;
  if (kind === "edit") $("editor-input").value = message.text;
  $("editor-input").focus();
}

function clearMode() {
  state.mode = null;
  $("editor-reply").hidden = true;
}

$("editor-reply").querySelector(".reply-cancel").addEventListener("click", clearMode);

$("editor-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = $("editor-input");
  if (!input.value.trim()) return;
  const mode = state.mode;
  if (mode && mode.kind === "edit") await api("/api/edit", { pane: "editor", message_id: mode.id, text: input.value });
  else await api("/api/send", { pane: "editor", text: input.value, ...(mode ? { reply_to: mode.id } : {}) });
  clearMode();
  input.value = "";
});

$("editor-input").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) $("editor-form").requestSubmit();
});

// ↪️ sends the composer's text as a post forwarded from another channel (its credit shows in the post).
$("editor-forward").addEventListener("click", async () => {
  const input = $("editor-input");
  if (!input.value.trim()) return;
  await api("/api/send", { pane: "editor", text: input.value, forward: true });
  clearMode();
  input.value = "";
});

$("editor-example").addEventListener("click", async () => {
  const response = await fetch("/api/example");
  $("editor-input").value = (await response.json()).text;
  $("editor-input").focus();
});

$("editor-file").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  const form = new FormData();
  form.append("pane", "editor");
  form.append("file", file, file.name);
  form.append("caption", $("editor-input").value);
  if (file.type.startsWith("image/")) {
    // Sent as a photo, as Telegram sends a picture by default; the size comes from the image itself.
    const bitmap = await createImageBitmap(file).catch(() => null);
    if (bitmap) {
      form.append("width", bitmap.width);
      form.append("height", bitmap.height);
    }
  }
  const response = await fetch("/api/file", { method: "POST", body: form });
  if (!response.ok) toast((await response.json().catch(() => ({}))).error || response.statusText, true);
  else $("editor-input").value = "";
  event.target.value = "";
});

$("subscriber-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = $("subscriber-input");
  const text = input.value.trim();
  if (!text || inlineQuery(text) !== null) return;
  await sendText("subscriber", text);
  input.value = "";
  hideInline();
});

for (const chip of document.querySelectorAll(".chips button")) {
  chip.addEventListener("click", () => {
    const input = $("subscriber-input");
    input.value = chip.dataset.fill;
    input.focus();
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
  if (inlineQuery($("subscriber-input").value) === null) hideInline();
  else inlineSoon();
});

async function runInline(offset) {
  const query = inlineQuery($("subscriber-input").value);
  if (query === null) return;
  const box = $("inline-results");
  const { results, next_offset: next } = await api("/api/inline", { query, offset });
  if (inlineQuery($("subscriber-input").value) !== query) return; // typed on meanwhile
  if (!offset) box.replaceChildren(textDiv("note", "نتیجه‌های جستجوی درون‌خطی (در هر گفتگویی با ‎@ربات)"));
  box.querySelector(".more")?.remove();
  for (const result of results) {
    const item = document.createElement("div");
    item.className = "result";
    item.dataset.id = result.id;
    item.append(textDiv("title", result.title), textDiv("description", result.description));
    item.addEventListener("click", () => {
      box.querySelector(".preview")?.remove();
      const preview = document.createElement("div");
      preview.className = "preview msg";
      const body = document.createElement("div");
      body.className = "body";
      body.append(formatted(result.text, result.entities));
      preview.append(textDiv("note", "پیامی که با انتخاب این نتیجه فرستاده می‌شود:"), body);
      item.after(preview);
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

$("time-next").addEventListener("click", async () => {
  const { jumped_to: when } = await api("/api/time", { next: true });
  toast(when ? `ساعت جلو رفت تا ${when}` : "پستی در صف انتشار نیست");
});

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
