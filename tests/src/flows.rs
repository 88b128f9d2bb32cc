//! Steps many end-to-end tests take in the app: signing up or in through
//! its forms, logging an informal practice, waiting for the sync line.

use anyhow::{Result, ensure};
use fantoccini::Locator;
use serde_json::Value;

use crate::{Browser, Stille};

pub const PASSWORD: &str = "a quiet lake at dawn";

/// Logs an informal practice with a note, from its page, and returns to the
/// history (one with a single note field: an events calendar has a field per
/// question).
pub async fn log_informal(browser: &Browser, base: &str, note: &str) -> Result<()> {
    log_practice(browser, base, "informal-self-compassion-break-moment", note).await
}

/// Logs the informal practice `id` ("I did this today") with a note.
pub async fn log_practice(browser: &Browser, base: &str, id: &str, note: &str) -> Result<()> {
    browser.goto(&format!("{base}/practices/{id}")).await?;
    // The page comes with its wasm chunk, after the app has started.
    let found = browser.client.wait().for_element(Locator::Css(".log-informal")).await?;
    browser.click_element(&found).await?;
    browser.wait_for_text(".after h2", "Take a moment").await?;
    browser.client.find(Locator::Css("#after-note")).await?.send_keys(note).await?;
    browser.click(".after-save").await?;
    browser.wait_for_text("h1", "Your practice").await?;
    Ok(())
}

/// Creates an account in the app's form (and is then signed in).
pub async fn sign_up(browser: &Browser, base: &str, name: &str, email: &str) -> Result<()> {
    browser.goto(&format!("{base}/account")).await?;
    fill_sign_up(browser, name, email).await?;
    browser.wait_for_text(".account-who strong", name).await?;
    Ok(())
}

/// Creates an account in the app's form, in a browser whose account page is
/// headed `heading` (its language), and waits until it says who is signed in.
pub async fn sign_up_in(browser: &Browser, base: &str, heading: &str, name: &str, email: &str) -> Result<()> {
    browser.goto(&format!("{base}/account")).await?;
    browser.wait_for_text("h1", heading).await?;
    fill_form(browser, name, email).await?;
    browser.wait_for_text(".account-who strong", name).await?;
    Ok(())
}

/// Fills and sends the account page's "Create an account" form (the page is open).
pub async fn fill_sign_up(browser: &Browser, name: &str, email: &str) -> Result<()> {
    browser.wait_for_text("h1", "Your account").await?;
    fill_form(browser, name, email).await
}

async fn fill_form(browser: &Browser, name: &str, email: &str) -> Result<()> {
    browser.click(".account-mode button:nth-child(2)").await?;
    browser.client.wait().for_element(Locator::Css("#account-name")).await?.send_keys(name).await?;
    browser.client.find(Locator::Css("#account-email")).await?.send_keys(email).await?;
    browser.client.find(Locator::Css("#account-password")).await?.send_keys(PASSWORD).await?;
    browser.click(".account-submit").await?;
    Ok(())
}

pub async fn sign_in(browser: &Browser, base: &str, email: &str) -> Result<()> {
    sign_in_no_wait(browser, base, email).await?;
    browser.wait_until("signed in", "return !!document.querySelector('.account-who')").await
}

/// Fills and sends the sign-in form (English), without waiting for the outcome.
pub async fn sign_in_no_wait(browser: &Browser, base: &str, email: &str) -> Result<()> {
    browser.goto(&format!("{base}/account")).await?;
    browser.wait_for_text("h1", "Your account").await?;
    browser.client.find(Locator::Css("#account-email")).await?.send_keys(email).await?;
    browser.client.find(Locator::Css("#account-password")).await?.send_keys(PASSWORD).await?;
    browser.click(".account-submit").await?;
    Ok(())
}

/// Waits until the header's sync line says `text`.
pub async fn status_is(browser: &Browser, text: &str) -> Result<()> {
    if let Err(error) = browser.wait_for_text(".sync-status a", text).await {
        let shown = browser.text(".sync-status").await.unwrap_or_default();
        browser.screenshot("sync-status-failure").await?;
        return Err(error.context(format!("the sync line says {shown:?}")));
    }
    Ok(())
}

/// Turns on two-step sign-in on the account page (signed in): the password,
/// the secret as the page shows it for typing, and the app's code. Returns
/// the secret, to make later codes with.
pub async fn turn_on_two_step(browser: &Browser, base: &str) -> Result<String> {
    browser.goto(&format!("{base}/account")).await?;
    browser.client.wait().for_element(Locator::Css("#two-step-password")).await?.send_keys(PASSWORD).await?;
    browser.click(".two-step-start-button").await?;
    let secret = browser.client.wait().for_element(Locator::Css(".two-step-secret")).await?.text().await?;
    browser.screenshot("two-step-set-up").await?;
    let code = code(&secret, 0)?;
    browser.client.find(Locator::Css("#two-step-code")).await?.send_keys(&code).await?;
    browser.click(".two-step-on").await?;
    browser.client.wait().for_element(Locator::Css(".two-step-is-on")).await?;
    Ok(secret)
}

/// The code an authenticator app with `secret` shows, `steps_ahead` 30-second
/// steps from now (a code works once, so a second sign-in within one step
/// uses the next, which the server accepts as a phone's clock drift).
pub fn code(secret: &str, steps_ahead: i64) -> Result<String> {
    let now = stille_server::now_ms() + steps_ahead * 30_000;
    stille_server::accounts::two_step::code_now(secret, now)
        .ok_or_else(|| anyhow::anyhow!("{secret:?} is not base32"))
}

/// Signs in through the account page in Danish and waits until it says who is signed in.
pub async fn sign_in_da(browser: &Browser, stille: &Stille, email: &str) -> Result<()> {
    browser.goto(&stille.url("/account")).await?;
    browser.wait_for_text("h1", "Din konto").await?;
    browser.client.find(Locator::Css("#account-email")).await?.send_keys(email).await?;
    browser.client.find(Locator::Css("#account-password")).await?.send_keys(PASSWORD).await?;
    browser.click(".account-submit").await?;
    browser.wait_until("signed in", "return !!document.querySelector('.account-who')").await
}

/// POSTs `body` to `path` of the API as `token`'s account (or nobody) and
/// gives back the answer, which must be a success.
pub async fn post(stille: &Stille, token: Option<&str>, path: &str, body: Value) -> Result<Value> {
    let mut request = reqwest::Client::new().post(stille.url(path)).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await?;
    let status = response.status();
    let answer: Value = response.json().await.unwrap_or(Value::Null);
    ensure!(status.is_success(), "POST {path}: {status} {answer}");
    Ok(answer)
}

/// Opens the header's menu (a phone's header keeps its places behind one
/// button) and waits until its list shows.
pub async fn open_menu(browser: &Browser) -> Result<()> {
    browser.click(".menu-button").await?;
    browser.wait_until("the menu is open", "return !!document.querySelector('#site-menu.open')").await
}

/// ms since 1970 of `days` days from today (UTC), at `hour`: for records
/// pushed as if made on other days.
pub fn day_at(days: i64, hour: i64) -> i64 {
    let now = stille_server::now_ms();
    (now.div_euclid(86_400_000) + days) * 86_400_000 + hour * 3_600_000
}

/// Sets a date input the way a person's picker would (an input event).
pub async fn set_date(browser: &Browser, css: &str, days_from_today: i32) -> Result<String> {
    let script = format!(
        "const d = new Date(Date.now() + {days_from_today} * 86400000); \
         const v = d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0'); \
         const i = document.querySelector('{css}'); i.value = v; \
         i.dispatchEvent(new Event('input', {{ bubbles: true }})); return v;"
    );
    Ok(browser.eval(&script).await?.as_str().unwrap_or_default().to_owned())
}
