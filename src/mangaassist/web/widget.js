// MangaAssist chat widget: streams answers over the WebSocket protocol (v2), renders
// product cards and actions, replaces text on `correction`, sends feedback, and
// reconnects with `resend` so an answer survives a dropped connection.
// Server text is always set with textContent, never parsed as HTML.

const UI = {
  en: {
    title: "Shopping assistant", guest: "Guest", send: "Send", lang: "日本語",
    signin: "Sign in as a demo customer", switch: "Switch language to Japanese",
    fold: "Minimise or restore the assistant", dismiss: "Dismiss", message: "Message",
    placeholder: "Ask about manga, orders, returns…",
    tagline: "Manga in English and Japanese, shipped worldwide.",
    hero: "Not sure what to read next?",
    hero_text: "Ask our assistant: recommendations, prices, your orders, returns and shipping.",
    shelf: "Browse by mood", shelf_dark: "Dark fantasy", shelf_sports: "Sports & rivals",
    shelf_romance: "Slice of life & romance", shelf_mystery: "Mystery & suspense",
    shelf_hint: "Tip: ask the assistant “something like Berserk” or 「返品ポリシーを教えて」.",
    connecting: "Connecting…", reconnecting: "Connection lost, reconnecting…", online: "",
    helpful: "Helpful", not_helpful: "Not helpful", thanks: "Thanks for the feedback!",
    in_stock: "In stock", out_of_stock: "Out of stock", ticket: "Ticket",
    errors: {
      rate_limited: "You are sending messages quickly.",
      session_busy: "Please wait for the current answer to finish.",
      internal_error: "Something went wrong; please try again.",
    },
    stars: (r, n) => `Rated ${r} out of 5` + (n != null ? ` by ${n} readers` : ""),
    retry: (s) => `Please wait ${s} s and try again.`, signed_in: (c) => `Signed in as ${c}`,
  },
  ja: {
    title: "ショッピングアシスタント", guest: "ゲスト", send: "送信", lang: "English",
    signin: "デモ用の顧客としてサインイン", switch: "英語に切り替える",
    fold: "アシスタントを最小化・元に戻す", dismiss: "閉じる", message: "メッセージ",
    placeholder: "漫画・注文・返品についてどうぞ…",
    tagline: "英語版・日本語版の漫画を世界へお届け。",
    hero: "次に読む作品、迷っていませんか？",
    hero_text: "おすすめ、価格、ご注文、返品、配送についてアシスタントにお尋ねください。",
    shelf: "気分で選ぶ", shelf_dark: "ダークファンタジー", shelf_sports: "スポーツ・ライバル",
    shelf_romance: "日常・恋愛", shelf_mystery: "ミステリー・サスペンス",
    shelf_hint: "例：「ベルセルクみたいな作品ある？」「返品ポリシーを教えて」とアシスタントに聞いてみてください。",
    connecting: "接続中…", reconnecting: "接続が切れました。再接続しています…", online: "",
    helpful: "役に立った", not_helpful: "役に立たなかった", thanks: "ご意見ありがとうございます！",
    in_stock: "在庫あり", out_of_stock: "在庫切れ", ticket: "チケット",
    errors: {
      rate_limited: "メッセージが続いたため、少しお休みしています。",
      session_busy: "前の回答が終わるまでお待ちください。",
      internal_error: "問題が発生しました。もう一度お試しください。",
      payload_too_large: "メッセージが長すぎます。短くしてお送りください。",
    },
    stars: (r, n) => `5点中${r}点` + (n != null ? `（${n}件の評価）` : ""),
    retry: (s) => `${s}秒ほど待ってから、もう一度お試しください。`, signed_in: (c) => `${c} としてサインイン中`,
  },
};
const DEMO_CUSTOMERS = ["C10001", "C10002", "C10003", "C10004", "C10005"];

const $ = (id) => document.getElementById(id);
const state = {
  lang: (sessionStorage.getItem("ma.lang") || navigator.language || "en").startsWith("ja") ? "ja" : "en",
  token: sessionStorage.getItem("ma.token") || $("chat").dataset.token || "",
  sessionId: sessionStorage.getItem("ma.session") || "",
  socket: null,
  backoff: 500,
  responses: new Map(),   // response_id -> {bubble, text, lastSeq, finished}
  seen: new Set(),        // `${response_id}:${seq}` already applied
  pending: null,          // {messageId, text, bubble} awaiting its first frame
  queue: [],
  pongs: 0,
  connections: 0,         // session frames received (1 + successful reconnects)
  resumed: false,         // whether the last session frame resumed the session
};

function t(key, ...args) {
  const value = UI[state.lang][key];
  return typeof value === "function" ? value(...args) : value;
}

function applyLanguage() {
  document.documentElement.lang = state.lang;
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  document.querySelectorAll("[data-i18n-placeholder]").forEach((el) => {
    el.placeholder = t(el.dataset.i18nPlaceholder);
  });
  document.querySelectorAll("[data-i18n-label]").forEach((el) => {
    el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  });
  $("lang").textContent = t("lang");
}

function status(text) { $("status").textContent = text || ""; }

function bubble(kind, text) {
  const el = document.createElement("div");
  el.className = `msg ${kind}`;
  el.textContent = text || "";
  $("log").appendChild(el);
  $("log").scrollTop = $("log").scrollHeight;
  return el;
}

const BULLET = /^\s*(?:[•・]|[-*](?=\s))\s*/;

// Lines become paragraphs, and runs of "•"/"・"/"-" lines a list, all set as text.
function renderText(el, text) {
  const blocks = [];
  let list = null;
  for (const line of text.split("\n")) {
    if (BULLET.test(line)) {
      if (!list) { list = document.createElement("ul"); blocks.push(list); }
      const item = document.createElement("li");
      item.textContent = line.replace(BULLET, "");
      list.appendChild(item);
    } else if (line.trim()) {
      list = null;
      const para = document.createElement("p");
      para.textContent = line;
      blocks.push(para);
    } else {
      list = null;
    }
  }
  el.replaceChildren(...blocks);
}

function money(currency, value) {
  const amount = Number(value);
  return currency === "JPY"
    ? `¥${Math.round(amount).toLocaleString("ja-JP")}`
    : `$${amount.toFixed(2)}`;
}

function renderCards(response, products) {
  const row = document.createElement("div");
  row.className = "cards";
  for (const p of products) {
    const card = document.createElement("div");
    card.className = "card";
    const link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.title;
    const price = document.createElement("div");
    const now = document.createElement("span");
    now.className = "price";
    now.textContent = money(p.currency, p.price);
    price.appendChild(now);
    if (Number(p.list_price) > Number(p.price)) {
      const list = document.createElement("span");
      list.className = "list";
      list.textContent = money(p.currency, p.list_price);
      price.appendChild(list);
    }
    const stock = document.createElement("div");
    stock.className = p.in_stock ? "stock" : "stock out";
    stock.textContent = p.in_stock ? t("in_stock") : t("out_of_stock");
    card.append(link, price, stock);
    if (p.rating != null) {
      const rating = document.createElement("div");
      rating.className = "rating";
      const stars = Math.max(0, Math.min(5, Math.round(p.rating)));
      const count = p.rating_count != null ? ` (${p.rating_count})` : "";
      rating.textContent = `${"★".repeat(stars)}${"☆".repeat(5 - stars)} ${p.rating.toFixed(1)}${count}`;
      rating.setAttribute("aria-label", t("stars", p.rating.toFixed(1), p.rating_count));
      card.appendChild(rating);
    }
    if (p.reason) {
      const reason = document.createElement("div");
      reason.className = "reason";
      reason.textContent = p.reason;
      card.appendChild(reason);
    }
    row.appendChild(card);
  }
  response.bubble.after(row);
  response.extra = (response.extra || []).concat(row);
  scrollDown();
}

function scrollDown() {
  $("log").scrollTop = $("log").scrollHeight;
}

function renderActions(response, actions) {
  const row = document.createElement("div");
  row.className = "actions";
  for (const a of actions) {
    let el;
    if (a.kind === "sign_in") {
      el = document.createElement("button");
      el.type = "button";
      el.addEventListener("click", () => $("signin").focus());
    } else if (a.url) {
      el = document.createElement("a");
      el.href = a.url;
    } else {
      el = document.createElement("button");
      el.type = "button";
      el.disabled = true;
    }
    el.textContent = a.ticket_id ? `${a.label} · ${t("ticket")} ${a.ticket_id}` : a.label;
    row.appendChild(el);
  }
  (response.extra?.at(-1) || response.bubble).after(row);
  response.extra = (response.extra || []).concat(row);
  scrollDown();
}

function renderFeedback(responseId, response) {
  const row = document.createElement("div");
  row.className = "feedback";
  for (const [rating, label] of [["up", "👍"], ["down", "👎"]]) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    button.setAttribute("aria-label", t(rating === "up" ? "helpful" : "not_helpful"));
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", () => {
      send({ type: "feedback", response_id: responseId, rating });
      row.querySelectorAll("button").forEach((b) => { b.disabled = true; });
      button.setAttribute("aria-pressed", "true");
      status(t("thanks"));
    });
    row.appendChild(button);
  }
  (response.extra?.at(-1) || response.bubble).after(row);
  scrollDown();
}

function responseFor(frame) {
  let response = state.responses.get(frame.response_id);
  if (!response && state.pending && frame.type !== "session" && frame.type !== "pong") {
    response = { bubble: state.pending.bubble, text: "", lastSeq: -1, finished: false };
    response.messageId = state.pending.messageId;
    response.sent = state.pending.text;
    state.pending = null;
    state.responses.set(frame.response_id, response);
  }
  return response;
}

function onFrame(frame) {
  const key = `${frame.response_id}:${frame.seq}`;
  if (state.seen.has(key)) return;
  state.seen.add(key);
  if (frame.type === "session") return onSession(frame);
  if (frame.type === "pong") { state.pongs += 1; return; }
  if (frame.type === "banner") {
    $("banner-text").textContent = frame.text;
    $("banner").hidden = false;
    return;
  }
  const response = responseFor(frame);
  if (!response) {
    if (frame.type === "error") bubble("bot error", errorText(frame));
    return;
  }
  response.lastSeq = frame.seq;
  const el = response.bubble;
  if (frame.type === "chunk") {
    response.text += frame.text;
    renderText(el, response.text);
  } else if (frame.type === "correction") {
    response.text = frame.text;
    renderText(el, response.text);
    el.dataset.corrected = "true";
  } else if (frame.type === "products") {
    renderCards(response, frame.products);
  } else if (frame.type === "actions") {
    renderActions(response, frame.actions);
  } else if (frame.type === "complete") {
    response.finished = true;
    el.classList.remove("typing");
    el.removeAttribute("aria-busy");
    el.dataset.complete = "true";
    renderFeedback(frame.response_id, response);
  } else if (frame.type === "error") {
    response.finished = true;
    el.classList.remove("typing");
    el.removeAttribute("aria-busy");
    el.classList.add("error");
    if (frame.code === "interrupted" && response.messageId) {
      // The answer was cut off while we were away: ask again with the same message id.
      response.finished = false;
      el.classList.remove("error");
      el.classList.add("typing");
      state.responses.delete(frame.response_id);
      (response.extra || []).forEach((node) => node.remove());
      state.pending = { messageId: response.messageId, text: response.sent, bubble: el };
      send({ type: "message", message_id: response.messageId, text: response.sent });
      return;
    }
    el.textContent = errorText(frame);
  }
  $("log").scrollTop = $("log").scrollHeight;
}

// Known error codes are worded in the interface language; others show the server's text.
function errorText(frame) {
  const message = UI[state.lang].errors[frame.code] || frame.message;
  return frame.code === "rate_limited" && frame.retry_after
    ? `${message} ${t("retry", Math.ceil(frame.retry_after))}`
    : message;
}

function onSession(frame) {
  state.connections += 1;
  state.resumed = frame.resumed;
  $("chat").dataset.resumed = String(frame.resumed);
  state.sessionId = frame.session_id;
  sessionStorage.setItem("ma.session", frame.session_id);
  state.backoff = 500;
  status(t("online"));
  if (frame.welcome) bubble("bot", frame.welcome);
  for (const [responseId, response] of state.responses) {
    if (response.finished) continue;
    if (frame.resumed) {
      send({ type: "resend", response_id: responseId, last_seq: response.lastSeq });
    } else {
      // A new session cannot replay the old one's answers: stop waiting for them.
      response.finished = true;
      response.bubble.classList.remove("typing");
    }
  }
  if (state.pending) {
    send({ type: "message", message_id: state.pending.messageId, text: state.pending.text });
  }
  const queued = state.queue.splice(0);
  queued.forEach(send);
}

// A message waiting for its answer is re-sent by onSession (same message_id), so only
// feedback is queued while the socket is down.
function send(frame) {
  if (state.socket && state.socket.readyState === WebSocket.OPEN) {
    state.socket.send(JSON.stringify(frame));
    return true;
  }
  if (frame.type === "feedback") state.queue.push(frame);
  return false;
}

function connect() {
  status(state.socket ? t("reconnecting") : t("connecting"));
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  const query = new URLSearchParams({ protocol_version: "2", lang: state.lang });
  if (state.sessionId) query.set("session_id", state.sessionId);
  if (state.token) query.set("token", state.token);
  const socket = new WebSocket(`${proto}//${location.host}/v1/chat/ws?${query}`);
  state.socket = socket;
  socket.addEventListener("message", (event) => onFrame(JSON.parse(event.data)));
  socket.addEventListener("close", (event) => {
    if (state.socket !== socket) return;
    if (event.code === 4401) {
      state.token = "";
      sessionStorage.removeItem("ma.token");
      $("signin").value = "";
    }
    status(t("reconnecting"));
    setTimeout(connect, state.backoff);
    state.backoff = Math.min(state.backoff * 2, 10000);
  });
}

function submit() {
  const text = $("input").value.trim();
  if (!text) return;
  $("input").value = "";
  status("");
  bubble("user", text);
  const reply = bubble("bot typing", "");
  reply.setAttribute("aria-busy", "true");
  const messageId = crypto.randomUUID();
  state.pending = { messageId, text, bubble: reply };
  send({ type: "message", message_id: messageId, text });
}

async function signIn(customerId) {
  if (!customerId) {
    state.token = "";
    sessionStorage.removeItem("ma.token");
  } else {
    const reply = await fetch("/v1/dev/token", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ customer_id: customerId }),
    });
    if (!reply.ok) { status((await reply.json()).error.message); return; }
    state.token = (await reply.json()).token;
    sessionStorage.setItem("ma.token", state.token);
    status(t("signed_in", customerId));
  }
  state.sessionId = "";
  sessionStorage.removeItem("ma.session");
  const old = state.socket;
  state.socket = null;
  if (old) old.close();
  connect();
}

function setup() {
  applyLanguage();
  // A store that embeds the widget signs its shoppers in itself (data-token).
  $("signin").hidden = Boolean($("chat").dataset.token) || $("chat").dataset.demoSignIn !== "true";
  for (const id of DEMO_CUSTOMERS) {
    const option = document.createElement("option");
    option.value = id;
    option.textContent = id;
    $("signin").appendChild(option);
  }
  $("lang").addEventListener("click", () => {
    state.lang = state.lang === "ja" ? "en" : "ja";
    sessionStorage.setItem("ma.lang", state.lang);
    applyLanguage();
  });
  $("signin").addEventListener("change", (e) => signIn(e.target.value));
  $("fold").addEventListener("click", () => {
    const folded = $("chat").classList.toggle("folded");
    $("fold").setAttribute("aria-expanded", String(!folded));
    $("fold").textContent = folded ? "+" : "–";
  });
  $("banner-close").addEventListener("click", () => { $("banner").hidden = true; });
  $("form").addEventListener("submit", (e) => { e.preventDefault(); submit(); });
  $("input").addEventListener("keydown", (e) => {
    // Never send while an IME is composing (Japanese input confirms with Enter).
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      submit();
    }
  });
  connect();
  // A ping now and then keeps idle proxies from dropping the socket.
  setInterval(() => send({ type: "ping" }), 25000);
  // For tests and for stores that want to drive the widget from their own scripts.
  window.mangaAssist = { state, connect, send, onFrame, bubble };
}

setup();
