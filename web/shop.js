// The demo shop's login: the "Signed in as" select stands in for it. The shop's server signs an
// identity token for the logged-in customer (/session-token, scripts/shop_page.py) and the page hands
// it to the widget, which sends it with every message; the assistant trusts nothing else.
(function () {
  "use strict";
  const account = document.getElementById("account");
  account.value = localStorage.getItem("kestrel-demo-account") || "";
  account.addEventListener("change", function () {
    localStorage.setItem("kestrel-demo-account", account.value);
    location.reload();
  });
  function mount(token) {
    KestrelChat.mount(document.getElementById("kestrel-chat"), Object.assign({}, window.KESTREL_CHAT_CONFIG, {
      customerId: token ? account.value : null,
      token: token,
    }));
  }
  if (!account.value) {
    mount(null);
    return;
  }
  fetch("/session-token?customer_id=" + encodeURIComponent(account.value))
    .then(function (reply) { return reply.ok ? reply.json() : {}; })
    .then(function (body) { mount(body.token || null); })
    .catch(function () { mount(null); });
})();
