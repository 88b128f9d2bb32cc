//! `scale-load`: the 10,000-participant day `cargo xtask bench scale` runs.
//!
//! Two release `stille-server` instances (`STILLE_SERVER_BIN`) on one fresh
//! PostgreSQL database (`STILLE_BENCH_POSTGRES` names a server where a
//! throw-away database may be made), every request sent to them in turn as a
//! load balancer would. Set-up, not measured: 10,000 participants and 600
//! instructors (accounts and sessions written straight into the database,
//! every password hash a real Argon2id one, so nobody waits for 10,600
//! hashings), each instructor's MSC course made and joined through the API
//! (about 17 people each, every one from an address of their own), and four
//! weeks of history per participant (20 practices, 8 check-ins, 2 notes).
//!
//! The measured day, at most 200 people at once: each participant opens the
//! app (a pull), logs a morning practice with a check-in before and after,
//! sometimes a note, and an evening practice, and pulls again; every tenth is
//! on a flaky connection whose first push's answer is lost, so it sends the
//! same push again and must be told "duplicate" for every record. Each
//! instructor opens the course report three times. Afterwards every record is
//! counted in the database.
//!
//! Prints one JSON object: per endpoint the requests, p50 and p99; the day's
//! wall time and requests/s; CPU per request of the servers and of
//! PostgreSQL's processes; the database's size and bytes per record.
//! `STILLE_SCALE_PARTICIPANTS` makes it smaller (tests of the bench itself).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use futures_util::StreamExt;
use serde_json::{Value, json};
use stille_e2e::load;
use stille_practice::journal::{CheckIn, Ladder, Moment, Reflection};
use stille_practice::log::{Ending, Entry, uuid_v7};
use stille_practice::{Lang, PracticeId};

const INSTRUCTORS: usize = 600;
const AT_ONCE: usize = 200;
const DAY_MS: i64 = 86_400_000;
const PASSWORD: &str = "a quiet harbour at dawn";
const METRICS_TOKEN: &str = "scale-load-metrics";

/// CPU seconds used by every PostgreSQL process alive now, and by those
/// that ended (counted in their parent, the postmaster).
fn postgres_cpu_s() -> f64 {
    let Ok(dir) = std::fs::read_dir("/proc") else { return 0.0 };
    let mut total = 0.0;
    for entry in dir.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else { continue };
        let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        if comm.trim() == "postgres" {
            total += load::cpu_s(&pid.to_string(), true);
        }
    }
    total
}

/// A token as the server makes them: 43 URL-safe characters.
fn token(kind: &str, n: usize) -> String {
    stille_server::accounts::session::digest(&format!("{kind}-{n}"))[..43].to_owned()
}

fn id(at_ms: i64, seed: u64) -> String {
    let mut random = [0u8; 10];
    random[..8].copy_from_slice(&seed.to_be_bytes());
    uuid_v7(at_ms as u64, random)
}

fn entry(at_ms: i64, seed: u64, minutes: u32) -> Value {
    let practice = PracticeId::parse("msc-affectionate-breathing").unwrap_or_else(|_| unreachable!());
    let mut e = Entry::start(id(at_ms, seed), practice, at_ms, 60, minutes * 60_000, Lang::Da);
    e.practised_ms = minutes * 60_000;
    e.ending = Some(Ending::Completed);
    e.updated_at_ms = at_ms + i64::from(minutes) * 60_000;
    json!({ "id": e.id, "kind": "entry", "updated_at_ms": e.updated_at_ms, "body": e })
}

fn check_in(at_ms: i64, seed: u64, practice: &Value, moment: Moment, distress: u8) -> Result<Value> {
    let c = CheckIn::from_answers(
        id(at_ms, seed),
        practice["id"].as_str(),
        moment,
        Some(distress),
        Some(Ladder::Ventral),
        at_ms,
        60,
    )
    .context("a check-in with answers")?;
    Ok(json!({ "id": c.id, "kind": "check-in", "updated_at_ms": at_ms, "body": c }))
}

fn note(at_ms: i64, seed: u64, practice: &Value, text: &str) -> Result<Value> {
    let r = Reflection::from_text(id(at_ms, seed), practice["id"].as_str(), text, at_ms, 60)
        .context("a note with text")?;
    let r = Reflection { shared: true, ..r };
    Ok(json!({ "id": r.id, "kind": "reflection", "updated_at_ms": at_ms, "body": r }))
}

/// One server instance.
struct Instance {
    child: tokio::process::Child,
    base: String,
    pid: u32,
    _data: tempfile::TempDir,
}

/// Starts an instance on `url` with the key for stored secrets in `key`
/// (every instance on one database shares one).
async fn start(bin: &str, url: &str, key: &std::path::Path) -> Result<Instance> {
    let data = tempfile::TempDir::new()?;
    let mut command = tokio::process::Command::new(bin);
    command
        .args(["--addr", "127.0.0.1:0", "--database-url", url, "--client-ip-header", "X-Forwarded-For"])
        .args(["--signups-per-ip-per-hour", "1000000", "--logins-per-ip-per-15min", "1000000"])
        .args(["--metrics-token", METRICS_TOKEN])
        .arg("--data-dir")
        .arg(data.path())
        .arg("--secrets-key-file")
        .arg(key)
        .env("RUST_LOG", "info,tower_http=warn")
        .env("NO_COLOR", "1");
    let (child, addr) = load::listening(&mut command).await.with_context(|| format!("starting {bin}"))?;
    let pid = child.id().context("server pid")?;
    Ok(Instance { child, base: format!("http://{addr}"), pid, _data: data })
}

/// Latencies by endpoint, shared by every simulated person.
#[derive(Default)]
struct Timings(Mutex<BTreeMap<&'static str, Vec<Duration>>>);

impl Timings {
    fn add(&self, endpoint: &'static str, took: Duration) {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(endpoint)
            .or_default()
            .push(took);
    }
}

/// Sends requests to the instances in turn, timing each by endpoint.
struct Client {
    http: reqwest::Client,
    bases: Vec<String>,
    next: std::sync::atomic::AtomicUsize,
    timings: Timings,
}

impl Client {
    fn base(&self) -> &str {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        &self.bases[n % self.bases.len()]
    }

    async fn call(
        &self,
        endpoint: &'static str,
        request: reqwest::RequestBuilder,
        token: &str,
        ip: &str,
    ) -> Result<Value> {
        let started = Instant::now();
        let response = request.bearer_auth(token).header("X-Forwarded-For", ip).send().await?;
        let status = response.status();
        let body = response.bytes().await?;
        let took = started.elapsed();
        if !status.is_success() {
            bail!("{endpoint}: {status} {}", String::from_utf8_lossy(&body));
        }
        self.timings.add(endpoint, took);
        Ok(serde_json::from_slice(&body).unwrap_or(Value::Null))
    }

    async fn push(
        &self,
        endpoint: &'static str,
        token: &str,
        ip: &str,
        records: &[Value],
    ) -> Result<Vec<Value>> {
        let request =
            self.http.post(format!("{}/api/sync", self.base())).json(&json!({ "records": records }));
        let answer = self.call(endpoint, request, token, ip).await?;
        let results = answer["results"].as_array().cloned().unwrap_or_default();
        if results.len() != records.len() {
            bail!("{endpoint}: {} results for {} records: {answer}", results.len(), records.len());
        }
        Ok(results)
    }

    async fn pull(&self, token: &str, ip: &str, after: i64) -> Result<i64> {
        let mut after = after;
        loop {
            let request = self.http.get(format!("{}/api/sync?after={after}", self.base()));
            let answer = self.call("GET /api/sync", request, token, ip).await?;
            after = answer["cursor"].as_i64().context("a cursor")?;
            if answer["more"] != true {
                return Ok(after);
            }
        }
    }
}

fn outcomes_are(results: &[Value], outcome: &str) -> bool {
    results.iter().all(|r| r["outcome"] == outcome)
}

fn quantile(sorted: &[Duration], q: f64) -> f64 {
    sorted
        .get(((sorted.len() as f64 * q) as usize).min(sorted.len().saturating_sub(1)))
        .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
}

fn date(ms: i64) -> String {
    let (y, m, d) = stille_practice::stats::Date(ms.div_euclid(DAY_MS) as i32).ymd();
    format!("{y:04}-{m:02}-{d:02}")
}

#[tokio::main]
async fn main() -> Result<()> {
    let participants: usize =
        std::env::var("STILLE_SCALE_PARTICIPANTS").ok().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let instructors = INSTRUCTORS.min(participants.div_ceil(13).max(1));
    let bin = std::env::var("STILLE_SERVER_BIN").context("STILLE_SERVER_BIN names the release server")?;
    let (admin, name, url) = load::new_database("stille_scale").await?;
    let result = run(&bin, &url, participants, instructors).await;
    load::drop_database(&admin, &name).await?;
    println!("{}", result?);
    Ok(())
}

async fn run(bin: &str, url: &str, participants: usize, instructors: usize) -> Result<Value> {
    // The first instance makes the schema; the second finds it.
    let keys = tempfile::TempDir::new()?;
    let key = keys.path().join("secrets.key");
    let first = start(bin, url, &key).await?;
    let second = start(bin, url, &key).await?;
    let client = Arc::new(Client {
        http: reqwest::Client::builder().pool_max_idle_per_host(AT_ONCE).build()?,
        bases: vec![first.base.clone(), second.base.clone()],
        next: Default::default(),
        timings: Timings::default(),
    });
    let db = sqlx::postgres::PgPoolOptions::new().max_connections(4).connect(url).await?;
    let setup = Instant::now();

    // One real sign-up for a real password hash, which every seeded account shares.
    let signed = client
        .http
        .post(format!("{}/api/accounts", first.base))
        .json(&json!({ "email": "seed@example.dk", "password": PASSWORD, "display_name": "Seed" }))
        .send()
        .await?;
    if !signed.status().is_success() {
        bail!("seed sign-up: {}", signed.text().await?);
    }
    let (hash,): (String,) =
        sqlx::query_as("SELECT password_hash FROM users WHERE email = 'seed@example.dk'")
            .fetch_one(&db)
            .await?;
    let now = load::now_ms();
    let people: Vec<(String, &str, usize)> = (0..instructors)
        .map(|n| (format!("t{n}"), "instructor", n))
        .chain((0..participants).map(|n| (format!("p{n}"), "participant", n)))
        .collect();
    for chunk in people.chunks(1000) {
        let mut users = String::from(
            "INSERT INTO users (id, email, password_hash, role, display_name, created_at_ms, email_verified_at_ms) VALUES ",
        );
        let mut sessions = String::from(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at_ms, last_seen_ms, public_id, two_step) VALUES ",
        );
        for (i, (who, role, _)) in chunk.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            users.push_str(&format!(
                "{sep}('user-{who}', '{who}@example.dk', '{hash}', '{role}', 'Person {who}', {now}, {now})"
            ));
            sessions.push_str(&format!(
                "{sep}('{}', 'user-{who}', '{}', {now}, {now}, 'session-{who}', 1)",
                stille_server::accounts::session::digest(&token("session", people_index(who))),
                token("csrf", people_index(who)),
            ));
        }
        sqlx::query(&users).execute(&db).await?;
        sqlx::query(&sessions).execute(&db).await?;
    }
    eprintln!(
        "scale-load: {} accounts with sessions in {:.1} s",
        people.len(),
        setup.elapsed().as_secs_f64()
    );

    // Courses and invites through the API, four weeks in.
    let start_date = date(now - 28 * DAY_MS);
    let codes: Vec<(String, String)> = futures_util::stream::iter(0..instructors)
        .map(|n| {
            let (client, start_date) = (client.clone(), start_date.clone());
            async move {
                let who = format!("t{n}");
                let tok = token("session", people_index(&who));
                let ip = format!("10.200.{}.{}", n / 250, n % 250 + 1);
                let course = client
                    .call(
                        "POST /api/courses",
                        client.http.post(format!("{}/api/courses", client.base())).json(&json!({
                            "title": format!("MSC forår, hold {}", n + 1), "lang": "da",
                            "time_zone": "Europe/Copenhagen", "start_date": start_date, "template": "msc",
                            "capacity": 40 })),
                        &tok,
                        &ip,
                    )
                    .await?;
                let course_id = course["id"].as_str().context("a course id")?.to_owned();
                let invite = client
                    .call(
                        "POST /api/courses/{id}/invite",
                        client
                            .http
                            .post(format!("{}/api/courses/{course_id}/invite", client.base()))
                            .json(&json!({})),
                        &tok,
                        &ip,
                    )
                    .await?;
                Ok::<_, anyhow::Error>((course_id, invite["code"].as_str().context("a code")?.to_owned()))
            }
        })
        .buffered(AT_ONCE / 4)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_>>()?;

    // Everyone joins (sharing practice, and notes for three in four) and
    // brings four weeks of history.
    let history_start = now - 28 * DAY_MS;
    let cursors: Vec<i64> = futures_util::stream::iter(0..participants)
        .map(|p| {
            let (client, code) = (client.clone(), codes[p % instructors].1.clone());
            async move {
                let who = format!("p{p}");
                let tok = token("session", people_index(&who));
                let ip = ip_of(p);
                client
                    .call(
                        "POST /api/join",
                        client.http.post(format!("{}/api/join", client.base())).json(&json!({
                            "code": code, "consent": { "adherence": true, "reflections": p % 4 != 3 } })),
                        &tok,
                        &ip,
                    )
                    .await?;
                let mut records = Vec::new();
                let seed = (p as u64) << 16;
                for day in 0..28i64 {
                    if day % 7 >= 5 {
                        continue;
                    }
                    let at = history_start + day * DAY_MS + 7 * 3_600_000 + (p as i64 % 120) * 60_000;
                    let practice = entry(at, seed + day as u64, 10 + (p as u32 % 3) * 5);
                    if day % 7 < 2 {
                        let moment = if day % 7 == 0 { Moment::Before } else { Moment::After };
                        records.push(check_in(
                            at + 1,
                            seed + 100 + day as u64,
                            &practice,
                            moment,
                            (p % 8) as u8,
                        )?);
                    }
                    if day % 14 == 0 {
                        records.push(note(
                            at + 2,
                            seed + 200 + day as u64,
                            &practice,
                            "Det blev lidt lettere i dag.",
                        )?);
                    }
                    records.push(practice);
                }
                let results = client.push("POST /api/sync", &tok, &ip, &records).await?;
                if !outcomes_are(&results, "stored") {
                    bail!("history of {who}: {results:?}");
                }
                Ok::<_, anyhow::Error>(results.iter().filter_map(|r| r["seq"].as_i64()).max().unwrap_or(0))
            }
        })
        .buffered(AT_ONCE)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_>>()?;
    let (seeded,): (i64,) = sqlx::query_as("SELECT count(*) FROM records").fetch_one(&db).await?;
    eprintln!("scale-load: set up in {:.0} s ({seeded} records)", setup.elapsed().as_secs_f64());
    client.timings.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();

    // The day.
    let pids = [first.pid, second.pid];
    let (servers_before, postgres_before) =
        (pids.iter().map(|p| load::cpu_s(&p.to_string(), false)).sum::<f64>(), postgres_cpu_s());
    let day = Instant::now();
    let pushed = Arc::new(std::sync::atomic::AtomicU64::new(0));
    // Participants and instructors interleaved, as a day mixes them: an
    // instructor after every `step` participants.
    let step = (participants / instructors.max(1)).max(1);
    let mut actors: Vec<usize> = Vec::with_capacity(participants + instructors);
    for p in 0..participants {
        actors.push(p);
        if (p + 1) % step == 0 && (p + 1) / step <= instructors {
            actors.push(participants + (p + 1) / step - 1);
        }
    }
    let placed = actors.len() - participants;
    actors.extend(participants + placed..participants + instructors);
    let outcomes: Vec<Result<()>> = futures_util::stream::iter(actors)
        .map(|n| {
            let (client, pushed) = (client.clone(), pushed.clone());
            let cursor = cursors.get(n).copied().unwrap_or(0);
            let course = codes.get(n.saturating_sub(participants)).map(|c| c.0.clone()).unwrap_or_default();
            async move {
                if n >= participants {
                    // An instructor, now and then through the day.
                    let who = format!("t{}", n - participants);
                    let tok = token("session", people_index(&who));
                    for _ in 0..3 {
                        let request =
                            client.http.get(format!("{}/api/courses/{course}/report", client.base()));
                        client.call("GET /api/courses/{id}/report", request, &tok, "10.250.0.1").await?;
                    }
                    return Ok(());
                }
                let p = n;
                let who = format!("p{p}");
                let tok = token("session", people_index(&who));
                let ip = ip_of(p);
                let seed = ((p as u64) << 16) + 1_000;
                let morning = now - 2 * 3_600_000 + (p as i64 % 60) * 60_000;
                let cursor = client.pull(&tok, &ip, cursor).await?;
                let practice = entry(morning, seed, 15);
                let mut records = vec![
                    check_in(morning - 1, seed + 1, &practice, Moment::Before, 5)?,
                    practice.clone(),
                    check_in(morning + 15 * 60_000 + 1, seed + 2, &practice, Moment::After, 3)?,
                ];
                if p % 5 == 0 {
                    records.push(note(
                        morning + 15 * 60_000 + 2,
                        seed + 3,
                        &practice,
                        "Roligere end i går.",
                    )?);
                }
                let results = client.push("POST /api/sync", &tok, &ip, &records).await?;
                if !outcomes_are(&results, "stored") {
                    bail!("{who}'s morning: {results:?}");
                }
                if p % 10 == 0 {
                    // The answer was lost on a flaky connection: the same push again.
                    let again = client.push("POST /api/sync (retry)", &tok, &ip, &records).await?;
                    if !outcomes_are(&again, "duplicate") {
                        bail!("{who}'s retry was not recognised: {again:?}");
                    }
                }
                let evening = now - 3_600_000 + (p as i64 % 30) * 60_000;
                let practice = entry(evening, seed + 4, 10);
                let evening_records = [
                    practice.clone(),
                    check_in(evening + 10 * 60_000 + 1, seed + 5, &practice, Moment::After, 2)?,
                ];
                let results = client.push("POST /api/sync", &tok, &ip, &evening_records).await?;
                if !outcomes_are(&results, "stored") {
                    bail!("{who}'s evening: {results:?}");
                }
                client.pull(&tok, &ip, cursor).await?;
                pushed.fetch_add(
                    (records.len() + evening_records.len()) as u64,
                    std::sync::atomic::Ordering::Relaxed,
                );
                Ok(())
            }
        })
        .buffer_unordered(AT_ONCE)
        .collect()
        .await;
    let day_s = day.elapsed().as_secs_f64();
    let servers_cpu = pids.iter().map(|p| load::cpu_s(&p.to_string(), false)).sum::<f64>() - servers_before;
    let postgres_cpu = postgres_cpu_s() - postgres_before;
    let failures: Vec<String> = outcomes.into_iter().filter_map(|o| o.err().map(|e| e.to_string())).collect();
    if let Some(first_failure) = failures.first() {
        bail!("{} of the day's people failed; the first: {first_failure}", failures.len());
    }
    let (stored,): (i64,) = sqlx::query_as("SELECT count(*) FROM records").fetch_one(&db).await?;
    let expected = seeded + pushed.load(std::sync::atomic::Ordering::Relaxed) as i64;
    if stored != expected {
        bail!("{stored} records in the database, {expected} acknowledged");
    }

    let timings =
        std::mem::take(&mut *client.timings.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
    let requests: usize = timings.values().map(Vec::len).sum();
    let endpoints: Vec<Value> = timings
        .into_iter()
        .map(|(endpoint, mut took)| {
            took.sort();
            json!({ "endpoint": endpoint, "requests": took.len(), "p50_ms": quantile(&took, 0.5), "p99_ms": quantile(&took, 0.99) })
        })
        .collect();
    let size = |sql: &'static str| {
        let db = db.clone();
        async move { sqlx::query_as::<_, (i64,)>(sql).fetch_one(&db).await.map(|r| r.0) }
    };
    let database_bytes = size("SELECT pg_database_size(current_database())").await?;
    let record_bytes = size(
        "SELECT (pg_total_relation_size('records') + pg_total_relation_size('record_versions'))::bigint",
    )
    .await?;
    let versions = size("SELECT count(*) FROM record_versions").await?;
    for mut instance in [first, second] {
        let _ = instance.child.start_kill();
        let _ = instance.child.wait().await;
    }
    Ok(json!({
        "participants": participants,
        "instructors": instructors,
        "at_once": AT_ONCE,
        "setup_s": setup.elapsed().as_secs_f64() - day_s,
        "day_s": day_s,
        "requests": requests,
        "requests_per_s": requests as f64 / day_s,
        "endpoints": endpoints,
        "server_cpu_ms_per_request": servers_cpu * 1000.0 / requests.max(1) as f64,
        "postgres_cpu_ms_per_request": postgres_cpu * 1000.0 / requests.max(1) as f64,
        "records": stored,
        "versions": versions,
        "database_bytes": database_bytes,
        "record_bytes": record_bytes,
        "bytes_per_record": record_bytes as f64 / stored.max(1) as f64,
    }))
}

/// The index a person's tokens are made from.
fn people_index(who: &str) -> usize {
    let n: usize = who[1..].parse().unwrap_or(0);
    if who.starts_with('t') { n } else { 1_000_000 + n }
}

/// Each participant's own address.
fn ip_of(p: usize) -> String {
    format!("10.{}.{}.{}", p / 62_500 + 1, (p / 250) % 250, p % 250 + 1)
}
