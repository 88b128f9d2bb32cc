//! Measures the lab's bell and voice tests in WebKit for `cargo xtask
//! bench`, as recorded outside the browser (WebKit plays into a sound server
//! of the run's own): soundtrack and live, each with the page hidden (its
//! window minimized) and its main thread blocked 5 s around the second
//! onset, one after another; then the soundtrack bells once more with the
//! page's own tap on its output, to show what that route does in WebKit.
//! Prints one JSON object.
//!
//! Needs STILLE_SITE_DIR, STILLE_WEBKIT_DRIVER, STILLE_DISPLAY and
//! PulseAudio (STILLE_PULSEAUDIO, STILLE_PAREC), as the end-to-end tests do.

use anyhow::Result;
use serde_json::json;
use stille_e2e::Stille;
use stille_e2e::lab::recorded_webkit_run;

#[tokio::main]
async fn main() -> Result<()> {
    let stille = Stille::start().await?;
    let mut runs = Vec::new();
    for (test, mode, tap) in [
        ("bells", "soundtrack", false),
        ("bells", "live", false),
        ("voice", "soundtrack", false),
        ("voice", "live", false),
        ("bells", "soundtrack", true),
    ] {
        eprintln!("webkit-onsets: {test} in {mode} mode{}", if tap { ", tapped by the page" } else { "" });
        let recorded = recorded_webkit_run(&stille, test, mode, tap).await?;
        runs.push(json!({
            "test": test,
            "mode": mode,
            "mode_used": recorded.run.mode_used,
            "tap": tap,
            "recorded_errors_ms": recorded.errors_ms,
            "onsets": recorded.onsets_s.len(),
            "page_errors_ms": recorded.run.errors_ms,
            "seen_late_ms": recorded.run.seen_late_ms,
            "hidden_s": recorded.run.hidden_s,
            "block": recorded.run.block,
        }));
    }
    stille.stop().await?;
    println!("{}", json!({ "runs": runs }));
    Ok(())
}
