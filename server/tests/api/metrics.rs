//! `/metrics`: only with the token, in Prometheus' text format, by route
//! pattern (no ids, no people), with the sync outcomes counted.

use reqwest::StatusCode;
use serde_json::json;

use crate::courses::{entry, push};
use crate::helpers::{generous, spawn_app_configured};

#[tokio::test]
async fn metrics_are_served_only_with_the_token_and_name_routes_not_people() {
    let app = spawn_app_configured("sqlite", |config| {
        config.rates = generous();
        config.metrics_token = Some("a long random scrape token".into());
    })
    .await;
    let ida = app.participant("Ida").await;
    let record = entry(1_780_000_000_000, 7, 10);
    push(&app, &ida.token, vec![record.clone()]).await;
    let (status, body) = app.post_json("/api/sync", &ida.token, json!({ "records": [record] })).await;
    assert_eq!((status, body["results"][0]["outcome"].as_str()), (200, Some("duplicate")), "{body}");
    let course = "0190a0b0-0000-7000-8000-00000000abcd";
    let (status, _) = app.get_json(&format!("/api/courses/{course}"), &ida.token).await;
    assert_eq!(status, 404);

    let scrape = |token: Option<&str>| {
        let mut request = app.http.get(app.url("/metrics"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    assert_eq!(scrape(None).await.expect("an answer").status(), StatusCode::UNAUTHORIZED);
    assert_eq!(scrape(Some("a guess")).await.expect("an answer").status(), StatusCode::UNAUTHORIZED);
    let answer = scrape(Some("a long random scrape token")).await.expect("an answer");
    assert_eq!(answer.status(), StatusCode::OK);
    assert!(answer.headers()["content-type"].to_str().unwrap_or("").starts_with("text/plain; version=0.0.4"));
    let text = answer.text().await.expect("text");
    for line in [
        "stille_sync_records_total{outcome=\"stored\"} 1",
        "stille_sync_records_total{outcome=\"duplicate\"} 1",
        "stille_http_requests_total{method=\"POST\",route=\"/api/sync\",status=\"200\"} 2",
        "stille_http_requests_total{method=\"GET\",route=\"/api/courses/{id}\",status=\"404\"} 1",
        "stille_http_request_duration_seconds_count{method=\"POST\",route=\"/api/sync\"} 2",
        "stille_http_request_duration_seconds_bucket{method=\"POST\",route=\"/api/sync\",le=\"+Inf\"} 2",
        "# TYPE stille_http_request_duration_seconds histogram",
        "stille_db_connections{state=\"open\"}",
    ] {
        assert!(text.contains(line), "no {line:?} in:\n{text}");
    }
    assert!(!text.contains(course) && !text.contains(&ida.id), "no ids in the metrics:\n{text}");
    app.stop().await;

    // Without a token there is no /metrics at all.
    let plain = spawn_app_configured("sqlite", |_| {}).await;
    let answer =
        plain.http.get(plain.url("/metrics")).bearer_auth("anything").send().await.expect("an answer");
    assert_eq!(answer.status(), StatusCode::NOT_FOUND);
    plain.stop().await;
}
