//! `GET /metrics`: what the server has done since it started, in
//! Prometheus' text format (version 0.0.4), for whoever runs it.
//!
//! - `stille_http_requests_total{method, route, status}`: answers by route
//!   (the route's pattern, `/api/courses/{id}`, never a path with ids in
//!   it; files of the app are `site`); 429s are the rate limits' refusals.
//! - `stille_http_request_duration_seconds{method, route}`: a histogram.
//! - `stille_sync_records_total{outcome}`: records pushed, by outcome.
//! - `stille_sync_commits_total`, `stille_sync_pushes_total`: the pushes and
//!   the transactions they shared (group commit, `sync/writer.rs`).
//! - `stille_db_connections{state}`: the pool's connections, open and idle.
//!
//! Served only with `--metrics-token` (or `STILLE_METRICS_TOKEN`), to a
//! request that carries it as `Authorization: Bearer …`; without one the
//! address does not exist (404). Nothing in it names a person.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use stille_practice::sync::Outcome;

use crate::{AppState, Store};

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 11] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

#[derive(Default, Debug)]
struct Histogram {
    /// Per bucket (and one more for above the last), not cumulative.
    counts: [u64; BUCKETS.len() + 1],
    sum: f64,
}

/// The counters, shared by every request.
#[derive(Default, Debug)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    latency: Mutex<BTreeMap<(String, String), Histogram>>,
    /// Stored, duplicate, superseded, rejected.
    sync: [AtomicU64; 4],
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Metrics {
    /// One answered request.
    pub fn request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        *lock(&self.requests).entry((method.to_owned(), route.to_owned(), status)).or_default() += 1;
        let mut latency = lock(&self.latency);
        let histogram = latency.entry((method.to_owned(), route.to_owned())).or_default();
        let bucket = BUCKETS.iter().position(|upper| seconds <= *upper).unwrap_or(BUCKETS.len());
        histogram.counts[bucket] += 1;
        histogram.sum += seconds;
    }

    /// One pushed record's outcome.
    pub fn sync_record(&self, outcome: Outcome) {
        let index = match outcome {
            Outcome::Stored => 0,
            Outcome::Duplicate => 1,
            Outcome::Superseded => 2,
            Outcome::Rejected => 3,
        };
        self.sync[index].fetch_add(1, Ordering::Relaxed);
    }

    /// Everything, in Prometheus' text format.
    pub fn render(&self, store: &Store, sync: &crate::sync::writer::Counts) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# HELP stille_http_requests_total Requests answered, by route and status.");
        let _ = writeln!(out, "# TYPE stille_http_requests_total counter");
        for ((method, route, status), n) in lock(&self.requests).iter() {
            let _ = writeln!(
                out,
                "stille_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}",
                escape(route)
            );
        }
        let _ = writeln!(out, "# HELP stille_http_request_duration_seconds Time to answer, by route.");
        let _ = writeln!(out, "# TYPE stille_http_request_duration_seconds histogram");
        for ((method, route), h) in lock(&self.latency).iter() {
            let labels = format!("method=\"{method}\",route=\"{}\"", escape(route));
            let mut cumulative = 0;
            for (upper, n) in BUCKETS.iter().zip(h.counts) {
                cumulative += n;
                let _ = writeln!(
                    out,
                    "stille_http_request_duration_seconds_bucket{{{labels},le=\"{upper}\"}} {cumulative}"
                );
            }
            let count: u64 = h.counts.iter().sum();
            let _ =
                writeln!(out, "stille_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {count}");
            let _ = writeln!(out, "stille_http_request_duration_seconds_sum{{{labels}}} {}", h.sum);
            let _ = writeln!(out, "stille_http_request_duration_seconds_count{{{labels}}} {count}");
        }
        let _ = writeln!(out, "# HELP stille_sync_records_total Records pushed by devices, by outcome.");
        let _ = writeln!(out, "# TYPE stille_sync_records_total counter");
        for (outcome, n) in ["stored", "duplicate", "superseded", "rejected"].iter().zip(&self.sync) {
            let _ = writeln!(
                out,
                "stille_sync_records_total{{outcome=\"{outcome}\"}} {}",
                n.load(Ordering::Relaxed)
            );
        }
        let _ = writeln!(
            out,
            "# HELP stille_sync_commits_total Transactions that applied pushes (pushes that arrive together share one)."
        );
        let _ = writeln!(out, "# TYPE stille_sync_commits_total counter");
        let _ = writeln!(out, "stille_sync_commits_total {}", sync.commits.load(Ordering::Relaxed));
        let _ = writeln!(out, "# HELP stille_sync_pushes_total Pushes applied.");
        let _ = writeln!(out, "# TYPE stille_sync_pushes_total counter");
        let _ = writeln!(out, "stille_sync_pushes_total {}", sync.pushes.load(Ordering::Relaxed));
        let (open, idle) = match store {
            Store::Sqlite(pool) => (pool.size(), pool.num_idle()),
            Store::Postgres(pool) => (pool.size(), pool.num_idle()),
        };
        let _ = writeln!(out, "# HELP stille_db_connections The database pool's connections.");
        let _ = writeln!(out, "# TYPE stille_db_connections gauge");
        let _ = writeln!(out, "stille_db_connections{{state=\"open\"}} {open}");
        let _ = writeln!(out, "stille_db_connections{{state=\"idle\"}} {idle}");
        out
    }
}

/// A label value as the text format writes it.
fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// Counts every request and how long its answer took.
pub async fn track(State(metrics): State<std::sync::Arc<Metrics>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    // Methods as a fixed set: anyone may send a made-up one.
    let method = match request.method().as_str() {
        m @ ("GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS") => m.to_owned(),
        _ => "other".to_owned(),
    };
    let route = match request.extensions().get::<MatchedPath>() {
        Some(path) => path.as_str().to_owned(),
        None if request.uri().path().starts_with("/api/") => "/api (no such route)".to_owned(),
        None => "site".to_owned(),
    };
    let response = next.run(request).await;
    metrics.request(&method, &route, response.status().as_u16(), started.elapsed().as_secs_f64());
    response
}

/// `GET /metrics`, with the token.
pub async fn serve(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(expected) = state.metrics_token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    // Compared as digests, so the time taken says nothing of the token.
    if Sha256::digest(given.as_bytes()) != Sha256::digest(expected.as_bytes()) {
        return (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")]).into_response();
    }
    let text = state.metrics.render(&state.store, state.sync.counts());
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], text).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latencies_fall_into_cumulative_buckets() {
        let metrics = Metrics::default();
        metrics.request("GET", "/api/courses/{id}", 200, 0.003);
        metrics.request("GET", "/api/courses/{id}", 200, 0.2);
        metrics.request("GET", "/api/courses/{id}", 429, 20.0);
        let requests = lock(&metrics.requests);
        assert_eq!(requests.get(&("GET".into(), "/api/courses/{id}".into(), 200)), Some(&2));
        assert_eq!(requests.get(&("GET".into(), "/api/courses/{id}".into(), 429)), Some(&1));
        let latency = lock(&metrics.latency);
        let h = latency.get(&("GET".into(), "/api/courses/{id}".into())).expect("a histogram");
        assert_eq!(h.counts[0], 1);
        assert_eq!(h.counts[5], 1, "0.2 s is under 0.25");
        assert_eq!(h.counts[BUCKETS.len()], 1, "20 s is above every bucket");
        assert_eq!(escape("a\"b\\c"), "a\\\"b\\\\c");
    }
}
