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
    request.onblocked = () => reject(new Error("the practice log is open in an older tab"));
  });
}

function done(transaction, value) {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve(value);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error || new Error("aborted"));
  });
}

export async function put(id, json) {
  const db = await open();
  const tx = db.transaction(STORE, "readwrite", { durability: "strict" });
  tx.objectStore(STORE).put(json, id);
  try {
    return await done(tx, undefined);
  } finally {
    db.close();
  }
}

export async function remove(id) {
  const db = await open();
  const tx = db.transaction(STORE, "readwrite", { durability: "strict" });
  tx.objectStore(STORE).delete(id);
  try {
    return await done(tx, undefined);
  } finally {
    db.close();
  }
}

// Every record as [id, json] pairs.
export async function all() {
  const db = await open();
  const tx = db.transaction(STORE, "readonly");
  const store = tx.objectStore(STORE);
  const keys = store.getAllKeys();
  const values = store.getAll();
  try {
    await done(tx, undefined);
    return keys.result.map((key, i) => [String(key), values.result[i]]);
  } finally {
    db.close();
  }
}
