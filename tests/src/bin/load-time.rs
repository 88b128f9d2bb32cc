//! Measures how soon the app answers a tap for `cargo xtask bench`: a first
//! visit (fresh profile: empty cache, no service worker) and a repeat visit
//! (served by the service worker), each in Chromium with 4× CPU throttling and
//! an emulated network, three runs per network profile. Prints one JSON object.
//!
//! "Interactive" is the `stille:interactive` performance mark, which the app
//! sets right after mounting: from then on every control on the page has its
//! handler. "LCP" is the browser's largest contentful paint. Times are from
//! navigation start, as the browser measures them.
//!
//! Needs STILLE_SITE_DIR, STILLE_CHROMIUM and STILLE_CHROMEDRIVER, as the
//! end-to-end tests do.

use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use serde_json::{Value, json};
use stille_e2e::{Browser, Locale, Stille};

/// Chrome DevTools' presets (latency in ms, throughput in bytes/s).
const PROFILES: [(&str, f64, f64, f64); 2] = [
    // "Slow 3G": 400 ms × 5 RTT, 500 kbit/s × 0.8 each way.
    ("slow-3g", 2000.0, 50_000.0, 50_000.0),
    // Lighthouse's mobile profile ("slow 4G"): 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up.
    ("slow-4g", 150.0, 204_800.0, 96_000.0),
];
const RUNS: usize = 3;

/// What one page load measured.
async fn measure(browser: &Browser) -> Result<Value> {
    let started = Instant::now();
    loop {
        let mark = browser
            .eval(
                "const m = performance.getEntriesByName('stille:interactive')[0]; \
                 return m ? m.startTime : null;",
            )
            .await?;
        if let Some(ms) = mark.as_f64() {
            let transfer = browser
                .eval(
                    "const all = [...performance.getEntriesByType('navigation'), \
                                  ...performance.getEntriesByType('resource')]; \
                     return { bytes: all.reduce((n, e) => n + (e.transferSize || 0), 0), \
                              requests: all.length, \
                              from_worker: performance.getEntriesByType('navigation')[0].workerStart > 0, \
                              response_end: performance.getEntriesByType('navigation')[0].responseEnd };",
                )
                .await?;
            // The largest contentful paint so far (the first view's text,
            // which index.html carries before the wasm has arrived).
            let lcp = browser
                .eval(
                    "return new Promise((resolve) => { \
                       const seen = []; \
                       new PerformanceObserver((list) => seen.push(...list.getEntries())) \
                         .observe({ type: 'largest-contentful-paint', buffered: true }); \
                       setTimeout(() => { const e = seen[seen.length - 1]; \
                         resolve(e ? { ms: e.startTime, element: e.element ? e.element.tagName : null } : null); }, 200); });",
                )
                .await?;
            return Ok(json!({ "interactive_ms": ms, "lcp": lcp, "transfer": transfer }));
        }
        if started.elapsed() > Duration::from_secs(120) {
            bail!("the app did not become interactive within 2 minutes");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn throttle(browser: &Browser, latency: f64, down: f64, up: f64) -> Result<()> {
    browser.cdp("Network.enable", json!({})).await?;
    browser
        .cdp(
            "Network.emulateNetworkConditions",
            json!({ "offline": false, "latency": latency, "downloadThroughput": down, "uploadThroughput": up }),
        )
        .await?;
    browser.cdp("Emulation.setCPUThrottlingRate", json!({ "rate": 4 })).await?;
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    let stille = Stille::start().await?;
    let url = stille.url("/");
    let mut results = Vec::new();
    for (name, latency, down, up) in PROFILES {
        for run in 0..RUNS {
            eprintln!("load-time: {name}, run {}", run + 1);
            let browser = Browser::phone(Locale::English).await?;
            throttle(&browser, latency, down, up).await?;
            browser.goto(&url).await?;
            let first = measure(&browser).await?;
            // The service worker installs in the background (precaching the
            // app over the same slow network) and takes control.
            let waiting = Instant::now();
            while browser.eval("return !!navigator.serviceWorker.controller;").await? != Value::Bool(true) {
                if waiting.elapsed() > Duration::from_secs(180) {
                    bail!("the service worker did not take control within 3 minutes");
                }
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            browser.goto(&url).await?;
            let repeat = measure(&browser).await?;
            if repeat["transfer"]["from_worker"] != Value::Bool(true) {
                bail!("the repeat visit was not served by the service worker: {repeat}");
            }
            results.push(json!({ "profile": name, "first": first, "repeat": repeat }));
            browser.close().await?;
        }
    }
    stille.stop().await?;
    println!("{}", json!({ "runs": results, "cpu_slowdown": 4 }));
    Ok(())
}
