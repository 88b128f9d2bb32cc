//! `sync-load sqlite|postgres`: the sync benchmark `cargo xtask bench` runs.
//!
//! Starts the release `stille-server` (`STILLE_SERVER_BIN`) on a fresh store,
//! measures that store's raw durable commit rate (one row per transaction,
//! one writer, the server's own settings: SQLite WAL + `synchronous=FULL`
//! in the same directory, PostgreSQL in the same database), signs up 50
//! people, then has them push batches of 10 new log entries as fast as the
//! server answers for `STILLE_BENCH_SECONDS` (default 20) after a 3 s warm-up.
//! Prints one JSON object: pushes/s, p50/p99 latency, the raw commit rate,
//! the CPU the server and the load generator used, and the server's RSS idle
//! and at its peak under load.
//!
//! PostgreSQL: `STILLE_BENCH_POSTGRES` (or `STILLE_TEST_POSTGRES`) names a
//! server where a throw-away database may be created.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use sqlx::Connection;
use stille_e2e::load;
use stille_practice::log::uuid_v7;

const CLIENTS: usize = 50;
const BATCH: usize = 10;
const PASSWORD: &str = "a quiet harbour at dawn";
const METRICS_TOKEN: &str = "sync-load-metrics";

/// `stille_sync_pushes_total` and `stille_sync_commits_total` from `/metrics`.
async fn group_counts(http: &reqwest::Client, base: &str) -> Result<(f64, f64)> {
    let text = http.get(format!("{base}/metrics")).bearer_auth(METRICS_TOKEN).send().await?.text().await?;
    let value = |name: &str| {
        text.lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.trim().parse::<f64>().ok())
            .with_context(|| format!("{name} in /metrics"))
    };
    Ok((value("stille_sync_pushes_total")?, value("stille_sync_commits_total")?))
}

fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Single-row transactions, one after another, for `seconds`: commits per second.
async fn raw_commits(url: &str, sqlite: bool, seconds: f64) -> Result<f64> {
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let mut commits = 0u64;
    if sqlite {
        use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
        let options = url
            .parse::<SqliteConnectOptions>()?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full);
        let mut db = sqlx::SqliteConnection::connect_with(&options).await?;
        sqlx::query("CREATE TABLE raw_commit (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
            .execute(&mut db)
            .await?;
        while Instant::now() < deadline {
            sqlx::query("INSERT INTO raw_commit (body) VALUES ($1)")
                .bind("x".repeat(300))
                .execute(&mut db)
                .await?;
            commits += 1;
        }
    } else {
        let mut db = sqlx::PgConnection::connect(url).await?;
        sqlx::query("CREATE TABLE raw_commit (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL)")
            .execute(&mut db)
            .await?;
        while Instant::now() < deadline {
            sqlx::query("INSERT INTO raw_commit (body) VALUES ($1)")
                .bind("x".repeat(300))
                .execute(&mut db)
                .await?;
            commits += 1;
        }
        sqlx::query("DROP TABLE raw_commit").execute(&mut db).await?;
    }
    Ok(commits as f64 / started.elapsed().as_secs_f64())
}

fn batch(counter: &mut u64, client: usize) -> Value {
    let now = load::now_ms();
    let records: Vec<Value> = (0..BATCH)
        .map(|_| {
            *counter += 1;
            let mut random = [0u8; 10];
            random[..8].copy_from_slice(&counter.to_be_bytes());
            random[8] = client as u8;
            let id = uuid_v7(now as u64, random);
            let started = now - 600_000;
            json!({"id": id, "kind": "entry", "updated_at_ms": now, "body": {
                "id": id, "practice": "breathing-box", "started_at_ms": started, "utc_offset_minutes": 60,
                "planned_ms": 300_000, "practised_ms": 300_000, "ending": "completed", "lang": "da",
                "updated_at_ms": now }})
        })
        .collect();
    json!({ "records": records })
}

#[tokio::main]
async fn main() -> Result<()> {
    let backend = std::env::args().nth(1).unwrap_or_else(|| "sqlite".into());
    let server_bin =
        std::env::var("STILLE_SERVER_BIN").context("STILLE_SERVER_BIN names the release server")?;
    let seconds: f64 =
        std::env::var("STILLE_BENCH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(20.0);
    let data = tempfile::TempDir::new()?;
    let mut command = tokio::process::Command::new(&server_bin);
    command
        .args([
            "--addr",
            "127.0.0.1:0",
            "--signups-per-ip-per-hour",
            "100000",
            "--logins-per-ip-per-15min",
            "100000",
            "--metrics-token",
            METRICS_TOKEN,
        ])
        .arg("--data-dir")
        .arg(data.path())
        .env("RUST_LOG", "info,tower_http=warn")
        .env("NO_COLOR", "1");
    // PostgreSQL: a database of its own, dropped at the end.
    let mut pg_admin = None;
    let raw_url;
    match backend.as_str() {
        "sqlite" => raw_url = format!("sqlite://{}", data.path().join("raw-commit.db").display()),
        "postgres" => {
            let (admin, name, url) = load::new_database("stille_bench").await?;
            raw_url = url;
            command.args(["--database-url", &raw_url]);
            pg_admin = Some((admin, name));
        }
        other => bail!("unknown backend {other:?}: sqlite or postgres"),
    }
    let (mut server, addr) =
        load::listening(&mut command).await.with_context(|| format!("starting {server_bin}"))?;
    let pid = server.id().context("server pid")?;
    let base = format!("http://{addr}");
    let http = reqwest::Client::builder().pool_max_idle_per_host(CLIENTS).build()?;

    let raw = raw_commits(&raw_url, backend == "sqlite", 4.0).await?;

    // Sign up and log in the clients (Argon2id, a few at a time).
    let mut tokens = Vec::new();
    for i in 0..CLIENTS {
        let email = format!("bench{i}@example.dk");
        let form = json!({"email": email, "password": PASSWORD, "display_name": format!("Bench {i}")});
        let response = http.post(format!("{base}/api/accounts")).json(&form).send().await?;
        if response.status() != 201 {
            bail!("sign-up: {} {}", response.status(), response.text().await?);
        }
        let login = json!({"email": email, "password": PASSWORD, "token": true});
        let body: Value = http.post(format!("{base}/api/sessions")).json(&login).send().await?.json().await?;
        tokens.push(body["token"].as_str().context("token")?.to_owned());
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_idle = rss_kb(pid);

    let measuring = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let peak = {
        let stop = stop.clone();
        tokio::spawn(async move {
            let mut peak = 0;
            while !stop.load(Ordering::Relaxed) {
                peak = peak.max(rss_kb(pid));
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            peak
        })
    };
    let mut clients = Vec::new();
    for (client, token) in tokens.into_iter().enumerate() {
        let (http, base, measuring, stop) = (http.clone(), base.clone(), measuring.clone(), stop.clone());
        clients.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut failures = 0u64;
            let mut counter = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let body = batch(&mut counter, client);
                let started = Instant::now();
                let answer =
                    http.post(format!("{base}/api/sync")).bearer_auth(&token).json(&body).send().await;
                let ok = match answer {
                    Ok(response) if response.status() == 200 => {
                        let value: Value = response.json().await.unwrap_or(Value::Null);
                        value["results"]
                            .as_array()
                            .is_some_and(|r| r.len() == BATCH && r.iter().all(|x| x["outcome"] == "stored"))
                    }
                    _ => false,
                };
                if measuring.load(Ordering::Relaxed) {
                    if ok {
                        latencies.push(started.elapsed());
                    } else {
                        failures += 1;
                    }
                }
            }
            (latencies, failures)
        }));
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    measuring.store(true, Ordering::Relaxed);
    let started = Instant::now();
    let (server_cpu, own_cpu) = (load::cpu_s(&pid.to_string(), false), load::cpu_s("self", false));
    let groups_before = group_counts(&http, &base).await?;
    tokio::time::sleep(Duration::from_secs_f64(seconds)).await;
    measuring.store(false, Ordering::Relaxed);
    let groups_after = group_counts(&http, &base).await?;
    let elapsed = started.elapsed().as_secs_f64();
    let (server_cpu, own_cpu) =
        (load::cpu_s(&pid.to_string(), false) - server_cpu, load::cpu_s("self", false) - own_cpu);
    stop.store(true, Ordering::Relaxed);
    let mut latencies = Vec::new();
    let mut failures = 0;
    for client in clients {
        let (l, f) = client.await?;
        latencies.extend(l);
        failures += f;
    }
    let rss_peak = peak.await?;
    latencies.sort();
    let pick = |q: f64| {
        latencies
            .get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1)))
            .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
    };
    let pushes = latencies.len() as f64 / elapsed;
    let result = json!({
        "backend": backend,
        "clients": CLIENTS,
        "batch": BATCH,
        "seconds": elapsed,
        "pushes_per_s": pushes,
        "entries_per_s": pushes * BATCH as f64,
        "p50_ms": pick(0.50),
        "p99_ms": pick(0.99),
        "failures": failures,
        "raw_commits_per_s": raw,
        "pushes_per_commit": (groups_after.0 - groups_before.0) / (groups_after.1 - groups_before.1).max(1.0),
        "server_cpu_ms_per_push": server_cpu * 1000.0 / latencies.len().max(1) as f64,
        "server_cores": server_cpu / elapsed,
        "load_generator_cores": own_cpu / elapsed,
        "rss_idle_kb": rss_idle,
        "rss_peak_kb": rss_peak,
    });
    println!("{result}");
    let _ = server.start_kill();
    let _ = server.wait().await;
    if let Some((admin, name)) = pg_admin {
        load::drop_database(&admin, &name).await?;
    }
    Ok(())
}
