//! Stille's server: a small axum application that keeps participants' practice
//! logs in sync, lets instructors run courses, and serves the built browser app.
//!
//! It owns the store (SQLite by default, PostgreSQL by URL), the JSON API under
//! `/api` (one module per resource: `accounts`, `courses`, `assignments`,
//! `sync`, `reports`, `export`, each with its router, handlers and queries),
//! and static file serving. It must never link the app crate or render
//! HTML: the app is built separately (`cargo xtask`) and served as files, and
//! the two speak JSON whose types live in `stille_practice`.
//!
//! `main.rs` is thin: everything a test needs is here. Tests build an
//! [`Application`] on port 0 with a temporary data directory and talk to it over
//! real HTTP.

pub mod accounts;
mod assignments;
pub mod backup;
mod calendar;
mod config;
mod courses;
mod error;
mod export;
mod health;
mod json;
pub mod limits;
pub mod mail;
pub mod maintenance;
mod messages;
pub mod metrics;
mod openapi;
mod outcomes;
pub mod push;
pub mod recordings;
mod reports;
pub mod secrets;
pub mod serve;
mod sheet;
mod site;
mod store;
pub mod sync;
pub mod webauthn;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tower_http::trace::TraceLayer;

pub use config::{Admin, Backup, Command, Config, LogFormat};
pub use error::{AppError, StartError};
pub use store::{Backend, Store, now_ms};

/// How long one request may take before it is answered 503 (a sync push of
/// 200 records takes milliseconds; this only stops a stuck one holding a
/// connection forever).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// How long requests in flight may take to finish after a stop signal.
pub const DRAIN: Duration = Duration::from_secs(10);

/// Shared state handed to every handler.
#[derive(Clone, Debug)]
pub struct AppState {
    pub store: Store,
    pub passwords: Arc<accounts::password::Passwords>,
    pub limits: Arc<limits::Limits>,
    /// Sends sign-up and reset links, when the server is given SMTP.
    pub mailer: mail::Mailer,
    /// Whether instructors must sign in with two steps to teach.
    pub two_step: accounts::two_step::Policy,
    /// Read the client's address from this header (set behind a reverse proxy).
    pub client_ip_header: Option<axum::http::HeaderName>,
    /// Where recordings are kept, and what uploads are taken.
    pub recordings: Arc<recordings::Settings>,
    /// The key and the push services reminders are sent with.
    pub push: Arc<push::Push>,
    /// What `/metrics` reports, and the token it asks for (none: not served).
    pub metrics: Arc<metrics::Metrics>,
    pub metrics_token: Option<Arc<str>>,
    /// Applies pushes, those arriving together in one commit.
    pub sync: sync::Writer,
    /// Seals the secrets kept in the database (two-step sign-in).
    pub secrets: Arc<secrets::Sealer>,
    /// `--public-url`: where people open Stille; passkeys are made for its
    /// host (without it, for the host the app's own requests name).
    pub public_url: Option<Arc<str>>,
}

/// The whole HTTP surface: `/api/*` (with its OpenAPI document) and the built app.
pub fn router(state: AppState, site: Option<&site::Site>) -> Router {
    let metrics = state.metrics.clone();
    let scrape =
        Router::new().route("/metrics", axum::routing::get(metrics::serve)).with_state(state.clone());
    let (api, doc) = api_routes(state);
    let document = openapi::Document(Arc::new(openapi_json(&doc).unwrap_or_else(|error| {
        tracing::error!("the OpenAPI document does not serialise: {error}");
        "{}".to_owned()
    })));
    let api = api
        .layer(axum::Extension(document))
        // Bodies are read by `json::Body` with a limit per endpoint; this
        // stops anything else from buffering more.
        .layer(axum::extract::DefaultBodyLimit::max(sync::PUSH_LIMIT))
        .layer(axum::middleware::from_fn(no_store))
        .layer(axum::middleware::from_fn(error::time_limit));
    let app = match site {
        Some(site) => api.merge(site.router()),
        None => api,
    };
    app.merge(scrape)
        .layer(axum::middleware::from_fn_with_state(metrics, metrics::track))
        .layer(axum::middleware::from_fn(site::security_headers))
        .layer(request_log())
}

/// Every API route under `/api`, and the OpenAPI document generated from them.
fn api_routes(state: AppState) -> (Router, utoipa::openapi::OpenApi) {
    use utoipa::OpenApi;
    let api = utoipa_axum::router::OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .merge(health::router())
        .merge(accounts::router())
        .merge(export::router())
        .merge(courses::router())
        .merge(calendar::router())
        .merge(assignments::router())
        .merge(sync::router())
        .merge(reports::router())
        .merge(outcomes::router())
        .merge(push::router())
        .merge(messages::router())
        .merge(recordings::router().layer(axum::extract::DefaultBodyLimit::disable()))
        .routes(utoipa_axum::routes!(openapi::document))
        .fallback(error::api_not_found)
        .with_state(state);
    let (router, doc) = utoipa_axum::router::OpenApiRouter::new().nest("/api", api).split_for_parts();
    (router.method_not_allowed_fallback(error::api_method_not_allowed), openapi::finish(doc))
}

/// The document as served: generated, then refined with the limits only
/// the server's checks and the catalog know ([`openapi::refine`]).
fn openapi_json(doc: &utoipa::openapi::OpenApi) -> Result<String, serde_json::Error> {
    let mut value = serde_json::to_value(doc)?;
    openapi::refine(&mut value);
    serde_json::to_string(&value)
}

/// API answers hold personal data: never kept by caches or the browser's
/// back/forward cache.
async fn no_store(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .entry(axum::http::header::CACHE_CONTROL)
        .or_insert(axum::http::HeaderValue::from_static("no-store"));
    response
}

/// One log line per request with method, path, status and latency — never
/// query strings, headers or bodies, which can carry emails, tokens and codes.
fn request_log() -> TraceLayer<
    tower_http::classify::SharedClassifier<tower_http::classify::ServerErrorsAsFailures>,
    impl Fn(&axum::extract::Request) -> tracing::Span + Clone,
    tower_http::trace::DefaultOnRequest,
    tower_http::trace::DefaultOnResponse,
> {
    TraceLayer::new_for_http()
        .make_span_with(|request: &axum::extract::Request| {
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
        })
        .on_response(tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO))
}

/// A server that is listening and has its store open, ready to [`run`](Self::run).
#[derive(Debug)]
pub struct Application {
    listener: TcpListener,
    router: Router,
    store: Store,
    limits: Arc<limits::Limits>,
    connections: serve::ConnectionLimits,
    push: Arc<push::Push>,
    push_every: Option<Duration>,
    /// How long superseded record versions are kept ([`maintenance`]).
    keep_versions: Duration,
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
        let secrets = secrets::Sealer::open_for(
            &store,
            &secrets::Sealer::path_for(config.secrets_key_file.as_deref(), &config.data_dir),
        )
        .await?;
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|source| StartError::Bind { addr: config.addr, source })?;
        let concurrent = std::thread::available_parallelism().map_or(2, usize::from);
        let passwords = accounts::password::Passwords::new(concurrent)
            .map_err(|error| StartError::Hasher(error.to_string()))?;
        let client_ip_header = match &config.client_ip_header {
            Some(name) => Some(axum::http::HeaderName::try_from(name.as_str()).map_err(|_| {
                StartError::Config(format!("--client-ip-header {name:?} is not a header name"))
            })?),
            None => None,
        };
        let mailer = mail::Mailer::from_config(&config.mail())?;
        let files = serve::open_file_limit();
        let mut connections = serve::ConnectionLimits::for_file_limit(files, client_ip_header.is_some());
        if let Some(cap) = config.connections_per_address {
            connections.per_address = (cap > 0).then_some(cap);
        }
        if let Some(timeout) = config.header_timeout {
            connections.header_timeout = timeout;
        }
        if connections.total < 1_000 {
            tracing::warn!(
                "the open-file limit is {files}, so at most {} connections are served at once; raise it \
                 (systemd: LimitNOFILE=65536, a shell: ulimit -n 65536) for more",
                connections.total
            );
        }
        // On PostgreSQL the counts are shared by every instance on it.
        let limits = Arc::new(match &store {
            Store::Sqlite(_) => limits::Limits::new(config.effective_rates()),
            Store::Postgres(pool) => {
                let shared = limits::Shared::open(pool.clone()).await.map_err(|e| {
                    StartError::Config(format!("the attempt limits' table could not be read: {e}"))
                })?;
                limits::Limits::shared(config.effective_rates(), &shared)
            }
        });
        let recordings = Arc::new(config.recordings()?);
        if !recordings.takes_recordings() {
            tracing::warn!("no ffmpeg on the PATH (or in --ffmpeg-dir): this server takes no recordings");
        }
        tracing::info!("recordings are kept in {}", recordings.blobs.describe);
        let services = push::Services::parse(&config.push_services)
            .map_err(|e| StartError::Config(format!("--push-services: {e}")))?;
        if let Some(url) = config.public_url.as_deref()
            && accounts::passkeys::party_of_origin(url.trim_end_matches('/')).is_none()
        {
            return Err(StartError::Config(format!(
                "--public-url {url:?} is not an address such as https://stille.example.dk"
            )));
        }
        if config.public_url.is_none() {
            tracing::warn!(
                "no --public-url: reminders are sent without a contact, which Apple's push service refuses"
            );
        }
        let push = Arc::new(
            push::Push::open(&store, services, config.public_url.clone())
                .await
                .map_err(|e| StartError::Config(format!("the push key could not be made or read: {e}")))?,
        );
        let state = AppState {
            store: store.clone(),
            passwords: Arc::new(passwords),
            limits: limits.clone(),
            mailer,
            two_step: config.instructor_two_step,
            client_ip_header,
            recordings,
            push: push.clone(),
            metrics: Arc::new(metrics::Metrics::default()),
            sync: sync::Writer::start(
                store.clone(),
                sync::writer::Quota {
                    records: config.max_records_per_person,
                    bytes: config.max_record_mb_per_person.saturating_mul(1_000_000),
                },
            ),
            metrics_token: config.metrics_token.as_deref().filter(|t| !t.is_empty()).map(Arc::from),
            secrets: Arc::new(secrets),
            public_url: config.public_url.as_deref().map(Arc::from),
        };
        let router = router(state, site.as_ref());
        let keep_versions = std::time::Duration::from_secs(u64::from(config.keep_versions_days) * 86_400);
        Ok(Application {
            listener,
            router,
            store,
            limits,
            connections,
            push,
            push_every: config.push_every,
            keep_versions,
        })
    }

    /// The store it serves from (for admin work and tests beside a running server).
    pub fn store(&self) -> Store {
        self.store.clone()
    }

    /// What reminders are sent with (tests plan and send with it by hand).
    pub fn push(&self) -> Arc<push::Push> {
        self.push.clone()
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
        tracing::info!(
            header_timeout_s = self.connections.header_timeout.as_secs(),
            per_address = self.connections.per_address,
            total = self.connections.total,
            "connection limits"
        );
        let sweeper = tokio::spawn(sweep_limits(Arc::downgrade(&self.limits)));
        let maintenance = tokio::spawn(maintenance::run(self.store.clone(), self.keep_versions));
        let pusher = self
            .push_every
            .map(|every| tokio::spawn(push::run(self.store.clone(), self.push.clone(), every)));
        let serve = serve::serve(self.listener, self.router, self.connections, async move {
            shutdown.await;
            // Stores a permit if nobody waits yet, so the deadline below starts.
            signal.notify_one();
        });
        let deadline = async {
            stopping.notified().await;
            tokio::time::sleep(DRAIN).await;
        };
        let served = tokio::select! {
            served = serve => served,
            () = deadline => {
                tracing::warn!("requests were still running {DRAIN:?} after the stop signal; stopping anyway");
                Ok(())
            }
        };
        sweeper.abort();
        maintenance.abort();
        if let Some(pusher) = pusher {
            pusher.abort();
        }
        self.store.close().await;
        served
    }
}

/// Forgets expired attempt counts every [`limits::SWEEP_EVERY`], for as long
/// as the limits are in use.
async fn sweep_limits(limits: std::sync::Weak<limits::Limits>) {
    let mut every = tokio::time::interval(limits::SWEEP_EVERY);
    every.tick().await;
    loop {
        every.tick().await;
        let Some(limits) = limits.upgrade() else { return };
        if let Err(error) = limits.sweep().await {
            tracing::warn!("the attempt limits could not be swept: {error}");
        }
    }
}
