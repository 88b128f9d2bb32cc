//! Playing a practice: library → practice page → player, with the pacer
//! following the player's clock, a reload resuming where it stood, and bad
//! options in the address reported instead of silently changed.

use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use fantoccini::Locator;
use stille_e2e::{Browser, Engine, Locale, Stille};

/// Seconds left, from the player's "m:ss".
async fn remaining_s(browser: &Browser) -> Result<u64> {
    let text = browser.text(".player-remaining .remaining").await?;
    let (m, s) = text.split_once(':').unwrap_or(("0", "0"));
    Ok(m.parse::<u64>().unwrap_or(0) * 60 + s.parse::<u64>().unwrap_or(0))
}

async fn wait_until_remaining_at_most(browser: &Browser, seconds: u64) -> Result<()> {
    let started = Instant::now();
    while remaining_s(browser).await? > seconds {
        if started.elapsed() > Duration::from_secs(30) {
            bail!("the player's clock did not move: {}", browser.text(".player").await.unwrap_or_default());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Ok(())
}

/// Waits (up to a minute) until `css` shows some text, and returns it.
async fn first_text(browser: &Browser, css: &str) -> Result<String> {
    let started = Instant::now();
    loop {
        let text = browser.text(css).await?;
        if !text.is_empty() || started.elapsed() > Duration::from_secs(60) {
            return Ok(text);
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

async fn button(browser: &Browser, css: &str) -> Result<fantoccini::elements::Element> {
    Ok(browser.client.find(Locator::Css(css)).await?)
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn a_breathing_practice_plays_with_its_pacer_and_resumes_after_a_reload() -> Result<()> {
    let stille = Stille::start().await?;
    let browser = Browser::phone(Locale::English).await?;
    browser.goto(&stille.url("/practices")).await?;
    browser.wait_for_text("h1", "Practices").await?;
    browser.client.find(Locator::LinkText("Box Breathing")).await?.click().await?;
    browser.wait_for_text("h1", "Box Breathing").await?;
    assert_eq!(browser.path().await?, "/practices/breathing-box");
    browser.client.find(Locator::Css("#length option[value='3']")).await?.click().await?;
    browser.client.find(Locator::Css("#bell option[value=chime]")).await?.click().await?;
    browser.screenshot("practice-detail").await?;
    button(&browser, "button.start").await?.click().await?;

    browser.wait_for_text("h1", "Box Breathing").await?;
    let url = browser.client.current_url().await?;
    assert_eq!(url.path(), "/play/breathing-box");
    assert!(url.query().is_some_and(|q| q.contains("m=3") && q.contains("bell=chime")), "{url}");
    assert_eq!(browser.text(".player-remaining .remaining").await?, "3:00");
    assert_eq!(browser.text(".play").await?, "Begin");
    // An optional check-in before beginning, folded away until asked for.
    button(&browser, ".before-check-in summary").await?.click().await?;
    button(&browser, ".before-check-in .scale-option input[value='6']").await?.click().await?;
    button(&browser, ".before-check-in .ladder-option input[value='sympathetic']").await?.click().await?;
    browser.screenshot("player-before").await?;
    button(&browser, ".play").await?.click().await?;
    wait_until_remaining_at_most(&browser, 176).await?;
    assert!(button(&browser, ".before-check-in").await?.attr("hidden").await?.is_some());
    assert_eq!(browser.text(".play").await?, "Pause");
    // The opening guidance is on screen, then the breathing begins (after
    // about 35 s): the pacer names the phase the clock is in and sizes its
    // shape by it.
    let guidance = first_text(&browser, ".player-guidance").await?;
    assert!(guidance.starts_with("Sit comfortably"), "{guidance}");
    let word = first_text(&browser, ".pacer-word").await?;
    assert!(["Breathe in", "Hold", "Breathe out"].contains(&word.as_str()), "pacer shows {word:?}");
    let style = button(&browser, ".pacer-shape").await?.attr("style").await?.unwrap_or_default();
    assert!(style.starts_with("--scale: 0.") || style.starts_with("--scale: 1."), "{style}");
    browser.screenshot("player").await?;

    // Reload mid-practice: the same practice and options, offered from where it stood.
    let before = remaining_s(&browser).await?;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    browser.client.refresh().await?;
    browser.wait_for_text("h1", "Box Breathing").await?;
    let resume = browser.text(".play").await?;
    assert!(resume.starts_with("Resume at 0:"), "{resume}");
    let resumed_from = remaining_s(&browser).await?;
    assert!(resumed_from <= before && resumed_from >= before - 4, "{before} → {resumed_from}");
    button(&browser, ".play").await?.click().await?;
    wait_until_remaining_at_most(&browser, resumed_from - 2).await?;
    browser.screenshot("player-resumed").await?;

    button(&browser, ".stop").await?.click().await?;
    // A gentle close: how are you now, and a note, both optional; what was
    // said before beginning is there to compare.
    browser.wait_for_text(".after h2", "Take a moment").await?;
    assert!(browser.client.find(Locator::Css(".player-controls")).await?.attr("hidden").await?.is_some());
    assert_eq!(browser.text(".after-before").await?, "Before you began: distress 6/10 · Alert and mobilised");
    button(&browser, ".after .scale-option input[value='3']").await?.click().await?;
    button(&browser, ".after .ladder-option input[value='ventral']").await?.click().await?;
    browser.client.find(Locator::Css("#after-note")).await?.send_keys("Calmer than before.").await?;
    browser.screenshot("after-practice").await?;
    button(&browser, ".after-save").await?.click().await?;

    // The log holds exactly one entry for the playing, across the reload,
    // marked as stopped early with the minute practised, with its check-in and note.
    browser.wait_for_text("h1", "Your practice").await?;
    assert_eq!(browser.path().await?, "/history");
    let started = Instant::now();
    while browser.texts("li.entry").await?.is_empty() && started.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(browser.texts("li.entry h2").await?, ["Box Breathing"]);
    assert_eq!(browser.text("li.entry .entry-amount").await?, "1 of 3 min · stopped early");
    assert_eq!(
        browser.texts("li.entry .entry-check-in").await?,
        [
            "Check-in (before): distress 6/10 · Alert and mobilised",
            "Check-in (after): distress 3/10 · Safe and connected"
        ]
    );
    assert_eq!(browser.text("li.entry .entry-note").await?, "Calmer than before.");
    browser.screenshot("history").await?;

    // Correcting the entry: a bad number is named, a good one is saved and shown.
    button(&browser, "li.entry .entry-edit-open").await?.click().await?;
    let minutes = button(&browser, ".entry-edit input[type=number]").await?;
    assert_eq!(minutes.prop("value").await?.as_deref(), Some("1"));
    minutes.send_keys("\u{E003}\u{E003}0").await?;
    button(&browser, ".edit-save").await?.click().await?;
    browser
        .wait_for_text(".entry-edit .form-problem", "Minutes must be a whole number from 1 to 1440.")
        .await?;
    browser.screenshot("history-edit").await?;
    minutes.send_keys("\u{E003}2").await?;
    button(&browser, ".edit-save").await?.click().await?;
    browser.wait_for_text("li.entry .entry-amount", "2 of 3 min · stopped early").await?;
    assert!(browser.texts(".entry-edit").await?.is_empty(), "the form closes after saving");
    // Deleting takes a second press.
    button(&browser, "li.entry .entry-delete").await?.click().await?;
    assert_eq!(browser.text("li.entry .entry-delete").await?, "Press again to delete");
    button(&browser, "li.entry .entry-delete").await?.click().await?;
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
async fn impossible_options_in_the_address_are_named_and_replaced_by_defaults() -> Result<()> {
    let stille = Stille::start().await?;
    let browser = Browser::phone(Locale::English).await?;
    browser.goto(&stille.url("/play/breathing-box?m=999&bell=gong")).await?;
    browser.wait_for_text("h1", "Box Breathing").await?;
    let notices = browser.texts(".player-notices li").await?;
    assert_eq!(
        notices,
        ["length \"999\" is not offered for this practice", "bell \"gong\" is not a bell sound"]
    );
    // The default length (5 min) plays instead.
    assert_eq!(browser.text(".player-remaining .remaining").await?, "5:00");
    browser.goto(&stille.url("/play/no-such-practice")).await?;
    browser.wait_for_text("h1", "There is no such practice").await?;
    browser.close().await?;
    stille.stop().await
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn with_vibration_chosen_each_breath_is_felt() -> Result<()> {
    let stille = Stille::start().await?;
    let browser = Browser::phone(Locale::English).await?;
    browser.goto(&stille.url("/settings")).await?;
    browser.wait_for_text("h1", "Settings").await?;
    button(&browser, "input[name=vibrate]").await?.click().await?;
    browser.goto(&stille.url("/play/breathing-box?m=3")).await?;
    browser.wait_for_text(".play", "Begin").await?;
    // Record what the page asks the phone to do.
    browser
        .eval("window.buzzes = []; navigator.vibrate = (p) => { window.buzzes.push(Array.from([].concat(p))); return true; }; return true")
        .await?;
    button(&browser, ".play").await?.click().await?;
    let started = Instant::now();
    loop {
        let buzzes = browser.eval("return window.buzzes").await?;
        let seen: Vec<String> = buzzes.as_array().into_iter().flatten().map(|b| b.to_string()).collect();
        if seen.contains(&"[60]".to_owned()) && seen.contains(&"[40,80,40]".to_owned()) {
            break;
        }
        if started.elapsed() > Duration::from_secs(75) {
            bail!("no in- and out-breath buzzes after 75 s: {seen:?}");
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    browser.close().await?;
    stille.stop().await
}

/// Types `text` into the input at `css` in place of what is there, and
/// leaves it (Tab), so its change is taken.
async fn retype(browser: &Browser, css: &str, text: &str) -> Result<()> {
    let input = browser.client.wait().for_element(Locator::Css(css)).await?;
    input.clear().await?;
    input.send_keys(&format!("{text}\u{E004}")).await?;
    Ok(())
}

/// The seconds in box breathing's four phase fields.
async fn phase_values(browser: &Browser) -> Result<Vec<String>> {
    let mut values = Vec::new();
    for i in 0..4 {
        let input = browser.client.find(Locator::Css(&format!("#phase-{i}"))).await?;
        values.push(input.prop("value").await?.unwrap_or_default());
    }
    Ok(values)
}

/// Each change of the pacer's phase, as [phase, ms on the page's clock].
const WATCH_PHASES: &str = "window.phases = []; const pacer = document.querySelector('.pacer'); \
    new MutationObserver(() => { const p = pacer.dataset.phase; \
      const last = window.phases[window.phases.length - 1]; \
      if (p && (!last || last[0] !== p)) window.phases.push([p, performance.now()]); }) \
    .observe(pacer, { attributes: true, attributeFilter: ['data-phase'] }); return true";

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn a_chosen_pace_is_what_the_pacer_keeps_and_is_offered_again() -> Result<()> {
    let stille = Stille::start().await?;
    let browser = Browser::phone(Locale::Danish).await?;
    browser.goto(&stille.url("/practices/breathing-box")).await?;
    browser.wait_for_text("h1", "Firkantåndedræt").await?;
    browser.wait_for_text(".option-pace legend", "Dit tempo").await?;
    let page = &browser;
    assert_eq!(phase_values(page).await?, ["4", "4", "4", "4"], "the practice's own pace first");

    // A hold longer than 7 s is stopped by the form itself: Begin stays here.
    retype(page, "#phase-1", "9").await?;
    button(page, "button.start").await?.click().await?;
    let over = page.eval("return document.querySelector('#phase-1').validity.rangeOverflow").await?;
    assert_eq!(over, serde_json::json!(true));
    assert_eq!(page.path().await?, "/practices/breathing-box", "an impossible hold does not begin");

    // 3 s in, 1 s hold, 5 s out, 1 s rest.
    for (css, seconds) in [("#phase-0", "3"), ("#phase-1", "1"), ("#phase-2", "5"), ("#phase-3", "1")] {
        retype(page, css, seconds).await?;
    }
    page.client.find(Locator::Css("#length option[value='3']")).await?.click().await?;
    page.screenshot("pace-controls-da").await?;
    button(page, "button.start").await?.click().await?;
    page.wait_for_text(".play", "Begynd").await?;
    let url = page.client.current_url().await?;
    assert!(url.query().is_some_and(|q| q.contains("phases=3-1-5-1")), "{url}");

    // The pacer keeps those lengths, read from the page as it plays.
    page.eval(WATCH_PHASES).await?;
    button(page, ".play").await?.click().await?;
    page.wait_until_within(
        "two whole breaths at the chosen pace",
        "return window.phases.filter(p => p[0] === 'inhale').length >= 3",
        Duration::from_secs(120),
    )
    .await?;
    let phases = page.eval("return window.phases").await?;
    let phases: Vec<(String, f64)> = serde_json::from_value(phases)?;
    // The second breath, whole: from its in-breath to the next.
    let starts: Vec<usize> =
        phases.iter().enumerate().filter(|(_, p)| p.0 == "inhale").map(|(i, _)| i).collect();
    let breath = &phases[starts[1]..=starts[2]];
    let lengths: Vec<(&str, f64)> = breath.windows(2).map(|w| (w[0].0.as_str(), w[1].1 - w[0].1)).collect();
    let expected = [("inhale", 3000.0), ("holdin", 1000.0), ("exhale", 5000.0), ("holdout", 1000.0)];
    assert_eq!(lengths.len(), expected.len(), "{lengths:?}");
    for ((phase, ms), (want_phase, want_ms)) in lengths.iter().zip(expected) {
        assert_eq!(*phase, want_phase, "{lengths:?}");
        // The page follows the player's clock every 100 ms.
        assert!((ms - want_ms).abs() <= 250.0, "{phase} lasted {ms:.0} ms, not {want_ms} ({lengths:?})");
    }
    button(page, ".stop").await?.click().await?;
    page.wait_for_text(".after h2", "Giv dig et øjeblik").await?;

    // Next time the same pace is offered, and one tap gives the practice's own back.
    page.goto(&stille.url("/practices/breathing-box")).await?;
    page.wait_for_text("h1", "Firkantåndedræt").await?;
    assert_eq!(phase_values(page).await?, ["3", "1", "5", "1"], "remembered on this phone");
    button(page, ".pace-reset").await?.click().await?;
    assert_eq!(phase_values(page).await?, ["4", "4", "4", "4"]);
    browser.close().await?;
    stille.stop().await
}

/// Before Begin: every AudioContext takes 2 s to start (as WebKit's can on
/// a busy phone), and the page notes each label the play button shows and
/// each time the interruption notice is shown.
const SLOW_START: &str = "const resume = AudioContext.prototype.resume; \
     const state = Object.getOwnPropertyDescriptor(BaseAudioContext.prototype, 'state').get; \
     Object.defineProperty(BaseAudioContext.prototype, 'state', { configurable: true, get() { \
       return window.__until && performance.now() < window.__until ? 'suspended' : state.call(this); } }); \
     AudioContext.prototype.resume = function () { \
       window.__until = window.__until || performance.now() + 2000; \
       return new Promise(done => setTimeout(done, window.__until - performance.now())) \
         .then(() => resume.call(this)).then(() => { window.__started = true; }); }; \
     window.__labels = []; window.__alerts = 0; \
     const button = document.querySelector('.play'); \
     new MutationObserver(() => window.__labels.push(button.textContent.trim())) \
       .observe(button, { childList: true, subtree: true, characterData: true }); \
     const notice = document.querySelector('.player-interrupted'); \
     new MutationObserver(() => { if (!notice.hidden) window.__alerts += 1; }) \
       .observe(notice, { attributes: true }); \
     return true";

/// Live playback waits for its AudioContext to start. While it does, the
/// button keeps saying Pause (it said Begin again, inviting a second tap)
/// and no interruption is announced; then the practice plays.
#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn a_slow_start_keeps_saying_pause_until_the_sound_comes() -> Result<()> {
    let stille = Stille::start().await?;
    let browser = Browser::phone(Locale::English).await?;
    browser.goto(&stille.url("/settings")).await?;
    browser.wait_for_text("h1", "Settings").await?;
    browser.click(".settings-playback input[value=live]").await?;
    browser.goto(&stille.url("/play/timer-silent?m=1")).await?;
    browser.wait_for_text(".play", "Begin").await?;
    browser.eval(SLOW_START).await?;
    browser.click(".play").await?;
    browser.wait_until("the AudioContext started, 2 s late", "return window.__started === true").await?;
    wait_until_remaining_at_most(&browser, 58).await?;
    assert_eq!(browser.text(".play").await?, "Pause");
    let labels = browser.eval("return window.__labels").await?;
    let labels: Vec<String> = serde_json::from_value(labels)?;
    assert!(!labels.is_empty() && labels.iter().all(|l| l == "Pause"), "the button said {labels:?}");
    assert_eq!(browser.eval("return window.__alerts").await?, 0, "an interruption was announced");
    browser.close().await?;
    stille.stop().await
}

/// One test for the three engines, one after another: run beside the
/// engines' core flows it made WebKit's busy offline start miss its window.
#[tokio::test]
#[ignore = "needs the built app, WebKitGTK, Chromium and Firefox: run `cargo xtask test`"]
async fn a_background_sound_loops_beside_the_soundtrack_in_every_engine() -> Result<()> {
    for engine in [Engine::WebKit, Engine::Chromium, Engine::Firefox] {
        background_sound(engine).await?;
    }
    Ok(())
}

/// Before Begin, every media element the page plays is noted: whether it
/// loops, whether it is paused, its volume.
const NOTE_MEDIA: &str = "window.__media = []; const play = HTMLMediaElement.prototype.play; \
     HTMLMediaElement.prototype.play = function () { \
       if (!window.__media.includes(this)) window.__media.push(this); return play.call(this); }; \
     return true";

/// A practice with a background sound plays two media elements: the
/// soundtrack and a looped bed, which fades in on the soundtrack's clock and
/// pauses, plays and stops with it.
async fn background_sound(engine: Engine) -> Result<()> {
    let name = engine.name();
    let stille = Stille::start().await?;
    let browser = Browser::open(engine, Locale::Danish).await?;
    browser.goto(&stille.url("/play/timer-silent?m=1&bed=pink")).await?;
    browser.wait_for_text(".play", "Begynd").await?;
    browser.eval(NOTE_MEDIA).await?;
    browser.click(".play").await?;
    browser.wait_for_text(".play", "Pause").await?;
    let both = |paused: bool| {
        format!(
            "const m = window.__media; return m.length === 2 && m.filter(e => e.loop).length === 1 \
             && m.every(e => e.paused === {paused})"
        )
    };
    browser.wait_until(&format!("{name}: the soundtrack and the looped bed playing"), &both(false)).await?;
    // Fading in over five seconds, on the soundtrack's clock.
    browser
        .wait_until(
            &format!("{name}: the bed fading in"),
            "const bed = window.__media.find(e => e.loop); return bed.volume > 0.05 && bed.volume < 1 \
             && bed.currentTime > 0",
        )
        .await?;
    browser.click(".play").await?;
    browser.wait_for_text(".play", "Fortsæt").await?;
    browser.wait_until(&format!("{name}: both paused"), &both(true)).await?;
    browser.click(".play").await?;
    browser.wait_until(&format!("{name}: both playing again"), &both(false)).await?;
    browser
        .wait_until(
            &format!("{name}: the bed at its level after the fade"),
            "return window.__media.find(e => e.loop).volume === 1",
        )
        .await?;
    browser.click(".stop").await?;
    browser.wait_until(&format!("{name}: both stopped"), &both(true)).await?;
    browser.close().await?;
    stille.stop().await
}
