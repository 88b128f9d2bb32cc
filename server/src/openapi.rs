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

use serde_json::{Value, json};
use stille_practice::catalog;

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
        (name = "recordings", description = "Practices in an instructor's own voice, and their audio"),
        (name = "reminders", description = "Reminders to practise, sent by Web Push to the devices that allow them"),
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

/// A date the server takes (`parse_date`): YYYY-MM-DD from 2020 to 2100. The
/// 29th of February is left out (a regular expression cannot tell leap
/// years): a client that keeps to this never sends a date the server refuses.
const DATE_PATTERN: &str = "^(20[2-9][0-9]|2100)-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))$";

/// The limits the server enforces that the derived schemas do not state by
/// themselves: patterns shared with `stille_practice::api`, and what only
/// the catalog knows (practice ids with their lengths, template ids). A
/// client generated from the document then never sends what the server
/// refuses; `server/tests/api/fuzz.rs` holds the server to it.
pub fn refine(doc: &mut Value) {
    let line = |max: usize| json!({"type": "string", "minLength": 1, "maxLength": max, "pattern": stille_practice::api::one_line_pattern()});
    let email = json!({"type": "string", "format": "email", "maxLength": 254});
    let templates: Vec<Value> = catalog().courses.iter().map(|c| json!(c.id.as_str())).collect();
    let schemas = &mut doc["components"]["schemas"];
    let mut set = |schema: &str, field: &str, value: Value| {
        let Some(property) =
            schemas.get_mut(schema).and_then(|s| s.get_mut("properties")).and_then(|p| p.get_mut(field))
        else {
            tracing::error!("the OpenAPI document has no {schema}.{field} to refine");
            return;
        };
        let description = property.get("description").cloned();
        let nullable = property["type"].as_array().is_some_and(|t| t.iter().any(|t| t == "null"));
        let mut value = value;
        if nullable {
            let kind = value["type"].clone();
            value["type"] = json!([kind, "null"]);
            if let Some(options) = value.get_mut("enum").and_then(Value::as_array_mut) {
                options.push(Value::Null);
            }
        }
        if let Some(description) = description {
            value["description"] = description;
        }
        *property = value;
    };
    set("SignUp", "email", email.clone());
    set("SignUp", "password", json!({"type": "string", "minLength": 8, "maxLength": 128}));
    set("SignUp", "display_name", line(60));
    set("SignUp", "instructor_invite", json!({"type": "string", "pattern": "^[A-Za-z0-9_-]{43}$"}));
    set("LogIn", "email", email.clone());
    set("ResetRequest", "email", email);
    set("ConfirmSignUp", "token", json!({"type": "string", "pattern": "^[A-Za-z0-9_-]{43}$"}));
    let new_password = json!({"type": "string", "minLength": 8, "maxLength": 128});
    set("MeChange", "display_name", line(60));
    set("PasswordChange", "new_password", new_password.clone());
    set("PasswordReset", "new_password", new_password);
    set("PasswordReset", "token", json!({"type": "string", "pattern": "^[A-Za-z0-9_-]{43}$"}));
    // Passkeys: bytes as base64url, ids as the server makes them.
    let token = json!({"type": "string", "pattern": "^[A-Za-z0-9_-]{43}$"});
    let b64 = |max: usize| json!({"type": "string", "minLength": 1, "maxLength": max, "pattern": "^[A-Za-z0-9_-]+$"});
    set("PasskeyNew", "name", line(80));
    set("PasskeyNew", "challenge_id", token.clone());
    set("PasskeySignIn", "challenge_id", token);
    for (field, max) in crate::accounts::passkeys::MAX_CHARS {
        let schema = if matches!(field, "attestation_object") { "PasskeyNew" } else { "PasskeySignIn" };
        set(schema, field, b64(max));
    }
    set("PasskeyNew", "client_data_json", b64(2048));
    set("Erase", "confirm", json!({"type": "string", "enum": [stille_practice::api::ERASE_PHRASE]}));
    for schema in ["NewCourse", "CourseChange"] {
        set(schema, "title", line(120));
        set(schema, "lang", json!({"type": "string", "enum": ["da", "en"]}));
        set(schema, "time_zone", json!({"type": "string", "enum": crate::courses::time_zone_names()}));
        set(schema, "start_date", json!({"type": "string", "pattern": DATE_PATTERN}));
        set(
            schema,
            "capacity",
            json!({"type": "integer", "minimum": 1, "maximum": stille_practice::api::MAX_CAPACITY}),
        );
    }
    set("NewCourse", "template", json!({"type": "string", "enum": templates}));
    // The meeting plan: what the document can say about each field. Whether
    // a free day falls on a session day of the course, and the retreat
    // within a year of its start, it cannot (fuzz.toml allows that 422).
    let hh_mm = json!({"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"});
    let place = json!({"type": "string", "maxLength": stille_practice::schedule::MAX_PLACE,
        "pattern": format!("^$|{}", stille_practice::api::one_line_pattern())});
    let minutes = |(low, high): (u16, u16)| json!({"type": "integer", "minimum": low, "maximum": high});
    set(
        "CourseChange",
        "contact",
        json!({"type": "string", "maxLength": stille_practice::api::MAX_CONTACT,
               "pattern": format!("^$|{}", stille_practice::api::one_line_pattern())}),
    );
    set("Meetings", "time", hh_mm.clone());
    set("Meetings", "minutes", minutes(stille_practice::schedule::SESSION_MINUTES));
    set("Meetings", "place", place.clone());
    set(
        "Meetings",
        "count",
        json!({"type": "integer", "minimum": 1, "maximum": stille_practice::schedule::MAX_MEETINGS}),
    );
    set(
        "Meetings",
        "skipped",
        json!({"type": "array", "maxItems": stille_practice::schedule::MAX_SKIPPED, "uniqueItems": true,
               "items": {"type": "string", "pattern": DATE_PATTERN}}),
    );
    set("RetreatDay", "date", json!({"type": "string", "pattern": DATE_PATTERN}));
    set("RetreatDay", "time", hh_mm);
    set("RetreatDay", "minutes", minutes(stille_practice::schedule::RETREAT_MINUTES));
    set("RetreatDay", "place", place);
    // A choice of modules names modules of a programme of modules, each once.
    let modules: Vec<Value> = catalog()
        .courses
        .iter()
        .flat_map(|c| stille_practice::modules::modules(c).into_iter().map(|(name, _)| json!(name)))
        .collect();
    let most =
        catalog().courses.iter().map(|c| stille_practice::modules::modules(c).len()).max().unwrap_or(0);
    set(
        "ModuleChoice",
        "modules",
        json!({"type": "array", "maxItems": most, "uniqueItems": true, "items": {"type": "string", "enum": modules}}),
    );
    set(
        "NewMessage",
        "text",
        json!({"type": "string", "minLength": 1, "maxLength": stille_practice::api::MAX_MESSAGE_CHARS,
               "pattern": stille_practice::api::message_pattern()}),
    );
    let instruments: Vec<Value> = catalog().instruments.iter().map(|i| json!(i.id)).collect();
    set(
        "MeasurePlan",
        "instruments",
        json!({"type": "array", "maxItems": stille_practice::measures::MAX_PLAN_INSTRUMENTS, "uniqueItems": true,
               "items": {"type": "string", "enum": instruments}}),
    );
    set(
        "MeasurePlan",
        "weeks",
        json!({"type": "array", "maxItems": stille_practice::measures::MAX_POINTS, "uniqueItems": true,
               "items": {"type": "integer", "minimum": 0, "maximum": stille_practice::measures::MAX_POINT_WEEK}}),
    );
    // Reminders: local times, days of the week, a device's keys as browsers give them.
    let time = json!({"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"});
    set("Reminders", "time_zone", json!({"type": "string", "enum": crate::courses::time_zone_names()}));
    set(
        "Reminders",
        "times",
        json!({"type": "array", "maxItems": stille_practice::api::MAX_REMINDERS,
        "items": {"$ref": "#/components/schemas/ReminderTime"}}),
    );
    set(
        "ReminderTime",
        "days",
        json!({"type": "array", "minItems": 1, "maxItems": 7, "uniqueItems": true,
        "items": {"type": "integer", "minimum": 1, "maximum": 7}}),
    );
    set("ReminderTime", "at", time.clone());
    set("Quiet", "from", time.clone());
    set("Quiet", "to", time);
    let endpoint = json!({"type": "string", "format": "uri", "minLength": 1, "maxLength": stille_practice::api::MAX_ENDPOINT});
    set("Subscription", "endpoint", endpoint.clone());
    set("Unsubscribe", "endpoint", endpoint);
    set("Subscription", "lang", json!({"type": "string", "enum": ["da", "en"]}));
    set("SubscriptionKeys", "p256dh", json!({"type": "string", "pattern": "^B[A-Za-z0-9_-]{86}$"}));
    set("SubscriptionKeys", "auth", json!({"type": "string", "pattern": "^[A-Za-z0-9_-]{22}$"}));
    // One shape per practice: its id with the lengths it plays at.
    let description = schemas["Assigned"]["description"].clone();
    let shapes: Vec<Value> = catalog()
        .practices
        .iter()
        .map(|p| {
            let minutes = match (p.custom_length, p.minutes.first(), p.minutes.last()) {
                (true, Some(low), Some(high)) => json!({"type": "integer", "minimum": low, "maximum": high}),
                _ => json!({"type": "integer", "enum": p.minutes}),
            };
            json!({
                "type": "object",
                "required": ["practice", "minutes", "days"],
                "properties": {
                    "practice": {"type": "string", "const": p.id.as_str()},
                    "minutes": minutes,
                    "days": {"type": "integer", "minimum": 1, "maximum": 7},
                    "per_day": {"type": "integer", "minimum": 1, "maximum": 5},
                },
                "additionalProperties": false,
            })
        })
        .collect();
    schemas["Assigned"] = json!({"description": description, "oneOf": shapes});

    let paths = &mut doc["paths"];
    let mut param = |path: &str, method: &str, name: &str, schema: Value| {
        let parameter = paths
            .get_mut(path)
            .and_then(|item| item.get_mut(method))
            .and_then(|operation| operation.get_mut("parameters"))
            .and_then(Value::as_array_mut)
            .and_then(|parameters| parameters.iter_mut().find(|p| p["name"] == name));
        match parameter {
            Some(parameter) => parameter["schema"] = schema,
            None => tracing::error!("the OpenAPI document has no parameter {name} of {method} {path}"),
        }
    };
    param("/api/sync", "get", "after", json!({"type": "integer", "minimum": 0, "maximum": i64::MAX}));
    param(
        "/api/sync",
        "get",
        "limit",
        json!({"type": "integer", "minimum": 1, "maximum": stille_practice::sync::MAX_PAGE}),
    );
    param(
        "/api/sync",
        "get",
        "version",
        json!({"type": "integer", "minimum": 1, "maximum": stille_practice::sync::VERSION}),
    );
    param("/api/courses/{id}/report", "get", "format", json!({"type": "string", "enum": ["json", "csv"]}));
    param("/api/courses/{id}/outcomes", "get", "format", json!({"type": "string", "enum": ["json", "csv"]}));
    for path in ["/api/courses/{id}/report", "/api/courses/{id}/outcomes"] {
        param(path, "get", "lang", json!({"type": "string", "enum": ["da", "en"]}));
    }
    let weeks = json!({"type": "integer", "minimum": 1, "maximum": stille_practice::api::MAX_WEEKS});
    param("/api/courses/{id}/assignments/{week}", "put", "week", weeks);
}
