// Web Push in the browser, for reminders (app/src/reminders.rs): whether it
// can work here, the subscription, and the time zone reminders are set in.
// Permission to notify is asked in `subscribe` only, which the app calls
// when the person turns reminders on: never on a visit.

function onIos() {
  return /iPad|iPhone|iPod/.test(navigator.userAgent) ||
    (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
}

function installed() {
  return navigator.standalone === true || window.matchMedia("(display-mode: standalone)").matches;
}

// "yes", "home-screen" (an iPhone's browser: Safari delivers web push only to
// a web app added to the home screen), "denied" (the person said no; only
// the site settings undo it) or "no".
export function support() {
  const push = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  if (!push) return onIos() && !installed() ? "home-screen" : "no";
  if (Notification.permission === "denied") return "denied";
  return "yes";
}

export function timeZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    return "";
  }
}

function fromBase64Url(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(text.length / 4) * 4, "=");
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

function sameKey(buffer, key) {
  if (!buffer) return false;
  const bytes = new Uint8Array(buffer);
  return bytes.length === key.length && bytes.every((b, i) => b === key[i]);
}

// The service worker's registration, or an error after 10 s without one.
function registration() {
  return Promise.race([
    navigator.serviceWorker.ready,
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error("the app's service worker is not running here")), 10000),
    ),
  ]);
}

// Asks for permission, then subscribes with the server's key (again, when
// an earlier subscription was made with another key); the subscription's JSON.
export async function subscribe(publicKey) {
  const permission = await Notification.requestPermission();
  if (permission !== "granted") throw new DOMException("notifications are not allowed", "NotAllowedError");
  const found = await registration();
  const key = fromBase64Url(publicKey);
  let subscription = await found.pushManager.getSubscription();
  if (subscription && !sameKey(subscription.options && subscription.options.applicationServerKey, key)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  if (!subscription) {
    subscription = await found.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  }
  return JSON.stringify(subscription.toJSON());
}

// This browser's subscription as JSON, or "" when there is none.
export async function current() {
  if (!("serviceWorker" in navigator) || !("PushManager" in window)) return "";
  const found = await navigator.serviceWorker.getRegistration();
  const subscription = found && (await found.pushManager.getSubscription());
  return subscription ? JSON.stringify(subscription.toJSON()) : "";
}

export async function unsubscribe() {
  if (!("serviceWorker" in navigator) || !("PushManager" in window)) return false;
  const found = await navigator.serviceWorker.getRegistration();
  const subscription = found && (await found.pushManager.getSubscription());
  return subscription ? subscription.unsubscribe() : false;
}
