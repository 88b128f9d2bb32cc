// Adding Stille to the home screen (app/src/install.rs). Chromium offers its
// own install prompt through `beforeinstallprompt`, which is kept here for
// the person's tap; Safari on an iPhone has no prompt (the Share menu's "Add
// to Home Screen" is the way); Firefox on Android has it in its menu.
let deferred = null;
const waiting = [];
window.addEventListener("beforeinstallprompt", (event) => {
  event.preventDefault();
  deferred = event;
  for (const notify of waiting.splice(0)) notify();
});
window.addEventListener("appinstalled", () => {
  deferred = null;
});

// "installed", "ios", "prompt" (Chromium can install), "firefox-android" or "none".
export function platform() {
  if (navigator.standalone === true || window.matchMedia("(display-mode: standalone)").matches) return "installed";
  const ua = navigator.userAgent;
  if (/iPad|iPhone|iPod/.test(ua) || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1)) return "ios";
  if (deferred) return "prompt";
  if (/Android/.test(ua) && /Firefox/.test(ua)) return "firefox-android";
  return "none";
}

// Calls `notify` once, when Chromium says it can install (now, if it already has).
export function whenPromptReady(notify) {
  if (deferred) notify();
  else waiting.push(notify);
}

// Shows Chromium's install prompt; "accepted", "dismissed" or "unavailable".
export async function prompt() {
  if (!deferred) return "unavailable";
  const event = deferred;
  deferred = null;
  await event.prompt();
  const choice = await event.userChoice;
  return choice.outcome;
}
