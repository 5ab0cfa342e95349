// The composer's few behaviours that need no server: switching what to send (message,
// utility template, notification token) carrying over what can be carried (the customer's
// first name), filling a saved reply, picking an alternative the verdict offers, Send
// unavailable while the verdict refuses, and a clean composer once a message went out. A
// refused send keeps its text: the verdict says why beside it. Disabled fieldsets are not
// submitted, so only the chosen mode is sent.
(function () {
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
      // What the composer knows fills the template's parameters of the same name.
      for (const input of fs.querySelectorAll("input[data-param=first_name]")) {
        if (!input.value && form.dataset.firstName) input.value = form.dataset.firstName;
      }
    }
  }

  // Send is unavailable while the verdict refuses; the verdict says why, next to the text.
  const send = document.getElementById("send");
  document.body.addEventListener("htmx:afterSwap", (e) => {
    if (!e.detail.target || e.detail.target.id !== "verdict") return;
    const verdict = document.getElementById("verdict-body");
    const refused = verdict && verdict.dataset.allowed === "false";
    send.disabled = refused;
    send.setAttribute("aria-disabled", refused ? "true" : "false");
    send.title = refused ? send.dataset.refused : "";
  });
  // A check of the draft still in flight when Send is pressed answers for a draft that is gone:
  // its answer must not replace "Sent." (newer checks replace older ones: hx-sync).
  let sends = 0;
  document.body.addEventListener("htmx:beforeRequest", (e) => {
    if (e.detail.elt === form) sends += 1;
    else if (e.detail.elt.id === "verdict-check") e.detail.xhr.sendsBefore = sends;
  });
  document.body.addEventListener("htmx:beforeSwap", (e) => {
    const before = e.detail.xhr.sendsBefore;
    if (before !== undefined && before !== sends) e.detail.shouldSwap = false;
  });
  // Sent: the composer empties for the next message.
  document.body.addEventListener("fenestra-sent", () => {
    for (const t of form.querySelectorAll("textarea")) t.value = "";
    for (const i of form.querySelectorAll("fieldset.params input")) i.value = "";
    form.querySelector("select[name=tag]").value = "";
    // The picture went with it: the next message starts without one.
    for (const name of ["attachment_url", "attachment_id"]) {
      const i = form.querySelector(`[name=${name}]`);
      if (i) i.value = "";
    }
    const upload = document.getElementById("upload");
    if (upload) { upload.value = ""; document.getElementById("uploaded").textContent = ""; }
    showMode("text");
    typed = false;
    send.disabled = false;
  });

  form.addEventListener("change", (e) => {
    if (e.target.name === "mode") { showMode(e.target.value); refresh(); }
    if (e.target.name === "template") { showParams(); refresh(); }
    if (e.target.id === "saved-reply" && e.target.value) {
      const text = document.getElementById("composer-text");
      // What the reply carries besides its text fills the "picture, buttons" fields.
      const o = e.target.selectedOptions[0].dataset;
      const set = (name, v) => { form.querySelector(`[name=${name}]`).value = v || ""; };
      if (o.attachmentType) set("attachment_type", o.attachmentType);
      set("attachment_url", o.attachmentUrl);
      set("buttons", o.buttons);
      set("quick_replies", o.quickReplies);
      if (o.attachmentUrl || o.buttons || o.quickReplies) document.getElementById("rich").open = true;
      text.value = e.target.value;
      text.dispatchEvent(new Event("input", { bubbles: true }));
      e.target.value = "";
    }
  });

  // A picked file goes to Meta at once (through Fenestra); the message then carries its id.
  const upload = document.getElementById("upload");
  if (upload) upload.addEventListener("change", async () => {
    const file = upload.files[0];
    const status = document.getElementById("uploaded");
    document.getElementById("attachment-id").value = "";
    if (!file) { status.textContent = ""; return; }
    status.textContent = "…";
    const body = new FormData();
    body.append("file", file);
    const r = await fetch(upload.dataset.action, { method: "POST", body, headers: { "HX-Request": "true" } });
    if (!r.ok) { status.textContent = upload.dataset.failed; return; }
    const a = await r.json();
    document.getElementById("attachment-id").value = a.attachment_id;
    form.querySelector("[name=attachment_type]").value = a.type;
    status.textContent = "✓ " + a.name;
    refresh();
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
      const tokenText = form.querySelector("textarea[name=token_text]");
      if (!tokenText.value) tokenText.value = text;
    }
    refresh();
  });
})();
