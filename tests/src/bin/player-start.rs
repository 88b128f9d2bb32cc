//! Measures, for `cargo xtask bench`, how long the player takes from a tap on
//! Begin to sound, and what it holds in memory while it plays: the 45-minute
//! body scan with and without a background sound, and the longest sessions
//! with every option that adds sound. Each run is a fresh page in headless
//! Chromium at a phone's size; the time is from the tap (a capturing click
//! listener, before the app's own) to the soundtrack element's `playing`
//! event; memory is read after a forced garbage collection: the JavaScript
//! heap (DevTools' `JSHeapUsedSize`), the wasm module's linear memory (which
//! never shrinks, so it shows the peak of preparing) and the Blobs made for
//! the media elements. Prints one JSON object.
//!
//! Needs STILLE_SITE_DIR, STILLE_CHROMIUM and STILLE_CHROMEDRIVER, as the
//! end-to-end tests do.

use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use stille_e2e::{Browser, Locale, Stille};

/// Installed before the app's own scripts: remembers the wasm memory, each
/// media element the app plays (looped or not, when it began to play), the
/// Blobs made into URLs, and when Begin was tapped.
const PROBE: &str = r#"(() => {
  const s = window.__stilleStart = { media: [], blobs: [], memory: null, tapped: null };
  for (const name of ['instantiateStreaming', 'instantiate']) {
    const original = WebAssembly[name];
    WebAssembly[name] = async function (...args) {
      const result = await original.apply(this, args);
      const instance = result instanceof WebAssembly.Instance ? result : result.instance;
      const memory = instance && instance.exports && instance.exports.memory;
      if (memory && !s.memory) s.memory = memory;
      return result;
    };
  }
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    if (!this.__stilleSeen) {
      this.__stilleSeen = true;
      const entry = { loop: this.loop, playing: null };
      s.media.push(entry);
      this.addEventListener('playing', () => { if (entry.playing === null) entry.playing = performance.now(); });
    }
    return play.call(this);
  };
  const objectUrl = URL.createObjectURL;
  URL.createObjectURL = function (object) {
    if (object instanceof Blob) s.blobs.push(object.size);
    return objectUrl.call(this, object);
  };
  addEventListener('click', (event) => {
    if (event.target.closest && event.target.closest('.play') && s.tapped === null) s.tapped = performance.now();
  }, true);
})();"#;

/// What is measured: a name, the player's address and whether it has a bed.
const CASES: [(&str, &str, bool); 5] = [
    ("45-min body scan", "/play/mbsr-body-scan?m=45", false),
    ("45-min body scan, pink noise", "/play/mbsr-body-scan?m=45&bed=pink", true),
    ("45-min body scan, brown noise", "/play/mbsr-body-scan?m=45&bed=brown", true),
    (
        "60-min paced breathing, a tone on every breath, pink noise",
        "/play/breathing-custom?m=60&bed=pink",
        true,
    ),
    ("180-min timer, a bell every minute, pink noise", "/play/timer-silent?m=180&every=1&bed=pink", true),
];

const RUNS: usize = 3;

#[tokio::main]
async fn main() -> Result<()> {
    let stille = Stille::start().await?;
    let browser = Browser::phone(Locale::Danish).await?;
    browser.cdp("Page.addScriptToEvaluateOnNewDocument", json!({ "source": PROBE })).await?;
    browser.cdp("Performance.enable", json!({})).await?;
    let mut cases = Vec::new();
    for (name, path, bed) in CASES {
        eprintln!("player-start: {name}");
        let mut runs = Vec::new();
        for _ in 0..RUNS {
            runs.push(measure(&browser, &stille.url(path), bed).await.with_context(|| name.to_owned())?);
        }
        cases.push(json!({ "name": name, "path": path, "bed": bed, "runs": runs }));
    }
    browser.close().await?;
    stille.stop().await?;
    println!("{}", json!({ "runs": RUNS, "cases": cases }));
    Ok(())
}

/// One fresh page of the player: tap Begin, wait for sound, read memory.
async fn measure(browser: &Browser, url: &str, bed: bool) -> Result<Value> {
    browser.goto(url).await?;
    browser.wait_until("the player is ready", "return !!document.querySelector('.play')").await?;
    browser.click(".play").await?;
    let sounding = if bed {
        "const s = window.__stilleStart; return s.media.filter(m => m.playing !== null).length === 2"
    } else {
        "const s = window.__stilleStart; return s.media.some(m => !m.loop && m.playing !== null)"
    };
    browser.wait_until_within("the soundtrack (and bed) playing", sounding, Duration::from_secs(120)).await?;
    browser.cdp("HeapProfiler.collectGarbage", json!({})).await?;
    let metrics = browser.cdp("Performance.getMetrics", json!({})).await?;
    let heap = metrics["metrics"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|m| m["name"] == "JSHeapUsedSize")
        .and_then(|m| m["value"].as_f64())
        .context("DevTools reports the JavaScript heap")?;
    let seen = browser
        .eval(
            "const s = window.__stilleStart; \
             const main = s.media.find(m => !m.loop); const bed = s.media.find(m => m.loop); \
             return { tapped: s.tapped, sound: main ? main.playing : null, bed: bed ? bed.playing : null, \
                      media: s.media.length, wasm: s.memory ? s.memory.buffer.byteLength : null, \
                      blobs: s.blobs.reduce((a, b) => a + b, 0) }",
        )
        .await?;
    let (Some(tapped), Some(sound)) = (seen["tapped"].as_f64(), seen["sound"].as_f64()) else {
        bail!("no tap or no sound seen: {seen}");
    };
    let Some(wasm) = seen["wasm"].as_f64() else { bail!("the wasm memory was not found: {seen}") };
    Ok(json!({
        "to_sound_ms": sound - tapped,
        "bed_ms": seen["bed"].as_f64().map(|at| at - tapped),
        "heap_mb": heap / 1e6,
        "wasm_mb": wasm / 1e6,
        "blobs_mb": seen["blobs"].as_f64().unwrap_or(0.0) / 1e6,
        "media": seen["media"],
    }))
}
