//! "Need help now?" from every screen, and the participant's own data:
//! downloaded as JSON, then erased from the device.

use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use fantoccini::Locator;
use stille_e2e::{Browser, Locale, Stille};

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn help_is_one_tap_away_on_every_screen() -> Result<()> {
    let stille = Stille::start().await?;
    let browser = Browser::phone(Locale::English).await?;
    for (path, heading) in [
        ("/", "Welcome to Stille"),
        ("/practices", "Practices"),
        ("/practices/breathing-box", "Box Breathing"),
        ("/play/breathing-box", "Box Breathing"),
        ("/history", "Your practice"),
        ("/settings", "Settings"),
        ("/lab/audio", "Audio check"),
    ] {
        browser.goto(&stille.url(path)).await?;
        browser.wait_for_text("h1", heading).await?;
        let link = browser.client.find(Locator::Css("header a.help-link")).await?;
        assert_eq!(link.text().await?, "Need help now?", "on {path}");
    }
    browser.client.find(Locator::Css("header a.help-link")).await?.click().await?;
    browser.wait_for_text("h1", "Need help now?").await?;
    let calls: Vec<Option<String>> = {
        let mut hrefs = Vec::new();
        for link in browser.client.find_all(Locator::Css("a.help-call")).await? {
            hrefs.push(link.attr("href").await?);
        }
        hrefs
    };
    assert_eq!(calls, [Some("tel:112".to_owned()), Some("tel:+4570201201".to_owned())]);
    browser.screenshot("help").await?;
    browser.close().await?;
    stille.stop().await
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn own_data_is_exported_as_json_and_then_erased() -> Result<()> {
    let stille = Stille::start().await?;
    let browser = Browser::phone(Locale::English).await?;
    // Practise briefly so there is something to export.
    browser.goto(&stille.url("/play/breathing-box?m=3")).await?;
    browser.wait_for_text("h1", "Box Breathing").await?;
    browser.client.find(Locator::Css(".play")).await?.click().await?;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    browser.client.find(Locator::Css(".stop")).await?.click().await?;
    browser.wait_for_text("h1", "Box Breathing").await?;

    browser.goto(&stille.url("/settings")).await?;
    browser.wait_for_text("h1", "Settings").await?;
    // Keep the Blob the page offers for download (reading it back through its
    // URL would be a fetch, which the CSP rightly allows only to this origin).
    browser
        .client
        .execute(
            "const create = URL.createObjectURL;
             URL.createObjectURL = (blob) => { window.lastExport = blob; return create(blob); };",
            vec![],
        )
        .await?;
    browser.client.find(Locator::Css("button.export")).await?.click().await?;
    let started = Instant::now();
    let json = loop {
        let read = browser
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 if (!document.querySelector('a.export-link') || !window.lastExport) { done(''); return; }
                 window.lastExport.text().then(done, e => done('failed: ' + e));",
                vec![],
            )
            .await?;
        let text = read.as_str().unwrap_or_default().to_owned();
        if !text.is_empty() {
            break text;
        }
        if started.elapsed() > Duration::from_secs(10) {
            bail!("no export appeared");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let export: serde_json::Value = serde_json::from_str(&json)?;
    assert_eq!(export["format"], "stille-export-v1");
    assert_eq!(export["log"].as_array().map(Vec::len), Some(1), "{export}");
    assert_eq!(export["log"][0]["practice"], "breathing-box");
    assert_eq!(export["log"][0]["ending"], "stopped");
    browser.screenshot("settings-data").await?;

    browser.client.find(Locator::Css("button.erase")).await?.click().await?;
    assert_eq!(
        browser.text("button.erase").await?,
        "Press again: everything is erased and cannot be brought back"
    );
    browser.client.find(Locator::Css("button.erase")).await?.click().await?;
    browser.wait_for_text(".data-message", "Your data has been erased from this device.").await?;
    browser.goto(&stille.url("/history")).await?;
    browser
        .wait_for_text(
            ".history-empty",
            "Your practices will appear here once you have practised. Everything stays on this device.",
        )
        .await?;
    browser.close().await?;
    stille.stop().await
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn the_theme_setting_switches_colours_and_is_kept() -> Result<()> {
    let stille = Stille::start().await?;
    let browser = Browser::phone(Locale::English).await?;
    browser.goto(&stille.url("/settings")).await?;
    browser.wait_for_text("h1", "Settings").await?;
    let background = || async {
        let value =
            browser.client.execute("return getComputedStyle(document.body).backgroundColor", vec![]).await?;
        anyhow::Ok(value.as_str().unwrap_or_default().to_owned())
    };
    // Headless Chromium prefers light.
    assert_eq!(background().await?, "rgb(244, 239, 230)");
    browser.client.find(Locator::Css(".settings-theme input[value=dark]")).await?.click().await?;
    let html = browser.client.find(Locator::Css("html")).await?;
    assert_eq!(html.attr("data-theme").await?.as_deref(), Some("dark"));
    assert_eq!(background().await?, "rgb(22, 29, 26)");
    browser.screenshot("settings-dark").await?;
    browser.client.refresh().await?;
    browser.wait_for_text("h1", "Settings").await?;
    assert_eq!(background().await?, "rgb(22, 29, 26)", "the choice survives a reload");
    browser.client.find(Locator::Css(".settings-theme input[value=system]")).await?.click().await?;
    assert_eq!(browser.client.find(Locator::Css("html")).await?.attr("data-theme").await?, None);
    assert_eq!(background().await?, "rgb(244, 239, 230)");
    browser.close().await?;
    stille.stop().await
}
