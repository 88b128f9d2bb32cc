//! Measures `cargo xtask dev`'s edit loop for `cargo xtask bench dev-loop`:
//! from a one-line change saved in `app/src` (a string on the home screen)
//! to the open page showing it, and from a one-line change in `style/` to the
//! page drawing with it, three times each. Prints one JSON object.
//!
//! Needs the dev server running at `STILLE_DEV_URL` (the bench starts it),
//! and STILLE_CHROMIUM and STILLE_CHROMEDRIVER as the end-to-end tests do.
//! Every file it changes is put back, also when a step fails.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::json;
use stille_e2e::{Browser, Locale, workspace_root};

const RUNS: usize = 3;
const HEADING: &str = r#"HomeHeading: "Velkommen til Stille", "Welcome to Stille";"#;

/// A file changed for a measurement, restored when dropped.
struct Edit {
    path: PathBuf,
    original: Option<Vec<u8>>,
}

impl Edit {
    fn write(path: PathBuf, text: &str) -> Result<Edit> {
        let original = std::fs::read(&path).ok();
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(Edit { path, original })
    }
}

impl Drop for Edit {
    fn drop(&mut self) {
        let _ = match &self.original {
            Some(bytes) => std::fs::write(&self.path, bytes),
            None => std::fs::remove_file(&self.path),
        };
    }
}

/// Polls `script` until it returns true; the time it took.
async fn until(browser: &Browser, what: &str, script: &str, started: Instant) -> Result<f64> {
    while browser.eval(script).await.ok() != Some(serde_json::Value::Bool(true)) {
        if started.elapsed() > Duration::from_secs(180) {
            bail!("{what}: not within 3 minutes");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(started.elapsed().as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() -> Result<()> {
    let url = std::env::var("STILLE_DEV_URL").context("STILLE_DEV_URL names the running dev server")?;
    let root = workspace_root();
    let browser = Browser::phone(Locale::English).await?;
    browser.goto(&url).await?;
    browser.wait_for_text("h1", "Welcome to Stille").await?;

    let i18n = root.join("app/src/i18n.rs");
    let source = std::fs::read_to_string(&i18n)?;
    anyhow::ensure!(
        source.contains(HEADING),
        "app/src/i18n.rs no longer has the home heading this bench edits"
    );
    let mut app_ms = Vec::new();
    for run in 0..RUNS {
        let marker = format!("Welcome to Stille ({run})");
        let edited = source.replace(HEADING, &HEADING.replace("Welcome to Stille", &marker));
        let started = Instant::now();
        let edit = Edit::write(i18n.clone(), &edited)?;
        let shows = format!("return document.querySelector('h1')?.textContent === {marker:?}");
        app_ms.push(until(&browser, "the app change on the page", &shows, started).await?);
        eprintln!("dev-loop: app run {} {:.0} ms", run + 1, app_ms[run]);
        drop(edit);
        until(
            &browser,
            "the change undone",
            "return document.querySelector('h1')?.textContent === 'Welcome to Stille'",
            Instant::now(),
        )
        .await?;
    }

    let probe = root.join("style/99-dev-loop-probe.css");
    let mut css_ms = Vec::new();
    for run in 0..RUNS {
        let colour = format!("rgb(1, 2, {})", 3 + run);
        let started = Instant::now();
        let edit = Edit::write(probe.clone(), &format!(".home h1 {{ outline-color: {colour}; }}\n"))?;
        let drawn = format!(
            "return getComputedStyle(document.querySelector('.home h1')).outlineColor === {colour:?}"
        );
        css_ms.push(until(&browser, "the style change drawn", &drawn, started).await?);
        eprintln!("dev-loop: css run {} {:.0} ms", run + 1, css_ms[run]);
        drop(edit);
        let undone = format!(
            "return getComputedStyle(document.querySelector('.home h1')).outlineColor !== {colour:?}"
        );
        until(&browser, "the style change undone", &undone, Instant::now()).await?;
    }
    browser.close().await?;
    println!("{}", json!({ "app_ms": app_ms, "css_ms": css_ms }));
    Ok(())
}
