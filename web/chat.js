/* Kestrel Electronics chat widget: a small, dependency-free client for Rasa's socket.io channel.
 *
 * KestrelChat.mount(element, {server, rasaPort, customerId})
 *   server      socket.io URL of the Rasa server (default: this page's host on rasaPort, 5005)
 *   customerId  the logged-in shop customer, sent as message metadata ({"customer_id": ...})
 *
 * Draws text (with links), quick-reply buttons and product cards (the assistant's
 * "product_card" custom payload: name, price, rating, reason, buttons). The session id and the
 * messages shown are kept in localStorage, so a reload shows the history and carries on the same
 * conversation (the Rasa channel's session_persistence). Another customer means a new conversation.
 */
(function () {
  "use strict";

  const STORE_KEY = "kestrel-chat";
  const TYPING_TIMEOUT_MS = 20000;

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
    const server = options.server ||
      (location.protocol + "//" + location.hostname + ":" + (options.rasaPort || 5005));
    const state = loadState(customerId);
    const save = function () { localStorage.setItem(STORE_KEY, JSON.stringify(state)); };

    root.classList.add("kc-root");
    const launcher = el("button", "kc-launcher", "Chat with us");
    launcher.id = "kc-launcher";
    launcher.type = "button";
    const panel = el("section", "kc-panel");
    panel.setAttribute("aria-label", "Chat with Kestrel Electronics");
    const header = el("header", "kc-header");
    header.appendChild(el("span", "kc-title", "Kestrel assistant"));
    const status = el("span", "kc-status", "connecting…");
    header.appendChild(status);
    const close = el("button", "kc-close", "×");
    close.type = "button";
    close.setAttribute("aria-label", "Close chat");
    header.appendChild(close);
    const list = el("div", "kc-messages");
    list.setAttribute("role", "log");
    list.setAttribute("aria-live", "polite");
    const form = el("form", "kc-form");
    const input = el("input", "kc-input");
    input.placeholder = "Type a message…";
    input.setAttribute("aria-label", "Message");
    input.autocomplete = "off";
    input.maxLength = 1000;
    input.disabled = true;
    const sendButton = el("button", "kc-send", "Send");
    sendButton.type = "submit";
    sendButton.disabled = true;
    form.append(input, sendButton);
    panel.append(header, list, form);
    root.append(launcher, panel);

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

    function setOpen(open) {
      state.open = open;
      root.classList.toggle("kc-open", open);
      save();
      if (open) { input.focus(); list.scrollTop = list.scrollHeight; }
    }
    launcher.addEventListener("click", function () { setOpen(true); });
    close.addEventListener("click", function () { setOpen(false); });

    function buttonRow(message, buttons, rowClass, className, isQuickReply) {
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
          send(button.payload, button.title);
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
      facts.appendChild(el("span", "kc-card-rating", "★ " + Number(card.rating).toFixed(1) + " · " + reviews + " reviews"));
      node.appendChild(facts);
      node.appendChild(el("div", "kc-card-reason", card.reason));
      node.appendChild(buttonRow(message, card.buttons || [], "kc-card-buttons", "kc-card-button", false));
      return node;
    }

    function render(message) {
      const wrap = el("div", "kc-message kc-" + message.from);
      wrap.dataset.from = message.from;
      if (message.card) {
        wrap.classList.add("kc-has-card");
        wrap.appendChild(renderCard(message));
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
      state.messages.push(message);
      save();
      render(message);
    }

    state.messages.forEach(render);
    if (!state.messages.length) {
      list.appendChild(el("p", "kc-welcome", "Hi! Ask me for product picks, your order, shipping or returns."));
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
        metadata: customerId ? { customer_id: customerId } : {},
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
      status.textContent = "online";
      root.classList.add("kc-ready");
      input.disabled = false;
      sendButton.disabled = false;
    });
    socket.on("disconnect", function () {
      status.textContent = "reconnecting…";
      root.classList.remove("kc-ready");
    });
    socket.on("connect_error", function () { status.textContent = "offline — retrying…"; });
    socket.on("bot_uttered", function (data) {
      if (!data) return;
      showTyping(false);
      if (data.type === "product_card") {
        add({ from: "bot", card: data });
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
