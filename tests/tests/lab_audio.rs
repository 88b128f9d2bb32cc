//! The audio check page: Rust synthesis → FLAC made in wasm → a media element
//! in Chromium whose clock advances, with the browser's API support listed.

use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use fantoccini::Locator;
use stille_e2e::{Browser, Locale, Stille};

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn the_lab_prepares_and_plays_a_soundtrack_on_the_media_clock() -> Result<()> {
    let stille = Stille::start().await?;
    let browser = Browser::phone(Locale::English).await?;
    browser.goto(&stille.url("/lab/audio")).await?;
    browser.wait_for_text("h1", "Audio check").await?;

    let flac = browser.text("table.lab-support tr:first-child td").await?;
    assert!(flac == "probably" || flac == "maybe", "Chromium plays FLAC: {flac:?}");
    assert_eq!(browser.texts("table.lab-bells tbody tr").await?.len(), 9, "a bell every 20 s for 3 min");

    browser.client.find(Locator::XPath("//button[text()='Prepare the test']")).await?.click().await?;
    let status = browser.text(".lab-status").await?;
    assert!(status.starts_with("Ready: soundtrack of"), "{status}");

    browser.client.find(Locator::XPath("//button[text()='Play']")).await?.click().await?;
    // The elapsed time comes from the media element's clock: it only moves if
    // the browser decodes and plays the FLAC.
    let started = Instant::now();
    loop {
        let elapsed = browser.text(".lab-elapsed").await?;
        let seconds: f64 = elapsed.trim_end_matches(" s").parse().unwrap_or(0.0);
        if seconds >= 1.5 {
            break;
        }
        if started.elapsed() > Duration::from_secs(20) {
            bail!(
                "the media clock did not advance: {elapsed}; status: {}",
                browser.text(".lab-status").await?
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let first = browser.text("table.lab-bells tbody tr:first-child td:nth-child(2)").await?;
    assert!(first.starts_with("0.0"), "the opening bell was seen at the start: {first}");
    browser.screenshot("lab-audio").await?;

    browser.client.find(Locator::XPath("//button[text()='Pause']")).await?.click().await?;
    browser.close().await?;
    stille.stop().await
}
