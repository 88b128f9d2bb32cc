//! Reminders in the app (#18), on a phone in Danish: turned on in Settings
//! (the browser asks for permission then, and not on a visit before), kept
//! on the server with this phone's subscription, shown again after a reload;
//! a message as the server sends it shown by the service worker with the
//! practice's name, and a tap on it opening the practice; signing out takes
//! the phone's subscription off the server. A course message written on the
//! teacher's page reaches the participant's phone (saying only that there is
//! one) and home, and the teacher's read count follows.
//!
//! Chromium only: its DevTools deliver a push message to the service worker
//! (`ServiceWorker.deliverPushMessage`) and reach the worker to tap the
//! notification. A headless browser has no push service to subscribe at, so
//! the page's `PushManager` hands out a subscription the test made (real
//! keys; an endpoint at a push service the server is told about). The
//! server's sending is tested against a push-service stand-in in
//! `server/tests/api/push.rs`.

use std::time::Duration;

use anyhow::{Context, Result};
use serde_json::{Value, json};
use stille_e2e::{Browser, Locale, Stille, audit_both_themes, axe_source, flows};
use stille_practice::Lang;
use stille_server::push::text::About;

/// The push service the server is told about; nothing is sent to it here.
const PUSH: &str = "http://127.0.0.1:9";

/// Counts the page's requests for permission, and stands in for the
/// browser's push service with a subscription carrying `p256dh` and `auth`.
fn page_stub(p256dh: &str, auth: &str) -> String {
    format!(
        r#"
window.__stillePermissionAsked = 0;
const askFor = Notification.requestPermission.bind(Notification);
Notification.requestPermission = function () {{
  window.__stillePermissionAsked += 1;
  return askFor();
}};
// A browser keeps its subscription across reloads: so does this one.
function subscription(key) {{
  return {{
    endpoint: "{PUSH}/push/ida-phone",
    options: {{ applicationServerKey: new Uint8Array(key).buffer }},
    toJSON() {{ return {{ endpoint: this.endpoint, expirationTime: null, keys: {{ p256dh: "{p256dh}", auth: "{auth}" }} }}; }},
    async unsubscribe() {{ sessionStorage.removeItem("stille-test-push"); return true; }},
  }};
}}
PushManager.prototype.getSubscription = async function () {{
  const key = sessionStorage.getItem("stille-test-push");
  return key ? subscription(JSON.parse(key)) : null;
}};
PushManager.prototype.subscribe = async function (options) {{
  const key = new Uint8Array(options.applicationServerKey);
  window.__stilleServerKey = btoa(String.fromCharCode(...key)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  sessionStorage.setItem("stille-test-push", JSON.stringify(Array.from(key)));
  return subscription(key);
}};
"#
    )
}

/// Ida's phone in Danish, allowed to notify, whose `PushManager` hands out
/// a subscription with real keys ([`page_stub`]); its DevTools connection.
async fn phone_taking_push(base: &str) -> Result<(Browser, stille_e2e::devtools::Devtools)> {
    let (_, p256dh, _, auth) = stille_server::push::webpush::browser_keys()?;
    let ida = Browser::phone(Locale::Danish).await?;
    let mut devtools = ida.devtools().await?;
    devtools
        .call("Browser.grantPermissions", json!({ "origin": base, "permissions": ["notifications"] }), None)
        .await?;
    ida.cdp("Page.addScriptToEvaluateOnNewDocument", json!({ "source": page_stub(&p256dh, &auth) })).await?;
    Ok((ida, devtools))
}

/// Delivers `data` to the page's service worker as a push message and waits
/// until `shown` (a script) is true. DevTools' delivery is fire-and-forget:
/// one that reaches a worker Chromium is just starting or stopping is
/// dropped without a word, so it is delivered again (at most three times in
/// all) while nothing has been shown; what is shown then is named on failure.
async fn deliver_push(
    browser: &Browser,
    devtools: &mut stille_e2e::devtools::Devtools,
    page: &str,
    base: &str,
    data: &str,
    shown: &str,
) -> Result<()> {
    let registration = devtools.registration_id(page, base).await?;
    for attempt in 1..=3 {
        devtools
            .call(
                "ServiceWorker.deliverPushMessage",
                json!({ "origin": base, "registrationId": registration, "data": data }),
                Some(page),
            )
            .await?;
        if browser.wait_until_within("the notification shown", shown, Duration::from_secs(10)).await.is_ok() {
            return Ok(());
        }
        eprintln!("push delivery {attempt} showed nothing; again");
    }
    let notifications = browser
        .eval(
            "return navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((ns) => \
             JSON.stringify({ permission: Notification.permission, \
             worker: navigator.serviceWorker.controller && navigator.serviceWorker.controller.state, \
             shown: ns.map((n) => [n.title, n.body, n.tag, n.data]) }))",
        )
        .await?;
    anyhow::bail!("no notification after three deliveries: {notifications}")
}

/// Karen's course "MSC efterår" with an invite: her bearer token, the
/// course's id and the invite code.
async fn karens_course(stille: &Stille) -> Result<(String, String, String)> {
    stille.make_instructor("karen@example.dk", "Karen", stille_e2e::flows::PASSWORD).await?;
    let karen = stille.bearer_token("karen@example.dk", stille_e2e::flows::PASSWORD).await?;
    let form = json!({"title": "MSC efterår", "lang": "da", "time_zone": "Europe/Copenhagen", "start_date": "2026-11-02"});
    let course = flows::post(stille, Some(&karen), "/api/courses", form).await?;
    let course_id = course["id"].as_str().context("a course id")?.to_owned();
    let invite =
        flows::post(stille, Some(&karen), &format!("/api/courses/{course_id}/invite"), json!({})).await?;
    let code = invite["code"].as_str().context("a code")?.to_owned();
    Ok((karen, course_id, code))
}

async fn count(stille: &Stille, sql: &str) -> Result<i64> {
    let (n,): (i64,) = stille_server::on_store!(stille.store(), pool => {
        sqlx::query_as(sql).fetch_one(pool).await?
    });
    Ok(n)
}

/// Sets a time input's value as a person choosing a time does.
async fn set_time(browser: &Browser, css: &str, value: &str) -> Result<()> {
    let script = format!(
        "const input = document.querySelector({css:?}); input.value = {value:?}; \
         input.dispatchEvent(new Event('input', {{ bubbles: true }})); \
         input.dispatchEvent(new Event('change', {{ bubbles: true }})); return input.value"
    );
    browser.eval(&script).await?;
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn reminders_are_turned_on_on_the_phone_a_push_names_the_practice_and_a_tap_opens_it() -> Result<()> {
    let stille = Stille::start_with_push_services(PUSH).await?;
    let base = stille.url("");
    let (ida, mut devtools) = phone_taking_push(&base).await?;

    // A visit, an account and Settings: nothing asks to notify.
    ida.goto(&stille.url("/")).await?;
    flows::sign_up_in(&ida, &base, "Din konto", "Ida", "ida@example.dk").await?;
    ida.goto(&stille.url("/settings")).await?;
    ida.wait_for_text(".settings-reminders legend", "Påmindelser").await?;
    ida.wait_for_text(".reminder-here", "Denne telefon får ingen påmindelser.").await?;
    assert_eq!(
        ida.eval("return window.__stillePermissionAsked").await?,
        json!(0),
        "no permission asked on a visit"
    );

    // Weekday mornings (the form's default) and an evening time; then on.
    ida.click(".add-time").await?;
    ida.wait_until("a second time", "return document.querySelectorAll('.reminder-time input').length === 2")
        .await?;
    set_time(&ida, "#reminder-time-1", "20:00").await?;
    ida.screenshot("reminders-settings-da").await?;
    ida.click(".turn-on").await?;
    ida.wait_for_text(".reminder-said", "Påmindelser er slået til. Hverdage kl. 07:30 og 20:00.").await?;
    ida.wait_for_text(".reminder-here", "Påmindelserne kommer på denne telefon.").await?;
    assert_eq!(ida.eval("return window.__stillePermissionAsked").await?, json!(1), "asked once, on the tap");
    let key: Value = reqwest::get(stille.url("/api/push/key")).await?.json().await?;
    assert_eq!(
        ida.eval("return window.__stilleServerKey").await?,
        key["public_key"],
        "subscribed with the server's key"
    );

    // On the server: this phone, in Danish, and the plan in the phone's time zone.
    let devices: Vec<(String, String)> = stille_server::on_store!(stille.store(), pool => {
        sqlx::query_as("SELECT endpoint, lang FROM push_subscriptions").fetch_all(pool).await?
    });
    assert_eq!(devices, [(format!("{PUSH}/push/ida-phone"), "da".to_owned())]);
    let (plan,): (String,) = stille_server::on_store!(stille.store(), pool => {
        sqlx::query_as("SELECT plan FROM reminders").fetch_one(pool).await?
    });
    let plan: Value = serde_json::from_str(&plan)?;
    let zone = ida.eval("return Intl.DateTimeFormat().resolvedOptions().timeZone").await?;
    assert_eq!(plan["time_zone"], zone);
    assert_eq!(
        plan["times"],
        json!([{"days": [1, 2, 3, 4, 5], "at": "07:30"}, {"days": [1, 2, 3, 4, 5], "at": "20:00"}])
    );
    assert_eq!(plan["quiet"], json!({"from": "22:00", "to": "07:00"}));

    // A reload shows what is kept.
    ida.goto(&stille.url("/settings")).await?;
    ida.wait_for_text(".reminder-here", "Påmindelserne kommer på denne telefon.").await?;
    ida.wait_until("the kept times", "return document.querySelector('#reminder-time-1')?.value === '20:00'")
        .await?;
    let serious = audit_both_themes(&ida, &axe_source()?, "reminders in Settings (Danish)").await?;
    assert!(serious.is_empty(), "{serious:#?}");
    ida.screenshot("reminders-on-da").await?;

    // A message as the server sends it, delivered to the service worker.
    ida.wait_until("the service worker controls the page", "return !!navigator.serviceWorker.controller")
        .await?;
    let page = devtools.attach_to_page(&base).await?;
    let message =
        About::Practice { id: "mbsr-body-scan".into(), minutes: 45, day: 2, days: 6 }.message(Lang::Da);
    let shown = format!(
        "return navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((ns) => ns.length === 1 \
         && ns[0].title === 'Stille' && ns[0].body === {body} && ns[0].data.url === '/practices/mbsr-body-scan' \
         && ns[0].tag === 'reminder')",
        body = serde_json::to_string(&message.body)?
    );
    deliver_push(&ida, &mut devtools, &page, &base, &serde_json::to_string(&message)?, &shown).await?;

    // A tap on it opens the practice in the window that is open.
    let worker = devtools.attach_to_service_worker(&base).await?;
    let tapped = devtools
        .evaluate(
            &worker,
            "self.registration.getNotifications().then((ns) => { \
             self.dispatchEvent(new NotificationEvent('notificationclick', { notification: ns[0] })); return ns.length; })",
        )
        .await?;
    assert_eq!(tapped, json!(1));
    ida.wait_until("the practice opened", "return location.pathname === '/practices/mbsr-body-scan'").await?;
    let title =
        stille_practice::catalog().get("mbsr-body-scan").context("in the catalog")?.title.get(Lang::Da);
    ida.wait_for_text("h1", title).await?;
    ida.wait_until(
        "the notification closed",
        "return navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((ns) => ns.length === 0)",
    )
    .await?;

    // Signing out takes this phone's subscription off the server.
    ida.goto(&stille.url("/account")).await?;
    ida.wait_for_text(".account-who strong", "Ida").await?;
    ida.click(".sign-out").await?;
    let started = std::time::Instant::now();
    while count(&stille, "SELECT COUNT(*) FROM push_subscriptions").await? != 0 {
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(20),
            "the subscription stayed after signing out"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(count(&stille, "SELECT COUNT(*) FROM reminders").await?, 1, "the plan stays with the account");
    ida.close().await?;
    stille.stop().await
}

/// The width and height a PNG file says it has.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.len() < 24 || &bytes[..8] != b"\x89PNG\r\n\x1a\n" || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let read = |at: usize| bytes.get(at..at + 4).and_then(|b| b.try_into().ok()).map(u32::from_be_bytes);
    Some((read(16)?, read(20)?))
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn the_app_is_installable_with_icons_at_the_sizes_it_declares() -> Result<()> {
    let stille = Stille::start().await?;
    let http = reqwest::Client::new();
    let manifest: Value = http.get(stille.url("/manifest.webmanifest")).send().await?.json().await?;
    assert_eq!(manifest["display"], "standalone");
    assert_eq!(manifest["start_url"], "/");
    let icons = manifest["icons"].as_array().context("icons")?;
    let mut sizes = Vec::new();
    for icon in icons.iter().filter(|i| i["type"] == "image/png") {
        let src = icon["src"].as_str().context("src")?;
        let response = http.get(stille.url(src)).send().await?;
        assert_eq!(response.status(), 200, "{src}");
        let (width, height) =
            png_size(&response.bytes().await?).with_context(|| format!("{src} is not a PNG"))?;
        assert_eq!(icon["sizes"], format!("{width}x{height}"), "{src} is the size it declares");
        sizes.push((width, icon["purpose"].as_str().unwrap_or("any").to_owned()));
    }
    for needed in [(192, "any"), (512, "any"), (512, "maskable")] {
        assert!(sizes.iter().any(|(w, p)| *w == needed.0 && p == needed.1), "a {needed:?} icon in {sizes:?}");
    }
    // The home-screen icon an iPhone takes, linked from the page.
    let page = http.get(stille.url("/")).send().await?.text().await?;
    assert!(page.contains(r#"<link rel="apple-touch-icon" href="/apple-touch-icon.png">"#));
    let touch = http.get(stille.url("/apple-touch-icon.png")).send().await?.bytes().await?;
    assert_eq!(png_size(&touch), Some((180, 180)));

    // Chromium's own installability check (what Lighthouse reads), once the
    // service worker runs the page.
    let phone = Browser::phone(Locale::Danish).await?;
    phone.goto(&stille.url("/")).await?;
    phone
        .wait_until("the service worker controls the page", "return !!navigator.serviceWorker.controller")
        .await?;
    let checked = phone.cdp("Page.getInstallabilityErrors", json!({})).await?;
    assert_eq!(checked["installabilityErrors"], json!([]), "{checked}");

    // When Chromium offers to install, home says so once, quietly; the
    // button shows Chromium's own prompt, and the hint does not come back.
    // (The test sends the offer Chromium makes, with a prompt that notes it
    // was shown: a headless Chromium's own prompt has nobody to answer it.)
    const OFFER: &str = "window.__stillePrompted = 0; const offer = new Event('beforeinstallprompt', { cancelable: true }); \
        offer.prompt = async () => { window.__stillePrompted += 1; }; \
        offer.userChoice = Promise.resolve({ outcome: 'accepted', platform: 'web' }); \
        window.dispatchEvent(offer); return true";
    phone.wait_for_text(".now h2", "Hvad vil du øve nu?").await?;
    phone.eval(OFFER).await?;
    phone
        .wait_for_text(
            ".install-hint p",
            "Læg Stille på hjemmeskærmen, så den åbner som en app – også uden net.",
        )
        .await?;
    let serious = audit_both_themes(&phone, &axe_source()?, "the install hint on home (Danish)").await?;
    assert!(serious.is_empty(), "{serious:#?}");
    phone.screenshot("install-hint-da").await?;
    // The offer the button answers is the latest (Chromium may make its own too).
    phone.eval(OFFER).await?;
    phone.click(".install-add").await?;
    phone.wait_until("the hint gone", "return !document.querySelector('.install-hint')").await?;
    assert_eq!(phone.eval("return window.__stillePrompted").await?, json!(1), "Chromium's prompt was shown");
    phone.goto(&stille.url("/")).await?;
    phone.wait_for_text(".now h2", "Hvad vil du øve nu?").await?;
    phone.eval(OFFER).await?;
    phone.wait_for_text(".now h2", "Hvad vil du øve nu?").await?;
    assert_eq!(phone.eval("return localStorage.getItem('stille.install-hint.v1')").await?, json!("true"));
    assert!(phone.client.find_all(fantoccini::Locator::Css(".install-hint")).await?.is_empty(), "once only");
    phone.close().await?;
    stille.stop().await
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn a_course_message_reaches_a_participants_home_and_phone_and_the_teacher_sees_it_read() -> Result<()> {
    let stille = Stille::start_with_push_services(PUSH).await?;
    let base = stille.url("");
    let axe = axe_source()?;
    let (_, course_id, code) = karens_course(&stille).await?;

    // Ida joins and lets this phone take reminders (and so messages).
    let (ida, mut devtools) = phone_taking_push(&base).await?;
    ida.goto(&stille.url("/")).await?;
    flows::sign_up_in(&ida, &base, "Din konto", "Ida", "ida@example.dk").await?;
    let ida_token = stille.bearer_token("ida@example.dk", stille_e2e::flows::PASSWORD).await?;
    let consent = json!({"code": code, "consent": {"adherence": false, "reflections": false}});
    flows::post(&stille, Some(&ida_token), "/api/join", consent).await?;
    ida.goto(&stille.url("/settings")).await?;
    ida.wait_for_text(".reminder-here", "Denne telefon får ingen påmindelser.").await?;
    ida.click(".turn-on").await?;
    ida.wait_for_text(".reminder-here", "Påmindelserne kommer på denne telefon.").await?;

    // Karen writes to the group from the course's page.
    let karen = Browser::phone(Locale::Danish).await?;
    flows::sign_in_da(&karen, &stille, "karen@example.dk").await?;
    karen.goto(&stille.url(&format!("/teach/{course_id}"))).await?;
    karen.wait_for_text("#group-messages-heading", "Beskeder til holdet").await?;
    karen.wait_for_text(".group-messages .quiet", "Du har ikke sendt nogen beskeder endnu.").await?;
    let text = "Vi ses i lokale 2 på torsdag.\nTag gerne et tæppe med.";
    karen.client.find(fantoccini::Locator::Css("#message-text")).await?.send_keys(text).await?;
    karen.click(".send-message").await?;
    karen.wait_for_text(".message-said", "Beskeden er sendt.").await?;
    karen.wait_for_text(".sent-message .read-count", "Læst af 0 af 1").await?;
    let serious = audit_both_themes(&karen, &axe, "messages on the course's page (Danish)").await?;
    assert!(serious.is_empty(), "{serious:#?}");
    karen.screenshot("course-message-sent-da").await?;

    // On its way to Ida's phone: one message, saying only that there is one.
    let (payload,): (String,) = stille_server::on_store!(stille.store(), pool => {
        sqlx::query_as("SELECT payload FROM push_outbox WHERE topic = 'course-message'").fetch_one(pool).await?
    });
    let message: Value = serde_json::from_str(&payload)?;
    assert_eq!(message["body"], "Der er en ny besked fra dit hold. Åbn Stille for at læse den.");
    assert!(
        !payload.contains("lokale 2") && !payload.contains("MSC"),
        "nothing of it on a lock screen: {payload}"
    );

    // The phone shows it; a tap opens home, where the message is.
    ida.goto(&stille.url("/settings")).await?;
    ida.wait_until("the service worker controls the page", "return !!navigator.serviceWorker.controller")
        .await?;
    let page = devtools.attach_to_page(&base).await?;
    let shown = "return navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((ns) => \
                 ns.length === 1 && ns[0].tag === 'course-message' && ns[0].data.url === '/')";
    deliver_push(&ida, &mut devtools, &page, &base, &payload, shown).await?;
    let worker = devtools.attach_to_service_worker(&base).await?;
    devtools
        .evaluate(
            &worker,
            "self.registration.getNotifications().then((ns) => { \
             self.dispatchEvent(new NotificationEvent('notificationclick', { notification: ns[0] })); return ns.length; })",
        )
        .await?;
    ida.wait_until("home opened", "return location.pathname === '/'").await?;
    ida.wait_for_text("#messages-heading", "Besked fra dit hold").await?;
    ida.wait_for_text(".course-message .message-text", text).await?;
    ida.wait_for_text_like(".course-message .message-by", "Karen · MSC efterår").await?;
    let serious = audit_both_themes(&ida, &axe, "a course message on home (Danish)").await?;
    assert!(serious.is_empty(), "{serious:#?}");
    ida.screenshot("course-message-home-da").await?;

    // Ida marks it read: it moves under "earlier", and Karen's count is 1.
    ida.click(".course-message .mark-read").await?;
    ida.wait_for_text(".earlier-messages summary", "Tidligere beskeder (1)").await?;
    ida.wait_until("focus on the heading", "return document.activeElement?.id === 'messages-heading'")
        .await?;
    karen.goto(&stille.url(&format!("/teach/{course_id}"))).await?;
    karen.wait_for_text(".sent-message .read-count", "Læst af 1 af 1").await?;
    karen.close().await?;
    ida.close().await?;
    stille.stop().await
}

#[tokio::test]
#[ignore = "needs the built app, WebKitGTK and Firefox: run `cargo xtask test`"]
async fn reminders_and_a_course_message_read_well_on_a_phone_in_webkit_and_firefox() -> Result<()> {
    let stille = Stille::start_with_push_services(PUSH).await?;
    let base = stille.url("");
    let axe = axe_source()?;
    let (karen, course_id, code) = karens_course(&stille).await?;
    for engine in [stille_e2e::Engine::WebKit, stille_e2e::Engine::Firefox] {
        let name = engine.name();
        let phone = Browser::open(engine, Locale::Danish).await?;
        phone.goto(&stille.url("/")).await?;
        let email = format!("ida-{name}@example.dk");
        flows::sign_up_in(&phone, &base, "Din konto", "Ida", &email).await?;
        let token = stille.bearer_token(&email, stille_e2e::flows::PASSWORD).await?;
        let consent = json!({"code": code, "consent": {"adherence": false, "reflections": false}});
        flows::post(&stille, Some(&token), "/api/join", consent).await?;
        let text = format!("Velkommen, {name}! Vi ses i lokale 2 på torsdag kl. 17.");
        flows::post(
            &stille,
            Some(&karen),
            &format!("/api/courses/{course_id}/messages"),
            json!({ "text": text }),
        )
        .await?;

        phone.goto(&stille.url("/")).await?;
        phone.wait_for_text(".course-message .message-text", &text).await?;
        let serious = audit_both_themes(&phone, &axe, &format!("a course message on home ({name})")).await?;
        assert!(serious.is_empty(), "{serious:#?}");
        phone.screenshot(&format!("course-message-home-{name}")).await?;
        phone.click(".course-message .mark-read").await?;
        phone.wait_for_text(".earlier-messages summary", "Tidligere beskeder (1)").await?;

        phone.goto(&stille.url("/settings")).await?;
        phone.wait_for_text(".settings-reminders legend", "Påmindelser").await?;
        let serious = audit_both_themes(&phone, &axe, &format!("reminders in Settings ({name})")).await?;
        assert!(serious.is_empty(), "{serious:#?}");
        phone.screenshot(&format!("reminders-settings-{name}")).await?;
        phone.close().await?;
    }
    stille.stop().await
}
