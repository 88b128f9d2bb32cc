// `cargo xtask dev`: follows the dev build. Polls /dev/state.json (written by
// the xtask after every rebuild); a new stylesheet is swapped in place, any
// other change reloads the page, and a failed build is shown in a banner
// until the next good one. Only in the dev site; the release build has none
// of this.
let seen = null;
let banner = null;

function show(error) {
  if (!banner) {
    banner = document.createElement("pre");
    banner.setAttribute("role", "alert");
    banner.style.cssText =
      "position:fixed;inset:auto 0 0 0;z-index:9999;margin:0;padding:1em;max-height:50vh;overflow:auto;" +
      "background:#3b0d0d;color:#fff;font:13px/1.4 monospace;white-space:pre-wrap";
    document.body.append(banner);
  }
  banner.textContent = error;
}

function swapStylesheet(href) {
  const old = document.querySelector('link[rel="stylesheet"][href^="/dev/style.css"]');
  if (!old) return location.reload();
  const fresh = old.cloneNode();
  fresh.href = href;
  fresh.addEventListener("load", () => old.remove(), { once: true });
  old.after(fresh);
}

async function poll() {
  try {
    const response = await fetch("/dev/state.json", { cache: "no-store" });
    const state = await response.json();
    if (seen === null) seen = state;
    if (state.error) show(state.error);
    else if (state.n !== seen.n) {
      seen = state;
      if (state.kind === "css") {
        banner?.remove();
        banner = null;
        swapStylesheet(state.style);
      } else {
        location.reload();
        return;
      }
    } else if (banner) {
      banner.remove();
      banner = null;
    }
  } catch {
    // The server is restarting: ask again shortly.
  }
  setTimeout(poll, 200);
}

poll();
