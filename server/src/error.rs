//! Errors: [`StartError`] for what stops the server from starting, [`AppError`]
//! for what a request gets back.

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::Json;
use axum::extract::OriginalUri;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
pub use stille_practice::api::{ErrorBody, ErrorCode, ErrorDetail};

/// Why the server could not start. Each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(
        "cannot listen on {addr}: {source}. Is another Stille (or another program) using that port? \
         Stop it, or choose another address with --addr or STILLE_ADDR (port 0 picks a free one)."
    )]
    Bind { addr: SocketAddr, source: std::io::Error },

    #[error(
        "the data directory {} cannot be used: {source}. Choose a writable directory with \
         --data-dir or STILLE_DATA_DIR.",
        path.display()
    )]
    DataDir { path: PathBuf, source: std::io::Error },

    #[error("the database URL is not supported: {0}. Use postgres://… or sqlite:….")]
    DatabaseUrl(String),

    #[error("cannot open the database ({backend}): {source}")]
    Database { backend: &'static str, source: sqlx::Error },

    #[error("cannot bring the database schema up to date ({backend}): {source}")]
    Migrate { backend: &'static str, source: sqlx::migrate::MigrateError },

    #[error(
        "no built app in {}: {reason}. Build it with `cargo xtask serve` or `cargo xtask dist`, \
         or point --site-dir / STILLE_SITE_DIR at a built site.",
        path.display()
    )]
    Site { path: PathBuf, reason: String },

    #[error(
        "the key for stored secrets in {} cannot be used: {reason}. Point --secrets-key-file or \
         STILLE_SECRETS_KEY_FILE at this server's key (every instance on one database shares one).",
        path.display()
    )]
    SecretsKey { path: PathBuf, reason: String },

    #[error(
        "the database's stored secrets were sealed with another key than the one in {}. Give this server the key the database was used with (--secrets-key-file; \
         every instance on one database shares one; a restore needs the key backed up with it). If that \
         key is lost, `stille-server admin forget-secrets-key` (with every instance stopped) turns two-step \
         sign-in off for those who had it, and they set it up again.",
        path.display()
    )]
    SecretsKeyMismatch { path: PathBuf },

    #[error(
        "the database's stored secrets are sealed with a key, and there is no key file at {}. Give this \
         server that key (--secrets-key-file or STILLE_SECRETS_KEY_FILE; every instance on one database \
         shares one; a restore needs the key backed up with it). If it is lost, `stille-server admin \
         forget-secrets-key` (with every instance stopped) turns two-step sign-in off for those who had it.",
        path.display()
    )]
    SecretsKeyMissing { path: PathBuf },

    #[error("cannot prepare password hashing: {0}")]
    Hasher(String),

    #[error("{0}")]
    Config(String),
}

/// An error answered to a request: 4xx with a JSON body
/// `{"error": {"code", "message", "field"?}}` that says what is wrong and how
/// to fix it; 5xx logged in full and answered without details.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The body is not JSON, or not the JSON this endpoint reads.
    #[error("{message}")]
    Malformed { field: Option<String>, message: String },
    /// Well-formed, but a value is not acceptable.
    #[error("{message}")]
    Invalid { field: String, message: String },
    /// No session, or an expired one.
    #[error("{0}")]
    Unauthenticated(&'static str),
    /// Logged in, but this role may not do this (never used to hide whether
    /// someone else's object exists: that is `NotFound`).
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{method} is not allowed here")]
    MethodNotAllowed { method: String },
    #[error("{0}")]
    Conflict(String),
    /// An instructor's session without two-step sign-in, where it is required.
    #[error(
        "instructors sign in with two steps here: set up an authenticator app under your account \
         (POST /api/me/two-step), or sign in again with its code"
    )]
    TwoStepRequired,
    #[error("too many attempts; try again in {retry_after_s} s")]
    TooManyRequests { retry_after_s: u64 },
    #[error("the request body is larger than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("send the body as JSON with Content-Type: application/json")]
    UnsupportedMediaType,
    /// A body sent as a type this endpoint does not take (not JSON).
    #[error("{0}")]
    WrongType(String),
    /// A file larger than taken, or over a quota.
    #[error("{0}")]
    TooLargeFile(String),
    /// A byte range that lies outside a file of `size` bytes.
    #[error("the range asked for lies outside the file's {size} bytes")]
    RangeNotSatisfiable { size: u64 },
    #[error("the service is unavailable: {0}")]
    Unavailable(String),
    /// The request took longer than [`crate::REQUEST_TIMEOUT`] and was stopped.
    #[error("the server took longer than {0} s to answer and stopped; try again in a moment")]
    TimedOut(u64),
    /// Too much work queued right now (password hashing); try again shortly.
    #[error("the server is busy; try again in {retry_after_s} s")]
    Busy { retry_after_s: u64 },
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> AppError {
        AppError::Invalid { field: field.into(), message: message.into() }
    }

    fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.code().status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The machine-readable code in the JSON body (which also fixes the status).
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::Malformed { .. } => ErrorCode::Malformed,
            AppError::Invalid { .. } => ErrorCode::Invalid,
            AppError::Unauthenticated(_) => ErrorCode::Unauthenticated,
            AppError::Forbidden(_) => ErrorCode::Forbidden,
            AppError::NotFound(_) => ErrorCode::NotFound,
            AppError::MethodNotAllowed { .. } => ErrorCode::MethodNotAllowed,
            AppError::Conflict(_) => ErrorCode::Conflict,
            AppError::TwoStepRequired => ErrorCode::TwoStepRequired,
            AppError::TooManyRequests { .. } => ErrorCode::TooManyRequests,
            AppError::TooLarge { .. } | AppError::TooLargeFile(_) => ErrorCode::TooLarge,
            AppError::UnsupportedMediaType | AppError::WrongType(_) => ErrorCode::UnsupportedMediaType,
            AppError::RangeNotSatisfiable { .. } => ErrorCode::RangeNotSatisfiable,
            AppError::Unavailable(_) | AppError::Busy { .. } | AppError::TimedOut(_) => {
                ErrorCode::Unavailable
            }
            AppError::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The JSON path of the field at fault, when one is.
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Malformed { field, .. } => field.as_deref(),
            AppError::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }
}

impl From<stille_practice::api::FieldError> for AppError {
    fn from(error: stille_practice::api::FieldError) -> AppError {
        AppError::Invalid { field: error.field, message: error.message }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> AppError {
        AppError::Internal(format!("database: {error}"))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        // Security events (ASVS 16.3): refusals of who the caller is or what
        // they may do, in the request's span (method and path), never with
        // the body or the token.
        match &self {
            AppError::Unauthenticated(_) => {
                tracing::warn!(target: "security", "refused: not signed in, or the password is wrong")
            }
            AppError::Forbidden(_) => {
                tracing::warn!(target: "security", "refused: not allowed for this account")
            }
            AppError::TwoStepRequired => {
                tracing::warn!(target: "security", "refused: an instructor's session without two-step sign-in")
            }
            AppError::TooManyRequests { .. } => {
                tracing::warn!(target: "security", "refused: too many attempts")
            }
            _ => {}
        }
        let message = if let AppError::Busy { .. } | AppError::TimedOut(_) = self {
            tracing::warn!(error = %self, "request refused");
            self.to_string()
        } else if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
            "Something went wrong on the server. Please try again in a moment.".to_owned()
        } else {
            self.to_string()
        };
        let body = ErrorBody {
            error: ErrorDetail { code: self.code(), message, field: self.field().map(str::to_owned) },
        };
        let mut response = (status, Json(body)).into_response();
        if let AppError::TooManyRequests { retry_after_s } | AppError::Busy { retry_after_s } = self {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, retry_after_s.into());
        }
        if let AppError::RangeNotSatisfiable { size } = self
            && let Ok(value) = axum::http::HeaderValue::from_str(&format!("bytes */{size}"))
        {
            response.headers_mut().insert(axum::http::header::CONTENT_RANGE, value);
        }
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(axum::http::header::WWW_AUTHENTICATE, axum::http::HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// The answer to any `/api/...` path that does not exist.
pub async fn api_not_found(OriginalUri(uri): OriginalUri) -> AppError {
    AppError::NotFound(format!("there is no API endpoint at {}", uri.path()))
}

/// The answer for a method a path does not have (`Allow` is added by the router).
pub async fn api_method_not_allowed(method: axum::http::Method) -> AppError {
    AppError::MethodNotAllowed { method: method.to_string() }
}

/// Stops a request that takes longer than [`crate::REQUEST_TIMEOUT`] with a
/// 503 in the documented JSON body.
/// An upload of a recording has [`crate::recordings::UPLOAD_TIMEOUT`]:
/// a long file over a phone's connection, then its conversion.
pub async fn time_limit(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let uploading = request.method() == axum::http::Method::POST && request.uri().path() == "/api/recordings";
    let limit = if uploading { crate::recordings::UPLOAD_TIMEOUT } else { crate::REQUEST_TIMEOUT };
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => AppError::TimedOut(limit.as_secs()).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    async fn body_of(response: Response) -> serde_json::Value {
        let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024).await.expect("a body");
        serde_json::from_slice(&bytes).expect("JSON")
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_over_time_gets_503_with_the_documented_body() {
        let router = axum::Router::new()
            .route("/slow", get(|| async { tokio::time::sleep(crate::REQUEST_TIMEOUT * 2).await }))
            .layer(axum::middleware::from_fn(time_limit));
        let request = axum::extract::Request::get("/slow").body(axum::body::Body::empty()).expect("request");
        let response = router.oneshot(request).await.expect("answered");
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        let body = body_of(response).await;
        assert_eq!(body["error"]["code"], "unavailable", "{body}");
        assert!(body["error"]["message"].as_str().unwrap_or_default().contains("30 s"), "{body}");
    }

    #[tokio::test]
    async fn a_method_a_path_lacks_gets_405_with_allow_and_the_documented_body() {
        let router = axum::Router::new()
            .route("/thing", get(|| async { "ok" }))
            .method_not_allowed_fallback(api_method_not_allowed);
        let request =
            axum::extract::Request::delete("/thing").body(axum::body::Body::empty()).expect("request");
        let response = router.oneshot(request).await.expect("answered");
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert!(response.headers().get(axum::http::header::ALLOW).is_some(), "{:?}", response.headers());
        let body = body_of(response).await;
        assert_eq!(body["error"]["code"], "method_not_allowed", "{body}");
    }
}
