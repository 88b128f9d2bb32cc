//! `GET /api/health`: whether the server can reach its store. For load
//! balancers, uptime checks and the end-to-end tests.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use crate::{AppError, AppState};

#[derive(Debug, Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
    database: &'static str,
}

pub fn router() -> Router<AppState> {
    Router::new().route("/health", get(health))
}

async fn health(State(state): State<AppState>) -> Result<Json<Health>, AppError> {
    state
        .store
        .ping()
        .await
        .map_err(|error| AppError::Unavailable(format!("the database does not answer: {error}")))?;
    Ok(Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        database: state.store.backend().name(),
    }))
}
