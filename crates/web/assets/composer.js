// The composer's few behaviours that need no server: switching what to send (message,
// utility template, notification token), filling a saved reply, and picking an alternative
// the verdict offers. Disabled fieldsets are not submitted, so only the chosen mode is sent.
(function () {
  // Selects that act at once (the assignee): no inline handlers, the page's CSP forbids them.
  document.addEventListener("change", (e) => {
    if (e.target.matches && e.target.matches("select.submit-on-change")) e.target.form.requestSubmit();
  });
  const form = document.getElementById("composer");
  if (!form) return;
  const refresh = () => form.dispatchEvent(new Event("pick"));

  function showMode(mode) {
    for (const fs of form.querySelectorAll("fieldset[class^=mode-]")) {
      const on = fs.classList.contains("mode-" + mode);
      fs.hidden = !on;
      fs.disabled = !on;
    }
    if (mode === "template") showParams();
    const radio = form.querySelector("input[name=mode][value=" + mode + "]");
    if (radio) radio.checked = true;
  }

  function showParams() {
    const chosen = form.querySelector("select[name=template]");
    for (const fs of form.querySelectorAll("fieldset.params")) {
      const on = chosen && fs.dataset.template === chosen.value;
      fs.hidden = !on;
      fs.disabled = !on;
    }
  }

  form.addEventListener("change", (e) => {
    if (e.target.name === "mode") showMode(e.target.value);
    if (e.target.name === "template") showParams();
    if (e.target.id === "saved-reply" && e.target.value) {
      const text = document.getElementById("composer-text");
      text.value = e.target.value;
      text.dispatchEvent(new Event("input", { bubbles: true }));
      e.target.value = "";
    }
  });

  // The customer sees the agent typing (htmx posts /typing while they type). A draft emptied,
  // or left behind when the page closes, leaves nothing to send: the indicator goes off at once
  // rather than after Messenger's 20 seconds.
  const text = document.getElementById("composer-text");
  let typed = false;
  const typingOff = () => {
    if (!typed) return;
    typed = false;
    const body = new URLSearchParams({ on: "false" });
    const url = form.action.replace(/\/send$/, "/typing");
    if (!navigator.sendBeacon(url, body)) fetch(url, { method: "POST", body, keepalive: true });
  };
  if (text) {
    text.addEventListener("input", () => {
      if (text.value.trim()) typed = true;
      else typingOff();
    });
    form.addEventListener("submit", () => { typed = false; });
    window.addEventListener("pagehide", typingOff);
  }

  form.addEventListener("click", (e) => {
    const pick = e.target.closest("button.pick");
    if (!pick) return;
    const { field, value } = pick.dataset;
    if (field === "tag") {
      showMode("text");
      form.querySelector("select[name=tag]").value = value;
    } else if (field === "mode") {
      showMode(value);
    } else if (field === "token") {
      showMode("token");
      form.querySelector("select[name=token]").value = value;
      const text = document.getElementById("composer-text").value;
      const tokenText = form.querySelector(".mode-token textarea");
      if (!tokenText.value) tokenText.value = text;
    }
    refresh();
  });
})();
