// Teachers' recordings kept on this phone, so a take plays with the network
// off. The files sit in the Cache API under their own address
// (/api/audio/<sha256>); the service worker answers the media element from
// there, ranges too (sw.js). An address is named by the file's content, so a
// kept file never goes stale. The cache's name must not start with "stille-":
// the service worker drops those caches when a new version of the app comes.
const CACHE = "audio-v1";

function available() {
  if (!self.caches) throw new Error("this browser keeps no files for offline use (no Cache API)");
}

// Fetches `url` and keeps it, unless it is kept already. True when fetched now.
export async function keep(url) {
  available();
  const cache = await caches.open(CACHE);
  if (await cache.match(url)) return false;
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`the server answered ${response.status}`);
  await cache.put(url, response);
  // Ask the browser not to clear it when space runs short (it may still decide).
  if (navigator.storage && navigator.storage.persist) {
    navigator.storage.persist().catch(() => {});
  }
  return true;
}

// The bytes of `url`: from the phone when kept, else fetched and kept.
export async function bytes(url) {
  available();
  const cache = await caches.open(CACHE);
  let response = await cache.match(url);
  if (!response) {
    response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    await cache.put(url, response.clone());
  }
  return new Uint8Array(await response.arrayBuffer());
}

// Whether `url` is kept.
export async function isKept(url) {
  if (!self.caches) return false;
  const cache = await caches.open(CACHE);
  return (await cache.match(url)) !== undefined;
}

// [files, bytes] kept.
export async function usage() {
  if (!self.caches) return [0, 0];
  const cache = await caches.open(CACHE);
  let bytes = 0;
  const keys = await cache.keys();
  for (const request of keys) {
    const response = await cache.match(request);
    if (!response) continue;
    const length = Number(response.headers.get("content-length"));
    bytes += Number.isFinite(length) && length > 0 ? length : (await response.blob()).size;
  }
  return [keys.length, bytes];
}

// Removes the kept recordings whose address is not in `urls` (no longer
// shared, deleted, or the course left).
export async function prune(urls) {
  if (!self.caches) return;
  const wanted = new Set(urls.map((url) => new URL(url, self.location.href).href));
  const cache = await caches.open(CACHE);
  for (const request of await cache.keys()) {
    if (!wanted.has(request.url)) await cache.delete(request);
  }
}

// Removes every kept recording.
export async function clear() {
  if (!self.caches) return;
  await caches.delete(CACHE);
}
