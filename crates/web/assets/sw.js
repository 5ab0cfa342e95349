// Fenestra's service worker: makes the inbox installable as an app, keeps its static files for
// a quick start, and shows Web Push notifications. Pages are never cached: an inbox must be
// current, and a stale one is worse than an error.
const STATIC = "fenestra-static-v1";
const FILES = ["/assets/inbox.css", "/assets/htmx.min.js", "/assets/htmx-sse.js", "/assets/app.js", "/assets/composer.js", "/assets/favicon.svg"];

self.addEventListener("install", (e) => {
  e.waitUntil(caches.open(STATIC).then((c) => c.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (e) => {
  e.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== STATIC).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (e) => {
  const url = new URL(e.request.url);
  if (e.request.method === "GET" && url.origin === location.origin && url.pathname.startsWith("/assets/")) {
    // Static files: the network first (they change with the binary), the copy when offline.
    e.respondWith(
      fetch(e.request)
        .then((r) => {
          const copy = r.clone();
          caches.open(STATIC).then((c) => c.put(e.request, copy));
          return r;
        })
        .catch(() => caches.match(e.request)),
    );
  }
});

self.addEventListener("push", (e) => {
  let data = {};
  try { data = e.data ? e.data.json() : {}; } catch (_) { data = { title: e.data && e.data.text() }; }
  e.waitUntil(self.registration.showNotification(data.title || "Fenestra", {
    body: data.body || "",
    tag: data.tag || "fenestra",
    data: { url: data.url || "/" },
    icon: "/assets/favicon.svg",
  }));
});

self.addEventListener("notificationclick", (e) => {
  e.notification.close();
  const url = (e.notification.data && e.notification.data.url) || "/";
  e.waitUntil(
    self.clients.matchAll({ type: "window" }).then((list) => {
      for (const c of list) {
        if ("focus" in c) { c.navigate(url); return c.focus(); }
      }
      return self.clients.openWindow(url);
    }),
  );
});
