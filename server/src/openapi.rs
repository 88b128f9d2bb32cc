//! The OpenAPI document at `/api/openapi.json`, generated from the code: each
//! handler's `#[utoipa::path]` annotation is also what registers its route
//! (`utoipa_axum::routes!`), so an endpoint cannot exist undocumented, and
//! the request and response types derive their schemas. This module adds what
//! is common to all of them: the two ways to authenticate, and the error
//! answers every endpoint can give, all in the one [`ErrorBody`] shape.

use std::sync::Arc;

use axum::Extension;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use stille_practice::journal::{CheckIn, Reflection};
use stille_practice::log::Entry;
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};

use crate::error::ErrorBody;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Stille API",
        description = "Practice logs that sync across devices, and courses whose instructors see only \
                       what each participant consents to. All bodies are JSON; every error is \
                       `{\"error\": {\"code\", \"message\", \"field\"?}}`.",
        license(name = "AGPL-3.0-or-later"),
    ),
    components(schemas(Entry, CheckIn, Reflection, ErrorBody)),
    tags(
        (name = "accounts", description = "Sign-up, sessions, your own account and data"),
        (name = "courses", description = "Courses, invites, consent, assignments and reports"),
        (name = "sync", description = "Records pushed and pulled by devices"),
        (name = "service", description = "Health and this document"),
    )
)]
pub struct ApiDoc;

/// The generated document: a served JSON text.
#[derive(Clone, Debug)]
pub struct Document(pub Arc<String>);

/// This document.
#[utoipa::path(get, path = "/openapi.json", tag = "service",
    responses((status = 200, description = "The OpenAPI 3.1 document", body = serde_json::Value)))]
pub async fn document(Extension(document): Extension<Document>) -> Response {
    ([(CONTENT_TYPE, "application/json")], document.0.as_str().to_owned()).into_response()
}

fn error(description: &str) -> RefOr<utoipa::openapi::Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build(),
        )
        .build()
        .into()
}

/// Adds the security schemes and the error answers every operation can give.
pub fn finish(mut doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
    );
    components.add_security_scheme(
        "session_cookie",
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            "stille_session",
            "The web app's session (HttpOnly, Secure, SameSite=Strict). Every write made with it also \
             needs the header X-CSRF-Token: the csrf_token from log-in or GET /api/me.",
        ))),
    );
    for item in doc.paths.paths.values_mut() {
        let operations = [
            (false, item.get.as_mut()),
            (true, item.put.as_mut()),
            (true, item.post.as_mut()),
            (true, item.delete.as_mut()),
            (true, item.patch.as_mut()),
        ];
        for (write, operation) in operations {
            let Some(operation) = operation else { continue };
            let has_body = operation.request_body.is_some();
            let has_params = operation.parameters.as_ref().is_some_and(|p| !p.is_empty());
            let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
            let responses = &mut operation.responses.responses;
            let mut add = |status: &str, description: &str| {
                responses.entry(status.to_owned()).or_insert_with(|| error(description));
            };
            if has_body {
                add("400", "The body is not JSON");
                add("413", "The body is too large");
                add("415", "The body is not sent as application/json");
            }
            if has_body || has_params {
                add("422", "A value is not acceptable; `field` names it");
            }
            if secured {
                add("401", "Not logged in, or the session has ended");
            }
            if secured && write {
                add("403", "A cookie-authenticated write without the X-CSRF-Token header");
            }
            add("500", "A fault on the server (logged there; no details are sent)");
            add("503", "The server or its database is unavailable, or the request took over 30 s");
        }
    }
    doc
}
