//! Finding, and when missing installing, the tools the build and tests need.
//!
//! Every install goes through a package registry (crates.io, npm, Debian) and
//! is pinned where the registry allows (Debian packages follow the release):
//! nothing downloads binaries from elsewhere, which keeps the commands
//! working on machines that only reach the registries.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};

use crate::{paths, run};

/// npm's binaryen: Debian's (wasm-opt 108) emits wasm that Chromium rejects
/// (its reference-types lowering is broken), so we pin a recent one.
const BINARYEN_VERSION: &str = "132.0.0";
/// terser, which minifies the app's JavaScript.
const TERSER_VERSION: &str = "5.51.4";
/// axe-core, the accessibility rules engine the end-to-end tests run on every screen.
const AXE_VERSION: &str = "4.14.1";

pub fn ensure_wasm_target() -> Result<()> {
    let installed = run::probe("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed.lines().any(|line| line.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    run::step("installing the wasm32-unknown-unknown target (rustup)");
    let mut command = Command::new("rustup");
    command.args(["target", "add", "wasm32-unknown-unknown"]);
    run::status(command).context(
        "cannot add the wasm32-unknown-unknown target; install it with \
         `rustup target add wasm32-unknown-unknown`",
    )
}

/// The wasm-bindgen CLI and test runner, of exactly the version in Cargo.lock.
#[derive(Debug)]
pub struct WasmBindgen {
    pub cli: PathBuf,
    pub test_runner: PathBuf,
}

pub fn wasm_bindgen() -> Result<WasmBindgen> {
    let version = locked_version("wasm-bindgen")?;
    let wanted = format!("wasm-bindgen {version}");
    // One on PATH of the right version (e.g. `cargo install`ed by hand) will do.
    if let Some(found) = run::probe("wasm-bindgen", &["--version"]).filter(|v| v == &wanted) {
        let cli = which("wasm-bindgen").with_context(|| format!("{found} runs but is not on PATH"))?;
        let test_runner = cli.with_file_name("wasm-bindgen-test-runner");
        if test_runner.is_file() {
            return Ok(WasmBindgen { cli, test_runner });
        }
    }
    let root = paths::tools_dir().join(format!("wasm-bindgen-{version}"));
    let bin = root.join("bin");
    let tools =
        WasmBindgen { cli: bin.join("wasm-bindgen"), test_runner: bin.join("wasm-bindgen-test-runner") };
    if run::probe(&tools.cli, &["--version"]).as_deref() == Some(wanted.as_str())
        && tools.test_runner.is_file()
    {
        return Ok(tools);
    }
    run::step(&format!(
        "installing wasm-bindgen-cli {version} into {} (takes a few minutes, once)",
        root.display()
    ));
    // Not --locked: its lock file names a webpki-roots version the registry no
    // longer serves.
    let mut command = Command::new(run::cargo_bin());
    command.args(["install", "wasm-bindgen-cli", "--version", &version, "--root"]).arg(&root);
    run::status(command).with_context(|| {
        format!("cannot install wasm-bindgen-cli {version}; try `cargo install wasm-bindgen-cli --version {version}`")
    })?;
    Ok(tools)
}

/// `wasm-opt` from npm's binaryen, installed under the tool cache. None (with a
/// warning) when Node.js/npm cannot be had: the app still works, only larger.
pub fn wasm_opt() -> Option<PathBuf> {
    npm_program("binaryen", BINARYEN_VERSION, "wasm-opt")
}

/// `terser` from npm, installed under the tool cache: minifies the app's
/// JavaScript (wasm-bindgen's glue and the app's own modules). None (with a
/// warning) when Node.js/npm cannot be had: the app still works, only larger.
pub fn terser() -> Option<PathBuf> {
    npm_program("terser", TERSER_VERSION, "terser")
}

/// The Node.js program `bin` of npm's `package` at `version`, installed under
/// the tool cache (with Node.js and npm from Debian when missing).
fn npm_program(package: &str, version: &str, bin: &str) -> Option<PathBuf> {
    let prefix = paths::tools_dir().join(format!("{package}-{version}"));
    let program = prefix.join("node_modules/.bin").join(bin);
    // npm's programs are Node.js programs: they need node to run.
    let node = run::probe("node", &["--version"]).is_some();
    if program.is_file() && node {
        return Some(program);
    }
    if (!node || run::probe("npm", &["--version"]).is_none()) && !apt_install(&["nodejs", "npm"]) {
        eprintln!(
            "warning: npm is not installed, so {bin} cannot be fetched and the app is served \
             without it (larger). Install Node.js and npm (`apt-get install nodejs npm`)."
        );
        return None;
    }
    run::step(&format!("installing {package} {version} (npm) for {bin}"));
    let mut command = Command::new("npm");
    command
        .args(["install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error", "--prefix"])
        .arg(&prefix)
        .arg(format!("{package}@{version}"));
    if let Err(error) =
        fs::create_dir_all(&prefix).map_err(anyhow::Error::from).and_then(|()| run::status(command))
    {
        eprintln!("warning: cannot install {package} from npm ({error:#}); the app is served without {bin}.");
        return None;
    }
    program.is_file().then_some(program)
}

/// `axe.min.js` from npm's axe-core, installed under the tool cache.
pub fn axe_core() -> Result<PathBuf> {
    let prefix = paths::tools_dir().join(format!("axe-core-{AXE_VERSION}"));
    let script = prefix.join("node_modules/axe-core/axe.min.js");
    if script.is_file() {
        return Ok(script);
    }
    if run::probe("npm", &["--version"]).is_none() && !apt_install(&["nodejs", "npm"]) {
        anyhow::bail!("npm is needed to install axe-core for the accessibility tests: `apt-get install npm`");
    }
    run::step(&format!("installing axe-core {AXE_VERSION} (npm) for the accessibility tests"));
    fs::create_dir_all(&prefix)?;
    let mut command = Command::new("npm");
    command
        .args(["install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error", "--prefix"])
        .arg(&prefix)
        .arg(format!("axe-core@{AXE_VERSION}"));
    run::status(command).context("cannot install axe-core from npm")?;
    anyhow::ensure!(script.is_file(), "axe-core installed without {}", script.display());
    Ok(script)
}

/// Schemathesis, the API fuzzer the server's tests run against its own
/// OpenAPI document (`server/tests/api/fuzz.rs`).
const SCHEMATHESIS_VERSION: &str = "4.32.5";

/// Schemathesis' `st` program from PyPI, in a virtual environment under the
/// tool cache (Debian's python3 and python3-venv, installed when missing).
pub fn schemathesis() -> Result<PathBuf> {
    python_tool("schemathesis", SCHEMATHESIS_VERSION, "", "st", "the API fuzz test")
}

/// Moto's S3 server (PyPI), a real S3-compatible store the recordings'
/// object-store tests start.
const MOTO_VERSION: &str = "5.2.5";

pub fn moto_server() -> Result<PathBuf> {
    python_tool("moto", MOTO_VERSION, "[server]", "moto_server", "the S3 object-store tests")
}

/// `package==version` (with `extras`) from PyPI in a virtual environment
/// of its own under the tools directory; its program `bin`.
fn python_tool(package: &str, version: &str, extras: &str, bin: &str, what: &str) -> Result<PathBuf> {
    let venv = paths::tools_dir().join(format!("{package}-{version}"));
    let program = venv.join("bin").join(bin);
    if program.is_file() && venv.join(".installed").is_file() {
        return Ok(program);
    }
    run::step(&format!("installing {package} {version} (PyPI) for {what}"));
    let python =
        || ["/usr/bin/python3"].iter().map(PathBuf::from).find(|p| p.is_file()).or_else(|| which("python3"));
    let venv_works = |python: &Path| {
        let _ = fs::remove_dir_all(&venv);
        Command::new(python).args(["-m", "venv"]).arg(&venv).status().is_ok_and(|s| s.success())
            && venv.join("bin/pip").is_file()
    };
    let made = python().is_some_and(|p| venv_works(&p))
        || (apt_install(&["python3", "python3-venv"]) && python().is_some_and(|p| venv_works(&p)));
    if !made {
        bail!("{what} needs Python's venv: `sudo apt-get install python3 python3-venv`");
    }
    let mut install = Command::new(venv.join("bin/pip"));
    install.args([
        "install",
        "--quiet",
        "--disable-pip-version-check",
        &format!("{package}{extras}=={version}"),
    ]);
    run::status(install).with_context(|| format!("cannot install {package} from PyPI"))?;
    anyhow::ensure!(program.is_file(), "{package} installed without {}", program.display());
    fs::write(venv.join(".installed"), version)?;
    Ok(program)
}

/// Debian's ffmpeg (with ffprobe): the server checks and converts uploaded
/// recordings with it, and the tests make their sound files with it.
pub fn ffmpeg() -> Result<PathBuf> {
    let find = || which("ffmpeg").filter(|_| which("ffprobe").is_some());
    if let Some(ffmpeg) = find() {
        return Ok(ffmpeg);
    }
    run::step("installing Debian's ffmpeg, which checks and converts uploaded recordings");
    if apt_install(&["--no-install-recommends", "ffmpeg"])
        && let Some(ffmpeg) = find()
    {
        return Ok(ffmpeg);
    }
    bail!("recordings need ffmpeg: `sudo apt-get install ffmpeg`")
}

/// Debian's Chromium and its ChromeDriver (the same package version, so they
/// always match).
#[derive(Debug)]
pub struct Browser {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

pub fn chromium() -> Result<Browser> {
    let find = || {
        let chromium = env_path("STILLE_CHROMIUM").or_else(|| which("chromium"))?;
        let chromedriver = env_path("STILLE_CHROMEDRIVER").or_else(|| which("chromedriver"))?;
        Some(Browser { chromium, chromedriver })
    };
    if let Some(browser) = find() {
        return Ok(browser);
    }
    run::step("installing Debian's chromium and chromium-driver for the browser tests");
    if apt_install(&["chromium", "chromium-driver"])
        && let Some(browser) = find()
    {
        return Ok(browser);
    }
    bail!(
        "the browser tests need Chromium and ChromeDriver. Install them with \
         `sudo apt-get install chromium chromium-driver`, or point STILLE_CHROMIUM and \
         STILLE_CHROMEDRIVER at a matching pair."
    )
}

/// WebKitGTK for the browser tests: Debian's WebKitWebDriver (which starts
/// its MiniBrowser) and Xvfb, since WebKitGTK has no headless mode.
#[derive(Debug)]
pub struct WebKit {
    pub driver: PathBuf,
    pub xvfb: PathBuf,
}

pub fn webkit() -> Result<WebKit> {
    let find = || Some(WebKit { driver: which("WebKitWebDriver")?, xvfb: which("Xvfb")? });
    let webkit = match find() {
        Some(found) => found,
        None => {
            run::step("installing Debian's webkit2gtk-driver and xvfb for the browser tests in WebKit");
            match apt_install(&["webkit2gtk-driver", "xvfb", "xauth"]).then(find).flatten() {
                Some(found) => found,
                None => {
                    bail!("the WebKit browser tests need `sudo apt-get install webkit2gtk-driver xvfb xauth`")
                }
            }
        }
    };
    // GStreamer's PulseAudio sink: the tests that record what WebKit really
    // plays point it at a sound server of their own.
    if !gstreamer_pulse_installed() {
        run::step("installing Debian's gstreamer1.0-pulseaudio (WebKit's sound, recorded by the tests)");
        apt_install(&["--no-install-recommends", "gstreamer1.0-pulseaudio"]);
        if !gstreamer_pulse_installed() {
            bail!("the WebKit sound tests need `sudo apt-get install gstreamer1.0-pulseaudio`");
        }
    }
    Ok(webkit)
}

/// Whether GStreamer has its PulseAudio plugin (in a multiarch library directory).
fn gstreamer_pulse_installed() -> bool {
    std::fs::read_dir("/usr/lib")
        .into_iter()
        .flatten()
        .flatten()
        .any(|entry| entry.path().join("gstreamer-1.0/libgstpulseaudio.so").is_file())
}

/// Firefox for the browser tests: Debian's Firefox ESR, geckodriver from
/// crates.io (pinned), and PulseAudio, without which Firefox's AudioContext
/// never runs.
#[derive(Debug)]
pub struct Firefox {
    pub firefox: PathBuf,
    pub geckodriver: PathBuf,
    pub pulseaudio: PathBuf,
    pub parec: PathBuf,
}

/// geckodriver, built from crates.io with its own lock file.
const GECKODRIVER_VERSION: &str = "0.37.1";

pub fn firefox() -> Result<Firefox> {
    let firefox = match which("firefox-esr") {
        Some(found) => found,
        None => {
            run::step("installing Debian's firefox-esr for the browser tests in Firefox");
            apt_install(&["firefox-esr"]);
            which("firefox-esr").context("the Firefox tests need `sudo apt-get install firefox-esr`")?
        }
    };
    let pulseaudio = match which("pulseaudio") {
        Some(found) => found,
        None => {
            run::step("installing Debian's pulseaudio (a silent sound server for Firefox)");
            apt_install(&["--no-install-recommends", "pulseaudio"]);
            which("pulseaudio").context("the Firefox tests need `sudo apt-get install pulseaudio`")?
        }
    };
    // Debian's pulseaudio depends on pulseaudio-utils, which records (`parec`).
    let parec = which("parec").context("the sound tests need `sudo apt-get install pulseaudio-utils`")?;
    let root = paths::tools_dir().join(format!("geckodriver-{GECKODRIVER_VERSION}"));
    let geckodriver = root.join("bin/geckodriver");
    if !geckodriver.is_file() {
        run::step(&format!(
            "installing geckodriver {GECKODRIVER_VERSION} into {} (a few minutes, once)",
            root.display()
        ));
        let mut command = Command::new(run::cargo_bin());
        command
            .args(["install", "--locked", "geckodriver", "--version", GECKODRIVER_VERSION, "--root"])
            .arg(&root);
        run::status(command).context("cannot install geckodriver from crates.io")?;
    }
    Ok(Firefox { firefox, geckodriver, pulseaudio, parec })
}

/// The C library's Danish and English locales: WebKitGTK takes its language
/// from them (a machine with only `C.UTF-8` makes every page English, with
/// the language "C").
pub fn ensure_locales() -> Result<()> {
    let have = run::probe("locale", &["-a"]).unwrap_or_default().to_lowercase();
    for (name, input) in [("da_dk.utf8", "da_DK"), ("en_us.utf8", "en_US")] {
        if have.lines().any(|l| l.trim() == name) {
            continue;
        }
        if which("localedef").is_none() {
            apt_install(&["locales"]);
        }
        run::step(&format!("generating the {input}.UTF-8 locale (WebKitGTK reads the language from it)"));
        let mut command = Command::new("localedef");
        command.args(["-i", input, "-f", "UTF-8", &format!("{input}.UTF-8")]);
        run::status(command).with_context(|| {
            format!("cannot generate {input}.UTF-8; as root: localedef -i {input} -f UTF-8 {input}.UTF-8")
        })?;
    }
    Ok(())
}

/// A webdriver.json for wasm-bindgen-test-runner: `chromium`, the flags it
/// needs here (root in a container, no network but loopback) and a new,
/// empty profile of its own. Returns the file and the profile's folder (the
/// caller removes both).
pub fn webdriver_json_fresh(chromium: &Path) -> Result<(PathBuf, PathBuf)> {
    let dir = paths::target_dir().join("wasm-bindgen-test");
    fs::create_dir_all(&dir)?;
    let name = format!("{}-{}", std::process::id(), SystemTime::now().duration_since(UNIX_EPOCH)?.as_nanos());
    let profile = dir.join(format!("chromium-profile-{name}"));
    fs::create_dir_all(&profile)?;
    let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|flag| (*flag).to_owned()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    let json = serde_json::json!({
        "goog:chromeOptions": { "binary": chromium, "args": args }
    });
    let path = dir.join(format!("webdriver-{name}.json"));
    fs::write(&path, serde_json::to_vec_pretty(&json)?)?;
    Ok((path, profile))
}

/// Flags for headless Chromium on a locked-down machine: no sandbox (root),
/// no GPU, and no background connections to Google's services (refused here,
/// and not wanted in tests anyway).
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// The version of `package` in Cargo.lock.
pub fn locked_version(package: &str) -> Result<String> {
    let lock_path = paths::root().join("Cargo.lock");
    let text =
        fs::read_to_string(&lock_path).with_context(|| format!("cannot read {}", lock_path.display()))?;
    let lock: toml::Value =
        toml::from_str(&text).with_context(|| format!("cannot parse {}", lock_path.display()))?;
    let packages = lock.get("package").and_then(toml::Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let versions: Vec<&str> = packages
        .iter()
        .filter(|p| p.get("name").and_then(toml::Value::as_str) == Some(package))
        .filter_map(|p| p.get("version").and_then(toml::Value::as_str))
        .collect();
    match versions.as_slice() {
        [version] => Ok((*version).to_owned()),
        [] => bail!("{package} is not in Cargo.lock"),
        many => bail!("Cargo.lock has several versions of {package}: {many:?}"),
    }
}

fn env_path(var: &str) -> Option<PathBuf> {
    std::env::var_os(var).map(PathBuf::from).filter(|p| p.is_file())
}

fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(program)).find(|p| is_executable(p))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// `apt-get install -y`, only when we are root and apt-get exists. Runs
/// `apt-get update` first: a fresh machine's package lists are empty.
fn apt_install(packages: &[&str]) -> bool {
    let is_root = run::probe("id", &["-u"]).as_deref() == Some("0");
    if !is_root || which("apt-get").is_none() {
        return false;
    }
    let mut update = Command::new("apt-get");
    update.args(["update", "-qq"]);
    let mut install = Command::new("apt-get");
    // `packages` may begin with apt's own options (`--no-install-recommends`).
    install.args(["install", "-y", "-qq"]).args(packages);
    install.env("DEBIAN_FRONTEND", "noninteractive");
    run::status(update).and_then(|()| run::status(install)).is_ok()
}
