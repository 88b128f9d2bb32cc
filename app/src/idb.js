// The device's records in IndexedDB: object stores of JSON texts keyed by id.
// "log" holds practice log entries; "journal" holds check-ins and reflections
// (each as {"kind", "body"}); "outbox" holds, per record ("kind:id"), the
// change not yet acknowledged by the server. Rust checks every record it
// reads back and decides what to write; this file only moves strings.
//
// Leaving a page must never leave IndexedDB stuck. In WebKit (every iPhone
// browser) a write transaction still running when the page went away (a
// reload, a link that loads a page) kept every IndexedDB request of the next
// page waiting for good (idb-keyval issue 180 describes the same in Safari).
// So:
// - on `pagehide` every live transaction is aborted and every connection
//   closed;
// - a person's own change (`write(ops, true)`) is first copied to
//   localStorage, synchronously. The copy is removed once its transaction
//   has committed, or when it failed in a page that is still open (then the
//   person is told, as before). A change cut off by leaving, or made while
//   the page is hidden, is not lost: its copy stays and is written before
//   anything else, on the next start or when the page comes back;
// - this page's operations run one after another, each after the copies
//   still waiting, so a copy is never written on top of a newer change made
//   here (the sync engine's writes wait for them too);
// - opening and every transaction have a time limit: a stuck database gives
//   an error the app shows, never a page that waits for ever.
// The sync engine's writes are not copied: it redoes them (a pull from the
// same cursor, a push the server recognises).
const DB = "stille";
const STORES = ["log", "journal", "outbox"];
// localStorage keys of changes not yet known to be in IndexedDB, in order:
// `stille.unsaved.<time>.<page>.<n>`, each {"ops": [...]}.
const UNSAVED = "stille.unsaved.";
const OPEN_LIMIT_MS = 10000;
const TRANSACTION_LIMIT_MS = 20000;

// This page's live transactions and open connections.
const live = new Set();
const connections = new Set();
let hidden = false;
// How many times this page has been left: an operation that began before the
// last `pagehide` was cut off by it, even if its error arrives after the
// page came back.
let leaves = 0;
// This page's copies: a random name, a clock that never goes back and a
// counter keep them apart and in order.
const page = Math.random().toString(36).slice(2, 10);
let lastTime = 0;
let copies = 0;
// Copies to write before anything else: those found at start (earlier pages
// left them) and this page's own cut off by leaving.
const waiting = new Set(unsavedKeys());
// This page's own copies whose writes are queued (written by their own job).
const queued = new Set();
// Every operation of this page, one after another.
let queue = Promise.resolve();

addEventListener("pagehide", () => {
  hidden = true;
  leaves += 1;
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
  connection = null;
});

addEventListener("pageshow", (event) => {
  // Back from the back/forward cache: what waits is written now.
  if (event.persisted) {
    hidden = false;
    for (const key of unsavedKeys()) if (!queued.has(key)) waiting.add(key);
    enqueue(flush).catch(() => {});
  }
});

function enqueue(job) {
  const run = queue.then(job);
  queue = run.catch(() => {});
  return run;
}

function timeLimit(promise, ms, what) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

// This page's connection: opened once, kept until the page goes (or another
// tab upgrades the database, or the browser closes it), so a page does not
// open and close the database for every read and write. A pending open that
// passed its time limit is not waited on again: the next operation asks
// afresh (in WebKit an open request can stay unanswered after a navigation),
// and the late one is closed when it answers.
let connection = null;

function forgetConnection(db) {
  connections.delete(db);
  if (connection && connection.db === db) connection = null;
}

function open() {
  if (hidden) return Promise.reject(new Error("the page is closing"));
  if (connection && connection.db && !connections.has(connection.db)) connection = null;
  if (!connection) connection = opening();
  const mine = connection;
  return timeLimit(mine.promise, OPEN_LIMIT_MS, "the database on this device").catch((error) => {
    if (connection === mine) connection = null;
    mine.late = true;
    throw error;
  });
}

function opening() {
  const left = leaves;
  const mine = { db: null, late: false, promise: null };
  mine.promise = new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 3);
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
      if (hidden || mine.late || leaves !== left) {
        db.close();
        if (connection === mine) connection = null;
        reject(new Error("the page is closing"));
        return;
      }
      mine.db = db;
      connections.add(db);
      // Another tab upgrading the database: this connection steps aside.
      db.onversionchange = () => {
        forgetConnection(db);
        db.close();
      };
      // Closed by the browser (storage cleared, a failure): open again next time.
      db.onclose = () => forgetConnection(db);
      resolve(db);
    };
    request.onerror = () => {
      if (connection === mine) connection = null;
      reject(request.error);
    };
    request.onblocked = () => {
      if (connection === mine) connection = null;
      reject(new Error("another Stille tab holds an older version open; close it"));
    };
  });
  // Heard here too: a caller may have stopped waiting on it.
  mine.promise.catch(() => {});
  return mine;
}

function done(transaction) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    // The failing request's error: the transaction's is not set yet.
    transaction.onerror = (event) => reject(event.target.error || transaction.error || new Error("failed"));
    transaction.onabort = () => reject(transaction.error || new Error("aborted"));
  });
}

function abort(tx) {
  try {
    tx.abort();
  } catch {
    // Already finished.
  }
}

// Runs `work(stores)` in one transaction over `names` on this page's
// connection.
async function withStores(names, mode, work) {
  let db = await open();
  let tx;
  try {
    try {
      tx = db.transaction(names, mode, { durability: "strict" });
    } catch (error) {
      // The connection was closing (by the browser, or another tab's
      // upgrade): once more on a new one.
      if (!error || error.name !== "InvalidStateError") throw error;
      forgetConnection(db);
      db.close();
      db = await open();
      tx = db.transaction(names, mode, { durability: "strict" });
    }
    live.add(tx);
    const finished = done(tx);
    // Awaited below; without this, a `work` that throws would leave it unheard.
    finished.catch(() => {});
    let result;
    try {
      result = work(names.map((name) => tx.objectStore(name)));
    } catch (error) {
      abort(tx); // nothing of a half-done write is kept
      throw error;
    }
    await timeLimit(finished, TRANSACTION_LIMIT_MS, "a transaction on this device").catch((error) => {
      try {
        tx.abort();
      } catch {
        // It finished just now: its own outcome counts, not the time limit.
        return finished;
      }
      throw error;
    });
    return result;
  } finally {
    if (tx) live.delete(tx);
  }
}

// Applies `ops` in one transaction, in order. An op is {store, key, value}
// (value null deletes) and may carry a guard {key, version, clear}: it then
// applies only if the outbox entry `key` is at `version` (its updated_at_ms;
// null = no entry), and with `clear` also removes that outbox entry. A guard
// keeps a change made meanwhile on this device from being overwritten.
// Resolves to how many ops applied.
async function apply(ops) {
  const names = [...new Set(ops.flatMap((op) => (op.guard ? [op.store, "outbox"] : [op.store])))];
  let applied = 0;
  await withStores(names, "readwrite", (stores) => {
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
  });
  return applied;
}

// A copy of `ops` in localStorage until they are in IndexedDB; its key, or
// null when localStorage cannot hold it (then the write goes on without).
function copy(ops) {
  lastTime = Math.max(lastTime, Date.now());
  const key = `${UNSAVED}${String(lastTime).padStart(15, "0")}.${page}.${String(copies++).padStart(9, "0")}`;
  try {
    localStorage.setItem(key, JSON.stringify({ ops }));
    return key;
  } catch (error) {
    console.warn("no copy of a change in localStorage", error);
    return null;
  }
}

function forget(key) {
  waiting.delete(key);
  try {
    localStorage.removeItem(key);
  } catch {
    // No localStorage: there was no copy.
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
  return keys;
}

// An error no later try can mend: the copy itself is wrong. Anything else
// (no answer, a full phone, a lost connection) keeps the copy for later.
function hopeless(error) {
  const names = ["DataError", "DataCloneError", "NotFoundError", "TypeError", "InvalidAccessError", "SyntaxError"];
  return names.includes(error && error.name);
}

// Writes the copies still waiting, oldest first. Throws when one could not
// be written (it stays, and nothing newer is written before it).
async function flush() {
  const left = leaves;
  for (const key of [...waiting].sort()) {
    let text = null;
    try {
      text = localStorage.getItem(key);
    } catch {
      text = null;
    }
    if (text === null) {
      // Written meanwhile (by another page at its start).
      waiting.delete(key);
      continue;
    }
    let copied = null;
    try {
      copied = JSON.parse(text);
    } catch {
      copied = null;
    }
    if (!copied || !Array.isArray(copied.ops)) {
      console.warn("an unreadable copy of a change was dropped", key);
      forget(key);
      continue;
    }
    try {
      await apply(copied.ops);
      forget(key);
    } catch (error) {
      if (hidden || leaves !== left) throw error; // leaving: it stays for the next start
      if (hopeless(error)) {
        console.warn("a copy of a change could not be written and was dropped", key, error);
        forget(key);
        continue;
      }
      throw new Error(`a change made earlier could not be written yet: ${error && error.message}`);
    }
  }
}

// Applies `ops` (see `apply`), after any copy still waiting. With `own` (a
// person's change, not the sync engine's) a copy waits in localStorage
// meanwhile; a change made while the page is hidden, or cut off by leaving,
// keeps its copy and counts as saved: it is written on the next start.
export function write(ops, own) {
  if (ops.length === 0) return Promise.resolve(0);
  const key = own ? copy(ops) : null;
  if (hidden) {
    if (key) {
      waiting.add(key);
      return Promise.resolve(ops.length);
    }
    return Promise.reject(new Error("the page is closing"));
  }
  if (key) queued.add(key);
  return enqueue(async () => {
    const left = leaves;
    try {
      await flush();
      const applied = await apply(ops);
      if (key) forget(key);
      return applied;
    } catch (error) {
      if (key && (hidden || leaves !== left)) {
        // Cut off by leaving: written on the next start (or on coming back).
        waiting.add(key);
        return ops.length;
      }
      // The page is open: the person is told, and nothing comes back later
      // behind their back.
      if (key) forget(key);
      throw error;
    } finally {
      if (key) queued.delete(key);
    }
  });
}

// Every record of `store` as [id, json] pairs (after the copies still
// waiting, if they can be written; what is stored is read either way).
export function all(store) {
  return enqueue(async () => {
    await flush().catch((error) => console.warn(error));
    const [keys, values] = await withStores([store], "readonly", ([s]) => [s.getAllKeys(), s.getAll()]);
    return keys.result.map((key, i) => [String(key), values.result[i]]);
  });
}

// Removes every record of every store (the user's "erase my data"), and any
// copy still waiting in localStorage.
export function clear() {
  return enqueue(async () => {
    await withStores(STORES, "readwrite", (stores) => {
      for (const s of stores) s.clear();
    });
    // Only once the stores are empty: a failed erase loses nothing.
    for (const key of unsavedKeys()) forget(key);
    waiting.clear();
  });
}

// Copies an earlier page left are written at once.
if (waiting.size > 0) enqueue(flush).catch((error) => console.warn(error));
