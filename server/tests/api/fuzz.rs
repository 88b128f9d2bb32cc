//! The API fuzzed from its own OpenAPI document with Schemathesis (from
//! PyPI; `cargo xtask test` installs it and names it in STILLE_SCHEMATHESIS):
//! every operation, signed out, as a participant and as an instructor (and
//! the sign-up and reset operations again on a server that sends mail), with
//! valid and invalid requests. It must answer without a server error, with a
//! status and a body the document declares, accept what the document says is
//! valid, and refuse what it says is not.
//!
//! Where a rule is about something the document cannot know (whether an
//! instructor invite exists, whether a password is the account's, whether it
//! is among the most common ones), `fuzz.toml` says so operation by operation.

use std::path::PathBuf;
use std::process::Command;

use crate::courses::{at, entry, push, reflection};
use crate::helpers::{TestApp, generous, spawn_app_configured, spawn_app_with};

/// Examples per operation and phase; STILLE_FUZZ_EXAMPLES raises it for a longer run.
const EXAMPLES: &str = "40";

fn schemathesis() -> PathBuf {
    std::env::var_os("STILLE_SCHEMATHESIS").map(PathBuf::from).unwrap_or_else(|| {
        panic!("STILLE_SCHEMATHESIS names the `st` program; `cargo xtask test` installs it and sets it")
    })
}

#[tokio::test]
#[ignore = "needs Schemathesis: run `cargo xtask test`"]
async fn the_api_keeps_to_its_own_document_under_fuzzing() {
    let st = schemathesis();
    let app = spawn_app_with("sqlite", None, generous()).await;
    let birgit = app.instructor("Birgit").await;
    let (course, code) = app.course(&birgit, Some("msc")).await;
    let ida = app.participant("Ida").await;
    assert_eq!(app.join(&ida, &code, true, true).await.0, 201);
    let day = at(2026, 11, 3, 7);
    push(&app, &ida.token, vec![entry(day, 1, 10), reflection(day, 2, "Roligt i dag.", true)]).await;

    let dir = tempfile::TempDir::new().expect("temp dir");
    let config = dir.path().join("fuzz.toml");
    let rules = include_str!("fuzz.toml")
        .replace("{course}", &course)
        .replace("{participant}", &ida.id)
        .replace("{code}", &code);
    std::fs::write(&config, rules).expect("write the configuration");
    let examples = std::env::var("STILLE_FUZZ_EXAMPLES").unwrap_or_else(|_| EXAMPLES.to_owned());
    let seed = std::env::var("STILLE_FUZZ_SEED").unwrap_or_else(|_| "20261202".to_owned());
    let runs = [("signed out", None), ("participant", Some(&ida.token)), ("instructor", Some(&birgit.token))];
    let mut failed = Vec::new();
    for (who, token) in runs {
        let mut command = st_run(&st, &config, &app, &examples, &seed);
        if let Some(token) = token {
            command.args(["-H", &format!("Authorization: Bearer {token}")]);
            // Logging out would end the session the run is made with, and with
            // two ways to sign in a broken cookie beside a good bearer token is
            // still signed in (the signed-out run checks broken credentials).
            command.args([
                "--exclude-name",
                "DELETE /api/sessions/current",
                "--exclude-checks",
                "ignored_auth",
            ]);
        }
        failed.extend(run(command, who).await);
    }

    // A server that sends mail answers sign-ups and forgotten passwords
    // differently (202, the link by mail): those operations again, there.
    let sink = smtp_sink::SmtpSink::start().await;
    let url = sink.url();
    let mailing = spawn_app_configured("sqlite", move |config| {
        config.rates = generous();
        config.smtp_url = Some(url);
        config.mail_from = Some("Stille <stille@stille.test>".into());
        config.public_url = Some("http://stille.test".into());
    })
    .await;
    let mut command = st_run(&st, &config, &mailing, &examples, &seed);
    for name in ["POST /api/accounts", "POST /api/accounts/confirm", "POST /api/password-resets"] {
        command.args(["--include-name", name]);
    }
    failed.extend(run(command, "signed out, with mail").await);
    mailing.stop().await;

    // The session made for the runs still works: the fuzzing broke nothing it should not.
    assert_eq!(app.get_json("/api/me", &ida.token).await.0, 200);
    assert!(failed.is_empty(), "Schemathesis found failures:\n{}", failed.join("\n"));
    app.stop().await;
}

/// `st run` against `app` with the shared configuration and limits.
fn st_run(st: &PathBuf, config: &PathBuf, app: &TestApp, examples: &str, seed: &str) -> Command {
    let mut command = Command::new(st);
    command
        .current_dir(config.parent().expect("the configuration's directory"))
        .arg("--config-file")
        .arg(config)
        .args(["run", &app.url("/api/openapi.json"), "--url", &app.url("")])
        .args(["--max-examples", examples, "--seed", seed, "--no-color", "--generation-database", "none"])
        .args(["--warnings", "off"]);
    command
}

/// Runs one `st` command; its report when it found failures.
async fn run(mut command: Command, who: &str) -> Option<String> {
    let output =
        tokio::task::spawn_blocking(move || command.output()).await.expect("joined").expect("st runs");
    let report = String::from_utf8_lossy(&output.stdout);
    let summary = report.lines().rev().find(|l| l.contains("in ") && l.contains("==")).unwrap_or("");
    eprintln!("fuzz, {who}: {summary}");
    (!output.status.success())
        .then(|| format!("--- {who} ---\n{report}\n{}", String::from_utf8_lossy(&output.stderr)))
}
