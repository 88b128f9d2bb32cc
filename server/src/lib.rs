//! Stille's server: a small axum application that keeps participants' practice
//! logs in sync, lets instructors run courses, and serves the built browser app.
//!
//! It owns the store (SQLite by default, PostgreSQL by URL), the JSON API under
//! `/api`, and static file serving. It must never link the app crate or render
//! HTML: the app is built separately (`cargo xtask`) and served as files, and
//! the two speak JSON whose types live in `stille_practice`.
//!
//! `main.rs` is thin: everything a test needs is here. Tests build an
//! [`Application`] on port 0 with a temporary data directory and talk to it over
//! real HTTP.

mod config;
mod error;
mod health;
mod site;
mod store;

use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tower_http::trace::TraceLayer;

pub use config::{Config, LogFormat};
pub use error::{AppError, StartError};
pub use store::{Backend, Store};

/// How long requests in flight may take to finish after a stop signal.
pub const DRAIN: Duration = Duration::from_secs(10);

/// Shared state handed to every handler.
#[derive(Clone, Debug)]
pub struct AppState {
    pub store: Store,
}

/// The whole HTTP surface: `/api/*` and the built app.
pub fn router(state: AppState, site: Option<&site::Site>) -> Router {
    let api = Router::new().merge(health::router()).fallback(error::api_not_found).with_state(state);
    let app = Router::new().nest("/api", api);
    let app = match site {
        Some(site) => app.merge(site.router()),
        None => app,
    };
    app.layer(axum::middleware::from_fn(site::security_headers)).layer(TraceLayer::new_for_http())
}

/// A server that is listening and has its store open, ready to [`run`](Self::run).
#[derive(Debug)]
pub struct Application {
    listener: TcpListener,
    router: Router,
    store: Store,
}

impl Application {
    /// Opens the store (creating and migrating it when needed), checks the built
    /// app, and binds the port. Every failure is a [`StartError`] that says what
    /// to do about it.
    pub async fn build(config: &Config) -> Result<Application, StartError> {
        let site = match &config.site_dir {
            Some(dir) => Some(site::Site::open(dir)?),
            None => None,
        };
        let store = Store::open(config).await?;
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|source| StartError::Bind { addr: config.addr, source })?;
        let router = router(AppState { store: store.clone() }, site.as_ref());
        Ok(Application { listener, router, store })
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` completes, then lets requests in flight finish
    /// (for at most [`DRAIN`]) and closes the store.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let stopping = Arc::new(Notify::new());
        let signal = stopping.clone();
        let serve = axum::serve(self.listener, self.router).with_graceful_shutdown(async move {
            shutdown.await;
            // Stores a permit if nobody waits yet, so the deadline below starts.
            signal.notify_one();
        });
        let deadline = async {
            stopping.notified().await;
            tokio::time::sleep(DRAIN).await;
        };
        let served = tokio::select! {
            served = serve.into_future() => served,
            () = deadline => {
                tracing::warn!("requests were still running {DRAIN:?} after the stop signal; stopping anyway");
                Ok(())
            }
        };
        self.store.close().await;
        served
    }
}
