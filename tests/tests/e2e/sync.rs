//! Accounts and sync in the app: practice recorded before there was an
//! account goes up on the first sign-in and reaches a second device; a
//! practice made offline waits ("Waiting for network") and goes up when the
//! network returns; an answer lost after the server stored a push is retried
//! and the server keeps exactly one copy. The status says "Synced" only when
//! it is true. Settings chosen on one device (theme, language) appear on
//! another, in another engine, and back.

use std::time::Duration;

use anyhow::{Context, Result};
use fantoccini::Locator;
use serde_json::Value;
use stille_e2e::flows::{PASSWORD, log_informal, post, sign_in, sign_up, status_is};
use stille_e2e::proxy::Proxy;
use stille_e2e::{Browser, Engine, Locale, Stille};

/// Every current record of `email`'s account on the server, by kind.
async fn server_records(stille: &Stille, email: &str) -> Result<Vec<Value>> {
    let http = reqwest::Client::new();
    let token = stille.bearer_token(email, PASSWORD).await?;
    let pulled: Value =
        http.get(stille.url("/api/sync?after=0")).bearer_auth(token).send().await?.json().await?;
    Ok(pulled["changes"].as_array().cloned().unwrap_or_default())
}

fn kinds(records: &[Value]) -> Vec<String> {
    let mut kinds: Vec<String> =
        records.iter().filter_map(|r| r["kind"].as_str().map(str::to_owned)).collect();
    kinds.sort();
    kinds
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn practice_before_signing_in_goes_up_and_reaches_a_second_device() -> Result<()> {
    let stille = Stille::start().await?;
    let base = stille.url("");
    let phone = Browser::phone(Locale::English).await?;
    log_informal(&phone, &base, "Birdsong before work.").await?;
    sign_up(&phone, &base, "Ida", "ida@example.org").await?;
    status_is(&phone, "Synced").await?;
    assert_eq!(kinds(&server_records(&stille, "ida@example.org").await?), ["entry", "reflection"]);

    // Offline: the next practice waits on the phone, and says so.
    phone.set_offline(true).await?;
    log_informal(&phone, &base, "Tea in the sun.").await?;
    status_is(&phone, "Waiting for network – saved on this phone (2 changes)").await?;
    phone.screenshot("sync-waiting").await?;
    assert_eq!(server_records(&stille, "ida@example.org").await?.len(), 2, "nothing reached the server");
    // The network returns: it goes up by itself.
    phone.set_offline(false).await?;
    status_is(&phone, "Synced").await?;
    assert_eq!(
        kinds(&server_records(&stille, "ida@example.org").await?),
        ["entry", "entry", "reflection", "reflection"]
    );

    // Erasing the phone's data while signed in: the account's copy comes back
    // whole on the next sync, not only what changed after the erased position.
    phone.goto(&stille.url("/settings")).await?;
    phone.client.wait().for_element(Locator::Css("button.erase")).await?.click().await?;
    phone.client.find(Locator::Css("button.erase")).await?.click().await?;
    phone.wait_for_text_like(".data-message", "Your account still has its copy, and it comes back").await?;
    let started = std::time::Instant::now();
    let back = loop {
        phone.goto(&stille.url("/history")).await?;
        phone.wait_for_text("h1", "Your practice").await?;
        let mut notes = phone.texts("li.entry .entry-note").await?;
        notes.sort();
        if notes.len() == 2 || started.elapsed() > Duration::from_secs(20) {
            break notes;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    assert_eq!(back, ["Birdsong before work.", "Tea in the sun."], "both practices came back");
    status_is(&phone, "Synced").await?;

    // A second device signs in and gets both practices with their notes.
    let laptop = Browser::phone(Locale::English).await?;
    sign_in(&laptop, &base, "ida@example.org").await?;
    status_is(&laptop, "Synced").await?;
    laptop.goto(&stille.url("/history")).await?;
    laptop.wait_for_text("h1", "Your practice").await?;
    laptop.wait_for_text("li.entry .entry-note", "Tea in the sun.").await?;
    let mut notes = laptop.texts("li.entry .entry-note").await?;
    notes.sort();
    assert_eq!(notes, ["Birdsong before work.", "Tea in the sun."]);
    // A deletion on the laptop reaches the phone.
    laptop.client.find(Locator::Css("li.entry .entry-delete")).await?.click().await?;
    laptop.client.find(Locator::Css("li.entry .entry-delete")).await?.click().await?;
    // The deletion reaches the server (the line may still say "Synced" from before).
    let started = std::time::Instant::now();
    while !server_records(&stille, "ida@example.org").await?.iter().any(|r| r["deleted"] == true) {
        if started.elapsed() > Duration::from_secs(20) {
            anyhow::bail!("the deletion did not reach the server");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    status_is(&laptop, "Synced").await?;
    phone.goto(&stille.url("/account")).await?;
    phone.wait_for_text(".sync-now", "Sync now").await?.click().await?;
    status_is(&phone, "Synced").await?;
    phone.goto(&stille.url("/history")).await?;
    phone.wait_for_text("h1", "Your practice").await?;
    let started = std::time::Instant::now();
    while phone.texts("li.entry").await?.len() != 1 && started.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(phone.texts("li.entry").await?.len(), 1, "the deletion reached the phone");
    phone.close().await?;
    laptop.close().await?;
    stille.stop().await
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn an_answer_lost_after_the_server_stored_a_push_is_retried_and_kept_once() -> Result<()> {
    let stille = Stille::start().await?;
    let proxy = Proxy::start(stille.addr).await?;
    let base = proxy.url("");
    let phone = Browser::phone(Locale::English).await?;
    sign_up(&phone, &base, "Jens", "jens@example.org").await?;
    status_is(&phone, "Synced").await?;

    proxy.cut_sync_answers(1);
    log_informal(&phone, &base, "Walked slowly to the bus.").await?;
    // The first answer is lost; the retry (after a backoff of about a second)
    // gets "duplicate" or "stored" and the phone is in step.
    status_is(&phone, "Synced").await?;
    assert_eq!(proxy.cut_done.load(std::sync::atomic::Ordering::SeqCst), 1, "one answer was cut");
    let records = server_records(&stille, "jens@example.org").await?;
    assert_eq!(kinds(&records), ["entry", "reflection"], "exactly one copy of each: {records:?}");
    // And the server kept a single version of each (the retry changed nothing).
    let token = stille.bearer_token("jens@example.org", PASSWORD).await?;
    let export: Value = reqwest::Client::new()
        .get(stille.url("/api/me/export"))
        .bearer_auth(token)
        .send()
        .await?
        .json()
        .await?;
    let versions = export["record_history"].as_array().map_or(0, Vec::len);
    assert_eq!(versions, 2, "one version per record: {export}");
    phone.screenshot("sync-after-lost-answer").await?;
    phone.close().await?;
    stille.stop().await
}

/// The settings record on the server, once it says what `wanted` says.
async fn settings_on_server(stille: &Stille, email: &str, wanted: &[(&str, &str)]) -> Result<Value> {
    let started = std::time::Instant::now();
    loop {
        let records = server_records(stille, email).await?;
        let settings = records.iter().find(|r| r["kind"] == "settings").map(|r| r["body"].clone());
        if let Some(body) = &settings
            && wanted.iter().all(|(name, value)| body[*name] == *value)
        {
            return Ok(body.clone());
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(20),
            "the server's settings record is {settings:?}, not {wanted:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
#[ignore = "needs the built app, Chromium and Firefox: run `cargo xtask test`"]
async fn settings_chosen_on_one_device_appear_on_the_other_after_sync() -> Result<()> {
    let stille = Stille::start().await?;
    let base = stille.url("");
    let phone = Browser::phone(Locale::English).await?;
    sign_up(&phone, &base, "Ida", "ida@example.org").await?;
    status_is(&phone, "Synced").await?;

    // On the phone: the dark theme, then Danish with the header's switch.
    phone.goto(&stille.url("/settings")).await?;
    phone.wait_for_text("h1", "Settings").await?;
    phone.click("input[name='theme'][value='dark']").await?;
    phone.wait_until("dark", "return document.documentElement.dataset.theme === 'dark'").await?;
    stille_e2e::flows::open_menu(&phone).await?;
    phone.click(".lang-switch button[lang='da']").await?;
    phone.wait_for_text("h1", "Indstillinger").await?;
    let body = settings_on_server(&stille, "ida@example.org", &[("theme", "dark"), ("lang", "da")]).await?;
    assert!(body.get("voice_da").is_none(), "a browser's voices stay on it: {body}");

    // A second device, another engine: after signing in it is dark and Danish,
    // and stays so across a reload.
    // Before signing in there, English is chosen with the switch: a newer
    // change, but the account's settings win on a device's first sign-in.
    let laptop = Browser::open(stille_e2e::Engine::Firefox, Locale::English).await?;
    laptop.goto(&stille.url("/")).await?;
    laptop.wait_for_text(".now h2", "What would you like to practise now?").await?;
    stille_e2e::flows::open_menu(&laptop).await?;
    laptop.click(".lang-switch button[lang='en']").await?;
    laptop
        .wait_until(
            "the choice kept",
            "return (localStorage.getItem('stille.settings.v1') || '').includes('\"lang\":\"en\"')",
        )
        .await?;
    sign_in(&laptop, &base, "ida@example.org").await?;
    laptop
        .wait_until("dark from the phone", "return document.documentElement.dataset.theme === 'dark'")
        .await?;
    laptop.wait_until("Danish from the phone", "return document.documentElement.lang === 'da'").await?;
    laptop.goto(&stille.url("/settings")).await?;
    laptop.wait_for_text("h1", "Indstillinger").await?;
    laptop.wait_until("still dark", "return document.documentElement.dataset.theme === 'dark'").await?;

    // Back the other way: light on the laptop reaches the phone's next sync.
    laptop.click("input[name='theme'][value='light']").await?;
    settings_on_server(&stille, "ida@example.org", &[("theme", "light"), ("lang", "da")]).await?;
    phone.goto(&stille.url("/")).await?;
    phone
        .wait_until("light from the laptop", "return document.documentElement.dataset.theme === 'light'")
        .await?;
    phone.wait_for_text(".now h2", "Hvad vil du øve nu?").await?;
    laptop.close().await?;
    phone.close().await?;
    stille.stop().await
}

/// A practice of 5 minutes, `n` days ago, as a device pushes it.
fn practised(now_ms: i64, n: u16) -> Value {
    let at_ms = now_ms - i64::from(n) * 86_400_000;
    let id = stille_practice::log::uuid_v7(at_ms as u64, [n as u8; 10]);
    serde_json::json!({"id": id, "kind": "entry", "updated_at_ms": at_ms, "body": {
        "id": id, "practice": "msc-self-compassion-break", "started_at_ms": at_ms, "utc_offset_minutes": 60,
        "planned_ms": 300_000, "practised_ms": 300_000, "ending": "completed", "lang": "en",
        "updated_at_ms": at_ms }})
}

/// Signing in starts a first sync that writes the account's records into
/// IndexedDB; leaving the page in the middle of it (a reload, a tap on a link
/// that loads a page) must leave the next page's log working. In WebKit it
/// did not: a transaction cut off by the reload kept every later IndexedDB
/// request of the next page waiting for good (3 runs in 5, 2026-12-05).
/// Three rounds of sign in, reload at once, wait, sign out.
async fn a_reload_during_the_first_sync_leaves_the_log_working(engine: Engine) -> Result<()> {
    let stille = Stille::start().await?;
    let base = stille.url("");
    let sign_up =
        serde_json::json!({"email": "ida@example.org", "password": PASSWORD, "display_name": "Ida"});
    post(&stille, None, "/api/accounts", sign_up).await?;
    let token = stille.bearer_token("ida@example.org", PASSWORD).await?;
    let now = stille_server::now_ms();
    let records: Vec<Value> = (1..=600).map(|n| practised(now, n)).collect();
    for batch in records.chunks(200) {
        post(&stille, Some(&token), "/api/sync", serde_json::json!({"records": batch})).await?;
    }
    let browser = Browser::open(engine, Locale::English).await?;
    for round in 1..=3 {
        let started = std::time::Instant::now();
        // A practice made on the phone before signing in goes up too.
        log_informal(&browser, &base, &format!("Round {round}.")).await?;
        sign_in(&browser, &base, "ida@example.org").await?;
        browser.client.refresh().await?;
        status_is(&browser, "Synced").await.with_context(|| format!("{}: round {round}", engine.name()))?;
        browser.goto(&stille.url("/history")).await?;
        browser.wait_for_text("h1", "Your practice").await?;
        browser
            .wait_until(
                "every entry listed",
                &format!("return document.querySelectorAll('.entries .entry').length === {}", 600 + round),
            )
            .await
            .with_context(|| format!("{}: round {round}", engine.name()))?;
        browser.goto(&stille.url("/account")).await?;
        let sign_out = browser.client.wait().for_element(Locator::Css(".sign-out")).await?;
        browser.click_element(&sign_out).await?;
        if let Err(error) =
            browser.wait_until("signed out and home", "return location.pathname === '/'").await
        {
            let shown = browser.text("main").await.unwrap_or_default();
            let probe = browser.client.execute_async(PROBE, vec![]).await?;
            eprintln!("PROBE {probe}");
            browser.screenshot(&format!("reload-first-sync-{}-sign-out", engine.name())).await?;
            return Err(error.context(format!("{}: round {round}; the page shows:\n{shown}", engine.name())));
        }
        eprintln!("{}: round {round} took {:?}", engine.name(), started.elapsed());
    }
    let mut kept = Vec::new();
    let mut after = 0;
    loop {
        let page: Value = reqwest::Client::new()
            .get(stille.url(&format!("/api/sync?after={after}")))
            .bearer_auth(&token)
            .send()
            .await?
            .json()
            .await?;
        kept.extend(kinds(page["changes"].as_array().context("changes")?));
        after = page["cursor"].as_i64().context("a cursor")?;
        if page["more"] != Value::Bool(true) {
            break;
        }
    }
    let count = |kind: &str| kept.iter().filter(|k| *k == kind).count();
    assert_eq!(
        (count("entry"), count("reflection")),
        (603, 3),
        "600 pushed, and each round's entry and note"
    );
    browser.close().await?;
    stille.stop().await
}

#[tokio::test]
#[ignore = "needs the built app and WebKitGTK: run `cargo xtask test`"]
async fn a_reload_during_the_first_sync_leaves_the_log_working_in_webkit() -> Result<()> {
    a_reload_during_the_first_sync_leaves_the_log_working(Engine::WebKit).await
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn a_reload_during_the_first_sync_leaves_the_log_working_in_chromium() -> Result<()> {
    a_reload_during_the_first_sync_leaves_the_log_working(Engine::Chromium).await
}

#[tokio::test]
#[ignore = "needs the built app and Firefox: run `cargo xtask test`"]
async fn a_reload_during_the_first_sync_leaves_the_log_working_in_firefox() -> Result<()> {
    a_reload_during_the_first_sync_leaves_the_log_working(Engine::Firefox).await
}

/// A page that read the log before the first sync had written it reads
/// again when the records arrive: signing in and going straight on to the
/// history listed nothing until a reload (in every engine, 2026-12-07).
async fn a_page_opened_during_the_first_sync_lists_what_arrives(engine: Engine) -> Result<()> {
    let stille = Stille::start().await?;
    let base = stille.url("");
    let sign_up =
        serde_json::json!({"email": "ida@example.org", "password": PASSWORD, "display_name": "Ida"});
    post(&stille, None, "/api/accounts", sign_up).await?;
    let token = stille.bearer_token("ida@example.org", PASSWORD).await?;
    let now = stille_server::now_ms();
    let records: Vec<Value> = (1..=600).map(|n| practised(now, n)).collect();
    for batch in records.chunks(200) {
        post(&stille, Some(&token), "/api/sync", serde_json::json!({"records": batch})).await?;
    }
    let browser = Browser::open(engine, Locale::English).await?;
    sign_in(&browser, &base, "ida@example.org").await?;
    // Straight on, while the first sync is still writing.
    browser.goto(&stille.url("/history")).await?;
    browser.wait_for_text("h1", "Your practice").await?;
    browser
        .wait_until(
            "every entry listed",
            "return document.querySelectorAll('.entries .entry').length === 600",
        )
        .await
        .with_context(|| format!("{}: the history page did not read the log again", engine.name()))?;
    browser.close().await?;
    stille.stop().await
}

// Not in WebKit yet: alone it passes (3 of 3, 4 s), but beside the other
// WebKit sync tests it once found nothing listed after 30 s, which looks like
// the dead-database case still open in #20 (a WebKit page loaded in the
// middle of a first sync), not like the page failing to read again.

#[tokio::test]
#[ignore = "needs the built app and Firefox: run `cargo xtask test`"]
async fn a_page_opened_during_the_first_sync_lists_what_arrives_in_firefox() -> Result<()> {
    a_page_opened_during_the_first_sync_lists_what_arrives(Engine::Firefox).await
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn a_page_opened_during_the_first_sync_lists_what_arrives_in_chromium() -> Result<()> {
    a_page_opened_during_the_first_sync_lists_what_arrives(Engine::Chromium).await
}

/// A person's change made while the page is going away is kept in
/// localStorage and written on the next start (idb.js). The page is told it
/// is going (a `pagehide` event, as a reload or a link would send) while the
/// close after a practice is open; the note saved then waits, and after a
/// reload it is in the history, reaches the server, and no copy is left.
async fn a_change_made_while_leaving_is_written_on_the_next_start(engine: Engine) -> Result<()> {
    let stille = Stille::start().await?;
    let base = stille.url("");
    let browser = Browser::open(engine, Locale::English).await?;
    sign_up(&browser, &base, "Ida", "ida@example.org").await?;
    status_is(&browser, "Synced").await?;
    browser.goto(&format!("{base}/practices/informal-self-compassion-break-moment")).await?;
    let found = browser.client.wait().for_element(Locator::Css(".log-informal")).await?;
    browser.click_element(&found).await?;
    browser.wait_for_text(".after h2", "Take a moment").await?;
    browser.eval("window.dispatchEvent(new PageTransitionEvent('pagehide', {persisted: false}))").await?;
    browser.client.find(Locator::Css("#after-note")).await?.send_keys("Written as the page went.").await?;
    browser.click(".after-save").await?;
    browser
        .wait_until(
            "the note waits in localStorage",
            "return Object.keys(localStorage).some((k) => k.startsWith('stille.unsaved.') \
             && localStorage.getItem(k).includes('Written as the page went.'))",
        )
        .await?;
    browser.client.refresh().await?;
    browser.goto(&format!("{base}/history")).await?;
    browser.wait_for_text(".entries .entry .entry-note", "Written as the page went.").await?;
    status_is(&browser, "Synced").await?;
    let notes: Vec<Value> = server_records(&stille, "ida@example.org").await?;
    assert!(
        notes.iter().any(|r| r["body"]["text"] == "Written as the page went."),
        "{}: the note reached the server: {notes:?}",
        engine.name()
    );
    let left = browser
        .eval("return Object.keys(localStorage).filter((k) => k.startsWith('stille.unsaved.')).length")
        .await?;
    assert_eq!(left, serde_json::json!(0), "{}: no copy left behind", engine.name());
    browser.close().await?;
    stille.stop().await
}

#[tokio::test]
#[ignore = "needs the built app and WebKitGTK: run `cargo xtask test`"]
async fn a_change_made_while_leaving_is_written_on_the_next_start_in_webkit() -> Result<()> {
    a_change_made_while_leaving_is_written_on_the_next_start(Engine::WebKit).await
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn a_change_made_while_leaving_is_written_on_the_next_start_in_chromium() -> Result<()> {
    a_change_made_while_leaving_is_written_on_the_next_start(Engine::Chromium).await
}

#[tokio::test]
#[ignore = "needs the built app and Firefox: run `cargo xtask test`"]
async fn a_change_made_while_leaving_is_written_on_the_next_start_in_firefox() -> Result<()> {
    a_change_made_while_leaving_is_written_on_the_next_start(Engine::Firefox).await
}

/// What IndexedDB answers on a page, each step given 3 s: opening, and a
/// read and a write on each store (a stuck database shows as TIMEOUT).
const PROBE: &str = r#"
const done = arguments[arguments.length - 1];
const limit = (p, ms) => Promise.race([p, new Promise((r) => setTimeout(() => r('TIMEOUT'), ms))]);
(async () => {
  const out = {};
  out.caches = await limit(caches.delete('audio-v1').then((x) => 'ok ' + x, (e) => 'err ' + e), 3000);
  const db = await limit(new Promise((res, rej) => { const r = indexedDB.open('stille'); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); }), 3000);
  out.open = db === 'TIMEOUT' ? 'TIMEOUT' : 'ok';
  if (db !== 'TIMEOUT') {
    for (const name of ['log', 'journal', 'outbox']) {
      out['read-' + name] = await limit(new Promise((res) => { const tx = db.transaction([name], 'readonly'); const q = tx.objectStore(name).count(); tx.oncomplete = () => res('ok ' + q.result); tx.onabort = () => res('abort'); }), 3000);
      out['write-' + name] = await limit(new Promise((res) => { const tx = db.transaction([name], 'readwrite'); tx.objectStore(name).get('x'); tx.oncomplete = () => res('ok'); tx.onabort = () => res('abort'); }), 3000);
    }
  }
  done(JSON.stringify(out));
})();
"#;
