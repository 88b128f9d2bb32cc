// The device's records in IndexedDB: object stores of JSON texts keyed by id.
// "log" holds practice log entries; "journal" holds check-ins and reflections
// (each as {"kind", "body"}); "outbox" holds, per record ("kind:id"), the
// change not yet acknowledged by the server. Rust checks every record it
// reads back and decides what to write; this file only moves strings.
//
// Leaving a page must never leave IndexedDB stuck. In WebKit (every iPhone
// browser) a write transaction still running when the page goes away (a
// reload, a link that loads a page, the back/forward cache) has kept every
// IndexedDB request of the next page waiting for good (idb-keyval issue 180
// describes the same in Safari). So:
// - on `pagehide` every live transaction is aborted and every connection
//   closed, and writes made while the page is hidden wait in localStorage;
// - a person's own change (`write(ops, true)`) is first copied to
//   localStorage, synchronously, and the copy is removed when its
//   transaction has committed; a copy left behind (the page went away, or
//   IndexedDB did not answer) is written again before anything else is read
//   or written on the next start. Ops are keyed puts and deletes, and guarded
//   ones check the outbox again, so writing one twice changes nothing;
// - opening and every transaction have a time limit: a stuck database gives
//   an error the app shows, never a page that waits for ever.
// The sync engine's own writes are not copied: it redoes them (a pull from
// the same cursor, a push the server recognises).
const DB = "stille";
const STORES = ["log", "journal", "outbox"];
/// localStorage keys of changes not yet known to be in IndexedDB.
const UNSAVED = "stille.unsaved.";
const OPEN_LIMIT_MS = 10000;
const TRANSACTION_LIMIT_MS = 20000;

// This page's live transactions and open connections.
const live = new Set();
const connections = new Set();
let hidden = false;
// This page's copies: a random name and a counter keep them apart and in order.
const page = Math.random().toString(36).slice(2, 10);
let copies = 0;

addEventListener("pagehide", () => {
  hidden = true;
  for (const tx of live) {
    try {
      tx.abort();
    } catch {
      // Already finished.
    }
  }
  live.clear();
  for (const db of connections) db.close();
  connections.clear();
});

addEventListener("pageshow", (event) => {
  // Back from the back/forward cache: what waited is written now.
  if (event.persisted) {
    hidden = false;
    restored = restore();
  }
});

function timeLimit(promise, ms, what) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

function open() {
  if (hidden) return Promise.reject(new Error("the page is closing"));
  let request;
  const opening = new Promise((resolve, reject) => {
    request = indexedDB.open(DB, 3);
    request.onupgradeneeded = () => {
      // Version 1 had "log" only, 2 added "journal", 3 "outbox"; each missing
      // store is added, nothing is moved.
      for (const name of STORES) {
        if (!request.result.objectStoreNames.contains(name)) request.result.createObjectStore(name);
      }
    };
    request.onsuccess = () => {
      const db = request.result;
      // Opened too late (the page went, or the time limit passed): let go at once.
      if (hidden || request.late) {
        db.close();
        reject(new Error("the page is closing"));
        return;
      }
      connections.add(db);
      // Another tab upgrading the database: this connection steps aside.
      db.onversionchange = () => {
        connections.delete(db);
        db.close();
      };
      resolve(db);
    };
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error("another Stille tab holds an older version open; close it"));
  });
  return timeLimit(opening, OPEN_LIMIT_MS, "the database on this device").catch((error) => {
    request.late = true;
    throw error;
  });
}

function done(transaction, value) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve(value);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error || new Error("aborted"));
  });
}

// Runs `work(stores)` in one transaction over `names` and closes the database
// whatever happens.
async function withStores(names, mode, work) {
  const db = await open();
  let tx;
  try {
    tx = db.transaction(names, mode, { durability: "strict" });
    live.add(tx);
    const finished = done(tx, undefined);
    // Awaited below; without this, a `work` that throws would leave it unheard.
    finished.catch(() => {});
    const result = work(names.map((name) => tx.objectStore(name)));
    await timeLimit(finished, TRANSACTION_LIMIT_MS, "a transaction on this device").catch((error) => {
      try {
        tx.abort();
      } catch {
        // Already finished.
      }
      throw error;
    });
    return result;
  } finally {
    if (tx) live.delete(tx);
    connections.delete(db);
    db.close();
  }
}

// Applies `ops` in one transaction, in order. An op is {store, key, value}
// (value null deletes) and may carry a guard {key, version, clear}: it then
// applies only if the outbox entry `key` is at `version` (its updated_at_ms;
// null = no entry), and with `clear` also removes that outbox entry. A guard
// keeps a change made meanwhile on this device from being overwritten.
// Resolves to how many ops applied.
function apply(ops) {
  const names = [...new Set(ops.flatMap((op) => (op.guard ? [op.store, "outbox"] : [op.store])))];
  let applied = 0;
  return withStores(names, "readwrite", (stores) => {
    const store = Object.fromEntries(names.map((name, i) => [name, stores[i]]));
    for (const op of ops) {
      const put = () => {
        if (op.value === null) store[op.store].delete(op.key);
        else store[op.store].put(op.value, op.key);
        if (op.guard && op.guard.clear) store.outbox.delete(op.guard.key);
        applied += 1;
      };
      if (!op.guard) {
        put();
        continue;
      }
      const request = store.outbox.get(op.guard.key);
      request.onsuccess = () => {
        let version = null;
        if (request.result !== undefined) {
          try {
            version = JSON.parse(request.result).updated_at_ms;
          } catch {
            version = undefined; // unreadable: matches no guard
          }
        }
        if (version === op.guard.version) put();
      };
    }
  }).then(() => applied);
}

// A copy of `ops` in localStorage until they are in IndexedDB; its key, or
// null when localStorage cannot hold it (then the write goes on without).
function copy(ops) {
  const key = `${UNSAVED}${String(Date.now()).padStart(15, "0")}.${page}.${String(copies++).padStart(9, "0")}`;
  try {
    localStorage.setItem(key, JSON.stringify(ops));
    return key;
  } catch (error) {
    console.warn("no copy of a change in localStorage", error);
    return null;
  }
}

function forget(key) {
  try {
    localStorage.removeItem(key);
  } catch {
    // Nothing to do: written twice changes nothing.
  }
}

function unsavedKeys() {
  const keys = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key && key.startsWith(UNSAVED)) keys.push(key);
    }
  } catch {
    // No localStorage: nothing was copied there.
  }
  return keys.sort();
}

// Writes the copies an earlier page left, oldest first. A copy IndexedDB
// refuses outright (it cannot ever apply) is dropped with a warning; one it
// does not answer stays for the next start.
async function restore() {
  for (const key of unsavedKeys()) {
    let ops;
    try {
      ops = JSON.parse(localStorage.getItem(key));
    } catch {
      ops = null;
    }
    if (!Array.isArray(ops)) {
      console.warn("an unreadable copy of a change was dropped", key);
      forget(key);
      continue;
    }
    try {
      await apply(ops);
      forget(key);
    } catch (error) {
      if (hidden || /did not answer|closing|aborted/i.test(String(error && error.message))) return;
      console.warn("a copy of a change could not be written and was dropped", key, error);
      forget(key);
    }
  }
}

let restored = restore();

// Waits for the copies an earlier page left, so what is read includes them.
async function ready() {
  try {
    await restored;
  } catch {
    // restore() reports its own trouble; reading goes on.
  }
}

// Applies `ops` (see `apply`). With `own` (a person's change, not the sync
// engine's), a copy waits in localStorage until the transaction commits; a
// page that is closing only keeps the copy, written on the next start.
export async function write(ops, own) {
  if (ops.length === 0) return 0;
  const key = own ? copy(ops) : null;
  if (hidden) {
    if (key) return ops.length;
    throw new Error("the page is closing");
  }
  await ready();
  try {
    const applied = await apply(ops);
    if (key) forget(key);
    return applied;
  } catch (error) {
    // Refused for good (not cut off by leaving or by the time limit): the
    // caller says so, and no copy comes back later behind the person's back.
    if (key && !hidden && !/did not answer/.test(String(error && error.message))) forget(key);
    throw error;
  }
}

// Every record of `store` as [id, json] pairs.
export async function all(store) {
  await ready();
  const [keys, values] = await withStores([store], "readonly", ([s]) => [s.getAllKeys(), s.getAll()]);
  return keys.result.map((key, i) => [String(key), values.result[i]]);
}

// Removes every record of every store (the user's "erase my data"), and any
// copy still waiting in localStorage.
export async function clear() {
  for (const key of unsavedKeys()) forget(key);
  await ready();
  await withStores(STORES, "readwrite", (stores) => {
    for (const s of stores) s.clear();
  });
}
