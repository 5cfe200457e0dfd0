/* Kestrel Electronics chat widget: a small, dependency-free client for Rasa's socket.io channel.
 *
 * KestrelChat.mount(element, {server, rasaPort, customerId, token})
 *   server      socket.io URL of the Rasa server (default: this page's host on rasaPort, 5005)
 *   customerId  the logged-in shop customer (a new customer means a new conversation)
 *   token       the shop's signed identity token for that customer, sent as message metadata
 *               ({"token": ...}); the Rasa server checks it (rasa_ext/identity.py)
 *
 * Draws text (with links), quick-reply buttons and product cards (the assistant's
 * "product_card" custom payload: name, price, rating, reason, buttons). The session id and the
 * messages shown are kept in localStorage, so a reload shows the history and carries on the same
 * conversation (the Rasa channel's session_persistence). Another customer means a new conversation.
 *
 * The widget's own labels follow the conversation's language (Chinese once a message in it has Han
 * characters, English once one has Latin words and none); an unread badge counts replies that arrive
 * while it is closed; Esc closes it and gives the focus back to the launcher (aria-expanded tells
 * screen readers its state); a card's button shows what it meant ("Details: Sony WH-1000XM5").
 */
(function () {
  "use strict";

  const STORE_KEY = "kestrel-chat";
  const TYPING_TIMEOUT_MS = 20000;
  const LABELS = {
    en: {
      launcher: "Chat with us", title: "Kestrel assistant", panel: "Chat with Kestrel Electronics",
      close: "Close chat", placeholder: "Type a message…", message: "Message", send: "Send",
      connecting: "connecting…", online: "online", reconnecting: "reconnecting…", offline: "offline — retrying…",
      welcome: "Hi! Ask me for product picks, your order, shipping or returns.", reviews: "reviews",
      unread: function (n) { return n + (n === 1 ? " unread message" : " unread messages"); }, about: ": ",
    },
    zh: {
      launcher: "在线咨询", title: "Kestrel 智能助手", panel: "与 Kestrel Electronics 在线聊天",
      close: "关闭聊天", placeholder: "请输入消息…", message: "消息", send: "发送",
      connecting: "连接中…", online: "在线", reconnecting: "重新连接中…", offline: "已离线,正在重试…",
      welcome: "您好!可以问我商品推荐、订单、配送或退货。", reviews: "条评价",
      unread: function (n) { return n + " 条未读消息"; }, about: ":",
    },
  };
  const HAN = /[\u3400-\u4dbf\u4e00-\u9fff]/;
  const LATIN_WORDS = /[A-Za-z]{2,}[^A-Za-z]+[A-Za-z]{2,}/;

  // The language a message shows (as shop/language.py decides it), or null for no clear signal.
  function languageOf(text) {
    text = String(text || "");
    if (text.charAt(0) === "/") return null;
    if (HAN.test(text)) return "zh";
    return LATIN_WORDS.test(text) ? "en" : null;
  }

  function loadState(customerId) {
    let state = null;
    try { state = JSON.parse(localStorage.getItem(STORE_KEY)); } catch (e) { state = null; }
    if (!state || state.customerId !== customerId) {
      state = { sessionId: null, customerId: customerId, open: state ? state.open : false, messages: [] };
    }
    return state;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Text with [label](url) links and bare http(s) URLs made clickable; everything else stays text.
  function appendRichText(parent, text) {
    const pattern = /\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)|(https?:\/\/[^\s<]+[^\s<.,;:!?)])/g;
    const lines = String(text).split("\n");
    lines.forEach(function (line, i) {
      if (i > 0) parent.appendChild(document.createElement("br"));
      let last = 0;
      let match;
      while ((match = pattern.exec(line)) !== null) {
        parent.appendChild(document.createTextNode(line.slice(last, match.index)));
        const link = el("a", "kc-link", match[1] || match[3]);
        link.href = match[2] || match[3];
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        parent.appendChild(link);
        last = pattern.lastIndex;
      }
      parent.appendChild(document.createTextNode(line.slice(last)));
    });
  }

  function mount(root, options) {
    options = options || {};
    const customerId = options.customerId || null;
    const token = options.token || null;
    const server = options.server ||
      (location.protocol + "//" + location.hostname + ":" + (options.rasaPort || 5005));
    const state = loadState(customerId);
    const save = function () { localStorage.setItem(STORE_KEY, JSON.stringify(state)); };

    root.classList.add("kc-root");
    const launcher = el("button", "kc-launcher");
    launcher.id = "kc-launcher";
    launcher.type = "button";
    const launcherText = el("span", "kc-launcher-text");
    const badge = el("span", "kc-badge");
    badge.hidden = true;
    launcher.append(launcherText, badge);
    const panel = el("section", "kc-panel");
    panel.id = "kc-panel";
    launcher.setAttribute("aria-controls", panel.id);
    const header = el("header", "kc-header");
    const title = el("span", "kc-title");
    header.appendChild(title);
    const status = el("span", "kc-status");
    let statusKey = "connecting";
    header.appendChild(status);
    const close = el("button", "kc-close", "×");
    close.type = "button";
    header.appendChild(close);
    const list = el("div", "kc-messages");
    list.setAttribute("role", "log");
    list.setAttribute("aria-live", "polite");
    const form = el("form", "kc-form");
    const input = el("input", "kc-input");
    input.autocomplete = "off";
    input.maxLength = 1000;
    input.disabled = true;
    const sendButton = el("button", "kc-send");
    sendButton.type = "submit";
    sendButton.disabled = true;
    form.append(input, sendButton);
    panel.append(header, list, form);
    root.append(launcher, panel);

    function labels() { return LABELS[state.language] || LABELS.en; }
    function setStatus(key) { statusKey = key; status.textContent = labels()[key]; }
    function applyLabels() {
      const l = labels();
      root.lang = state.language || "en";
      launcherText.textContent = l.launcher;
      panel.setAttribute("aria-label", l.panel);
      title.textContent = l.title;
      close.setAttribute("aria-label", l.close);
      input.placeholder = l.placeholder;
      input.setAttribute("aria-label", l.message);
      sendButton.textContent = l.send;
      setStatus(statusKey);
      const welcome = list.querySelector(".kc-welcome");
      if (welcome) welcome.textContent = l.welcome;
      showUnread();
    }
    function noteLanguage(text) {
      const language = languageOf(text);
      if (language && language !== state.language) {
        state.language = language;
        applyLabels();
      }
    }
    function showUnread() {
      const count = state.unread || 0;
      badge.hidden = count === 0;
      badge.textContent = count > 9 ? "9+" : String(count);
      launcher.setAttribute("aria-label", count ? labels().launcher + ", " + labels().unread(count) : labels().launcher);
    }

    const typing = el("div", "kc-typing", "…");
    let typingTimer = null;
    function showTyping(on) {
      clearTimeout(typingTimer);
      if (on) {
        list.appendChild(typing);
        typingTimer = setTimeout(function () { showTyping(false); }, TYPING_TIMEOUT_MS);
      } else if (typing.parentNode) {
        typing.remove();
      }
    }

    function setOpen(open, restoreFocus) {
      state.open = open;
      root.classList.toggle("kc-open", open);
      launcher.setAttribute("aria-expanded", String(open));
      if (open) state.unread = 0;
      showUnread();
      save();
      if (open) { input.focus(); list.scrollTop = list.scrollHeight; } else if (restoreFocus) { launcher.focus(); }
    }
    launcher.addEventListener("click", function () { setOpen(true); });
    close.addEventListener("click", function () { setOpen(false, true); });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); setOpen(false, true); }
    });

    // ``about``: what the buttons are about (a card's product), shown with the chosen button's title.
    function buttonRow(message, buttons, rowClass, className, isQuickReply, about) {
      const row = el("div", rowClass);
      buttons.forEach(function (button) {
        const node = el("button", className, button.title);
        node.type = "button";
        if (isQuickReply && message.chosen !== undefined) {
          node.disabled = true;
          if (message.chosen === button.title) node.classList.add("kc-chosen");
        }
        node.addEventListener("click", function () {
          if (isQuickReply) {
            message.chosen = button.title;
            row.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
            node.classList.add("kc-chosen");
          }
          send(button.payload, about ? button.title + labels().about + about : button.title);
        });
        row.appendChild(node);
      });
      return row;
    }

    function renderCard(message) {
      const card = message.card;
      const node = el("article", "kc-card");
      node.dataset.productId = card.product_id || "";
      node.appendChild(el("div", "kc-card-name", card.name));
      const facts = el("div", "kc-card-facts");
      facts.appendChild(el("span", "kc-card-price", card.price));
      const reviews = Number(card.reviews || 0).toLocaleString("en-US");
      facts.appendChild(el("span", "kc-card-rating",
        "★ " + Number(card.rating).toFixed(1) + " · " + reviews + " " + labels().reviews));
      node.appendChild(facts);
      node.appendChild(el("div", "kc-card-reason", card.reason));
      node.appendChild(buttonRow(message, card.buttons || [], "kc-card-buttons", "kc-card-button", false, card.name));
      return node;
    }

    // A comparison (actions/conversation.py, "comparison_table"): one column per product, one row
    // per attribute that differs; the plain-text version is the fallback for other channels.
    function renderTable(message) {
      const data = message.table;
      const table = el("table", "kc-compare");
      const head = el("tr");
      head.appendChild(el("th", "", ""));
      (data.products || []).forEach(function (name) { head.appendChild(el("th", "", name)); });
      table.appendChild(head);
      (data.rows || []).forEach(function (row) {
        const tr = el("tr");
        tr.appendChild(el("th", "", row.label));
        (row.values || []).forEach(function (value) { tr.appendChild(el("td", "", value)); });
        table.appendChild(tr);
      });
      return table;
    }

    function render(message) {
      const wrap = el("div", "kc-message kc-" + message.from);
      wrap.dataset.from = message.from;
      if (message.card) {
        wrap.classList.add("kc-has-card");
        wrap.appendChild(renderCard(message));
      } else if (message.table) {
        wrap.classList.add("kc-has-card");
        wrap.appendChild(renderTable(message));
      } else {
        const bubble = el("div", "kc-bubble");
        appendRichText(bubble, message.text || "");
        wrap.appendChild(bubble);
        if (message.buttons && message.buttons.length) {
          wrap.appendChild(buttonRow(message, message.buttons, "kc-quick-replies", "kc-quick-reply", true));
        }
      }
      if (typing.parentNode) list.insertBefore(wrap, typing); else list.appendChild(wrap);
      list.scrollTop = list.scrollHeight;
    }

    function add(message) {
      const welcome = list.querySelector(".kc-welcome");
      if (welcome) welcome.remove();
      noteLanguage(message.card ? message.card.name + " " + message.card.reason : message.text);
      if (message.from === "bot" && !state.open) state.unread = (state.unread || 0) + 1;
      state.messages.push(message);
      save();
      render(message);
      showUnread();
    }

    applyLabels();
    state.messages.forEach(render);
    if (!state.messages.length) {
      list.appendChild(el("p", "kc-welcome", labels().welcome));
    }

    const socket = io(server, { path: "/socket.io", transports: ["websocket"] });

    function send(text, shownAs) {
      text = String(text || "").trim();
      if (!text || !state.sessionId) return;
      add({ from: "user", text: shownAs || text });
      showTyping(true);
      socket.emit("user_uttered", {
        message: text,
        session_id: state.sessionId,
        metadata: token ? { token: token } : {},
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const text = input.value;
      input.value = "";
      send(text);
    });

    socket.on("connect", function () {
      socket.emit("session_request", { session_id: state.sessionId });
    });
    socket.on("session_confirm", function (sessionId) {
      state.sessionId = typeof sessionId === "string" ? sessionId : (sessionId && sessionId.session_id);
      save();
      setStatus("online");
      root.classList.add("kc-ready");
      input.disabled = false;
      sendButton.disabled = false;
    });
    socket.on("disconnect", function () {
      setStatus("reconnecting");
      root.classList.remove("kc-ready");
    });
    socket.on("connect_error", function () { setStatus("offline"); });
    socket.on("bot_uttered", function (data) {
      if (!data) return;
      showTyping(false);
      if (data.type === "product_card") {
        add({ from: "bot", card: data });
      } else if (data.type === "comparison_table") {
        add({ from: "bot", table: data, text: data.text });
      } else if (data.text) {
        add({ from: "bot", text: data.text, buttons: data.quick_replies || data.buttons || [] });
      } else if (data.attachment && data.attachment.type === "image") {
        add({ from: "bot", text: data.attachment.payload.src });
      }
    });

    setOpen(Boolean(state.open));
    return { send: send, socket: socket };
  }

  window.KestrelChat = { mount: mount };
})();
