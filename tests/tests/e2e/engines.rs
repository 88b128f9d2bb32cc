//! The participant's core flow in every engine a phone runs: WebKit (every
//! iPhone browser), Chromium and Firefox (Android). First visit → library →
//! a breathing practice → the pacer names a breath → Stop → check-in →
//! history; a reload mid-practice resumes where it stood; after the first
//! visit the app opens, plays and (Chromium, Firefox) takes a questionnaire
//! with the network off; and an account made
//! on the README's own address (plain http on 127.0.0.1) stays signed in
//! across a reload.
//!
//! "Network off": Chromium through DevTools and Firefox through its own
//! offline switch (both also stop the server, so nothing can come from it);
//! WebKitGTK's driver has no network switch, so there the server is stopped,
//! which is what a phone without a connection sees: every request fails.

use std::time::Duration;

use anyhow::{Context, Result, ensure};
use fantoccini::Locator;
use stille_e2e::{Browser, Engine, Locale, Stille, flows};
use stille_practice::{Lang, catalog};

/// The words of the app's screens the flow looks for, per language.
struct Words {
    locale: Locale,
    lang: Lang,
    home: &'static str,
    practices: &'static str,
    begin: &'static str,
    /// The player's line when no voice speaks.
    no_voice: &'static str,
    pause: &'static str,
    resume_at: &'static str,
    close: &'static str,
    history: &'static str,
    check_in: &'static str,
    account: &'static str,
    signed_in: &'static str,
    /// WHO-5 answered "more than half of the time" throughout.
    who5_score: &'static str,
}

const DANISH: Words = Words {
    locale: Locale::Danish,
    lang: Lang::Da,
    home: "Velkommen til Stille",
    practices: "Øvelser",
    begin: "Begynd",
    no_voice: "Ingen stemme: teksten står på skærmen",
    pause: "Pause",
    resume_at: "Fortsæt ved",
    close: "Giv dig et øjeblik",
    history: "Din praksis",
    check_in: "Tjek-ind (efter): uro 2/10",
    account: "Din konto",
    signed_in: "Logget ind som",
    who5_score: "60 på en skala fra 0 til 100",
};

const ENGLISH: Words = Words {
    locale: Locale::English,
    lang: Lang::En,
    home: "Welcome to Stille",
    practices: "Practices",
    begin: "Begin",
    no_voice: "No voice: the words are on screen",
    pause: "Pause",
    resume_at: "Resume at",
    close: "Take a moment",
    history: "Your practice",
    check_in: "Check-in (after): distress 2/10",
    account: "Your account",
    signed_in: "Signed in as",
    who5_score: "60 on a scale from 0 to 100",
};

const CONTROLLED: &str = "return Boolean(navigator.serviceWorker && navigator.serviceWorker.controller)";
const PACER_NAMES_A_BREATH: &str =
    "const w = document.querySelector('.pacer-word'); return !!w && w.textContent.length > 0;";

#[tokio::test]
#[ignore = "needs the built app and WebKitGTK: run `cargo xtask test`"]
async fn the_core_flow_in_webkit() -> Result<()> {
    core_flow(Engine::WebKit, &DANISH).await
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn the_core_flow_in_chromium() -> Result<()> {
    core_flow(Engine::Chromium, &DANISH).await
}

#[tokio::test]
#[ignore = "needs the built app and Firefox: run `cargo xtask test`"]
async fn the_core_flow_in_firefox() -> Result<()> {
    core_flow(Engine::Firefox, &ENGLISH).await
}

async fn core_flow(engine: Engine, words: &Words) -> Result<()> {
    let name = engine.name();
    let stille = Stille::start().await?;
    let browser = Browser::open(engine, words.locale).await?;
    let title = catalog().get("breathing-box").context("box breathing")?.title.get(words.lang);

    // First visit: home in the browser's language, then the library.
    browser.goto(&stille.url("/")).await?;
    browser.wait_for_text("h1", words.home).await.with_context(|| format!("{name}: home"))?;
    browser.screenshot(&format!("engine-{name}-home")).await?;
    open_box_breathing(&browser, words, title).await.with_context(|| format!("{name}: the player"))?;
    browser.click(".play").await?;
    browser.wait_for_text(".play", words.pause).await?;
    // The pacer starts after the opening guidance (about 35 s in), on the player's clock.
    browser
        .wait_until_within(
            &format!("{name}: the pacer names a breath"),
            PACER_NAMES_A_BREATH,
            Duration::from_secs(90),
        )
        .await?;
    browser.screenshot(&format!("engine-{name}-pacer")).await?;

    // A reload mid-practice offers to resume where it stood.
    let left_before = seconds_left(&browser).await?;
    browser.client.refresh().await?;
    browser
        .wait_for_text_like(".play", words.resume_at)
        .await
        .with_context(|| format!("{name}: resume after reload"))?;
    browser.click(".play").await?;
    browser.wait_for_text(".play", words.pause).await?;
    browser
        .wait_until_within(&format!("{name}: the pacer again"), PACER_NAMES_A_BREATH, Duration::from_secs(30))
        .await?;
    let left_after = seconds_left(&browser).await?;
    assert!(
        left_after <= left_before + 1,
        "{name}: resumed with {left_after} s left, not from the start ({left_before} s left before the reload)"
    );

    // Stop → the close → a check-in → history.
    browser.screenshot(&format!("engine-{name}-resumed")).await?;
    browser.click(".stop").await?;
    browser.wait_for_text(".after h2", words.close).await?;
    browser.click(".after .scale-option input[value='2']").await?;
    browser.click(".after-save").await?;
    browser.wait_for_text("h1", words.history).await?;
    browser.wait_for_text(".entries .entry h2", title).await?;
    assert_eq!(browser.texts(".entries .entry h2").await?, [title], "{name}: logged once, resumed or not");
    assert_eq!(browser.text(".entries .entry .entry-check-in").await?, words.check_in, "{name}");
    browser.screenshot(&format!("engine-{name}-history")).await?;

    // An account made here, on plain http at 127.0.0.1, survives a reload.
    flows::sign_up_in(&browser, &stille.url(""), words.account, "Ida", &format!("ida-{name}@example.dk"))
        .await?;
    browser.client.refresh().await?;
    browser
        .wait_for_text_like(".account-who", words.signed_in)
        .await
        .with_context(|| format!("{name}: still signed in after a reload"))?;

    // The network goes: the service worker has the whole app.
    browser.goto(&stille.url("/")).await?;
    browser.wait_for_text("h1", words.home).await?;
    browser.wait_until(&format!("{name}: the service worker controls the page"), CONTROLLED).await?;
    if engine != Engine::WebKit {
        browser.set_offline(true).await?;
    }
    let questionnaire = stille.url("/measures/who-5");
    stille.stop().await?;
    browser.client.refresh().await?;
    browser.wait_for_text("h1", words.home).await.with_context(|| format!("{name}: home offline"))?;
    open_box_breathing(&browser, words, title)
        .await
        .with_context(|| format!("{name}: the player offline"))?;
    browser.click(".play").await?;
    browser.wait_for_text(".play", words.pause).await?;
    browser.screenshot(&format!("engine-{name}-offline-player")).await?;

    // A questionnaire, still offline: answered, scored, kept.
    browser.goto(&questionnaire).await?;
    browser.wait_for_text("h1", catalog().instrument("who-5").context("WHO-5")?.name.get(words.lang)).await?;
    for item in 1..=5 {
        browser
            .click(&format!(
                "fieldset.measure-item:nth-of-type({item}) label.measure-option:nth-of-type(3) input"
            ))
            .await?;
    }
    browser.click(".measure-form button[type='submit']").await?;
    browser
        .wait_for_text(".measure-score", words.who5_score)
        .await
        .with_context(|| format!("{name}: a questionnaire offline"))?;
    browser.screenshot(&format!("engine-{name}-questionnaire")).await?;
    browser.close().await?;
    Ok(())
}

/// The time left on the player's clock, in seconds.
async fn seconds_left(browser: &Browser) -> Result<u32> {
    let shown = browser.text(".remaining").await?;
    let (m, s) = shown.trim().split_once(':').with_context(|| format!("the clock shows {shown:?}"))?;
    Ok(m.parse::<u32>()? * 60 + s.parse::<u32>()?)
}

/// Library → Box Breathing → 3 minutes → Start: the player, ready to begin.
async fn open_box_breathing(browser: &Browser, words: &Words, title: &str) -> Result<()> {
    flows::open_menu(browser).await?;
    browser.click("#site-menu a[href='/practices']").await?;
    browser.wait_for_text("h1", words.practices).await?;
    let found = browser.client.wait().for_element(Locator::LinkText(title)).await?;
    browser.click_element(&found).await?;
    browser.wait_for_text("h1", title).await?;
    // Box breathing holds the breath: who should take care is said before Begin.
    let caution = catalog().get("breathing-box").and_then(|p| p.caution.as_ref()).context("a caution")?;
    browser.wait_for_text(".caution p", caution.get(words.lang)).await?;
    // An <option> is chosen, not clicked (the driver fires the select's events).
    browser.client.find(Locator::Css("#length option[value='3']")).await?.click().await?;
    browser.wait_until("3 minutes chosen", "return document.querySelector('#length').value === '3'").await?;
    // Whose voice speaks is chosen for this playing: the words alone here.
    browser.click("input[name='voice'][value='words']").await?;
    browser.click("button.start").await?;
    // The practice's script arrives with the details (from the cache, offline).
    if let Err(error) = browser.wait_for_text(".play", words.begin).await {
        browser.screenshot(&format!("engine-{}-no-player", browser.engine.name())).await?;
        return Err(error.context(format!("at {}", browser.path().await?)));
    }
    browser.wait_for_text(".player-voice", words.no_voice).await?;
    let address = browser.eval("return location.search").await?;
    ensure!(
        address.as_str().is_some_and(|a| a.contains("voice=words")),
        "the voice in the address: {address}"
    );
    Ok(())
}
