use std::net::SocketAddr;
use std::path::Path;

use stille_server::{Application, Config};
use tempfile::TempDir;
use tokio::sync::oneshot;

/// A running server and what it needs to stay alive.
pub struct TestApp {
    pub addr: SocketAddr,
    pub http: reqwest::Client,
    pub backend: &'static str,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    _data: TempDir,
    _postgres: Option<PostgresDatabase>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.expect("request reaches the server")
    }

    /// Graceful stop; fails the test if the server stopped with an error.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.expect("server task").expect("server ran cleanly");
        }
        if let Some(database) = self._postgres.take() {
            database.drop().await;
        }
    }
}

/// Every store the tests run on: SQLite always, PostgreSQL when
/// `STILLE_TEST_POSTGRES` is set (e.g. `postgres://postgres@127.0.0.1/test`).
pub fn backends() -> Vec<&'static str> {
    let mut backends = vec!["sqlite"];
    if postgres_url().is_some() {
        backends.push("postgres");
    }
    backends
}

fn postgres_url() -> Option<String> {
    std::env::var("STILLE_TEST_POSTGRES").ok().filter(|url| !url.is_empty())
}

/// Starts the server on `backend` with a fresh database, optionally serving `site`.
pub async fn spawn_app_on(backend: &'static str, site: Option<&Path>) -> TestApp {
    let data = TempDir::new().expect("temp dir");
    let mut config = Config::for_data_dir(data.path());
    config.site_dir = site.map(Path::to_path_buf);
    let postgres = match backend {
        "postgres" => {
            let database = PostgresDatabase::create().await;
            config.database_url = Some(database.url.clone());
            Some(database)
        }
        _ => None,
    };
    let app = Application::build(&config).await.expect("the server starts");
    let addr = app.local_addr().expect("bound address");
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(app.run(async move {
        let _ = stopped.await;
    }));
    TestApp {
        addr,
        http: reqwest::Client::new(),
        backend,
        stop: Some(stop),
        task: Some(task),
        _data: data,
        _postgres: postgres,
    }
}

/// Starts the server on SQLite.
pub async fn spawn_app() -> TestApp {
    spawn_app_on("sqlite", None).await
}

/// A database of its own on the PostgreSQL server, dropped at the end.
pub struct PostgresDatabase {
    pub url: String,
    admin_url: String,
    name: String,
}

impl PostgresDatabase {
    async fn create() -> PostgresDatabase {
        use sqlx::Connection;
        let admin_url = postgres_url().expect("STILLE_TEST_POSTGRES is set");
        let name = format!("stille_test_{}_{}", std::process::id(), next_id());
        let mut admin =
            sqlx::PgConnection::connect(&admin_url).await.expect("connect to STILLE_TEST_POSTGRES");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .expect("create test database");
        let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(base, _)| base);
        PostgresDatabase { url: format!("{base}/{name}"), admin_url, name }
    }

    async fn drop(self) {
        use sqlx::Connection;
        if let Ok(mut admin) = sqlx::PgConnection::connect(&self.admin_url).await {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name))
                .execute(&mut admin)
                .await;
        }
    }
}

fn next_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
