//! "Need help now?" from every screen, and the participant's own data:
//! downloaded as JSON, then erased from the device.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use fantoccini::Locator;
use serde_json::json;
use stille_e2e::flows::{PASSWORD, post, sign_in_da};
use stille_e2e::{Browser, Locale, Stille, audit_both_themes};

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
    // Danger first, then Livslinien, then each region's out-of-hours doctor
    // and psychiatric help, and BørneTelefonen: the lines of
    // `stille_practice::help`, each with the hours it answers.
    let expected: Vec<Option<String>> = stille_practice::help::LINES
        .iter()
        .filter_map(|line| line.number.map(|(_, dialled)| Some(format!("tel:{dialled}"))))
        .collect();
    assert_eq!(calls, expected);
    assert_eq!(calls[..2], [Some("tel:112".to_owned()), Some("tel:+4570201201".to_owned())]);
    for number in
        ["tel:1813", "tel:1818", "tel:+4570110707", "tel:+4570113131", "tel:+4570150300", "tel:116111"]
    {
        assert!(calls.contains(&Some(number.to_owned())), "{number} in {calls:?}");
    }
    let hours = browser.texts(".help-line .help-hours").await?;
    assert_eq!(hours.len(), stille_practice::help::LINES.len(), "every line says when it answers");
    assert!(hours.iter().all(|h| !h.trim().is_empty()), "{hours:?}");
    browser.screenshot("help").await?;
    browser.close().await?;
    stille.stop().await
}

#[tokio::test]
#[ignore = "needs the built app, Chromium and axe-core: run `cargo xtask test`"]
async fn a_check_in_that_worries_is_answered_with_care_not_just_saved() -> Result<()> {
    let axe = stille_e2e::axe_source()?;
    let stille = Stille::start_two_step_optional().await?;
    // Ida is in Karen's course.
    stille.make_instructor("karen@example.dk", "Karen", PASSWORD).await?;
    let karen = stille.bearer_token("karen@example.dk", PASSWORD).await?;
    let form = json!({"title": "MSC forår", "lang": "da", "time_zone": "Europe/Copenhagen", "start_date": "2026-11-30"});
    let course = post(&stille, Some(&karen), "/api/courses", form).await?;
    let course_id = course["id"].as_str().context("a course id")?;
    // Karen says how to reach her between meetings.
    let contact = reqwest::Client::new()
        .patch(stille.url(&format!("/api/courses/{course_id}")))
        .bearer_auth(&karen)
        .json(&json!({"contact": "Ring eller skriv på 22 11 33 44, hverdage kl. 9-15"}))
        .send()
        .await?;
    ensure!(contact.status().is_success(), "the contact saved: {}", contact.text().await?);
    let invite = post(&stille, Some(&karen), &format!("/api/courses/{course_id}/invite"), json!({})).await?;
    let sign_up = json!({"email": "ida@example.org", "password": PASSWORD, "display_name": "Ida"});
    post(&stille, None, "/api/accounts", sign_up).await?;
    let ida = stille.bearer_token("ida@example.org", PASSWORD).await?;
    let consent = json!({"adherence": false, "reflections": false});
    post(&stille, Some(&ida), "/api/join", json!({"code": invite["code"], "consent": consent})).await?;

    let browser = Browser::phone(Locale::Danish).await?;
    sign_in_da(&browser, &stille, "ida@example.org").await?;
    browser.goto(&stille.url("/")).await?;
    browser
        .wait_until(
            "the course is kept on the phone",
            "return (JSON.parse(localStorage.getItem('stille.courses.v2') || '[]')).length === 1",
        )
        .await?;

    // After a practice she answers 10: the close does not just move on.
    browser.goto(&stille.url("/play/breathing-box?m=3")).await?;
    browser.wait_for_text("h1", "Firkantåndedræt").await?;
    browser.click(".play").await?;
    browser.wait_for_text(".play", "Pause").await?;
    browser.click(".stop").await?;
    browser.wait_for_text(".after h2", "Giv dig et øjeblik").await?;
    browser.click(".after .scale-option input[value='10']").await?;
    browser.click(".after-save").await?;
    browser.wait_for_text("#worry-heading", "Det lyder svært lige nu").await?;
    ensure!(browser.path().await?.starts_with("/play/"), "still on the player");
    let focused = browser.eval("return document.activeElement && document.activeElement.id").await?;
    ensure!(focused == json!("worry-heading"), "a screen reader starts at the note: {focused}");
    let page = &browser;
    let href = |css: &'static str| async move {
        page.client.find(Locator::Css(css)).await?.attr("href").await.context("an href")
    };
    ensure!(href(".worry-orienting").await? == Some("/play/regulation-orienting?m=2".to_owned()));
    ensure!(href(".worry-help").await? == Some("/help".to_owned()));
    let teacher = browser.text(".worry-teacher").await?;
    ensure!(teacher.contains("din underviser, Karen,"), "the teacher is named: {teacher:?}");
    // How to reach her, in her words, the number one tap away.
    let reach = browser.text(".worry-reach li").await?;
    ensure!(reach == "Karen: Ring eller skriv på 22 11 33 44, hverdage kl. 9-15", "{reach:?}");
    ensure!(href(".worry-reach a.tel").await? == Some("tel:22113344".to_owned()));
    browser.screenshot("worry-note-da").await?;
    let serious = audit_both_themes(&browser, &axe, "the note after a worrying check-in (Danish)").await?;
    ensure!(serious.is_empty(), "serious or critical accessibility violations:\n{}", serious.join("\n"));

    // Saved like any other check-in; the orienting exercise it offers plays
    // at the length offered.
    browser.click(".worry-on").await?;
    browser.wait_for_text("h1", "Din praksis").await?;
    let check_in = browser.wait_for_text_like("li.entry .entry-check-in", "10").await?;
    ensure!(check_in.contains("10"), "{check_in:?}");
    browser.goto(&stille.url("/play/regulation-orienting?m=2")).await?;
    browser.wait_for_text("h1", "Orientering").await?;
    ensure!(browser.texts(".player-ground a").await?.is_empty(), "orienting does not offer itself");

    // From any other practice, while it plays, a way out to the same two
    // minutes: the practice ends (kept as stopped) and orienting opens.
    browser.goto(&stille.url("/play/breathing-box?m=3")).await?;
    browser.wait_for_text("h1", "Firkantåndedræt").await?;
    browser.click(".play").await?;
    browser.wait_for_text(".play", "Pause").await?;
    let ground = browser.wait_for_text_like(".player-ground a", "Bliver det for meget?").await?;
    ensure!(ground.contains("åbne øjne"), "{ground:?}");
    ensure!(href(".player-ground a").await? == Some("/play/regulation-orienting?m=2".to_owned()));
    browser.screenshot("player-ground-link-da").await?;
    browser.click(".player-ground a").await?;
    browser.wait_for_text("h1", "Orientering").await?;
    browser.wait_for_text(".play", "Begynd").await?;
    browser.goto(&stille.url("/history")).await?;
    browser.wait_for_text("h1", "Din praksis").await?;
    browser
        .wait_until(
            "both box breathings are in the log",
            "return document.querySelectorAll('li.entry').length === 2",
        )
        .await?;
    // The Help page names her teacher with how to reach her.
    browser.goto(&stille.url("/help")).await?;
    let reach = browser.wait_for_text_like(".help-teachers li", "Karen").await?;
    ensure!(reach.contains("MSC forår: Karen") && reach.contains("22 11 33 44"), "{reach:?}");
    ensure!(href(".help-teachers a.tel").await? == Some("tel:22113344".to_owned()));
    browser.eval("document.querySelector('.help-teachers').scrollIntoView(); return true").await?;
    browser.screenshot("help-teacher-contact-da").await?;
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
