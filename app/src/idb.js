// The practice log in IndexedDB: one object store of JSON texts keyed by id.
// Rust checks every record it reads back; this file only moves strings.
const DB = "stille";
const STORE = "log";

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function done(transaction, value) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve(value);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error || new Error("aborted"));
  });
}

// Runs `work(store)` in one transaction and closes the database whatever happens.
async function withStore(mode, work) {
  const db = await open();
  try {
    const tx = db.transaction(STORE, mode, { durability: "strict" });
    const result = work(tx.objectStore(STORE));
    await done(tx, undefined);
    return result;
  } finally {
    db.close();
  }
}

export async function put(id, json) {
  await withStore("readwrite", (store) => store.put(json, id));
}

export async function remove(id) {
  await withStore("readwrite", (store) => store.delete(id));
}

// Every record as [id, json] pairs.
export async function all() {
  const requests = await withStore("readonly", (store) => [store.getAllKeys(), store.getAll()]);
  const [keys, values] = requests;
  return keys.result.map((key, i) => [String(key), values.result[i]]);
}

// Removes every record (the user's "erase my data").
export async function clear() {
  await withStore("readwrite", (store) => store.clear());
}
