//! The home screen's "what to practise now", the library's search and
//! filters, and logging an informal practice without playing anything.

use anyhow::Result;
use fantoccini::Locator;
use stille_e2e::{Browser, Engine, Locale, Stille};

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn home_offers_practice_now_and_the_library_narrows_as_you_type() -> Result<()> {
    let stille = Stille::start().await?;
    let browser = Browser::phone(Locale::English).await?;
    browser.goto(&stille.url("/")).await?;
    browser.wait_for_text(".now h2", "What would you like to practise now?").await?;
    browser.wait_for_text(".now h3", "Short, for right now").await?;
    let short = browser.texts(".now-cards .now-title").await?;
    assert_eq!(short.len(), 2, "two short suggestions: {short:?}");
    let first = browser.client.find(Locator::Css(".now-link")).await?.attr("href").await?.unwrap_or_default();
    assert!(first.starts_with("/play/") && first.contains("?m="), "one tap to the player: {first}");
    browser.screenshot("home-now").await?;

    browser.goto(&stille.url("/practices")).await?;
    browser.wait_for_text("h1", "Practices").await?;
    let all = browser.texts("li.practice h3").await?.len();
    browser.client.find(Locator::Css("#library-words")).await?.send_keys("box").await?;
    browser.wait_for_text(".library-count", &format!("Showing 1 of {all}")).await?;
    assert_eq!(browser.texts("li.practice h3").await?, ["Box Breathing"]);
    // Backspaces (WebDriver's U+E003), so the page sees the input events a person makes.
    browser.client.find(Locator::Css("#library-words")).await?.send_keys("\u{E003}\u{E003}\u{E003}").await?;
    browser.wait_for_text(".library-count", &format!("Showing {all} of {all}")).await?;
    browser.client.find(Locator::Css("#library-kind option[value='informal']")).await?.click().await?;
    let informal = browser.texts("li.practice h3").await?;
    assert!(!informal.is_empty() && informal.len() < all, "{informal:?}");
    browser.client.find(Locator::Css("#library-words")).await?.send_keys("zzzz").await?;
    browser.wait_for_text(".library-count", "No practices match. Try other words or fewer choices.").await?;
    browser.screenshot("library-filtered").await?;
    browser.close().await?;
    stille.stop().await
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn an_informal_practice_is_logged_with_a_note_and_offered_again() -> Result<()> {
    let stille = Stille::start().await?;
    let browser = Browser::phone(Locale::English).await?;
    browser.goto(&stille.url("/practices/informal-pleasant-events")).await?;
    // The page arrives with its wasm chunk, a moment after the app starts.
    let log = browser.client.wait().for_element(Locator::Css(".log-informal")).await?;
    let title = browser.text("h1").await?;
    log.click().await?;
    browser.wait_for_text(".informal p[role=status]", "Added to your practice.").await?;
    browser.wait_for_text(".after h2", "Take a moment").await?;
    browser.client.find(Locator::Css("#after-note")).await?.send_keys("Sun on the bike ride home.").await?;
    browser.client.find(Locator::Css(".after-save")).await?.click().await?;
    browser.wait_for_text("h1", "Your practice").await?;
    browser.wait_for_text("li.entry h2", &title).await?;
    assert_eq!(browser.text("li.entry .entry-note").await?, "Sun on the bike ride home.");
    browser.goto(&stille.url("/")).await?;
    browser.wait_for_text(".now h3", "Again").await?;
    let again = browser.client.find(Locator::Css(".now-link")).await?;
    assert_eq!(again.attr("href").await?.as_deref(), Some("/practices/informal-pleasant-events"));
    browser.close().await?;
    stille.stop().await
}

#[tokio::test]
#[ignore = "needs the built app, Chromium, WebKitGTK and Firefox: run `cargo xtask test`"]
async fn the_language_chosen_survives_a_reload_in_every_engine() -> Result<()> {
    let stille = Stille::start().await?;
    for engine in [Engine::Chromium, Engine::WebKit, Engine::Firefox] {
        let browser = Browser::open(engine, Locale::English).await?;
        browser.goto(&stille.url("/")).await?;
        browser.wait_for_text(".now h2", "What would you like to practise now?").await?;
        stille_e2e::flows::open_menu(&browser).await?;
        browser.click(".lang-switch button[lang='da']").await?;
        browser.wait_for_text(".now h2", "Hvad vil du øve nu?").await?;
        browser.goto(&stille.url("/practices")).await?;
        browser.wait_for_text("h1", "Øvelser").await?;
        browser.wait_until("<html lang> follows", "return document.documentElement.lang === 'da'").await?;
        // And back: English is a choice too, not only the browser's.
        stille_e2e::flows::open_menu(&browser).await?;
        browser.click(".lang-switch button[lang='en']").await?;
        browser.wait_for_text("h1", "Practices").await?;
        browser.goto(&stille.url("/practices")).await?;
        browser.wait_for_text("h1", "Practices").await?;
        browser.close().await?;
    }
    stille.stop().await
}
