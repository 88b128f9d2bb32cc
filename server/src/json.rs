//! The JSON body extractor every endpoint uses: `Content-Type` checked, a size
//! limit per endpoint, unknown fields refused by the types, and every rejection
//! in the API's error shape with the JSON path of the field at fault
//! (`records[3].id`), so a client developer sees what to fix.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;

use crate::AppError;

/// The default body limit: generous for any form, small for an attacker.
pub const SMALL: usize = 16 * 1024;

/// A JSON request body of at most `LIMIT` bytes, parsed into `T`.
#[derive(Debug)]
pub struct Body<T, const LIMIT: usize = SMALL>(pub T);

impl<S: Send + Sync, T: DeserializeOwned, const LIMIT: usize> FromRequest<S> for Body<T, LIMIT> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let is_json = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(AppError::UnsupportedMediaType);
        }
        let declared = request
            .headers()
            .get(axum::http::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if declared.is_some_and(|n| n > LIMIT) {
            return Err(AppError::TooLarge { limit: LIMIT });
        }
        let limited = request.map(|body| axum::body::Body::new(http_body_util::Limited::new(body, LIMIT)));
        let bytes = Bytes::from_request(limited, state).await.map_err(|rejection| {
            if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                AppError::TooLarge { limit: LIMIT }
            } else {
                AppError::Malformed { field: None, message: format!("cannot read the body: {rejection}") }
            }
        })?;
        parse(&bytes).map(Body)
    }
}

/// Parses `bytes` as JSON into `T`, naming the field at fault.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(AppError::Malformed {
            field: None,
            message: "the body is empty; send a JSON object".into(),
        });
    }
    // Every body is an object (serde would also read a struct from an array
    // of its fields in order, which no client means to send).
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        let json = serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok();
        return Err(if json {
            AppError::invalid("body", "send a JSON object, {…}")
        } else {
            AppError::Malformed {
                field: None,
                message: "the body is not valid JSON; send a JSON object".into(),
            }
        });
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        let message = inner.to_string();
        if inner.is_data() {
            AppError::Invalid { field: field_of(&path, &message), message }
        } else {
            AppError::Malformed { field: None, message: format!("the body is not valid JSON: {message}") }
        }
    });
    let value = match value {
        Ok(value) => value,
        // JSON has one number type: `4.0` is the integer 4 to JSON Schema
        // (and to JavaScript). Read such numbers as integers and try again.
        Err(error @ AppError::Invalid { .. }) => return whole_numbers(bytes).ok_or(error),
        Err(error) => return Err(error),
    };
    deserializer.end().map_err(|error| AppError::Malformed {
        field: None,
        message: format!("the body has something after the JSON value: {error}"),
    })?;
    Ok(value)
}

/// `bytes` read again with every number that has no fraction (`4.0`,
/// `1e3`) as an integer; None when there was none, or it still does not read.
fn whole_numbers<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    fn walk(value: &mut serde_json::Value) -> bool {
        match value {
            serde_json::Value::Number(number) if number.is_f64() => {
                let float = number.as_f64().unwrap_or(f64::NAN);
                let whole = float.fract() == 0.0 && float.abs() < 9.0e15;
                if whole {
                    *number = serde_json::Number::from(float as i64);
                }
                whole
            }
            serde_json::Value::Array(items) => items.iter_mut().fold(false, |any, item| walk(item) | any),
            serde_json::Value::Object(fields) => {
                fields.values_mut().fold(false, |any, item| walk(item) | any)
            }
            _ => false,
        }
    }
    let mut value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    if !walk(&mut value) {
        return None;
    }
    serde_json::from_value(value).ok()
}

/// The path of the field a serde message is about: for a missing field serde
/// names it in backticks and the path is its parent (an unknown field's path
/// already ends with its name).
fn field_of(path: &str, message: &str) -> String {
    let named = message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next());
    match (path, named) {
        (".", Some(name)) | ("", Some(name)) => name.to_owned(),
        (parent, Some(name)) => format!("{parent}.{name}"),
        (".", None) | ("", None) => "body".to_owned(),
        (path, None) => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Form {
        email: String,
        items: Vec<Item>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        minutes: u16,
    }

    fn field(json: &str) -> (String, Option<String>) {
        match parse::<Form>(json.as_bytes()) {
            Err(error @ AppError::Invalid { .. }) => ("invalid".into(), error.field().map(str::to_owned)),
            Err(error @ AppError::Malformed { .. }) => ("malformed".into(), error.field().map(str::to_owned)),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn rejections_name_the_field() {
        assert_eq!(field(r#"{"email": 3, "items": []}"#), ("invalid".into(), Some("email".into())));
        assert_eq!(field(r#"{"items": []}"#), ("invalid".into(), Some("email".into())));
        assert_eq!(field(r#"{"email": "a", "items": [], "x": 1}"#), ("invalid".into(), Some("x".into())));
        assert_eq!(
            field(r#"{"email": "a", "items": [{"minutes": 5}, {"minutes": 70000}]}"#),
            ("invalid".into(), Some("items[1].minutes".into()))
        );
        assert_eq!(
            field(r#"{"email": "a", "items": [{"minutes": 5, "colour": 1}]}"#),
            ("invalid".into(), Some("items[0].colour".into()))
        );
        assert_eq!(field(r#"{"email": "a", "#), ("malformed".into(), None));
        assert_eq!(field(r#"{"email": "a", "items": []} x"#), ("malformed".into(), None));
        assert_eq!(field("  "), ("malformed".into(), None));
        assert_eq!(field("[]"), ("invalid".into(), Some("body".into())));
        assert_eq!(
            field(r#"["a", [{"minutes": 5}]]"#),
            ("invalid".into(), Some("body".into())),
            "fields in order"
        );
        assert_eq!(field("[nul"), ("malformed".into(), None));
    }

    #[test]
    fn whole_numbers_written_with_a_fraction_are_integers() {
        let form: Form =
            parse(br#"{"email": "a", "items": [{"minutes": 5.0}, {"minutes": 3e1}]}"#).expect("read");
        assert_eq!(form.items.iter().map(|i| i.minutes).collect::<Vec<_>>(), [5, 30]);
        assert_eq!(
            field(r#"{"email": "a", "items": [{"minutes": 5.5}]}"#),
            ("invalid".into(), Some("items[0].minutes".into())),
            "a fraction is still refused, with its field"
        );
    }
}
