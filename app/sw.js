// Stille's service worker: the app works offline after its first visit.
//
// `cargo xtask` fills in VERSION (a hash of every file below) and PRECACHE
// (the built app: index.html, the content-hashed bundle and stylesheet, the
// icons and manifest). Installing caches all of them at once; a new build is a
// new VERSION, installed beside the old one and waiting until the person
// chooses "Reload" (the page posts "skip-waiting"), so a page never runs half
// old, half new code. The API is never cached: /api/* always goes to the network.
const VERSION = "{{version}}";
const PRECACHE = {{precache}};
const CACHE = `stille-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("stille-") && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    // Every page is the app's one document; the app routes on the client.
    event.respondWith(
      caches.open(CACHE).then(async (cache) => (await cache.match("/index.html")) || fetch(request)),
    );
    return;
  }
  event.respondWith(
    caches.open(CACHE).then(async (cache) => (await cache.match(request, { ignoreSearch: true })) || fetch(request)),
  );
});
