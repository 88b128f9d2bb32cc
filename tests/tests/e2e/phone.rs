//! Phone first (#21): what a teacher and a participant meet on a phone, in
//! Danish, at the heights a phone shows under its browser's bars (390 × 664
//! and 390 × 844 CSS px): the player's controls in view without scrolling,
//! "This week" first on a course participant's home, a short practice
//! counted alike everywhere, and an invite link that keeps working until the
//! teacher confirms a new one.

use anyhow::{Context, Result, ensure};
use serde_json::{Value, json};
use stille_e2e::flows::{PASSWORD, day_at, post, sign_in_da};
use stille_e2e::{Browser, Engine, Locale, Stille, audit_both_themes};

/// (width, height) of the phone screens tried, in CSS px.
const SCREENS: [(u32, u32); 2] = [(390, 664), (390, 844)];

/// Whether the element `css` is shown whole on the screen, with the page not
/// scrolled.
async fn in_view(browser: &Browser, css: &str) -> Result<bool> {
    let script = format!(
        "const e = document.querySelector({css:?}); if (!e || e.hidden) return false; \
         const r = e.getBoundingClientRect(); \
         return window.scrollY === 0 && r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;"
    );
    Ok(browser.eval(&script).await? == Value::Bool(true))
}

async fn controls_in_view(engine: Engine) -> Result<()> {
    let stille = Stille::start().await?;
    for (width, height) in SCREENS {
        let browser = Browser::open_sized(engine, Locale::Danish, (width, height)).await?;
        for (path, title, name) in [
            ("/play/breathing-box?m=3", "Firkantåndedræt", "box"),
            ("/play/mbsr-body-scan?m=45", "Kropsscanning", "body-scan"),
        ] {
            browser.goto(&stille.url(path)).await?;
            browser.wait_for_text("h1", title).await?;
            browser.wait_for_text(".play", "Begynd").await?;
            let inner = browser.eval("return window.innerHeight").await?.as_u64().unwrap_or(0);
            ensure!(
                inner <= u64::from(height) && inner + 120 > u64::from(height),
                "{}: a {height} px screen shows {inner} px",
                engine.name()
            );
            let shot = format!("phone-{}-player-{name}-{height}", engine.name());
            ensure!(
                in_view(&browser, ".play").await?,
                "{}: {title}'s Begin is out of view on a {width}×{height} screen ({inner} px inside); see {shot}",
                engine.name()
            );
            let stop_hidden = "return document.querySelector('.stop').hidden";
            ensure!(browser.eval(stop_hidden).await? == Value::Bool(true), "Stop before anything has begun");
            browser.screenshot(&shot).await?;
            browser.click(".play").await?;
            browser.wait_for_text(".play", "Pause").await?;
            for control in [".play", ".stop"] {
                ensure!(
                    in_view(&browser, control).await?,
                    "{}: {control} of {title} out of view while playing at {width}×{height}",
                    engine.name()
                );
            }
            browser.screenshot(&format!("{shot}-playing")).await?;
            browser.click(".stop").await?;
            browser.wait_for_text(".after h2", "Giv dig et øjeblik").await?;
        }
        browser.close().await?;
    }
    stille.stop().await
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn the_players_controls_are_in_view_on_short_phones_in_chromium() -> Result<()> {
    controls_in_view(Engine::Chromium).await
}

#[tokio::test]
#[ignore = "needs the built app and WebKitGTK: run `cargo xtask test`"]
async fn the_players_controls_are_in_view_on_short_phones_in_webkit() -> Result<()> {
    controls_in_view(Engine::WebKit).await
}

#[tokio::test]
#[ignore = "needs the built app and Firefox: run `cargo xtask test`"]
async fn the_players_controls_are_in_view_on_short_phones_in_firefox() -> Result<()> {
    controls_in_view(Engine::Firefox).await
}

/// A 5-minute practice of the Self-Compassion Break stopped after `seconds`.
fn stopped(at_ms: i64, seed: u8, seconds: u32) -> Value {
    let id = stille_practice::log::uuid_v7(at_ms as u64, [seed; 10]);
    let updated = at_ms + i64::from(seconds) * 1000;
    json!({"id": id, "kind": "entry", "updated_at_ms": updated, "body": {
        "id": id, "practice": "msc-self-compassion-break", "started_at_ms": at_ms, "utc_offset_minutes": 0,
        "planned_ms": 300_000, "practised_ms": seconds * 1000, "ending": "stopped", "lang": "da",
        "updated_at_ms": updated }})
}

/// Whether the invite `code` lets people in.
async fn invite_works(stille: &Stille, code: &str) -> Result<bool> {
    let response = reqwest::Client::new()
        .post(stille.url("/api/join/preview"))
        .json(&json!({"code": code}))
        .send()
        .await?;
    Ok(response.status().is_success())
}

#[tokio::test]
#[ignore = "needs the built app, Chromium and axe-core: run `cargo xtask test`"]
async fn a_course_on_the_phone_this_week_first_short_practice_counted_alike_and_a_new_invite_asked_first()
-> Result<()> {
    let axe = stille_e2e::axe_source()?;
    let mut serious = Vec::new();
    let stille = Stille::start_two_step_optional().await?;
    stille.make_instructor("birgit@example.org", "Birgit", PASSWORD).await?;
    let birgit = stille.bearer_token("birgit@example.org", PASSWORD).await?;
    // An MSC course in its first week (it began the day before yesterday).
    let start = {
        let (y, m, d) = stille_practice::stats::Date(day_at(-2, 0).div_euclid(86_400_000) as i32).ymd();
        format!("{y:04}-{m:02}-{d:02}")
    };
    let form = json!({"title": "MSC efterår", "lang": "da", "time_zone": "UTC", "start_date": start, "template": "msc"});
    let course = post(&stille, Some(&birgit), "/api/courses", form).await?;
    let course = course["id"].as_str().context("a course id")?.to_owned();
    let invite = post(&stille, Some(&birgit), &format!("/api/courses/{course}/invite"), json!({})).await?;
    let code = invite["code"].as_str().context("a code")?.to_owned();
    let account = json!({"email": "ida@example.org", "password": PASSWORD, "display_name": "Ida"});
    post(&stille, None, "/api/accounts", account).await?;
    let ida = stille.bearer_token("ida@example.org", PASSWORD).await?;
    let consent = json!({"adherence": true, "reflections": true});
    post(&stille, Some(&ida), "/api/join", json!({"code": code, "consent": consent})).await?;
    // She joined before the course began (practice counts from joining on).
    let moved = stille_server::on_store!(stille.store(), pool => {
        sqlx::query("UPDATE memberships SET joined_at_ms = $1, consent_changed_ms = $1, adherence_since_ms = $1 WHERE course_id = $2")
            .bind(day_at(-3, 12))
            .bind(&course)
            .execute(pool)
            .await?
            .rows_affected()
    });
    ensure!(moved == 1, "{moved} memberships backdated");
    // On the first day she stopped the Self-Compassion Break after 20
    // seconds; today she kept at it for 45 seconds.
    let records = vec![stopped(day_at(-2, 12), 1, 20), stopped(stille_server::now_ms() - 120_000, 2, 45)];
    post(&stille, Some(&ida), "/api/sync", json!({"records": records})).await?;

    // Her phone: "This week" is the first thing home shows.
    let phone = Browser::open_sized(Engine::Chromium, Locale::Danish, SCREENS[0]).await?;
    sign_in_da(&phone, &stille, "ida@example.org").await?;
    // Her two practices come down with the first sync.
    phone.wait_for_text(".sync-status", "Synkroniseret").await?;
    {
        let height = SCREENS[0].1;
        phone.goto(&stille.url("/")).await?;
        phone.wait_for_text_like(".this-week h2", "uge 1").await?;
        let first = "const shown = [...document.querySelector('.home').children]\
                       .filter((e) => e.getBoundingClientRect().height > 1); \
                     return shown[0] && shown[0].className";
        let first = phone.eval(first).await?;
        ensure!(first == json!("this-week"), "the first block on home is {first}, not This week");
        ensure!(in_view(&phone, ".this-week h2").await?, "This week's heading is on the first screen");
        phone.screenshot(&format!("phone-home-in-a-course-{height}")).await?;
    }
    serious.extend(audit_both_themes(&phone, &axe, "a course participant's home").await?);
    // One rule for a short start, everywhere: the 20 seconds count for no
    // day and no minute; the 45 seconds for one day and one minute.
    let card = ".this-week li:first-child .week-progress";
    phone.wait_for_text(card, "1 af 7 dage").await?;
    phone.goto(&stille.url("/history")).await?;
    let amounts = "return [...document.querySelectorAll('.entry-amount')].map((e) => e.textContent)";
    phone.wait_until("both practices are listed", &format!("{amounts}.length === 2")).await?;
    let amounts = phone.texts(".entry-amount").await?;
    ensure!(amounts[0].starts_with("1 af 5 min"), "today's 45 seconds: {amounts:?}");
    ensure!(amounts[1].starts_with("20 sek. af 5 min"), "the 20-second start: {amounts:?}");
    let begun = phone.texts(".entry-begun").await?;
    ensure!(begun.len() == 1 && begun[0].starts_with("Godt, at du begyndte"), "a kind word: {begun:?}");
    let totals = phone
        .eval("return document.querySelector('.progress svg[role=img]').getAttribute('aria-label')")
        .await?;
    ensure!(totals == json!("Dage med øvelse: 1 · Minutter i alt: 1"), "the history's totals: {totals}");
    phone.screenshot("phone-history-short-start").await?;

    // Birgit's phone: the same count in her table, and a new invite only
    // when she has said yes to what it does.
    let teacher = Browser::open_sized(Engine::Chromium, Locale::Danish, SCREENS[1]).await?;
    sign_in_da(&teacher, &stille, "birgit@example.org").await?;
    teacher.goto(&stille.url(&format!("/teach/{course}"))).await?;
    teacher.wait_for_text(".invite-code", &code).await?;
    let cell = teacher.wait_for_text_like(".week-table td.now", "min").await?;
    ensure!(cell == "1 min · 1 dag", "Ida's first week in the table: {cell}");
    // On her phone the table is the week now; every week is a tap away.
    let fits =
        "return document.querySelector('.week-table').getBoundingClientRect().width <= window.innerWidth";
    ensure!(teacher.eval(fits).await? == json!(true), "the week table fits the phone's width");
    teacher.screenshot("phone-teach-week-now").await?;
    teacher.click(".all-weeks").await?;
    teacher.wait_until("every week shown", "return !!document.querySelector('.week-table.all')").await?;
    let later = teacher.texts(".week-table tbody td:not(.now)").await?;
    ensure!(!later.is_empty() && later.iter().all(|c| c == "–"), "weeks not reached say –: {later:?}");
    teacher.click(".new-invite").await?;
    teacher.wait_for_text_like(".confirm-new-invite p", "holder op med at virke").await?;
    ensure!(invite_works(&stille, &code).await?, "asking does not change the code");
    teacher.screenshot("phone-teach-new-invite-asked").await?;
    serious.extend(audit_both_themes(&teacher, &axe, "the dashboard asking before a new invite").await?);
    teacher.click(".new-invite-cancel").await?;
    ensure!(teacher.text(".invite-code").await? == code, "kept");
    ensure!(invite_works(&stille, &code).await?, "the link handed out still works");
    teacher.click(".new-invite").await?;
    teacher.click(".new-invite-confirm").await?;
    teacher
        .wait_until(
            "a new code",
            &format!("return document.querySelector('.invite-code').textContent !== {code:?}"),
        )
        .await?;
    teacher.wait_for_text_like(".invite-said", "virker ikke længere").await?;
    let fresh = teacher.text(".invite-code").await?;
    ensure!(!invite_works(&stille, &code).await?, "the old code stops once she confirmed");
    ensure!(invite_works(&stille, &fresh).await?, "the new code works");
    teacher.screenshot("phone-teach-new-invite-made").await?;

    ensure!(serious.is_empty(), "serious accessibility problems: {serious:#?}");
    phone.close().await?;
    teacher.close().await?;
    stille.stop().await
}
