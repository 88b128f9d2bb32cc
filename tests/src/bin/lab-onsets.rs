//! Measures bell onsets on the audio check page for `cargo xtask bench`:
//! Stille's soundtrack and live modes and a naive `setTimeout` timer, each
//! in the same conditions (page hidden behind another tab, main thread
//! blocked 5 s around the second bell), one after another so they do not
//! compete for the CPU; then the time and size to prepare the 45-minute
//! timer with 10 interval bells in each mode. The same for a recorded voice
//! (its clips and chimes, hidden and blocked) and preparing the 45-minute
//! body scan with a voice. Prints one JSON object.
//!
//! Needs STILLE_SITE_DIR, STILLE_CHROMIUM and STILLE_CHROMEDRIVER, as the
//! end-to-end tests do.

use anyhow::Result;
use serde_json::json;
use stille_e2e::Stille;
use stille_e2e::lab::{bell_run, prepare_test, prepare_timer, voice_run};

#[tokio::main]
async fn main() -> Result<()> {
    let stille = Stille::start().await?;
    let mut runs = Vec::new();
    for mode in ["soundtrack", "live", "naive"] {
        eprintln!("lab-onsets: bells in {mode} mode (about 3 minutes)");
        let run = bell_run(&stille, mode, true).await?;
        runs.push(json!({
            "mode": run.choice,
            "mode_used": run.mode_used,
            "errors_ms": run.errors_ms,
            "seen_late_ms": run.seen_late_ms,
            "hidden_s": run.hidden_s,
            "block": run.block,
        }));
    }
    let mut voice = Vec::new();
    for mode in ["soundtrack", "live"] {
        eprintln!("lab-onsets: a recorded voice in {mode} mode (about 1 minute)");
        let run = voice_run(&stille, mode, true).await?;
        voice.push(json!({
            "mode": run.choice,
            "mode_used": run.mode_used,
            "errors_ms": run.errors_ms,
            "seen_late_ms": run.seen_late_ms,
            "hidden_s": run.hidden_s,
            "block": run.block,
        }));
    }
    let mut prepare = Vec::new();
    let mut prepare_voice = Vec::new();
    for mode in ["soundtrack", "live"] {
        let (mode_used, kb, ms) = prepare_timer(&stille, mode).await?;
        prepare.push(json!({ "mode": mode_used, "kb": kb, "ms": ms }));
        let (mode_used, kb, ms) = prepare_test(&stille, "scan-voice", mode).await?;
        prepare_voice.push(json!({ "mode": mode_used, "kb": kb, "ms": ms }));
    }
    stille.stop().await?;
    println!(
        "{}",
        json!({ "runs": runs, "voice": voice, "prepare": prepare, "prepare_voice": prepare_voice })
    );
    Ok(())
}
