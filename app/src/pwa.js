// Registers the service worker (app/sw.js) and tells the app when a new
// version is installed and waiting, so it can offer "Reload". The first
// install never reloads anything; only the person's choice does.
let updating = false;

export function register(onUpdateReady) {
  if (!("serviceWorker" in navigator)) return false;
  const waitingWhileControlled = (registration) =>
    registration.waiting && navigator.serviceWorker.controller;
  navigator.serviceWorker
    .register("/sw.js")
    .then((registration) => {
      const watch = (worker) => {
        if (!worker) return;
        worker.addEventListener("statechange", () => {
          if (worker.state === "installed" && navigator.serviceWorker.controller) onUpdateReady();
        });
      };
      if (waitingWhileControlled(registration)) onUpdateReady();
      watch(registration.installing);
      registration.addEventListener("updatefound", () => watch(registration.installing));
    })
    .catch((error) => console.warn("Stille works online only: the service worker did not register", error));
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (updating) window.location.reload();
  });
  return true;
}

// Activates the waiting version; the page reloads when it takes over.
export async function applyUpdate() {
  const registration = await navigator.serviceWorker.getRegistration();
  if (registration && registration.waiting) {
    updating = true;
    registration.waiting.postMessage("skip-waiting");
  }
}

// Whether this page is served by the service worker (it works offline).
export function offlineReady() {
  return Boolean(navigator.serviceWorker && navigator.serviceWorker.controller);
}
