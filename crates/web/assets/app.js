// The inbox's small behaviours, on every page: the browser's time zone for dates, errors shown
// inside the page, forms that clear once done, the unread count in the tab title, and opt-in
// desktop notifications with a sound for new messages to me or to nobody. No inline scripts:
// the page's Content-Security-Policy forbids them.
(function () {
  // Dates follow the browser's time zone until the user picks one in My account.
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && !document.cookie.split("; ").some((c) => c === "fenestra_tz=" + encodeURIComponent(zone))) {
    document.cookie = "fenestra_tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";
  }

  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register("/sw.js").catch(() => {});
  }

  // A refused action (4xx) answers with a message meant for the page: show it, do not drop it.
  document.body.addEventListener("htmx:beforeSwap", (e) => {
    const status = e.detail.xhr.status;
    if (status >= 400 && status < 500) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });
  document.body.addEventListener("click", (e) => {
    if (e.target.matches && e.target.matches("#flash .dismiss")) document.getElementById("flash").innerHTML = "";
  });
  // Forms whose answer is empty (team actions) clear what was typed once they succeed.
  document.body.addEventListener("htmx:afterRequest", (e) => {
    const form = e.detail.elt;
    if (e.detail.successful && form.tagName === "FORM" && (form.id === "label-form" || form.id === "note-form")) form.reset();
    if (e.detail.successful && form.closest && !form.closest("#composer")) {
      const flash = document.getElementById("flash");
      if (flash && e.detail.xhr.status < 300) flash.innerHTML = "";
    }
  });
  // Selects that act at once (the assignee).
  document.addEventListener("change", (e) => {
    if (e.target.matches && e.target.matches("select.submit-on-change")) e.target.form.requestSubmit();
  });

  // The tab title counts conversations with unread messages.
  const baseTitle = document.title;
  const seen = new Map();
  let primed = false;
  function onList() {
    const list = document.querySelector("ul.conversations");
    if (!list) return;
    const total = parseInt(list.dataset.unreadTotal || "0", 10);
    document.title = total > 0 ? "(" + total + ") " + baseTitle : baseTitle;
    for (const row of list.querySelectorAll("li.conversation")) {
      const key = row.dataset.key;
      const unread = parseInt(row.dataset.unread || "0", 10);
      const before = seen.get(key);
      if (primed && unread > (before || 0) && row.dataset.notify === "true") notify(row);
      seen.set(key, unread);
    }
    primed = true;
  }
  document.body.addEventListener("htmx:afterSwap", (e) => {
    if (e.detail.target && e.detail.target.id === "conversations") onList();
  });
  onList();

  // Desktop notifications and a sound, opted into per device.
  const toggle = document.getElementById("notify-toggle");
  const enabled = () => localStorage.getItem("fenestra-notify") === "on" && "Notification" in window && Notification.permission === "granted";
  if (toggle && "Notification" in window) {
    toggle.hidden = enabled();
    toggle.addEventListener("click", () => {
      Notification.requestPermission().then((p) => {
        if (p === "granted") {
          localStorage.setItem("fenestra-notify", "on");
          toggle.hidden = true;
          beep();
          subscribePush();
        }
      });
    });
    if (enabled()) subscribePush();
  }
  // Web Push: this device hears of new messages with the inbox closed too.
  function subscribePush() {
    if (!("serviceWorker" in navigator) || !("PushManager" in window)) return;
    navigator.serviceWorker.ready
      .then((reg) => reg.pushManager.getSubscription().then((sub) => sub || fetch("/push/key")
        .then((r) => r.json())
        .then(({ key }) => reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: urlBase64ToBytes(key) }))))
      .then((sub) => fetch("/push/subscribe", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(sub) }))
      .catch(() => {});
  }
  function urlBase64ToBytes(s) {
    const raw = atob((s + "===".slice((s.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  }
  function notify(row) {
    if (!enabled()) return;
    if (document.visibilityState === "visible" && row.classList.contains("selected")) return;
    const body = document.body.dataset;
    const n = new Notification(body.notifyTitle, { body: body.notifyBody.replace("{name}", row.dataset.name), tag: row.dataset.key, icon: "/assets/favicon.svg" });
    n.onclick = () => { window.focus(); location.href = row.querySelector("a").href; };
    beep();
  }
  let audio;
  function beep() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      const o = audio.createOscillator(), g = audio.createGain();
      o.frequency.value = 880;
      g.gain.setValueAtTime(0.15, audio.currentTime);
      g.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.3);
      o.connect(g).connect(audio.destination);
      o.start();
      o.stop(audio.currentTime + 0.3);
    } catch (_) {}
  }
})();
