// The device's records in IndexedDB: object stores of JSON texts keyed by id.
// "log" holds practice log entries; "journal" holds check-ins and reflections
// (each as {"kind", "body"}). Rust checks every record it reads back; this
// file only moves strings.
const DB = "stille";
const STORES = ["log", "journal"];

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 2);
    request.onupgradeneeded = () => {
      // Version 1 had "log" only; each missing store is added, nothing is moved.
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

export async function put(store, id, json) {
  await withStores([store], "readwrite", ([s]) => s.put(json, id));
}

// Deletes `ids` from `store` in one transaction.
export async function removeAll(store, ids) {
  await withStores([store], "readwrite", ([s]) => {
    for (const id of ids) s.delete(id);
  });
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
