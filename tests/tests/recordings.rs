//! A teacher's recording: uploaded from the course's dashboard on a phone
//! and shared with the course; and as the server keeps it (MP3, mono,
//! 24 kHz, 48 kbit/s), playing in every engine a phone runs: WebKit (every
//! iPhone browser), Chromium and Firefox (Android). Each decodes the kept
//! file whole with Web Audio (what the player mixes from) and opens it in a
//! media element (what plays with the screen locked), at its full length and
//! with sound in it.

use anyhow::{Context, Result, ensure};
use fantoccini::Locator;
use serde_json::{Value, json};
use stille_e2e::flows::PASSWORD;
use stille_e2e::{Browser, Engine, Locale, Stille, audit_both_themes, axe_source};

/// The kept file's length, seconds.
const SECONDS: f64 = 6.0;

/// Decodes the audio at `arguments[0]` with an OfflineAudioContext and opens
/// it in an <audio>: both lengths (s) and the decoded peak.
const DECODE: &str = r#"
const url = arguments[0];
return (async () => {
  const bytes = await (await fetch(url)).arrayBuffer();
  const context = new OfflineAudioContext(1, 1, 44100);
  const decoded = await context.decodeAudioData(bytes);
  let peak = 0;
  for (const s of decoded.getChannelData(0)) peak = Math.max(peak, Math.abs(s));
  const element = new Audio();
  const opened = await new Promise(resolve => {
    element.onloadedmetadata = () => resolve(element.duration);
    element.onerror = () => resolve('error ' + (element.error && element.error.code));
    element.preload = 'metadata';
    element.src = url;
  });
  return { decoded: decoded.duration, element: opened, peak };
})();
"#;

/// An MP3 as a teacher's laptop exports one (stereo, 128 kbit/s).
fn export() -> Result<Vec<u8>> {
    let dir = tempfile::TempDir::new()?;
    let file = dir.path().join("take.mp3");
    let source = format!("sine=frequency=330:sample_rate=44100:duration={SECONDS}");
    let status = std::process::Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", &source])
        .args(["-ac", "2", "-c:a", "libmp3lame", "-b:a", "128k"])
        .arg(&file)
        .status()
        .context("running ffmpeg (`cargo xtask test` installs it)")?;
    ensure!(status.success(), "ffmpeg made the take");
    Ok(std::fs::read(file)?)
}

async fn decodes_in(engine: Engine) -> Result<()> {
    let stille = Stille::start_two_step_optional().await?;
    stille.make_instructor("karen@example.dk", "Karen", PASSWORD).await?;
    let token = stille.bearer_token("karen@example.dk", PASSWORD).await?;
    let response = reqwest::Client::new()
        .post(stille.url("/api/recordings?title=Kropsscanning&lang=da"))
        .bearer_auth(&token)
        .header("content-type", "audio/mpeg")
        .body(export()?)
        .send()
        .await?;
    ensure!(response.status() == 201, "uploaded: {}", response.text().await?);
    let recording: Value = response.json().await?;
    let id = recording["id"].as_str().context("an id")?;
    // Published, so the page needs no session to fetch it.
    stille_server::recordings::admin_publish(stille.store(), id, true).await?;

    let browser = Browser::open(engine, Locale::Danish).await?;
    browser.goto(&stille.url("/")).await?;
    browser.wait_until("the app has started", "return document.getElementById('boot') === null").await?;
    let audio = stille.url(recording["audio"].as_str().context("its audio")?);
    let heard = browser.client.execute(DECODE, vec![json!(audio)]).await?;
    let name = engine.name();
    let decoded = heard["decoded"].as_f64().with_context(|| format!("{name}: decoded {heard}"))?;
    let element = heard["element"].as_f64().with_context(|| format!("{name}: the media element: {heard}"))?;
    let peak = heard["peak"].as_f64().unwrap_or(0.0);
    ensure!((decoded - SECONDS).abs() < 0.15, "{name}: decoded {decoded} s of {SECONDS}");
    ensure!((element - SECONDS).abs() < 0.3, "{name}: the media element says {element} s of {SECONDS}");
    ensure!(peak > 0.1, "{name}: the decoded peak is {peak}: no sound");
    browser.close().await?;
    stille.stop().await
}

#[tokio::test]
#[ignore = "needs the built app and WebKitGTK: run `cargo xtask test`"]
async fn a_kept_recording_plays_in_webkit() -> Result<()> {
    decodes_in(Engine::WebKit).await
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn a_kept_recording_plays_in_chromium() -> Result<()> {
    decodes_in(Engine::Chromium).await
}

#[tokio::test]
#[ignore = "needs the built app and Firefox: run `cargo xtask test`"]
async fn a_kept_recording_plays_in_firefox() -> Result<()> {
    decodes_in(Engine::Firefox).await
}

/// Signs `email` in on the Danish account page.
async fn sign_in_da(browser: &Browser, stille: &Stille, email: &str) -> Result<()> {
    browser.goto(&stille.url("/account")).await?;
    browser.wait_for_text("h1", "Din konto").await?;
    browser.client.find(Locator::Css("#account-email")).await?.send_keys(email).await?;
    browser.client.find(Locator::Css("#account-password")).await?.send_keys(PASSWORD).await?;
    browser.click(".account-submit").await?;
    browser.wait_until("signed in", "return !!document.querySelector('.account-who')").await
}

/// The instructor's own recordings, as the API lists them.
async fn own_recordings(stille: &Stille, token: &str) -> Result<Vec<Value>> {
    let list: Value = reqwest::Client::new()
        .get(stille.url("/api/recordings"))
        .bearer_auth(token)
        .send()
        .await?
        .json()
        .await?;
    Ok(list["recordings"].as_array().cloned().unwrap_or_default())
}

#[tokio::test]
#[ignore = "needs the built app and Chromium: run `cargo xtask test`"]
async fn an_instructor_uploads_her_own_recording_for_her_course_on_a_phone() -> Result<()> {
    let axe = axe_source()?;
    let stille = Stille::start_two_step_optional().await?;
    stille.make_instructor("karen@example.dk", "Karen", PASSWORD).await?;
    let token = stille.bearer_token("karen@example.dk", PASSWORD).await?;
    let form = json!({"title": "MSC efterår", "lang": "da", "time_zone": "Europe/Copenhagen", "start_date": "2026-11-02"});
    let course: Value = reqwest::Client::new()
        .post(stille.url("/api/courses"))
        .bearer_auth(&token)
        .json(&form)
        .send()
        .await?
        .json()
        .await?;
    let course_id = course["id"].as_str().context("a course id")?.to_owned();
    let files = tempfile::TempDir::new()?;
    let take = files.path().join("kropsscanning_om_aftenen.mp3");
    std::fs::write(&take, export()?)?;
    let not_sound = files.path().join("noter.mp3");
    std::fs::write(&not_sound, "Husk: tæpper, puder og en klokke.\n".repeat(40))?;

    let karen = Browser::phone(Locale::Danish).await?;
    sign_in_da(&karen, &stille, "karen@example.dk").await?;
    karen.goto(&stille.url(&format!("/teach/{course_id}"))).await?;
    karen.wait_for_text("#recordings-heading", "Din stemme").await?;
    karen.wait_for_text_like(".teach-recordings .quiet", "ikke lagt nogen optagelser op").await?;
    let mut serious = audit_both_themes(&karen, &axe, "the dashboard's recordings (Danish)").await?;

    // Choosing the file names the recording after it; sending keeps it and
    // shares it with this course.
    let file_path = take.to_str().context("a path")?;
    karen.client.find(Locator::Css("#recording-file")).await?.send_keys(file_path).await?;
    karen
        .wait_until(
            "the title from the file's name",
            "return document.querySelector('#recording-title').value === 'kropsscanning om aftenen'",
        )
        .await?;
    karen.click(".recording-send").await?;
    karen.wait_for_text(".recording-status", "Lagt op og delt med holdet.").await?;
    karen.wait_for_text(".recording-title strong", "kropsscanning om aftenen").await?;
    karen
        .wait_until("the course hears it", "return document.querySelector('.recording-share input').checked")
        .await?;
    karen.eval("document.querySelector('.teach-recordings').scrollIntoView(); return true").await?;
    karen.screenshot("recordings-dashboard-da").await?;
    let own = own_recordings(&stille, &token).await?;
    ensure!(own.len() == 1 && own[0]["courses"] == json!([course_id]), "kept and shared: {own:?}");
    serious.extend(audit_both_themes(&karen, &axe, "the dashboard with a recording (Danish)").await?);

    // A file that is not sound: the server's reason, in a sentence that leads in Danish.
    karen
        .client
        .find(Locator::Css("#recording-file"))
        .await?
        .send_keys(not_sound.to_str().context("a path")?)
        .await?;
    karen.click(".recording-send").await?;
    karen.wait_for_text_like(".recording-upload [role=alert]", "Filen kunne ikke bruges").await?;
    karen.eval("document.querySelector('.recording-upload [role=alert]').scrollIntoView({block: 'center'}); return true").await?;
    karen.screenshot("recordings-refused-da").await?;
    ensure!(own_recordings(&stille, &token).await?.len() == 1, "nothing more was kept");

    // Not heard in this course any more.
    karen.click(".recording-share input").await?;
    let mut shared = json!([course_id]);
    for _ in 0..100 {
        shared = own_recordings(&stille, &token).await?[0]["courses"].clone();
        if shared == json!([]) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    ensure!(shared == json!([]), "unshared: {shared}");
    assert!(serious.is_empty(), "serious or critical accessibility violations:\n{}", serious.join("\n"));
    karen.close().await?;
    stille.stop().await
}
