//! A crash during sync loses nothing that was acknowledged: the server
//! process is killed with SIGKILL (no shutdown, no flush) while several
//! devices push, three times on each store; after each restart every record
//! whose push was answered is there, a push that was in flight can be sent
//! again without anything being stored twice, and a pull lists each record
//! exactly once.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use crate::courses::{at, entry};
use crate::helpers::{PASSWORD, PostgresDatabase, backends};

/// A `stille-server` process of its own.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    /// Starts the binary on `store` (a data directory's flag, or a database URL)
    /// and waits until it says where it listens.
    fn start(store: &[String]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_stille-server"))
            .args([
                "--addr",
                "127.0.0.1:0",
                "--signups-per-ip-per-hour",
                "1000",
                "--logins-per-ip-per-15min",
                "1000",
            ])
            .args(store)
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start stille-server");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let listening = lines
            .by_ref()
            .map_while(Result::ok)
            .find(|line| line.contains("listening on http://"))
            .expect("the server says where it listens");
        let url = listening.split("listening on ").nth(1).expect("an address").trim().to_owned();
        // Keep reading its log, or it stops when the pipe is full.
        std::thread::spawn(move || lines.map_while(Result::ok).for_each(drop));
        Server { child, url }
    }

    /// SIGKILL: the process ends at once, mid-transaction if it is in one.
    fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("the server ends");
    }
}

/// Signs up `name` (once) and logs in with a bearer token.
async fn account(http: &reqwest::Client, url: &str, name: &str) -> String {
    let email = format!("{name}@example.dk");
    let _ = http
        .post(format!("{url}/api/accounts"))
        .json(&json!({"email": email, "password": PASSWORD, "display_name": name}))
        .send()
        .await;
    let answer: Value = http
        .post(format!("{url}/api/sessions"))
        .json(&json!({"email": email, "password": PASSWORD, "token": true}))
        .send()
        .await
        .expect("log in")
        .json()
        .await
        .expect("JSON");
    answer["token"].as_str().expect("a token").to_owned()
}

/// Pushes `batch`; Some(ids) when the server answered that each is stored
/// (or already was), None when the answer never came.
async fn push(http: &reqwest::Client, url: &str, token: &str, batch: &[Value]) -> Option<Vec<String>> {
    let response = http
        .post(format!("{url}/api/sync"))
        .bearer_auth(token)
        .json(&json!({"records": batch}))
        .send()
        .await
        .ok()?;
    if response.status() != 200 {
        return None;
    }
    let answer: Value = response.json().await.ok()?;
    let results = answer["results"].as_array()?;
    results
        .iter()
        .map(|r| {
            let outcome = r["outcome"].as_str().unwrap_or_default();
            assert!(matches!(outcome, "stored" | "duplicate"), "a fresh record was not stored: {r}");
            r["id"].as_str().map(str::to_owned)
        })
        .collect()
}

/// Every record id a pull lists, in the order given, following the cursor.
async fn pull_all(http: &reqwest::Client, url: &str, token: &str) -> Vec<String> {
    let (mut ids, mut after, mut last_seq) = (Vec::new(), 0i64, 0i64);
    loop {
        let page: Value = http
            .get(format!("{url}/api/sync?after={after}"))
            .bearer_auth(token)
            .send()
            .await
            .expect("pull")
            .json()
            .await
            .expect("JSON");
        for change in page["changes"].as_array().expect("changes") {
            let seq = change["seq"].as_i64().expect("seq");
            assert!(seq > last_seq, "sequence numbers rise: {seq} after {last_seq}");
            last_seq = seq;
            ids.push(change["id"].as_str().expect("id").to_owned());
        }
        after = page["cursor"].as_i64().expect("cursor");
        if page["more"] != true {
            return ids;
        }
    }
}

/// One device's pushes, until the server is gone: what was acknowledged and
/// the batch that was in flight.
async fn device(
    http: reqwest::Client,
    url: String,
    token: String,
    next: Arc<Mutex<u32>>,
    acknowledged: Arc<Mutex<HashSet<String>>>,
) -> Option<Vec<Value>> {
    loop {
        let batch: Vec<Value> = {
            let mut next = next.lock().expect("counter");
            let batch = (*next..*next + 10)
                .map(|n| entry(at(2026, 10, 1, 0) + i64::from(n) * 60_000, (n % 251) as u8, 1 + n % 20))
                .collect();
            *next += 10;
            batch
        };
        match push(&http, &url, &token, &batch).await {
            Some(ids) => acknowledged.lock().expect("set").extend(ids),
            None => return Some(batch),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_acknowledged_record_survives_sigkill_and_none_is_stored_twice() {
    for backend in backends() {
        let data = tempfile::TempDir::new().expect("temp dir");
        let postgres = match backend {
            "postgres" => Some(PostgresDatabase::create().await),
            _ => None,
        };
        let store: Vec<String> = match &postgres {
            // A data directory of its own too (the key for stored secrets, the uploads).
            Some(database) => vec![
                "--database-url".into(),
                database.url.clone(),
                "--data-dir".into(),
                data.path().to_string_lossy().into_owned(),
            ],
            None => vec!["--data-dir".into(), data.path().to_string_lossy().into_owned()],
        };
        let http = reqwest::Client::new();
        let next = Arc::new(Mutex::new(0u32));
        let mut acknowledged: HashMap<&str, Arc<Mutex<HashSet<String>>>> = HashMap::new();
        let mut interrupted = 0;
        for round in 1..=3 {
            let server = Server::start(&store);
            let url = server.url.clone();
            // Two people, each with two phones pushing at once.
            let mut devices = Vec::new();
            for name in ["ida", "jens"] {
                let token = account(&http, &url, name).await;
                let acked = acknowledged.entry(name).or_default().clone();
                for _ in 0..2 {
                    devices.push((
                        name,
                        token.clone(),
                        tokio::spawn(device(
                            http.clone(),
                            url.clone(),
                            token.clone(),
                            next.clone(),
                            acked.clone(),
                        )),
                    ));
                }
            }
            // Kill once this round's pushes are well under way (a condition, not a time).
            let target = round * 300;
            while acknowledged.values().map(|a| a.lock().expect("set").len()).sum::<usize>() < target {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            server.kill();
            let mut in_flight = Vec::new();
            for (name, token, device) in devices {
                if let Some(batch) = device.await.expect("device task") {
                    in_flight.push((name, token, batch));
                }
            }
            interrupted += in_flight.len();
            // After a restart: a push that was in flight is sent again (as a
            // phone would) and is stored once; everything acknowledged is there.
            let server = Server::start(&store);
            for (name, _, batch) in in_flight {
                let token = account(&http, &server.url, name).await;
                let ids = push(&http, &server.url, &token, &batch).await.expect("the retry is answered");
                acknowledged[name].lock().expect("set").extend(ids);
            }
            for name in ["ida", "jens"] {
                let token = account(&http, &server.url, name).await;
                let pulled = pull_all(&http, &server.url, &token).await;
                let unique: HashSet<&String> = pulled.iter().collect();
                assert_eq!(unique.len(), pulled.len(), "{backend}, round {round}: a record pulled twice");
                let expected = acknowledged[name].lock().expect("set").clone();
                let missing: Vec<_> = expected.iter().filter(|id| !unique.contains(id)).collect();
                assert!(missing.is_empty(), "{backend}, round {round}: acknowledged but lost: {missing:?}");
                assert_eq!(unique.len(), expected.len(), "{backend}, round {round}: stored but never sent");
            }
            server.kill();
        }
        let total: usize = acknowledged.values().map(|a| a.lock().expect("set").len()).sum();
        eprintln!(
            "{backend}: {total} records acknowledged over 3 kills, {interrupted} pushes cut off mid-way"
        );
        assert!(interrupted > 0, "{backend}: no push was in flight at a kill; the test did not test a crash");
        if let Some(database) = postgres {
            database.drop().await;
        }
    }
}
