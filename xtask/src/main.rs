//! `cargo xtask`: builds and runs Stille, with nothing to install by hand.
//!
//! - `serve`  build the app to wasm and run the server on http://127.0.0.1:8080
//! - `dev`    the same with a quick build that follows every edit (see `dev.rs`)
//! - `test`   every check: format, lints, native tests, wasm tests in headless
//!   Chromium, end-to-end tests against the real server in Chromium (and the
//!   participant's core flow in WebKitGTK and Firefox ESR too)
//! - `dist`   a release build of server + app into `dist/`, which runs anywhere
//! - `bench`  measure and write `docs/BENCHMARKS.md`
//!
//! Tools that are missing (the wasm32 target, the pinned wasm-bindgen-cli,
//! npm's binaryen for wasm-opt, Debian's Chromium and ChromeDriver, WebKitGTK's
//! driver and Xvfb, Firefox ESR with PulseAudio, geckodriver from crates.io)
//! are installed on first use; see `tools.rs`.

mod bench;
mod dev;
mod first_view;
mod icons;
mod paths;
mod run;
mod services;
mod site;
mod strings;
mod tools;
mod wasm_size;

use std::process::ExitCode;

use anyhow::{Context, Result, bail};

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  serve [SERVER-ARGS…]   build the app and run Stille at http://127.0.0.1:8080
                          (arguments after `serve` go to stille-server, e.g. --addr 0.0.0.0:8080)
  dev [SERVER-ARGS…]     the same, built quickly, rebuilt on every edit and the
                          open page reloaded (app, style, content, server)
  test                   format check, clippy, native + wasm + end-to-end tests
  e2e [FILE…] [-- NAME…] only the end-to-end tests (or those of the files named,
                          e.g. engines; or those whose names contain a NAME)
  dist [--out DIR]       release build of server and app into DIR (default: dist/)
  bench [SECTION…]       measure into docs/BENCHMARKS.md: all sections, or some of
                          foundation, audio-native, audio-wasm, audio-browser, server
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match dispatch(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\nxtask: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn dispatch(args: &[String]) -> Result<()> {
    let (command, rest) = match args.split_first() {
        Some((command, rest)) => (command.as_str(), rest),
        None => ("help", &[][..]),
    };
    match command {
        "serve" => serve(rest),
        "dev" => {
            dev::check_free(&server_addr(rest))?;
            dev::run(rest)
        }
        "test" => {
            if !rest.is_empty() {
                bail!("`test` takes no arguments\n\n{USAGE}");
            }
            test()
        }
        "dist" => dist(rest),
        "e2e" => e2e(rest),
        "bench" => bench::run(rest),
        // Not in the usage: cargo runs each wasm test binary through this
        // (see `test`), so each gets a browser profile of its own.
        "wasm-test-runner" => wasm_test_runner(rest),
        // Not in the usage: a developer's look at a wasm file's code by crate.
        "wasm-size" => {
            let [file] = rest else { bail!("usage: cargo xtask wasm-size FILE.wasm") };
            print!("{}", wasm_size::measure(std::path::Path::new(file))?.table(20));
            Ok(())
        }
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => bail!("unknown command `{other}`\n\n{USAGE}"),
    }
}

fn serve(server_args: &[String]) -> Result<()> {
    let site = site::build()?;
    // Without ffmpeg the server runs, but takes no recordings.
    if let Err(error) = tools::ffmpeg() {
        eprintln!("xtask: {error:#}; the server will take no recordings");
    }
    run::cargo(&["build", "--package", "stille-server"])?;
    let server = paths::target_dir().join("debug").join("stille-server");
    run::step(&format!("starting Stille (site {})", site.dir.display()));
    let mut command = std::process::Command::new(&server);
    command.current_dir(paths::root()).arg("--site-dir").arg(&site.dir).args(server_args);
    run::exec(command)
}

/// The address the server is told to listen on (`--addr A` or `--addr=A`).
fn server_addr(server_args: &[String]) -> String {
    let mut args = server_args.iter();
    while let Some(arg) = args.next() {
        if arg == "--addr" {
            if let Some(addr) = args.next() {
                return addr.clone();
            }
        } else if let Some(addr) = arg.strip_prefix("--addr=") {
            return addr.to_owned();
        }
    }
    std::env::var("STILLE_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".to_owned())
}

/// What the end-to-end tests need: the built site, every browser and its
/// driver, axe-core, and (stopped when this is dropped, passed or failed)
/// the X display and the sound server.
struct Browsers {
    site: site::Site,
    chromium: tools::Browser,
    webkit: tools::WebKit,
    firefox: tools::Firefox,
    axe: std::path::PathBuf,
    display: services::Running,
    sound: services::Running,
}

impl Browsers {
    fn start(site: site::Site) -> Result<Browsers> {
        let chromium = tools::chromium()?;
        let webkit = tools::webkit()?;
        let firefox = tools::firefox()?;
        tools::ensure_locales()?;
        let axe = tools::axe_core()?;
        let display = services::xvfb(&webkit.xvfb)?;
        let sound = services::pulseaudio(&firefox.pulseaudio)?;
        Ok(Browsers { site, chromium, webkit, firefox, axe, display, sound })
    }

    /// The environment the tests read them from (see tests/src/lib.rs).
    fn env(&self) -> Vec<(&'static str, &std::ffi::OsStr)> {
        vec![
            ("STILLE_SITE_DIR", self.site.dir.as_os_str()),
            ("STILLE_CHROMIUM", self.chromium.chromium.as_os_str()),
            ("STILLE_CHROMEDRIVER", self.chromium.chromedriver.as_os_str()),
            ("STILLE_WEBKIT_DRIVER", self.webkit.driver.as_os_str()),
            ("STILLE_DISPLAY", std::ffi::OsStr::new(&self.display.address)),
            ("STILLE_FIREFOX", self.firefox.firefox.as_os_str()),
            ("STILLE_GECKODRIVER", self.firefox.geckodriver.as_os_str()),
            ("STILLE_PULSE_SERVER", std::ffi::OsStr::new(&self.sound.address)),
            ("STILLE_PULSEAUDIO", self.firefox.pulseaudio.as_os_str()),
            ("STILLE_PAREC", self.firefox.parec.as_os_str()),
            ("STILLE_AXE", self.axe.as_os_str()),
        ]
    }
}

/// `cargo xtask e2e [FILE…] [-- NAME…]`: only the end-to-end tests (all, or
/// the test files named; only the tests whose names contain a NAME), with
/// everything they need, for quick rounds.
fn e2e(args: &[String]) -> Result<()> {
    let (files, names) = match args.iter().position(|a| a == "--") {
        Some(at) => (&args[..at], &args[at + 1..]),
        None => (args, &[][..]),
    };
    let browsers = Browsers::start(site::build()?)?;
    tools::ffmpeg()?;
    let test = ["test", "--package", "stille-e2e", "--test", "e2e", "--", "--include-ignored"];
    let mut args = [&test[..], &["--test-threads", "6"]].concat();
    // All the end-to-end tests are one binary, a module per file: some are
    // picked from its list by name, exactly.
    let chosen = if files.is_empty() && names.is_empty() {
        Vec::new()
    } else {
        let listed = run::cargo_output_with_env(&[&test[..], &["--list"]].concat(), &[])?;
        e2e_tests(&listed, files, names)?
    };
    if !chosen.is_empty() {
        args.push("--exact");
        args.extend(chosen.iter().map(String::as_str));
    }
    run::cargo_with_env(&args, &browsers.env())
}

/// The tests in `listed` (libtest's `--list`) in one of `files` (all when
/// none) whose names contain one of `names` (all when none).
fn e2e_tests(listed: &str, files: &[String], names: &[String]) -> Result<Vec<String>> {
    let all: Vec<&str> = listed.lines().filter_map(|line| line.strip_suffix(": test")).collect();
    for file in files {
        let file = file.trim_end_matches(".rs");
        if !all.iter().any(|test| test.split("::").next() == Some(file)) {
            bail!("no end-to-end test file `{file}` (they are in tests/tests/e2e/)");
        }
    }
    let chosen: Vec<String> = all
        .into_iter()
        .filter(|test| {
            let file = test.split("::").next().unwrap_or_default();
            files.is_empty() || files.iter().any(|f| f.trim_end_matches(".rs") == file)
        })
        .filter(|test| names.is_empty() || names.iter().any(|n| test.contains(n.as_str())))
        .map(str::to_owned)
        .collect();
    if chosen.is_empty() {
        bail!("no end-to-end test matches {files:?} -- {names:?}");
    }
    Ok(chosen)
}

fn test() -> Result<()> {
    let started = std::time::Instant::now();
    run::step("format");
    run::cargo(&["fmt", "--all", "--", "--check"])
        .map_err(|e| e.context("code is not formatted: run `cargo fmt --all`"))?;

    run::step("lints (native)");
    // The app too: its logic (everything but the screens) builds natively
    // and carries unit tests.
    run::cargo(&["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"])?;
    tools::ensure_wasm_target()?;
    run::step("lints (wasm)");
    // The app with its browser tests, and the audio crate's browser side (its
    // own tests are native, so only its library).
    for package in [&["--package", "stille-app", "--all-targets"][..], &["--package", "stille-audio"]] {
        let args =
            [&["clippy"][..], package, &["--target", "wasm32-unknown-unknown", "--", "-D", "warnings"]]
                .concat();
        run::cargo(&args)?;
    }

    let site = site::build()?;
    site::check_first_load(&site)?;
    let browsers = Browsers::start(site)?;
    let schemathesis = tools::schemathesis()?;
    let moto = tools::moto_server()?;
    tools::ffmpeg()?;
    run::step("native unit, integration, API fuzz and end-to-end tests");
    let mut env = browsers.env();
    env.push(("STILLE_SCHEMATHESIS", schemathesis.as_os_str()));
    env.push(("STILLE_MOTO_SERVER", moto.as_os_str()));
    run::cargo_with_env(
        // The end-to-end tests mostly wait on the browser: more threads than
        // cores lets the three-minute audio runs overlap.
        &["test", "--workspace", "--", "--include-ignored", "--test-threads", "6"],
        &env,
    )?;
    let browser = tools::chromium()?;

    run::step("wasm tests in headless Chromium");
    let bindgen = tools::wasm_bindgen()?;
    // Each test binary through `xtask wasm-test-runner`: a Chromium profile
    // of its own, so one binary's browser, still closing, never holds the
    // next one's profile.
    let xtask = std::env::current_exe().context("where xtask itself is")?;
    let runner = format!("{} wasm-test-runner", xtask.display());
    run::cargo_with_env(
        &["test", "--package", "stille-app", "--target", "wasm32-unknown-unknown"],
        &[
            ("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", std::ffi::OsStr::new(&runner)),
            ("STILLE_WASM_BINDGEN_TEST_RUNNER", bindgen.test_runner.as_os_str()),
            ("STILLE_CHROMIUM", browser.chromium.as_os_str()),
            ("CHROMEDRIVER", browser.chromedriver.as_os_str()),
            // Without debug info each test binary is about 20 MB instead of
            // 195 MB: the runner's bindgen pass and the page's load take a
            // tenth of the time and memory. (Only this step builds them.)
            ("CARGO_PROFILE_DEV_DEBUG", std::ffi::OsStr::new("0")),
            ("CARGO_PROFILE_TEST_DEBUG", std::ffi::OsStr::new("0")),
        ],
    )?;
    run::step(&format!("all tests passed in {:.0?}", started.elapsed()));
    Ok(())
}

/// How long the headless page may take to start a binary's tests (its
/// harness prints "running N tests") before the attempt counts as stuck: a
/// good attempt starts within 10 s here, bindgen of the 20 MB binary included.
const WASM_TESTS_START_WITHIN: std::time::Duration = std::time::Duration::from_secs(30);
/// Attempts per test binary when the page never starts the tests (about a
/// third of attempts stick, sometimes several in a row).
const WASM_TEST_ATTEMPTS: u32 = 8;

/// Runs one wasm test binary (`args`: what cargo passes) with
/// wasm-bindgen's runner and a fresh Chromium profile, removed afterwards.
///
/// Headless Chromium sometimes never finishes loading the runner's test
/// page: a module the page imports from the runner's little HTTP server
/// (rouille over tiny_http 0.12) stays pending, the page shows "Loading
/// scripts..." for good, and the runner waits five minutes on ChromeDriver
/// before failing. Chromium's net log of a stuck page shows the request for
/// that module sent on a kept-alive connection and no answer ever coming
/// back, while later requests on other connections are answered: the
/// server, not the browser, drops it (2026-12-05: in 2 of 2 captures the
/// 8th request, a JS snippet; about a third of attempts on the `web`
/// binary, before any test of ours has run). So each attempt must start its
/// tests within
/// [`WASM_TESTS_START_WITHIN`]; one that does not is stopped (runner,
/// driver and browser) and tried again, up to [`WASM_TEST_ATTEMPTS`] times,
/// saying so. Tests that start and then fail or time out are not retried.
fn wasm_test_runner(args: &[String]) -> Result<()> {
    let var = |name: &str| {
        std::env::var_os(name)
            .with_context(|| format!("{name} is not set: run this through `cargo xtask test`"))
    };
    let runner = var("STILLE_WASM_BINDGEN_TEST_RUNNER")?;
    let chromium = std::path::PathBuf::from(var("STILLE_CHROMIUM")?);
    let binary = args.first().map(String::as_str).unwrap_or("the wasm test binary");
    // `STILLE_WASM_START_PATIENCE_S` shortens the wait (to try this path).
    let patience = std::env::var("STILLE_WASM_START_PATIENCE_S")
        .ok()
        .and_then(|s| s.parse().ok())
        .map_or(WASM_TESTS_START_WITHIN, std::time::Duration::from_secs);
    for attempt in 1..=WASM_TEST_ATTEMPTS {
        let (webdriver_json, profile) = tools::webdriver_json_fresh(&chromium)?;
        let outcome = wasm_test_attempt(&runner, args, &webdriver_json, patience);
        let _ = std::fs::remove_dir_all(&profile);
        let _ = std::fs::remove_file(&webdriver_json);
        match outcome? {
            Attempt::Passed => return Ok(()),
            // The runner said what failed; pass its exit code on to cargo.
            Attempt::Failed(code) => std::process::exit(code),
            Attempt::NeverStarted if attempt < WASM_TEST_ATTEMPTS => eprintln!(
                "xtask: Chromium did not start the tests of {binary} within {} s (the test page never \
                 finished loading); stopped it, trying again ({} of {WASM_TEST_ATTEMPTS})",
                patience.as_secs(),
                attempt + 1
            ),
            Attempt::NeverStarted => {}
        }
    }
    bail!(
        "Chromium did not start the tests of {binary} in {WASM_TEST_ATTEMPTS} attempts of {} s each",
        patience.as_secs()
    )
}

enum Attempt {
    Passed,
    Failed(i32),
    NeverStarted,
}

/// One run of wasm-bindgen's runner, its output passed through as it comes.
fn wasm_test_attempt(
    runner: &std::ffi::OsStr,
    args: &[String],
    webdriver_json: &std::path::Path,
    patience: std::time::Duration,
) -> Result<Attempt> {
    use std::io::{BufRead, Write};
    let mut command = std::process::Command::new(runner);
    command
        .args(args)
        .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", webdriver_json)
        .stdout(std::process::Stdio::piped());
    // Its own process group: stopping a stuck attempt stops the driver and
    // the browser it started too.
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child =
        command.spawn().with_context(|| format!("cannot run {}", std::path::Path::new(runner).display()))?;
    let stdout = child.stdout.take().context("the runner's output")?;
    let started = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let seen = started.clone();
    let pass_on = std::thread::spawn(move || {
        let mut reader = std::io::BufReader::new(stdout);
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap_or(0) > 0 {
            // The harness's first words once the module has loaded.
            if line.contains("running ") || line.contains("no tests to run") {
                seen.store(true, std::sync::atomic::Ordering::SeqCst);
            }
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(line.as_bytes());
            let _ = out.flush();
            line.clear();
        }
    });
    let begun = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break Some(status);
        }
        if !started.load(std::sync::atomic::Ordering::SeqCst) && begun.elapsed() > patience {
            let group = format!("-{}", child.id());
            let _ = std::process::Command::new("kill").args(["-KILL", "--", &group]).status();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    let _ = pass_on.join();
    Ok(match status {
        None => Attempt::NeverStarted,
        Some(status) if status.success() => Attempt::Passed,
        Some(status) => Attempt::Failed(status.code().unwrap_or(1)),
    })
}

fn dist(args: &[String]) -> Result<()> {
    let out = match args {
        [] => paths::root().join("dist"),
        [flag, dir] if flag == "--out" => std::path::PathBuf::from(dir),
        _ => bail!("usage: cargo xtask dist [--out DIR]"),
    };
    let site = site::build()?;
    run::cargo(&["build", "--package", "stille-server", "--release"])?;
    // Replace only what dist writes: `--out` may name a folder with other things in it.
    std::fs::create_dir_all(&out)?;
    if out.join("site").exists() {
        std::fs::remove_dir_all(out.join("site"))?;
    }
    let server = paths::target_dir().join("release").join("stille-server");
    std::fs::copy(&server, out.join("stille-server"))?;
    paths::copy_dir(&site.dir, &out.join("site"))?;
    std::fs::write(
        out.join("README.txt"),
        "Stille, built by `cargo xtask dist`.\n\n\
         Run ./stille-server (it serves ./site next to itself; --help lists the options).\n\
         Default: http://127.0.0.1:8080, SQLite database in ./data/.\n",
    )?;
    run::step(&format!("dist ready in {}", out.display()));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LISTED: &str = "player::a_reload_resumes: test\nplayer::bad_options_are_reported: test\n\
                          sync::a_reload_keeps_the_log: test\nsmoke::home_page_loads: test\n\n4 tests, 0 benchmarks\n";

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn e2e_tests_are_picked_by_file_and_name() {
        assert_eq!(e2e_tests(LISTED, &[], &[]).expect("all").len(), 4);
        assert_eq!(
            e2e_tests(LISTED, &strings(&["player.rs"]), &[]).expect("one file"),
            strings(&["player::a_reload_resumes", "player::bad_options_are_reported"])
        );
        // A name narrows the files named; it is not a file of its own.
        assert_eq!(
            e2e_tests(LISTED, &strings(&["player", "sync"]), &strings(&["reload"])).expect("both"),
            strings(&["player::a_reload_resumes", "sync::a_reload_keeps_the_log"])
        );
        assert!(e2e_tests(LISTED, &strings(&["playr"]), &[]).is_err(), "a misspelt file is an error");
        assert!(e2e_tests(LISTED, &[], &strings(&["nothing"])).is_err(), "so is a name that matches none");
    }
}
