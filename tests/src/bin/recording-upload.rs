//! Measures a whole-take upload for `cargo xtask bench`: a teacher's
//! 45-minute practice, made here with ffmpeg as a phone or a laptop would
//! export it (MP3 128 kbit/s stereo, and WAV mono 16-bit), uploaded to the
//! server in this process over HTTP; the time from the first byte sent to
//! the answer (received, checked, measured, converted, stored), the size
//! kept, three runs each.
//!
//! Prints one JSON object. Needs ffmpeg on the PATH (`cargo xtask` installs it).

use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use stille_server::{Application, Config};

/// 45 minutes, in seconds.
const TAKE_S: u32 = 45 * 60;
const RUNS: usize = 3;
const PASSWORD: &str = "a quiet harbour at dawn";

/// Speech-like sound: pink noise whose level swells and falls every few
/// seconds (phrases and pauses), so the encoder works as it would on a voice.
fn take(dir: &std::path::Path, name: &str, output: &[&str]) -> Result<std::path::PathBuf> {
    let file = dir.join(name);
    let source = format!("anoisesrc=color=pink:amplitude=0.3:sample_rate=44100:duration={TAKE_S}");
    let status = Command::new("ffmpeg")
        .args(["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", &source])
        .args(["-af", "apulsator=hz=0.3:amount=0.9"])
        .args(output)
        .arg(&file)
        .status()
        .context("running ffmpeg (apt-get install ffmpeg)")?;
    if !status.success() {
        bail!("ffmpeg could not make {name}");
    }
    Ok(file)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

#[tokio::main]
async fn main() -> Result<()> {
    let data = tempfile::TempDir::new()?;
    let mut config = Config::for_data_dir(data.path());
    config.instructor_two_step = stille_server::accounts::two_step::Policy::Optional;
    config.recording_quota_mb = 10_000;
    let app = Application::build(&config).await?;
    let addr = app.local_addr()?;
    let store = app.store();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run(async move {
        let _ = stopped.await;
    }));
    stille_server::accounts::create_instructor(
        &store,
        "karen@example.dk",
        "Karen",
        stille_server::accounts::Unverified::Refuse,
        || Ok(PASSWORD.to_owned()),
    )
    .await?;
    let http = reqwest::Client::new();
    let login: Value = http
        .post(format!("http://{addr}/api/sessions"))
        .json(&json!({ "email": "karen@example.dk", "password": PASSWORD, "token": true }))
        .send()
        .await?
        .json()
        .await?;
    let token = login["token"].as_str().context("a bearer token")?.to_owned();

    let files = tempfile::TempDir::new()?;
    let inputs = [
        (
            "MP3, 128 kbit/s stereo",
            "audio/mpeg",
            take(files.path(), "take.mp3", &["-ac", "2", "-c:a", "libmp3lame", "-b:a", "128k"])?,
        ),
        (
            "WAV, 16-bit mono 44.1 kHz",
            "audio/wav",
            take(files.path(), "take.wav", &["-ac", "1", "-c:a", "pcm_s16le"])?,
        ),
    ];
    let mut results = Vec::new();
    for (what, content_type, file) in inputs {
        let bytes = std::fs::read(&file)?;
        let mut seconds = Vec::new();
        let mut kept = json!(null);
        for run in 0..RUNS {
            let started = Instant::now();
            let response = http
                .post(format!("http://{addr}/api/recordings?title=Kropsscanning%20{run}&lang=da"))
                .bearer_auth(&token)
                .header("content-type", content_type)
                .body(bytes.clone())
                .send()
                .await?;
            let status = response.status();
            let body: Value = response.json().await?;
            if status != 201 {
                bail!("{what}: {status} {body}");
            }
            seconds.push(started.elapsed().as_secs_f64());
            kept = body;
        }
        results.push(json!({
            "input": what,
            "input_bytes": bytes.len(),
            "seconds": seconds.clone(),
            "median_s": median(&mut seconds),
            "kept_bytes": kept["bytes"],
            "duration_ms": kept["duration_ms"],
        }));
    }
    let _ = stop.send(());
    server.await??;
    println!("{}", json!({ "take_s": TAKE_S, "runs": RUNS, "results": results }));
    Ok(())
}
