//! Driving the audio check page (`/lab/audio`): the bell test in a chosen
//! mode, with the page hidden behind another tab and its main thread blocked
//! around the second bell, measuring what comes out. Shared by the tests and
//! by `cargo xtask bench` (through the `lab-onsets` binary).

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::Locator;

use crate::{Browser, Locale, Stille};

/// The bell test: a chime at 2 s and every 20 s after, ten in all.
pub const BELLS: usize = 10;
const LAST_BELL_S: f64 = 182.0;
/// The voice test: chimes at 2, 22 and 42 s, clips at 12, 32 and 52 s.
pub const VOICE_ONSETS: usize = 6;
const LAST_VOICE_S: f64 = 53.2;

/// Opens the lab in a phone-sized Chromium.
pub async fn open(stille: &Stille) -> Result<Browser> {
    let browser = Browser::phone(Locale::English).await?;
    browser.goto(&stille.url("/lab/audio")).await?;
    browser.wait_for_text("h1", "Audio check").await?;
    Ok(browser)
}

pub async fn click_button(browser: &Browser, label: &str) -> Result<()> {
    let xpath = format!("//button[normalize-space(text())='{label}']");
    browser
        .client
        .find(Locator::XPath(&xpath))
        .await
        .with_context(|| format!("no button {label:?}"))?
        .click()
        .await?;
    Ok(())
}

/// Chooses a test ("bells", "timer", "guided") and a mode ("auto",
/// "soundtrack", "live", "naive").
pub async fn choose(browser: &Browser, test: &str, mode: &str) -> Result<()> {
    browser.client.find(Locator::Css(&format!(".lab-test input[value={test}]"))).await?.click().await?;
    browser.client.find(Locator::Css(&format!(".lab-mode input[value={mode}]"))).await?.click().await?;
    Ok(())
}

pub async fn check(browser: &Browser, css: &str) -> Result<()> {
    browser.client.find(Locator::Css(css)).await?.click().await?;
    Ok(())
}

/// The page's elapsed time (from the player's clock), in seconds.
pub async fn clock(browser: &Browser) -> Result<f64> {
    let elapsed = browser.text(".lab-elapsed").await?;
    elapsed.trim_end_matches(" s").parse().with_context(|| format!("elapsed shows {elapsed:?}"))
}

/// Waits until the page's clock shows at least `seconds`.
pub async fn wait_for_clock(browser: &Browser, seconds: f64) -> Result<()> {
    let started = Instant::now();
    loop {
        if clock(browser).await? >= seconds {
            return Ok(());
        }
        if started.elapsed() > Duration::from_secs_f64(seconds + 30.0) {
            bail!(
                "the clock stopped at {} s; status: {}",
                clock(browser).await?,
                browser.text(".lab-status").await.unwrap_or_default()
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// One bell test, as measured.
#[derive(Clone, Debug)]
pub struct Run {
    /// What was asked for and what played.
    pub choice: String,
    pub mode_used: String,
    /// Each bell's output onset against the plan (ms; relative to the first
    /// bell's onset), from the AudioWorklet tap.
    pub errors_ms: Vec<f64>,
    /// How late the page itself noticed each bell on its clock (ms).
    pub seen_late_ms: Vec<f64>,
    pub hidden_s: f64,
    /// The page's account of the busy-page block.
    pub block: String,
}

fn parse_ms(cell: &str) -> Option<f64> {
    cell.trim_end_matches(" ms").parse().ok()
}

/// How late the page saw a bell, from a "seen by the page" cell ("22.04 s (+40 ms)").
pub fn parse_seen(cell: &str) -> Option<f64> {
    cell.split("(+").nth(1)?.trim_end_matches(" ms)").parse().ok()
}

/// Plays the bell test in `mode` while measuring the output; with `hidden`
/// the page sits behind another tab from just after the start to after the
/// last bell, and the page blocks its own main thread for 5 s around the
/// second bell (the lab's busy-page option).
pub async fn bell_run(stille: &Stille, mode: &str, hidden: bool) -> Result<Run> {
    test_run(stille, "bells", mode, hidden).await
}

/// As [`bell_run`], for the voice test: its chimes and its recorded clips.
pub async fn voice_run(stille: &Stille, mode: &str, hidden: bool) -> Result<Run> {
    test_run(stille, "voice", mode, hidden).await
}

async fn test_run(stille: &Stille, test: &str, mode: &str, hidden: bool) -> Result<Run> {
    let (onsets, last_s) = if test == "voice" { (VOICE_ONSETS, LAST_VOICE_S) } else { (BELLS, LAST_BELL_S) };
    let browser = open(stille).await?;
    choose(&browser, test, mode).await?;
    check(&browser, ".lab-measure input").await?;
    check(&browser, ".lab-busy input").await?;
    click_button(&browser, "Prepare the test").await?;
    click_button(&browser, "Play").await?;
    wait_for_clock(&browser, 0.5).await?;

    let started = Instant::now();
    if hidden {
        let page = browser.client.window().await?;
        let other = browser.client.new_window(true).await?;
        browser.client.switch_to_window(other.handle).await?;
        let until = Duration::from_secs_f64(last_s + 4.0);
        tokio::time::sleep(until.saturating_sub(started.elapsed())).await;
        browser.client.close_window().await?;
        browser.client.switch_to_window(page).await?;
    }
    wait_for_clock(&browser, last_s + 4.0).await?;
    // Onset reports travel to the page as messages: give the last a moment.
    let deadline = Instant::now() + Duration::from_secs(10);
    let measured = loop {
        let cells = browser.texts("table.lab-bells tbody tr td.measured").await?;
        let done = cells.iter().filter(|c| parse_ms(c).is_some()).count() >= onsets;
        if done || Instant::now() > deadline {
            break cells;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let seen = browser.texts("table.lab-bells tbody tr td:nth-child(2)").await?;
    let run = Run {
        choice: mode.to_owned(),
        mode_used: browser.text(".lab-mode-used").await?,
        errors_ms: measured.iter().map(|c| parse_ms(c).unwrap_or(f64::NAN)).collect(),
        seen_late_ms: seen.iter().map(|c| parse_seen(c).unwrap_or(f64::NAN)).collect(),
        hidden_s: browser.text(".lab-hidden").await?.trim_end_matches(" s").parse().unwrap_or(0.0),
        block: browser.text(".lab-block").await?,
    };
    browser.screenshot(&format!("lab-{test}-{mode}{}", if hidden { "-hidden" } else { "" })).await?;
    click_button(&browser, "Stop").await?;
    browser.close().await?;
    Ok(run)
}

/// Preparing the 45-minute silent timer with 10 interval bells in `mode`:
/// (mode used, size in KB, time in ms) as the page reports them.
pub async fn prepare_timer(stille: &Stille, mode: &str) -> Result<(String, f64, f64)> {
    prepare_test(stille, "timer", mode).await
}

/// Preparing `test` ("timer", "scan-voice": the 45-minute body scan with a
/// recorded voice) in `mode`: (mode used, size in KB, time in ms).
pub async fn prepare_test(stille: &Stille, test: &str, mode: &str) -> Result<(String, f64, f64)> {
    let browser = open(stille).await?;
    choose(&browser, test, mode).await?;
    // The first preparation also warms the wasm code paths; report the second.
    click_button(&browser, "Prepare the test").await?;
    click_button(&browser, "Prepare the test").await?;
    let status = browser.text(".lab-status").await?;
    browser.close().await?;
    // "Ready: Soundtrack (…): 1234 KB, 567 ms"
    let figures = status.rsplit(": ").next().unwrap_or_default();
    let mut parts = figures.split(", ");
    let kb = parts.next().and_then(|p| p.trim_end_matches(" KB").parse().ok());
    let ms = parts.next().and_then(|p| p.trim_end_matches(" ms").parse().ok());
    match (kb, ms) {
        (Some(kb), Some(ms)) => Ok((mode.to_owned(), kb, ms)),
        _ => bail!("cannot read the preparation from {status:?}"),
    }
}

/// Median and largest absolute value.
pub fn median_max(values: &[f64]) -> (f64, f64) {
    let mut abs: Vec<f64> = values.iter().map(|v| v.abs()).collect();
    abs.sort_by(f64::total_cmp);
    let median = match abs.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => abs[n / 2],
        n => (abs[n / 2 - 1] + abs[n / 2]) / 2.0,
    };
    (median, abs.last().copied().unwrap_or(f64::NAN))
}
