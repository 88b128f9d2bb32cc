// Stille's service worker: the app works offline after its first visit.
//
// `cargo xtask` fills in VERSION (a hash of every file below) and PRECACHE
// (the built app: index.html, the content-hashed bundle and stylesheet, the
// icons and manifest). Installing caches all of them at once; a new build is a
// new VERSION, installed beside the old one and waiting until the person
// chooses "Reload" (the page posts "skip-waiting"), so a page never runs half
// old, half new code. The API is never cached: /api/* always goes to the
// network, except a recording's audio the app chose to keep (keptAudio).
const VERSION = "{{version}}";
const PRECACHE = {{precache}};
const CACHE = `stille-${VERSION}`;
// Teachers' recordings kept by the app (audio_cache.js): kept across versions.
const AUDIO = "audio-v1";

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

// A teacher's recording the app kept on the phone (audio_cache.js): the
// whole file, or the part a media element asks for with a Range header.
// Anything not kept goes to the network as it is.
async function keptAudio(request) {
  const kept = await (await caches.open(AUDIO)).match(request.url);
  if (!kept) return fetch(request);
  const range = request.headers.get("range");
  if (!range) return kept;
  const body = await kept.blob();
  const size = body.size;
  const type = kept.headers.get("content-type") || "audio/mpeg";
  // One range of bytes (RFC 9110 14.1.2); anything else (several ranges,
  // another unit, a range that cannot be read) is ignored: the whole file.
  const found = /^bytes=(\d*)-(\d*)$/i.exec(range.trim());
  if (!found || (found[1] === "" && found[2] === "")) return kept;
  let start;
  let end = size - 1;
  if (found[1] !== "") {
    start = Number(found[1]);
    if (found[2] !== "") {
      end = Number(found[2]);
      if (end < start) return kept;
      end = Math.min(end, size - 1);
    }
  } else {
    // The last N bytes.
    start = Math.max(size - Number(found[2]), 0);
    if (Number(found[2]) === 0) start = size;
  }
  if (start >= size) {
    return new Response(null, { status: 416, headers: { "Content-Range": `bytes */${size}` } });
  }
  return new Response(body.slice(start, end + 1, type), {
    status: 206,
    headers: {
      "Content-Type": type,
      "Content-Range": `bytes ${start}-${end}/${size}`,
      "Content-Length": String(end - start + 1),
      "Accept-Ranges": "bytes",
    },
  });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/audio/")) {
    event.respondWith(keptAudio(request));
    return;
  }
  if (url.pathname.startsWith("/api/")) return;
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

// A path inside the app, or the home page: a message can only lead here.
function appPath(url) {
  return typeof url === "string" && url.startsWith("/") && !url.startsWith("//") ? url : "/";
}

// A reminder from the server (server/src/push): `{title, body, url, tag}`,
// shown as a notification. It says at most which practice: never anything
// from the person's check-ins or notes, since it shows on a lock screen.
self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch {
    message = {};
  }
  const text = (value, fallback) => (typeof value === "string" && value ? value : fallback);
  event.waitUntil(
    self.registration.showNotification(text(message.title, "Stille"), {
      body: text(message.body, ""),
      tag: text(message.tag, "stille"),
      icon: "/icon-192.png",
      badge: "/icon-192.png",
      data: { url: appPath(message.url) },
    }),
  );
});

// A tap on a reminder opens the practice it names: in a Stille window
// already open (brought forward and led there), or a new one.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = appPath(event.notification.data && event.notification.data.url);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      for (const client of windows) {
        if (new URL(client.url).origin !== self.location.origin) continue;
        try {
          await client.focus();
        } catch {
          // Focus needs the tap itself; leading the window there does not.
        }
        try {
          await client.navigate(url);
          return;
        } catch {
          // A window this worker does not control cannot be led; try the next.
        }
      }
      await self.clients.openWindow(url);
    })(),
  );
});
