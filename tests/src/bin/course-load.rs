//! Measures the course side of the app for `cargo xtask bench`:
//!
//! - reconnect → "Synced": a signed-in phone holds 100 practice entries made
//!   offline (written into its IndexedDB with their outbox entries, as the app
//!   writes them); the time from the browser's `online` event to the status
//!   line saying "Synced", measured in the page, five runs;
//! - the instructor's dashboard for a course of 13 participants with 8 weeks
//!   of practice each (40 entries, 16 check-ins, 4 reflections per person):
//!   from navigation start to the per-week table drawn with all 13 rows, in
//!   the page, five loads; and the report request alone, from outside.
//!
//! Prints one JSON object. Needs STILLE_SITE_DIR, STILLE_CHROMIUM and
//! STILLE_CHROMEDRIVER, as the end-to-end tests do.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use stille_e2e::flows::{PASSWORD, sign_in, sign_up, status_is};
use stille_e2e::{Browser, Locale, Stille};
use stille_practice::journal::{CheckIn, Ladder, Moment, Reflection};
use stille_practice::log::{Ending, Entry, uuid_v7};
use stille_practice::sync::{Kind, Pending};
use stille_practice::{Lang, PracticeId};

const DAY_MS: i64 = 86_400_000;

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

fn entry(at_ms: i64, seed: u64, minutes: u32) -> Entry {
    let mut random = [0u8; 10];
    random[..8].copy_from_slice(&seed.to_be_bytes());
    let practice = PracticeId::parse("msc-affectionate-breathing").unwrap_or_else(|_| unreachable!());
    let mut e = Entry::start(uuid_v7(at_ms as u64, random), practice, at_ms, 60, minutes * 60_000, Lang::Da);
    e.practised_ms = minutes * 60_000;
    e.ending = Some(Ending::Completed);
    e.updated_at_ms = at_ms + i64::from(minutes) * 60_000;
    e
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// 100 entries made offline → the time to "Synced" after reconnecting.
async fn reconnect_run(stille: &Stille, run: usize) -> Result<f64> {
    let base = stille.url("");
    let phone = Browser::phone(Locale::English).await?;
    let email = format!("phone{run}@example.org");
    sign_up(&phone, &base, "Phone", &email).await?;
    status_is(&phone, "Synced").await?;
    phone.set_offline(true).await?;
    let now = now_ms();
    let mut records = Vec::new();
    for i in 0..100u64 {
        let e = entry(now - (i as i64 + 1) * 3_600_000, run as u64 * 1000 + i, 10);
        let pending =
            Pending { kind: Kind::Entry, id: e.id.clone(), updated_at_ms: e.updated_at_ms, deleted: false };
        records.push(json!([
            e.id,
            serde_json::to_string(&e)?,
            pending.key(),
            serde_json::to_string(&pending)?
        ]));
    }
    let script = format!(
        "const records = {}; \
         return new Promise((resolve, reject) => {{ \
           const open = indexedDB.open('stille', 3); \
           open.onerror = () => reject(open.error); \
           open.onsuccess = () => {{ \
             const db = open.result; const tx = db.transaction(['log', 'outbox'], 'readwrite'); \
             for (const [id, entry, key, pending] of records) {{ tx.objectStore('log').put(entry, id); tx.objectStore('outbox').put(pending, key); }} \
             tx.oncomplete = () => {{ db.close(); resolve(records.length); }}; tx.onerror = () => reject(tx.error); \
           }}; \
         }});",
        Value::Array(records)
    );
    let written = phone.eval(&script).await?;
    if written.as_u64() != Some(100) {
        bail!("wrote {written} entries, not 100");
    }
    // A sync while offline: the line now says what waits.
    phone.goto(&stille.url("/account")).await?;
    phone.wait_for_text(".sync-now", "Sync now").await?.click().await?;
    phone.wait_for_text_like(".sync-status a", "Waiting for network").await?;
    phone
        .eval(
            "window.__t = {}; \
             addEventListener('online', () => { window.__t.online = performance.now(); }, { once: true }); \
             new MutationObserver(() => { \
               const a = document.querySelector('.sync-status a'); \
               if (a && a.textContent === 'Synced' && window.__t.online && !window.__t.synced) window.__t.synced = performance.now(); \
             }).observe(document.body, { subtree: true, childList: true, characterData: true }); \
             return true;",
        )
        .await?;
    phone.set_offline(false).await?;
    let started = Instant::now();
    let took = loop {
        let t = phone.eval("return window.__t.synced && window.__t.synced - window.__t.online").await?;
        if let Some(ms) = t.as_f64() {
            break ms;
        }
        if started.elapsed() > Duration::from_secs(120) {
            bail!("not synced 2 minutes after reconnecting");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    // The server has all of them.
    let http = reqwest::Client::new();
    let token = stille.bearer_token(&email, PASSWORD).await?;
    let pulled: Value =
        http.get(stille.url("/api/sync?after=0")).bearer_auth(token).send().await?.json().await?;
    let entries =
        pulled["changes"].as_array().map_or(0, |c| c.iter().filter(|r| r["kind"] == "entry").count());
    if entries != 100 {
        bail!("the server holds {entries} entries, not 100");
    }
    phone.close().await?;
    Ok(took)
}

/// A course of 13 participants with 8 weeks of practice; returns its id.
async fn seed_course(stille: &Stille) -> Result<String> {
    let http = reqwest::Client::new();
    stille.make_instructor("teacher@example.org", "Birgit", PASSWORD).await?;
    let teacher = stille.bearer_token("teacher@example.org", PASSWORD).await?;
    let start = now_ms() - 56 * DAY_MS;
    let start_date = {
        let (y, m, d) = stille_practice::stats::Date(start.div_euclid(DAY_MS) as i32).ymd();
        format!("{y:04}-{m:02}-{d:02}")
    };
    let course: Value = http
        .post(stille.url("/api/courses"))
        .bearer_auth(&teacher)
        .json(&json!({ "title": "MSC load", "lang": "da", "time_zone": "Europe/Copenhagen", "start_date": start_date, "template": "msc" }))
        .send()
        .await?
        .json()
        .await?;
    let id = course["id"].as_str().context("a course id")?.to_owned();
    let invite: Value = http
        .post(stille.url(&format!("/api/courses/{id}/invite")))
        .bearer_auth(&teacher)
        .json(&json!({}))
        .send()
        .await?
        .json()
        .await?;
    let code = invite["code"].as_str().context("a code")?.to_owned();
    for p in 0..13u64 {
        let email = format!("p{p}@example.org");
        let signed = http
            .post(stille.url("/api/accounts"))
            .json(&json!({ "email": email, "password": PASSWORD, "display_name": format!("Deltager {}", p + 1) }))
            .send()
            .await?;
        if !signed.status().is_success() {
            bail!("sign-up {p}: {}", signed.text().await?);
        }
        let bearer = stille.bearer_token(&email, PASSWORD).await?;
        let joined = http
            .post(stille.url("/api/join"))
            .bearer_auth(&bearer)
            .json(&json!({ "code": code, "consent": { "adherence": true, "reflections": p % 4 != 3 } }))
            .send()
            .await?;
        if !joined.status().is_success() {
            bail!("join {p}: {}", joined.text().await?);
        }
        let mut records = Vec::new();
        for week in 0..8i64 {
            for n in 0..5i64 {
                let at = start + (week * 7 + n) * DAY_MS + 8 * 3_600_000;
                let e = entry(at, p * 10_000 + (week * 10 + n) as u64, 10 + (p as u32 % 3) * 5);
                if n < 2 {
                    let seed = p * 10_000 + 5_000 + (week * 10 + n) as u64;
                    let check_in = CheckIn::from_answers(
                        uuid_v7(at as u64 + 1, [seed as u8; 10]),
                        Some(&e.id),
                        if n == 0 { Moment::Before } else { Moment::After },
                        Some(((p + week as u64) % 8) as u8),
                        Some(Ladder::Ventral),
                        at + 1,
                        60,
                    )
                    .context("a check-in with answers")?;
                    records.push(json!({ "id": check_in.id, "kind": "check-in", "updated_at_ms": at + 1, "body": check_in }));
                }
                if n == 0 && week % 2 == 0 {
                    let written = Reflection::from_text(
                        uuid_v7(at as u64 + 2, [(p as u8).wrapping_add(week as u8); 10]),
                        Some(&e.id),
                        &format!("Uge {}: det blev lidt lettere.", week + 1),
                        at + 2,
                        60,
                    )
                    .context("a note with text")?;
                    let r = Reflection { shared: true, ..written };
                    records.push(
                        json!({ "id": r.id, "kind": "reflection", "updated_at_ms": at + 2, "body": r }),
                    );
                }
                records.push(
                    json!({ "id": e.id, "kind": "entry", "updated_at_ms": e.updated_at_ms, "body": e }),
                );
            }
        }
        let pushed: Value = http
            .post(stille.url("/api/sync"))
            .bearer_auth(&bearer)
            .json(&json!({ "records": records }))
            .send()
            .await?
            .json()
            .await?;
        let stored =
            pushed["results"].as_array().map_or(0, |r| r.iter().filter(|x| x["outcome"] == "stored").count());
        if stored != records.len() {
            bail!("participant {p}: {stored} of {} stored: {pushed}", records.len());
        }
    }
    Ok(id)
}

#[tokio::main]
async fn main() -> Result<()> {
    let stille = Stille::start_two_step_optional().await?;
    let mut reconnect = Vec::new();
    for run in 0..5 {
        eprintln!("course-load: 100 entries, reconnect run {}", run + 1);
        reconnect.push(reconnect_run(&stille, run).await?);
    }
    eprintln!("course-load: seeding 13 participants × 8 weeks");
    let course = seed_course(&stille).await?;
    let http = reqwest::Client::new();
    let teacher_token = stille.bearer_token("teacher@example.org", PASSWORD).await?;
    let mut api_ms = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        let response = http
            .get(stille.url(&format!("/api/courses/{course}/report")))
            .bearer_auth(&teacher_token)
            .send()
            .await?;
        let body = response.bytes().await?;
        api_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        if body.len() < 1000 {
            bail!("a short report: {}", String::from_utf8_lossy(&body));
        }
    }
    let teacher = Browser::phone(Locale::English).await?;
    sign_in(&teacher, &stille.url(""), "teacher@example.org").await?;
    let mut page_ms = Vec::new();
    for _ in 0..5 {
        teacher.goto(&stille.url(&format!("/teach/{course}"))).await?;
        let drawn = teacher
            .eval(
                "return new Promise((resolve) => { \
                   const done = () => document.querySelectorAll('.week-table tbody tr').length === 13; \
                   if (done()) return resolve(performance.now()); \
                   new MutationObserver((_, o) => { if (done()) { o.disconnect(); resolve(performance.now()); } }) \
                     .observe(document.body, { subtree: true, childList: true }); \
                 });",
            )
            .await?;
        page_ms.push(drawn.as_f64().context("a time")?);
    }
    teacher.close().await?;
    stille.stop().await?;
    println!(
        "{}",
        json!({
            "reconnect_ms": reconnect, "reconnect_median_ms": median(reconnect.clone()),
            "dashboard_ms": page_ms, "dashboard_median_ms": median(page_ms.clone()),
            "report_api_ms": api_ms, "report_api_median_ms": median(api_ms.clone()),
        })
    );
    Ok(())
}
