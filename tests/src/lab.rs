//! Driving the audio check page (`/lab/audio`): the bell test in a chosen
//! mode, with the page hidden and its main thread blocked around the second
//! bell, measuring what comes out: in Chromium by the page's own tap on its
//! output, in WebKit by recording the sound server it plays into. Shared by
//! the tests and by `cargo xtask bench` (through the `lab-onsets` binary).

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::Locator;

use crate::sound::{SoundServer, onsets};
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
    show(&browser, stille).await?;
    Ok(browser)
}

/// Shows the lab in `browser` (in English).
pub async fn show(browser: &Browser, stille: &Stille) -> Result<()> {
    browser.goto(&stille.url("/lab/audio")).await?;
    browser.wait_for_text("h1", "Audio check").await?;
    Ok(())
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
/// the page is hidden (`Browser::hide_page`) from just after the start to after the
/// last bell, and the page blocks its own main thread for 5 s around the
/// second bell (the lab's busy-page option).
pub async fn bell_run(stille: &Stille, mode: &str, hidden: bool) -> Result<Run> {
    let browser = open(stille).await?;
    test_run(browser, "bells", mode, hidden, true).await
}

/// The plan of `test` ("bells" or "voice"): when each onset is due (s).
pub fn planned_s(test: &str) -> Vec<f64> {
    match test {
        "voice" => (0..VOICE_ONSETS).map(|n| 2.0 + 10.0 * n as f64).collect(),
        _ => (0..BELLS).map(|n| 2.0 + 20.0 * n as f64).collect(),
    }
}

/// A run in WebKit as recorded outside the browser.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// The run as the page saw it (`errors_ms` from its own tap, if asked for).
    pub run: Run,
    /// Onsets in the recording (s from its start).
    pub onsets_s: Vec<f64>,
    /// Each recorded onset against the plan, relative to the first (ms); NaN
    /// throughout when the recording has a different number of onsets.
    pub errors_ms: Vec<f64>,
}

/// As [`bell_run`] or [`voice_run`] (`test` "bells" or "voice") in WebKit,
/// measured outside the browser: WebKit plays into a sound server of the
/// run's own, which is recorded. With `tap` the page also measures its own
/// output (which in WebKit routes the sound through Web Audio, and that
/// route shifts what it measures).
pub async fn recorded_webkit_run(stille: &Stille, test: &str, mode: &str, tap: bool) -> Result<Recorded> {
    let server = SoundServer::start()?;
    let browser = Browser::webkit_playing_into(&server, Locale::English).await?;
    show(&browser, stille).await?;
    let recording = server.record()?;
    let run = test_run(browser, test, mode, true, tap).await?;
    // Bells ring out for seconds and clips come 10 s after chimes: 4 s
    // below 1 % of full scale is the quiet before an onset.
    let onsets_s = onsets(&recording.stop()?, 0.01, 4.0);
    let planned = planned_s(test);
    let errors_ms = if onsets_s.len() == planned.len() {
        onsets_s
            .iter()
            .zip(&planned)
            .map(|(at, due)| ((at - onsets_s[0]) - (due - planned[0])) * 1000.0)
            .collect()
    } else {
        vec![f64::NAN; planned.len()]
    };
    Ok(Recorded { run, onsets_s, errors_ms })
}

/// As [`bell_run`], for the voice test: its chimes and its recorded clips.
pub async fn voice_run(stille: &Stille, mode: &str, hidden: bool) -> Result<Run> {
    let browser = open(stille).await?;
    test_run(browser, "voice", mode, hidden, true).await
}

async fn test_run(browser: Browser, test: &str, mode: &str, hidden: bool, tap: bool) -> Result<Run> {
    let (onsets, last_s) = if test == "voice" { (VOICE_ONSETS, LAST_VOICE_S) } else { (BELLS, LAST_BELL_S) };
    choose(&browser, test, mode).await?;
    if tap {
        check(&browser, ".lab-measure input").await?;
    }
    check(&browser, ".lab-busy input").await?;
    click_button(&browser, "Prepare the test").await?;
    click_button(&browser, "Play").await?;
    wait_for_clock(&browser, 0.5).await?;

    let started = Instant::now();
    if hidden {
        let page = browser.hide_page().await?;
        let until = Duration::from_secs_f64(last_s + 4.0);
        tokio::time::sleep(until.saturating_sub(started.elapsed())).await;
        browser.show_page(page).await?;
    }
    wait_for_clock(&browser, last_s + 4.0).await?;
    // Onset reports travel to the page as messages: give the last a moment.
    let deadline = Instant::now() + Duration::from_secs(if tap { 10 } else { 0 });
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
    let hidden_name = if hidden { "-hidden" } else { "" };
    browser.screenshot(&format!("lab-{test}-{mode}{hidden_name}-{}", browser.engine.name())).await?;
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
