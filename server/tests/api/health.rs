use serde_json::Value;

use crate::helpers::{backends, spawn_app, spawn_app_on};

#[tokio::test]
async fn health_reports_ok_on_every_backend() {
    for backend in backends() {
        let app = spawn_app_on(backend, None).await;
        let response = app.get("/api/health").await;
        assert_eq!(response.status(), 200, "{backend}");
        assert!(
            response.headers()["content-type"].to_str().unwrap_or_default().starts_with("application/json")
        );
        let body: Value = response.json().await.expect("JSON body");
        assert_eq!(body["status"], "ok");
        assert_eq!(body["database"], app.backend);
        assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
        app.stop().await;
    }
}

#[tokio::test]
async fn unknown_api_paths_get_a_json_404_that_names_the_path() {
    let app = spawn_app().await;
    let response = app.get("/api/no-such-thing").await;
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.expect("JSON body");
    assert_eq!(body["error"]["code"], "not_found");
    assert!(body["error"]["message"].as_str().unwrap_or_default().contains("/api/no-such-thing"));
    app.stop().await;
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    let response = app.get("/api/health").await;
    let headers = response.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    let csp = headers["content-security-policy"].to_str().unwrap_or_default();
    assert!(csp.contains("default-src 'self'") && csp.contains("connect-src 'self'"), "{csp}");
    app.stop().await;
}
