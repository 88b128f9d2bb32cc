//! A teacher's recording, as the server keeps it (MP3, mono, 24 kHz,
//! 48 kbit/s), plays in every engine a phone runs: WebKit (every iPhone
//! browser), Chromium and Firefox (Android). Each decodes the kept file
//! whole with Web Audio (what the player mixes from) and opens it in a media
//! element (what plays with the screen locked), at its full length and
//! with sound in it.

use anyhow::{Context, Result, ensure};
use serde_json::{Value, json};
use stille_e2e::{Browser, Engine, Locale, Stille};

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
    stille.make_instructor("karen@example.dk", "Karen", "a quiet harbour at dawn").await?;
    let token = stille.bearer_token("karen@example.dk", "a quiet harbour at dawn").await?;
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
