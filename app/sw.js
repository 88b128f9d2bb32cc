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

// The page in the first of the browser's languages Stille speaks (Danish or
// English, English otherwise): the rule of `Lang::from_preferences`.
function pageFor(languages) {
  for (const tag of languages) {
    const primary = tag.split(/[-_]/)[0].toLowerCase();
    if (primary === "da") return "/index.da.html";
    if (primary === "en") return "/index.html";
  }
  return "/index.html";
}

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
    // Every page is the app's one document (the app routes on the client),
    // in the language the app will speak: its first view is plain HTML.
    event.respondWith(
      caches.open(CACHE).then(
        async (cache) => (await cache.match(pageFor(self.navigator.languages || []))) || fetch(request),
      ),
    );
    return;
  }
  event.respondWith(
    caches.open(CACHE).then(async (cache) => (await cache.match(request, { ignoreSearch: true })) || fetch(request)),
  );
});
