//! The OpenAPI document matches the server: every documented operation is
//! routed, its security matches what an anonymous call gets, and every error
//! it documents has the one error shape.

use reqwest::Method;
use serde_json::Value;

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_document_describes_every_endpoint_as_it_behaves() {
    let app = spawn_app().await;
    let response = app.get("/api/openapi.json").await;
    assert_eq!(response.status(), 200);
    let doc: Value = response.json().await.expect("JSON");
    assert!(doc["openapi"].as_str().unwrap_or_default().starts_with("3.1"), "{}", doc["openapi"]);
    for schema in
        ["Entry", "CheckIn", "Reflection", "Push", "PushResponse", "PullResponse", "ErrorBody", "Report"]
    {
        assert!(doc["components"]["schemas"].get(schema).is_some(), "schema {schema} is described");
    }
    // The limits only the server's checks and the catalog know are stated.
    let schemas = &doc["components"]["schemas"];
    assert!(schemas["SignUp"]["properties"]["display_name"]["pattern"].is_string());
    assert_eq!(schemas["SignUp"]["properties"]["email"]["format"], "email");
    assert_eq!(schemas["NewCourse"]["properties"]["title"]["maxLength"], 120);
    assert!(schemas["CourseChange"]["properties"]["start_date"]["pattern"].is_string());
    let shapes = schemas["Assigned"]["oneOf"].as_array().map_or(0, Vec::len);
    assert_eq!(shapes, stille_practice::catalog().practices.len(), "one shape per practice");
    let week = &doc["paths"]["/api/courses/{id}/assignments/{week}"];
    assert_eq!(week.as_object().map(|o| o.len()), Some(1), "only PUT: {week}");
    for scheme in ["bearer", "session_cookie"] {
        assert!(doc["components"]["securitySchemes"].get(scheme).is_some(), "{scheme}");
    }
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            let Ok(method) = method.to_uppercase().parse::<Method>() else { continue };
            if !matches!(method, Method::GET | Method::POST | Method::PUT | Method::PATCH | Method::DELETE) {
                continue;
            }
            operations += 1;
            let what = format!("{method} {path}");
            let responses = operation["responses"].as_object().expect("responses");
            assert!(responses.keys().any(|s| s.starts_with('2')), "{what} documents its success");
            for (status, response) in responses {
                if status.starts_with('4') || status.starts_with('5') {
                    let schema = &response["content"]["application/json"]["schema"]["$ref"];
                    assert_eq!(schema, "#/components/schemas/ErrorBody", "{what} {status}");
                }
            }
            assert!(
                operation["summary"].is_string() || operation["description"].is_string(),
                "{what} is explained"
            );
            // Called anonymously, with made-up ids: routed (never the unknown-path
            // answer or 405), and 401 exactly when the document says a session is needed.
            let concrete = path
                .replace("{id}", "01900000-0000-7000-8000-000000000000")
                .replace("{user_id}", "01900000-0000-7000-8000-000000000001")
                .replace("{week}", "1");
            let body =
                if operation.get("requestBody").is_some() { Some(serde_json::json!({})) } else { None };
            let (status, answer) = app.call(method.clone(), &concrete, None, body).await;
            assert_ne!(status, 405, "{what} is routed for its method");
            assert!(!answer.to_string().contains("there is no API endpoint"), "{what} is routed: {answer}");
            let secured = operation["security"].as_array().is_some_and(|s| !s.is_empty());
            assert_eq!(status == 401, secured, "{what}: documented security matches ({status}: {answer})");
        }
    }
    assert!(operations >= 26, "{operations} operations documented");
    app.stop().await;
}
