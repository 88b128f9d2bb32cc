//! Start-up failures end with a clear message, and a running server stops
//! cleanly on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use stille_server::{Application, Config, StartError};
use tempfile::TempDir;

#[tokio::test]
async fn a_taken_port_is_reported_with_what_to_do() {
    let data = TempDir::new().expect("temp dir");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let mut config = Config::for_data_dir(data.path());
    config.addr = taken.local_addr().expect("addr");
    let error = Application::build(&config).await.expect_err("the port is taken");
    assert!(matches!(error, StartError::Bind { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains(&config.addr.to_string()), "{message}");
    assert!(message.contains("--addr"), "{message}");
}

#[tokio::test]
async fn an_unusable_data_directory_is_reported_with_what_to_do() {
    // A directory that cannot be created because a file is in the way (root
    // ignores permission bits, so this is the portable way to get a failure).
    let data = TempDir::new().expect("temp dir");
    let file = data.path().join("not-a-dir");
    std::fs::write(&file, b"x").expect("write");
    let config = Config::for_data_dir(file.join("data"));
    let error = Application::build(&config).await.expect_err("cannot create the data dir");
    assert!(matches!(error, StartError::DataDir { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("not-a-dir") && message.contains("--data-dir"), "{message}");
}

#[tokio::test]
async fn an_unsupported_database_url_is_refused() {
    let data = TempDir::new().expect("temp dir");
    let mut config = Config::for_data_dir(data.path());
    config.database_url = Some("mysql://root:hunter2@localhost/stille".into());
    let error = Application::build(&config).await.expect_err("mysql is not supported");
    let message = error.to_string();
    assert!(message.contains("postgres://") && !message.contains("hunter2"), "{message}");
}

#[tokio::test]
async fn a_site_without_index_is_refused() {
    let data = TempDir::new().expect("temp dir");
    let mut config = Config::for_data_dir(data.path());
    config.site_dir = Some(data.path().join("nowhere"));
    let error = Application::build(&config).await.expect_err("no site there");
    assert!(error.to_string().contains("cargo xtask"), "{error}");
}

#[test]
fn the_binary_logs_its_address_and_stops_cleanly_on_sigterm() {
    let data = TempDir::new().expect("temp dir");
    let mut server = Command::new(env!("CARGO_BIN_EXE_stille-server"))
        .args(["--addr", "127.0.0.1:0", "--data-dir"])
        .arg(data.path())
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start stille-server");
    let stdout = server.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(stdout).lines();
    let listening = lines
        .by_ref()
        .map_while(Result::ok)
        .find(|line| line.contains("listening on http://"))
        .expect("the server says where it listens");
    let url = listening.split("listening on ").nth(1).expect("an address").trim().to_owned();
    // The address is real: health answers there.
    let health = std::net::TcpStream::connect(url.trim_start_matches("http://"));
    assert!(health.is_ok(), "{url} does not accept connections");
    // One request that carries personal data in its body and query.
    let body = r#"{"email": "private.person@example.dk", "password": "secret words in a row", "display_name": "Private"}"#;
    let request = format!(
        "POST /api/accounts?ref=private.person@example.dk HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = std::net::TcpStream::connect(url.trim_start_matches("http://")).expect("connect");
    std::io::Write::write_all(&mut stream, request.as_bytes()).expect("send");
    let mut answer = String::new();
    std::io::Read::read_to_string(&mut stream, &mut answer).expect("answer");
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    // A wrong password: a security event, with the address but not the email.
    let body = r#"{"email": "private.person@example.dk", "password": "not the secret words"}"#;
    let request = format!(
        "POST /api/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = std::net::TcpStream::connect(url.trim_start_matches("http://")).expect("connect");
    std::io::Write::write_all(&mut stream, request.as_bytes()).expect("send");
    let mut answer = String::new();
    std::io::Read::read_to_string(&mut stream, &mut answer).expect("answer");
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");

    let status =
        Command::new("kill").args(["-TERM", &server.id().to_string()]).status().expect("send SIGTERM");
    assert!(status.success());
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let exit = server.wait().expect("the server exits");
    assert!(exit.success(), "exit status {exit}; logs: {rest:?}");
    assert!(rest.iter().any(|l| l.contains("shutting down")), "{rest:?}");
    assert!(rest.iter().any(|l| l.contains("stopped")), "{rest:?}");
    // Each request is logged with method, path, status and latency, and
    // nothing from its query or body.
    let logged = rest
        .iter()
        .find(|l| l.contains("/api/accounts") && l.contains("status="))
        .expect("the request is logged");
    assert!(logged.contains("POST") && logged.contains("201"), "{logged}");
    let event = rest.iter().find(|l| l.contains("security: log-in failed")).expect("a security event");
    assert!(event.contains("ip=127.0.0.1") && event.contains("/api/sessions"), "{event}");
    assert!(rest.iter().any(|l| l.contains("security: account made")), "{rest:?}");
    for secret in ["private.person", "secret words", "Private"] {
        assert!(!rest.iter().any(|l| l.contains(secret)), "{secret:?} reached the log: {rest:?}");
    }
}
