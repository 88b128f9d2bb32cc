//! `GET /api/health`: whether the server can reach its store. For load
//! balancers, uptime checks and the end-to-end tests.

use axum::Json;
use axum::extract::State;
use stille_practice::api::Health;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::{AppError, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health))
}

/// Whether the server and its database answer, and whether it mails links.
#[utoipa::path(get, path = "/health", tag = "service",
    responses(
        (status = 200, description = "Up", body = Health),
        (status = 503, description = "The database does not answer", body = crate::error::ErrorBody),
    ))]
async fn health(State(state): State<AppState>) -> Result<Json<Health>, AppError> {
    state
        .store
        .ping()
        .await
        .map_err(|error| AppError::Unavailable(format!("the database does not answer: {error}")))?;
    Ok(Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        database: state.store.backend().name().into(),
        sends_mail: state.mailer.sends(),
        takes_recordings: state.recordings.takes_recordings(),
    }))
}
