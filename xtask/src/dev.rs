//! `cargo xtask dev`: the fast edit loop. The app is built in a quick wasm
//! profile (`wasm-dev`: no optimisation, no LTO, no split, no wasm-opt, no
//! precompression) into `<target>/dev-site`, the server runs over it, and a
//! watcher rebuilds what an edit touched:
//!
//! | edited | rebuilt | the open page |
//! |---|---|---|
//! | `style/*.css` | the joined stylesheet | swaps it in place (no reload) |
//! | `app/`, `audio/` | the wasm, wasm-bindgen | reloads |
//! | `practice/` (catalog, domain) | the wasm and the server | reloads after the server restarts |
//! | `server/` | the server (restarted) | reloads |
//!
//! The page follows through `/dev/reload.js`, which polls `/dev/state.json`;
//! a failed build is shown on the page until the next good one. The dev site
//! serves a service worker that removes itself and every cache (a release
//! build served on the same address earlier would otherwise keep answering
//! from its cache), and the app registers none in a debug build.
//!
//! `cargo xtask serve` stays the production build.

use std::collections::BTreeSet;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use notify::{EventKind, RecursiveMode, Watcher};

use crate::{paths, run, site, tools};

/// What an edit asks to rebuild.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    Style,
    /// `app/static/*` and `app/index.html`: copied, no compiling.
    Shell,
    App,
    Server,
}

/// The parts an edited file (relative to the workspace) belongs to.
pub fn parts_of(path: &Path) -> Vec<Part> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    // Editors' swap and backup files, and anything hidden.
    if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".tmp") {
        return Vec::new();
    }
    let mut parts = path.components().map(|c| c.as_os_str().to_str().unwrap_or_default());
    match (parts.next(), parts.next()) {
        (Some("style"), _) if name.ends_with(".css") => vec![Part::Style],
        (Some("app"), Some("static" | "index.html")) => vec![Part::Shell],
        // The release service worker: the dev site serves its own.
        (Some("app"), Some("sw.js")) => Vec::new(),
        (Some("app" | "audio"), _) => vec![Part::App],
        (Some("practice"), _) => vec![Part::App, Part::Server],
        (Some("server"), _) => vec![Part::Server],
        _ => Vec::new(),
    }
}

/// The directories watched (relative to the workspace).
const WATCHED: [&str; 5] = ["app", "audio", "practice", "server", "style"];

/// Where the dev site is written.
pub fn site_dir() -> PathBuf {
    paths::target_dir().join("dev-site")
}

pub fn run(server_args: &[String]) -> Result<()> {
    tools::ensure_wasm_target()?;
    let bindgen = tools::wasm_bindgen()?;
    let root = paths::root();
    let dir = site_dir();
    let mut state = State { n: now_ms(), kind: "app", style: String::new(), error: None };

    run::step("dev build (fast wasm profile, no split, no wasm-opt)");
    fs::create_dir_all(dir.join("dev"))?;
    write_shell(&dir)?;
    state.style = write_style(&dir)?;
    build_app(&bindgen.cli, &dir).map_err(|e| anyhow::anyhow!("{e}"))?;
    build_server().map_err(|e| anyhow::anyhow!("{e}"))?;
    write_state(&dir, &state)?;
    let mut server = start_server(&dir, server_args)?;

    let (events, receive) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let _ = events.send(event);
    })?;
    for each in WATCHED {
        watcher.watch(&root.join(each), RecursiveMode::Recursive)?;
    }
    eprintln!("\nwatching {} for changes (Ctrl-C stops)", WATCHED.join(", "));

    loop {
        let touched = next_edits(&receive, &root)?;
        if touched.is_empty() {
            continue;
        }
        let started = Instant::now();
        let names: Vec<String> = touched.iter().map(|p| format!("{p:?}").to_lowercase()).collect();
        run::step(&format!("rebuilding: {}", names.join(", ")));
        let mut error = None;
        // The first view in index.html takes its words from app/src/i18n.rs.
        if touched.contains(&Part::Shell) || touched.contains(&Part::App) {
            write_shell(&dir)?;
        }
        if touched.contains(&Part::Style) {
            state.style = write_style(&dir)?;
        }
        if touched.contains(&Part::App)
            && let Err(e) = build_app(&bindgen.cli, &dir)
        {
            error = Some(e);
        }
        if error.is_none() && touched.contains(&Part::Server) {
            match build_server() {
                Ok(()) => {
                    stop_server(&mut server);
                    server = start_server(&dir, server_args)?;
                }
                Err(e) => error = Some(e),
            }
        }
        state.n += 1;
        state.kind = if touched == BTreeSet::from([Part::Style]) { "css" } else { "app" };
        state.error = error;
        write_state(&dir, &state)?;
        match &state.error {
            None => eprintln!("ready in {:.1} s", started.elapsed().as_secs_f64()),
            Some(_) => eprintln!("the build failed (shown on the page too); waiting for the next edit"),
        }
    }
}

/// Waits for file events and gathers the burst that one save makes (editors
/// write, rename and touch in quick succession): everything until 150 ms pass
/// without another event.
fn next_edits(
    receive: &mpsc::Receiver<notify::Result<notify::Event>>,
    root: &Path,
) -> Result<BTreeSet<Part>> {
    let mut touched = BTreeSet::new();
    let mut take = |event: notify::Result<notify::Event>| -> Result<()> {
        let event = event.context("watching the sources")?;
        if matches!(event.kind, EventKind::Access(_) | EventKind::Other) {
            return Ok(());
        }
        for path in &event.paths {
            if let Ok(relative) = path.strip_prefix(root) {
                touched.extend(parts_of(relative));
            }
        }
        Ok(())
    };
    take(receive.recv().context("the file watcher stopped")?)?;
    while let Ok(event) = receive.recv_timeout(Duration::from_millis(150)) {
        take(event)?;
    }
    Ok(touched)
}

/// What `/dev/state.json` says: a build number, what changed (`css` swaps the
/// stylesheet, `app` reloads), the stylesheet's address, and a failed build's errors.
#[derive(Debug, serde::Serialize)]
struct State {
    n: u64,
    kind: &'static str,
    style: String,
    error: Option<String>,
}

fn write_state(dir: &Path, state: &State) -> Result<()> {
    write_atomically(&dir.join("dev/state.json"), serde_json::to_string(state)?.as_bytes())
}

/// index.html, `app/static/*`, the self-removing service worker, the reload
/// script and the catalog's details.
fn write_shell(dir: &Path) -> Result<()> {
    let root = paths::root();
    paths::copy_dir(&root.join("app/static"), dir)?;
    crate::icons::write(dir)?;
    let head = [
        r#"<link rel="stylesheet" href="/dev/style.css">"#,
        r#"<link rel="modulepreload" href="/dev/app/stille_app.js">"#,
        r#"<script type="module" src="/dev/app/boot.js"></script>"#,
        r#"<script type="module" src="/dev/reload.js"></script>"#,
    ];
    // The dev build has its words compiled in (no `stille_split`): nothing to preload.
    site::write_index_pages(dir, &head.join("\n"), |_| String::new())?;
    write_atomically(&dir.join("sw.js"), SELF_REMOVING_WORKER.as_bytes())?;
    write_atomically(&dir.join("dev/reload.js"), include_str!("dev-reload.js").as_bytes())?;
    let assets = dir.join("assets");
    fs::create_dir_all(&assets)?;
    fs::write(assets.join(stille_practice::details::FILE), stille_practice::details::bytes())?;
    Ok(())
}

/// Replaces a service worker left by a release build on this address: it
/// takes over at once, deletes every cache and unregisters itself.
const SELF_REMOVING_WORKER: &str = "\
// cargo xtask dev: no offline cache while developing.
self.addEventListener(\"install\", () => self.skipWaiting());
self.addEventListener(\"activate\", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) await caches.delete(name);
    await self.registration.unregister();
  })());
});
";

/// Joins `style/` into `/dev/style.css`; its address with a version, for the swap.
fn write_style(dir: &Path) -> Result<String> {
    let css = site::joined_css(&paths::root().join("style"))?;
    write_atomically(&dir.join("dev/style.css"), css.as_bytes())?;
    Ok(format!("/dev/style.css?v={}", now_ms()))
}

/// The app in the `wasm-dev` profile, through wasm-bindgen into `dev/app/`.
/// Err: the compiler's (or wasm-bindgen's) errors, to show on the page.
fn build_app(bindgen: &Path, dir: &Path) -> std::result::Result<(), String> {
    let mut cargo = Command::new(run::cargo_bin());
    cargo.current_dir(paths::root()).args([
        "build",
        "--package",
        "stille-app",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "wasm-dev",
    ]);
    run_showing_errors(cargo, "the app did not build")?;
    let wasm = paths::target_dir().join("wasm32-unknown-unknown/wasm-dev/stille_app.wasm");
    let fresh = dir.join("dev/app.new");
    let _ = fs::remove_dir_all(&fresh);
    let mut command = Command::new(bindgen);
    command
        .args(["--target", "web", "--no-typescript", "--out-name", "stille_app", "--out-dir"])
        .arg(&fresh)
        .arg(&wasm);
    run_showing_errors(command, "wasm-bindgen failed")?;
    let swap = || -> Result<()> {
        fs::copy(paths::root().join("app/boot.js"), fresh.join("boot.js"))?;
        let current = dir.join("dev/app");
        let old = dir.join("dev/app.old");
        let _ = fs::remove_dir_all(&old);
        if current.exists() {
            fs::rename(&current, &old)?;
        }
        fs::rename(&fresh, &current)?;
        let _ = fs::remove_dir_all(&old);
        Ok(())
    };
    swap().map_err(|e| format!("cannot write the dev site: {e:#}"))
}

fn build_server() -> std::result::Result<(), String> {
    let mut cargo = Command::new(run::cargo_bin());
    cargo.current_dir(paths::root()).args(["build", "--package", "stille-server"]);
    run_showing_errors(cargo, "the server did not build")
}

/// Runs `command` with its standard error passed through; on failure, its
/// error lines (what rustc prints after `error`) under `heading`.
fn run_showing_errors(mut command: Command, heading: &str) -> std::result::Result<(), String> {
    command.stderr(Stdio::piped());
    let mut child = command.spawn().map_err(|e| format!("{heading}: cannot start it: {e}"))?;
    let mut kept = Vec::new();
    let mut in_error = false;
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines().map_while(|l| l.ok()) {
            eprintln!("{line}");
            if line.starts_with("error") {
                in_error = true;
            } else if line.starts_with("warning") || line.trim_start().starts_with("Compiling") {
                in_error = false;
            }
            if in_error && kept.len() < 60 {
                kept.push(line);
            }
        }
    }
    let status = child.wait().map_err(|e| format!("{heading}: {e}"))?;
    if status.success() {
        return Ok(());
    }
    Err(format!("{heading} ({status}):\n\n{}", kept.join("\n")))
}

fn start_server(dir: &Path, server_args: &[String]) -> Result<Child> {
    let server = paths::target_dir().join("debug").join("stille-server");
    let mut command = Command::new(&server);
    command.current_dir(paths::root()).arg("--site-dir").arg(dir).args(server_args);
    let child = command.spawn().with_context(|| format!("cannot start {}", server.display()))?;
    Ok(child)
}

/// Stops the server gracefully (SIGTERM: it drains and closes its database).
fn stop_server(server: &mut Child) {
    let _ = Command::new("kill").arg(server.id().to_string()).status();
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = server.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = server.kill();
    let _ = server.wait();
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("writing");
    fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// Fails early when the address is taken, before a minute of building.
pub fn check_free(addr: &str) -> Result<()> {
    if addr.ends_with(":0") {
        bail!("the dev server restarts on edits, so it needs a fixed port (not {addr})");
    }
    if std::net::TcpListener::bind(addr).is_err() {
        bail!("{addr} is in use: stop what runs there, or pass --addr 127.0.0.1:PORT");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_rebuilds_what_it_belongs_to() {
        let of = |p: &str| parts_of(Path::new(p));
        assert_eq!(of("style/20-player.css"), vec![Part::Style]);
        assert_eq!(of("style/notes.txt"), Vec::<Part>::new());
        assert_eq!(of("app/src/routes/home.rs"), vec![Part::App]);
        assert_eq!(of("app/static/manifest.webmanifest"), vec![Part::Shell]);
        assert_eq!(of("app/index.html"), vec![Part::Shell]);
        assert_eq!(of("app/sw.js"), Vec::<Part>::new());
        assert_eq!(of("audio/src/bell.rs"), vec![Part::App]);
        assert_eq!(of("practice/content/practices/body-scan.toml"), vec![Part::App, Part::Server]);
        assert_eq!(of("server/src/sync.rs"), vec![Part::Server]);
        assert_eq!(of("app/src/.home.rs.swp"), Vec::<Part>::new());
        assert_eq!(of("app/src/home.rs~"), Vec::<Part>::new());
    }
}
