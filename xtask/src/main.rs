//! `cargo xtask`: builds and runs Stille, with nothing to install by hand.
//!
//! - `serve`  build the app to wasm and run the server on http://127.0.0.1:8080
//! - `test`   every check: format, lints, native tests, wasm tests in headless
//!   Chromium, end-to-end tests against the real server in Chromium
//! - `dist`   a release build of server + app into `dist/`, which runs anywhere
//! - `bench`  measure and write `docs/BENCHMARKS.md`
//!
//! Tools that are missing (the wasm32 target, the pinned wasm-bindgen-cli,
//! npm's binaryen for wasm-opt, Debian's Chromium and ChromeDriver) are installed
//! on first use; see `tools.rs`.

mod bench;
mod paths;
mod run;
mod site;
mod tools;
mod wasm_size;

use std::process::ExitCode;

use anyhow::{Result, bail};

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  serve [SERVER-ARGS…]   build the app and run Stille at http://127.0.0.1:8080
                          (arguments after `serve` go to stille-server, e.g. --addr 0.0.0.0:8080)
  test                   format check, clippy, native + wasm + end-to-end tests
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
        "test" => {
            if !rest.is_empty() {
                bail!("`test` takes no arguments\n\n{USAGE}");
            }
            test()
        }
        "dist" => dist(rest),
        "bench" => bench::run(rest),
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
    run::cargo(&["build", "--package", "stille-server"])?;
    let server = paths::target_dir().join("debug").join("stille-server");
    run::step(&format!("starting Stille (site {})", site.dir.display()));
    let mut command = std::process::Command::new(&server);
    command.current_dir(paths::root()).arg("--site-dir").arg(&site.dir).args(server_args);
    run::exec(command)
}

fn test() -> Result<()> {
    let started = std::time::Instant::now();
    run::step("format");
    run::cargo(&["fmt", "--all", "--", "--check"])
        .map_err(|e| e.context("code is not formatted: run `cargo fmt --all`"))?;

    run::step("lints (native)");
    run::cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--exclude",
        "stille-app",
        "--",
        "-D",
        "warnings",
    ])?;
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
    let browser = tools::chromium()?;
    let axe = tools::axe_core()?;

    run::step("native unit, integration and end-to-end tests");
    let e2e_env = [
        ("STILLE_SITE_DIR", site.dir.as_os_str()),
        ("STILLE_CHROMIUM", browser.chromium.as_os_str()),
        ("STILLE_CHROMEDRIVER", browser.chromedriver.as_os_str()),
        ("STILLE_AXE", axe.as_os_str()),
    ];
    run::cargo_with_env(
        // The end-to-end tests mostly wait on the browser: more threads than
        // cores lets the three-minute audio runs overlap.
        &["test", "--workspace", "--exclude", "stille-app", "--", "--include-ignored", "--test-threads", "6"],
        &e2e_env,
    )?;

    run::step("wasm tests in headless Chromium");
    let bindgen = tools::wasm_bindgen()?;
    let webdriver_json = tools::webdriver_json(&browser)?;
    run::cargo_with_env(
        &["test", "--package", "stille-app", "--target", "wasm32-unknown-unknown"],
        &[
            ("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", bindgen.test_runner.as_os_str()),
            ("CHROMEDRIVER", browser.chromedriver.as_os_str()),
            ("WASM_BINDGEN_TEST_WEBDRIVER_JSON", webdriver_json.as_os_str()),
        ],
    )?;
    run::step(&format!("all tests passed in {:.0?}", started.elapsed()));
    Ok(())
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
