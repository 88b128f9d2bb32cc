// The device's records in IndexedDB: object stores of JSON texts keyed by id.
// "log" holds practice log entries; "journal" holds check-ins and reflections
// (each as {"kind", "body"}); "outbox" holds, per record ("kind:id"), the
// change not yet acknowledged by the server. Rust checks every record it
// reads back and decides what to write; this file only moves strings.
const DB = "stille";
const STORES = ["log", "journal", "outbox"];

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 3);
    request.onupgradeneeded = () => {
      // Version 1 had "log" only, 2 added "journal", 3 "outbox"; each missing
      // store is added, nothing is moved.
      for (const name of STORES) {
        if (!request.result.objectStoreNames.contains(name)) request.result.createObjectStore(name);
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error("another Stille tab holds an older version open; close it"));
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
  try {
    const tx = db.transaction(names, mode, { durability: "strict" });
    const result = work(names.map((name) => tx.objectStore(name)));
    await done(tx, undefined);
    return result;
  } finally {
    db.close();
  }
}

// Applies `ops` in one transaction, in order. An op is {store, key, value}
// (value null deletes) and may carry a guard {key, version, clear}: it then
// applies only if the outbox entry `key` is at `version` (its updated_at_ms;
// null = no entry), and with `clear` also removes that outbox entry. A guard
// keeps a change made meanwhile on this device from being overwritten.
// Resolves to how many ops applied.
export async function write(ops) {
  if (ops.length === 0) return 0;
  const names = [...new Set(ops.flatMap((op) => (op.guard ? [op.store, "outbox"] : [op.store])))];
  let applied = 0;
  await withStores(names, "readwrite", (stores) => {
    const store = Object.fromEntries(names.map((name, i) => [name, stores[i]]));
    for (const op of ops) {
      const apply = () => {
        if (op.value === null) store[op.store].delete(op.key);
        else store[op.store].put(op.value, op.key);
        if (op.guard && op.guard.clear) store.outbox.delete(op.guard.key);
        applied += 1;
      };
      if (!op.guard) {
        apply();
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
        if (version === op.guard.version) apply();
      };
    }
  });
  return applied;
}

// Every record of `store` as [id, json] pairs.
export async function all(store) {
  const [keys, values] = await withStores([store], "readonly", ([s]) => [s.getAllKeys(), s.getAll()]);
  return keys.result.map((key, i) => [String(key), values.result[i]]);
}

// Removes every record of every store (the user's "erase my data").
export async function clear() {
  await withStores(STORES, "readwrite", (stores) => {
    for (const s of stores) s.clear();
  });
}
