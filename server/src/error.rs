//! Errors: [`StartError`] for what stops the server from starting, [`AppError`]
//! for what a request gets back.

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::Json;
use axum::extract::OriginalUri;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

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
}

/// An error answered to a request: 4xx with a JSON body that says what is wrong
/// and how to fix it; 5xx logged in full and answered without details.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    NotFound(String),
    #[error("the service is unavailable: {0}")]
    Unavailable(String),
}

impl AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            AppError::NotFound(_) => "not_found",
            AppError::Unavailable(_) => "unavailable",
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
            "Something went wrong on the server. Please try again in a moment.".to_owned()
        } else {
            self.to_string()
        };
        let body = json!({ "error": { "code": self.code(), "message": message } });
        (status, Json(body)).into_response()
    }
}

/// The answer to any `/api/...` path that does not exist.
pub async fn api_not_found(OriginalUri(uri): OriginalUri) -> AppError {
    AppError::NotFound(format!("there is no API endpoint at {}", uri.path()))
}
