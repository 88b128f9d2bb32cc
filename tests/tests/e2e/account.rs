//! A participant looks after her account on a phone, in Danish: changes her
//! name and her password, sees where she is signed in and signs out another
//! device, downloads what the server keeps, and erases the account. The
//! screens pass axe in both themes.

use anyhow::{Result, ensure};
use fantoccini::Locator;
use stille_e2e::flows::{PASSWORD, sign_up_in};
use stille_e2e::{Browser, Engine, Locale, Stille, audit_both_themes, axe_source};

const NEW_PASSWORD: &str = "en ny sætning om havet";

/// Whether a bearer token still opens the account.
async fn still_signed_in(stille: &Stille, token: &str) -> Result<bool> {
    let status = reqwest::Client::new().get(stille.url("/api/me")).bearer_auth(token).send().await?.status();
    Ok(status == 200)
}

/// Types `text` into the input at `css`, replacing what is there.
async fn retype(browser: &Browser, css: &str, text: &str) -> Result<()> {
    let input = browser.client.wait().for_element(Locator::Css(css)).await?;
    input.clear().await?;
    input.send_keys(text).await?;
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn a_participant_renames_changes_her_password_signs_out_a_device_exports_and_erases() -> Result<()> {
    let axe = axe_source()?;
    let stille = Stille::start().await?;
    let base = stille.url("");
    let ida = Browser::phone(Locale::Danish).await?;
    sign_up_in(&ida, &base, "Din konto", "Ida", "ida@example.org").await?;

    // The name others see.
    retype(&ida, "#profile-name", "Ida H.").await?;
    ida.click(".save-name").await?;
    ida.wait_for_text(".account-name-form .form-problem", "Gemt.").await?;
    ida.wait_for_text(".account-who strong", "Ida H.").await?;

    // Another device (a tablet, through the API), then a new password: the
    // current one is needed, and the tablet is signed out.
    let tablet = stille.bearer_token("ida@example.org", PASSWORD).await?;
    retype(&ida, "#password-current", "forkert kodeord").await?;
    retype(&ida, "#password-new", NEW_PASSWORD).await?;
    ida.click(".change-password").await?;
    ida.wait_for_text(".password-form .form-problem", "Den nuværende adgangskode passer ikke.").await?;
    ensure!(still_signed_in(&stille, &tablet).await?, "a wrong password changed nothing");
    retype(&ida, "#password-current", PASSWORD).await?;
    ida.click(".change-password").await?;
    ida.wait_for_text_like(".password-form .form-problem", "Din adgangskode er skiftet").await?;
    ensure!(!still_signed_in(&stille, &tablet).await?, "the tablet was signed out");

    // Where she is signed in: this phone, and a laptop she signs out from here.
    let laptop = stille.bearer_token("ida@example.org", NEW_PASSWORD).await?;
    ida.client.refresh().await?;
    ida.wait_for_text_like(".device", "Denne enhed").await?;
    ida.wait_until("two devices", "return document.querySelectorAll('li.device').length === 2").await?;
    ida.screenshot("account-manage-da").await?;
    let mut serious = audit_both_themes(&ida, &axe, "managing the account (Danish)").await?;
    ida.click(".end-session").await?;
    ida.wait_until("one device", "return document.querySelectorAll('li.device').length === 1").await?;
    ensure!(!still_signed_in(&stille, &laptop).await?, "the laptop was signed out");

    // Everything the server keeps, as a file.
    ida.click(".export-account").await?;
    ida.wait_until(
        "the download offered",
        "const a = document.querySelector('a.export-link[download=\"stille-account.json\"]'); \
         return !!a && a.href.startsWith('blob:')",
    )
    .await?;

    // Erasing needs the tick and the password.
    ida.click(".erase-account").await?;
    ida.wait_for_text(".erase-form .form-problem", "Sæt kryds for at bekræfte, og skriv din adgangskode.")
        .await?;
    retype(&ida, "#erase-password", NEW_PASSWORD).await?;
    ida.click(".erase-confirm").await?;
    ida.click(".erase-account").await?;
    ida.wait_until("back home", "return location.pathname === '/'").await?;
    let answer = reqwest::Client::new()
        .post(stille.url("/api/sessions"))
        .json(&serde_json::json!({"email": "ida@example.org", "password": NEW_PASSWORD}))
        .send()
        .await?;
    ensure!(answer.status() == 401, "the account is gone: {}", answer.status());

    // The reset page, opened without a whole link, says so.
    ida.goto(&stille.url("/reset#kort")).await?;
    ida.wait_for_text_like("[role=alert]", "Der mangler noget i linket").await?;
    serious.extend(audit_both_themes(&ida, &axe, "the reset page (Danish)").await?);
    assert!(serious.is_empty(), "serious or critical accessibility violations:\n{}", serious.join("\n"));
    ida.close().await?;
    stille.stop().await
}

/// Opens `details.forgot` on the account page, if closed.
async fn open_forgot(browser: &Browser) -> Result<()> {
    let summary = browser.client.wait().for_element(Locator::Css("details.forgot summary")).await?;
    browser.click_element(&summary).await?;
    Ok(())
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn on_a_server_that_sends_mail_a_sign_up_and_a_forgotten_password_go_by_mailed_links() -> Result<()> {
    by_mail(Engine::Chromium).await
}

/// The same on an iPhone's engine.
#[tokio::test]
#[ignore = "needs the built app and WebKitGTK: run `cargo xtask test`"]
async fn by_mailed_links_in_webkit() -> Result<()> {
    by_mail(Engine::WebKit).await
}

async fn by_mail(engine: Engine) -> Result<()> {
    let axe = axe_source()?;
    let stille = Stille::start_with_mail().await?;
    let sink = stille.mail.as_ref().expect("a mail sink");
    let base = stille.url("");
    let ida = Browser::open(engine, Locale::Danish).await?;
    let name = engine.name();

    // Signing up: the form says where the link went; no account yet.
    ida.goto(&format!("{base}/account")).await?;
    ida.wait_for_text("h1", "Din konto").await?;
    ida.click(".account-mode button:nth-child(2)").await?;
    ida.client.wait().for_element(Locator::Css("#account-name")).await?.send_keys("Ida").await?;
    ida.client.find(Locator::Css("#account-email")).await?.send_keys("Ida@Example.org").await?;
    ida.client.find(Locator::Css("#account-password")).await?.send_keys(PASSWORD).await?;
    ida.click(".account-submit").await?;
    ida.wait_for_text(".check-email h2", "Tjek din mail").await?;
    ida.wait_for_text(".check-email strong", "ida@example.org").await?;
    let mut serious = audit_both_themes(&ida, &axe, "check your email (Danish)").await?;

    // The mail is in the browser's language; its link finishes the account.
    let welcome = sink.nth_to("ida@example.org", 1).await;
    ensure!(welcome.text().contains("Linket virker én gang og i 24 timer"), "{}", welcome.text());
    let link = welcome.link(&format!("{base}/welcome#")).expect("a link to finish");
    ida.goto(&link).await?;
    ida.wait_for_text("h1", "Velkommen til Stille").await?;
    ensure!(
        ida.eval("return location.hash").await? == serde_json::json!(""),
        "the secret is gone from the address bar"
    );
    serious.extend(audit_both_themes(&ida, &axe, "the welcome page (Danish)").await?);
    ida.click(".welcome-finish").await?;
    ida.wait_for_text_like(".welcome-done", "Din konto er klar").await?;
    ida.screenshot(&format!("welcome-da-{name}")).await?;
    // The same link again (from another page: a link that differs only
    // after # would not load the page anew): used.
    ida.goto(&format!("{base}/help")).await?;
    ida.goto(&link).await?;
    let found = ida.client.wait().for_element(Locator::Css(".welcome-finish")).await?;
    ida.click_element(&found).await?;
    ida.wait_for_text_like(".welcome [role=alert]", "Linket virker ikke længere").await?;

    // Signed in with the password chosen at sign-up.
    ida.goto(&format!("{base}/account")).await?;
    ida.wait_for_text("h1", "Din konto").await?;
    ida.client.find(Locator::Css("#account-email")).await?.send_keys("ida@example.org").await?;
    ida.client.find(Locator::Css("#account-password")).await?.send_keys(PASSWORD).await?;
    ida.click(".account-submit").await?;
    ida.wait_for_text(".account-who strong", "Ida").await?;
    ida.click(".sign-out").await?;
    ida.wait_until("signed out and home", "return location.pathname === '/'").await?;

    // Forgotten password: a link by mail.
    ida.goto(&format!("{base}/account")).await?;
    ida.client.wait().for_element(Locator::Css("details.forgot")).await?;
    open_forgot(&ida).await?;
    ida.client.wait().for_element(Locator::Css("#forgot-email")).await?.send_keys("ida@example.org").await?;
    serious.extend(audit_both_themes(&ida, &axe, "forgot password by mail (Danish)").await?);
    ida.click(".forgot-send").await?;
    ida.wait_for_text_like(".forgot-sent", "er et link på vej").await?;
    ida.screenshot(&format!("forgot-by-mail-da-{name}")).await?;
    let reset = sink.nth_to("ida@example.org", 2).await;
    let link = reset.link(&format!("{base}/reset#")).expect("a reset link");
    ida.goto(&link).await?;
    ida.client.wait().for_element(Locator::Css("#reset-password")).await?.send_keys(NEW_PASSWORD).await?;
    ida.click(".reset-save").await?;
    ida.wait_for_text_like(".reset-done", "Din nye adgangskode er gemt").await?;
    ensure!(stille.bearer_token("ida@example.org", NEW_PASSWORD).await.is_ok(), "the new password works");
    assert!(serious.is_empty(), "serious or critical accessibility violations:\n{}", serious.join("\n"));
    ida.close().await?;
    stille.stop().await
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn an_instructor_makes_a_passkey_and_signs_in_with_it_alone_to_teach() -> Result<()> {
    let stille = Stille::start().await?;
    // Browsers make passkeys for a domain, never for an IP address: the
    // page is opened at localhost.
    let base = stille.url("").replace("127.0.0.1", "localhost");
    let base = base.trim_end_matches('/');
    stille.make_instructor("maja@example.org", "Maja", PASSWORD).await?;
    let maja = Browser::phone(Locale::English).await?;
    // A phone's own authenticator, as DevTools makes one: it verifies the
    // person (a fingerprint, say) without being asked.
    maja.cdp("WebAuthn.enable", serde_json::json!({})).await?;
    maja.cdp(
        "WebAuthn.addVirtualAuthenticator",
        serde_json::json!({"options": {"protocol": "ctap2", "transport": "internal", "hasResidentKey": true,
            "hasUserVerification": true, "isUserVerified": true, "automaticPresenceSimulation": true}}),
    )
    .await?;
    stille_e2e::flows::sign_in(&maja, base, "maja@example.org").await?;
    // Signed in with the password alone: the page says two steps are needed
    // and offers a passkey beside the app.
    maja.wait_for_text_like(".two-step-needed", "or make a passkey").await?;
    maja.wait_for_text(".passkeys-none", "You have no passkeys yet.").await?;
    let name = maja.client.find(Locator::Css("#passkey-name")).await?.prop("value").await?;
    // Named after the device (headless Chromium here says Linux).
    ensure!(name.as_deref() == Some("Linux"), "named after the device: {name:?}");
    maja.click(".passkey-add-button").await?;
    maja.wait_for_text_like(".passkey-add .form-problem", "password").await?;
    retype(&maja, "#passkey-password", PASSWORD).await?;
    maja.click(".passkey-add-button").await?;
    maja.wait_for_text(".passkey-added", "The passkey is saved. Next time you can sign in with it.").await?;
    maja.wait_for_text(".passkey .passkey-name", "Linux").await?;
    // This session now counts as two steps: the note that they are needed
    // goes without a reload.
    maja.wait_until("the two-step note gone", "return document.querySelector('.two-step-needed') === null")
        .await?;
    maja.screenshot("passkey-made").await?;
    let serious = audit_both_themes(&maja, &axe_source()?, "a passkey on the account page").await?;
    ensure!(serious.is_empty(), "serious or critical accessibility violations:\n{}", serious.join("\n"));

    // Signed out, then in again with the passkey alone: this session teaches.
    maja.click(".sign-out").await?;
    maja.wait_until("signed out and home", "return location.pathname === '/'").await?;
    maja.goto(&format!("{base}/account?next=/teach")).await?;
    maja.wait_for_text(".passkey-sign-in-button", "Sign in with a passkey").await?;
    maja.screenshot("passkey-sign-in").await?;
    maja.click(".passkey-sign-in-button").await?;
    maja.wait_for_text("h1", "Your courses").await?;
    maja.client.wait().for_element(Locator::Css("#course-title")).await?.send_keys("MSC med nøgle").await?;
    stille_e2e::flows::set_date(&maja, "#course-start", 0).await?;
    maja.click(".create-course").await?;
    maja.wait_for_text("h1", "MSC med nøgle").await?;
    maja.close().await?;
    stille.stop().await
}
