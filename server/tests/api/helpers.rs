use std::net::SocketAddr;
use std::path::Path;

use reqwest::Method;
use serde_json::{Value, json};
use stille_server::limits::Rates;
use stille_server::secrets::{Column, Sealer};
use stille_server::{Application, Config, Store};
use tempfile::TempDir;
use tokio::sync::oneshot;

/// A running server and what it needs to stay alive.
pub struct TestApp {
    pub addr: SocketAddr,
    pub http: reqwest::Client,
    pub backend: &'static str,
    pub store: Store,
    /// What the server sends reminders with (tests plan and send by hand).
    pub push: std::sync::Arc<stille_server::push::Push>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    /// The file with its key for stored secrets.
    secrets_key: std::path::PathBuf,
    _data: TempDir,
    _postgres: Option<PostgresDatabase>,
}

impl TestApp {
    /// The data directory (the SQLite database is `stille.db` in it).
    pub fn data_dir(&self) -> &Path {
        self._data.path()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.expect("request reaches the server")
    }

    /// A JSON request with an optional bearer token; the status and the JSON
    /// body (Null when there is none).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut request = self.http.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request reaches the server");
        let status = response.status().as_u16();
        let text = response.text().await.expect("a body");
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, value)
    }

    pub async fn get_json(&self, path: &str, token: &str) -> (u16, Value) {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post_json(&self, path: &str, token: &str, body: Value) -> (u16, Value) {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    /// Signs up a participant and logs in with a bearer token.
    pub async fn participant(&self, name: &str) -> Person {
        let email = format!("{}@example.dk", name.to_lowercase());
        let (status, body) = self
            .call(
                Method::POST,
                "/api/accounts",
                None,
                Some(json!({ "email": email, "password": PASSWORD, "display_name": name })),
            )
            .await;
        assert_eq!(status, 201, "sign up {name}: {body}");
        self.log_in(&email).await
    }

    /// An instructor, made by the admin command's function, logged in with
    /// two-step sign-in turned on (which the server requires to teach).
    pub async fn instructor(&self, name: &str) -> Person {
        let email = self.make_instructor(name).await;
        let person = self.log_in(&email).await;
        self.turn_on_two_step(&person).await;
        person
    }

    /// Makes an instructor account `<name>@example.dk` with `PASSWORD`, as
    /// the admin's command does, without signing in or setting up a second
    /// step; the email.
    pub async fn make_instructor(&self, name: &str) -> String {
        let email = format!("{}@example.dk", name.to_lowercase());
        stille_server::accounts::create_instructor(
            &self.store,
            &email,
            name,
            stille_server::accounts::Unverified::Refuse,
            || Ok(PASSWORD.to_owned()),
        )
        .await
        .expect("instructor made");
        email
    }

    /// Sets up two-step sign-in for `who` (their session then counts as
    /// signed in with it); the secret, base32.
    pub async fn turn_on_two_step(&self, who: &Person) -> String {
        let (status, setup) =
            self.post_json("/api/me/two-step", &who.token, json!({"password": PASSWORD})).await;
        assert_eq!(status, 201, "two-step set-up: {setup}");
        let secret = setup["secret"].as_str().expect("secret").to_owned();
        let code =
            stille_server::accounts::two_step::code_now(&secret, stille_server::now_ms()).expect("code");
        let (status, body) =
            self.post_json("/api/me/two-step/confirm", &who.token, json!({"one_time_code": code})).await;
        assert_eq!(status, 204, "two-step confirmed: {body}");
        secret
    }

    /// Logs in with the password, and for an account with two-step sign-in
    /// a code of its authenticator (any earlier code's use forgotten, so a
    /// test may sign in twice within one 30-second step).
    pub async fn log_in(&self, email: &str) -> Person {
        let code = self.code_for(email).await;
        let (status, body) = self
            .call(
                Method::POST,
                "/api/sessions",
                None,
                Some(json!({ "email": email, "password": PASSWORD, "token": true, "one_time_code": code })),
            )
            .await;
        assert_eq!(status, 201, "log in {email}: {body}");
        Person {
            id: body["user"]["id"].as_str().expect("user id").to_owned(),
            token: body["token"].as_str().expect("token").to_owned(),
        }
    }

    /// The code `email`'s authenticator shows now, if it has two-step
    /// sign-in (any earlier code's use forgotten).
    pub async fn code_for(&self, email: &str) -> Option<String> {
        type Row = (String, Option<String>, Option<String>);
        let secret: Option<Row> = stille_server::on_store!(&self.store, pool => {
            sqlx::query_as("UPDATE users SET totp_last_step = NULL WHERE email = $1 RETURNING id, totp_secret, totp_sealed")
                .bind(email)
                .fetch_optional(pool)
                .await
                .expect("read the account's two-step secret")
        });
        let (id, clear, sealed) = secret?;
        let bytes = self
            .sealer()
            .secret(&id, Column::TotpSecret, clear.as_deref(), sealed.as_deref())
            .expect("the secret opens with the key")?;
        let step = stille_server::accounts::two_step::step_of(stille_server::now_ms());
        Some(stille_server::accounts::two_step::code_at(&bytes, step))
    }

    /// This server's key for stored secrets.
    pub fn sealer(&self) -> Sealer {
        Sealer::read(&self.secrets_key).expect("the server's key").expect("a key file")
    }

    /// Logs in by cookie from a page at `origin`, as the web app does: the
    /// cookie's `name=value` and the CSRF token.
    pub async fn participant_cookie(&self, email: &str, origin: &str) -> (String, String) {
        let response = self
            .http
            .post(self.url("/api/sessions"))
            .header("Origin", origin)
            .json(&json!({ "email": email, "password": PASSWORD }))
            .send()
            .await
            .expect("log in");
        assert_eq!(response.status(), 201);
        let cookie = response.headers()[reqwest::header::SET_COOKIE].to_str().expect("ascii");
        let pair = cookie.split(';').next().expect("name=value").to_owned();
        let body: Value = response.json().await.expect("json");
        (pair, body["csrf_token"].as_str().expect("a CSRF token").to_owned())
    }

    /// A course taught by `teacher`, and its invite code.
    pub async fn course(&self, teacher: &Person, template: Option<&str>) -> (String, String) {
        let mut form = json!({ "title": "MSC forår", "lang": "da", "time_zone": "Europe/Copenhagen", "start_date": "2026-11-02" });
        if let Some(template) = template {
            form["template"] = json!(template);
        }
        let (status, course) = self.post_json("/api/courses", &teacher.token, form).await;
        assert_eq!(status, 201, "{course}");
        let id = course["id"].as_str().expect("course id").to_owned();
        let (status, invite) =
            self.post_json(&format!("/api/courses/{id}/invite"), &teacher.token, json!({})).await;
        assert_eq!(status, 201, "{invite}");
        (id, invite["code"].as_str().expect("code").to_owned())
    }

    /// Joins with a code, sharing what `consent` says.
    pub async fn join(&self, who: &Person, code: &str, adherence: bool, reflections: bool) -> (u16, Value) {
        self.post_json(
            "/api/join",
            &who.token,
            json!({ "code": code, "consent": { "adherence": adherence, "reflections": reflections } }),
        )
        .await
    }

    /// Moves `who`'s joining (and consent) to `ms`, as if they had joined
    /// then: reports read records only from there on, and tests write
    /// records on fixed dates.
    pub async fn backdate_joining(&self, course: &str, who: &Person, ms: i64) {
        let changed = stille_server::on_store!(&self.store, pool => {
            sqlx::query(
                "UPDATE memberships SET joined_at_ms = $1, consent_changed_ms = $1, \
                 adherence_since_ms = CASE WHEN share_adherence THEN $1 END, \
                 reflections_since_ms = CASE WHEN share_reflections THEN $1 END, \
                 group_results_since_ms = CASE WHEN share_group_results THEN $1 END, \
                 answers_since_ms = CASE WHEN share_answers THEN $1 END \
                 WHERE course_id = $2 AND user_id = $3",
            )
            .bind(ms)
            .bind(course)
            .bind(&who.id)
            .execute(pool)
            .await
            .expect("backdate a membership")
            .rows_affected()
        });
        assert_eq!(changed, 1, "{} is in course {course}", who.id);
    }

    /// Stops a server on SQLite and hands back its data directory (to start
    /// another on it).
    pub async fn stop_keeping_data(mut self) -> TempDir {
        assert!(self._postgres.is_none(), "SQLite only: PostgreSQL's database is dropped at the stop");
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.expect("server task").expect("server ran cleanly");
        }
        self._data
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
    spawn_app_with(backend, site, Rates::default()).await
}

/// Attempt limits high enough for tests that sign up many accounts from one address.
pub fn generous() -> Rates {
    let lots = stille_server::limits::Rate::new(10_000, 60);
    Rates {
        login_per_ip: lots,
        password_failures: stille_server::limits::Backoff {
            free: 10_000,
            ..Rates::default().password_failures
        },
        invite_per_ip: lots,
        invite_per_account: lots,
        signup_per_ip: lots,
        mail_per_address: lots,
    }
}

/// Starts the server on `backend` with these attempt limits.
pub async fn spawn_app_with(backend: &'static str, site: Option<&Path>, rates: Rates) -> TestApp {
    spawn_app_configured(backend, |config| {
        config.site_dir = site.map(Path::to_path_buf);
        config.rates = rates;
    })
    .await
}

/// Starts the server on `backend` with a fresh database and the test
/// configuration as `configure` changes it.
pub async fn spawn_app_configured(backend: &'static str, configure: impl FnOnce(&mut Config)) -> TestApp {
    let data = TempDir::new().expect("temp dir");
    let mut config = Config::for_data_dir(data.path());
    configure(&mut config);
    let postgres = match backend {
        "postgres" => {
            let database = PostgresDatabase::create().await;
            config.database_url = Some(database.url.clone());
            Some(database)
        }
        _ => None,
    };
    start(config, data, postgres, backend).await
}

/// A server (SQLite) on the data directory `data`, which may already hold
/// a database (a restored backup, say).
pub async fn spawn_app_in(data: TempDir, configure: impl FnOnce(&mut Config)) -> TestApp {
    let mut config = Config::for_data_dir(data.path());
    configure(&mut config);
    start(config, data, None, "sqlite").await
}

async fn start(
    config: Config,
    data: TempDir,
    postgres: Option<PostgresDatabase>,
    backend: &'static str,
) -> TestApp {
    let app = Application::build(&config).await.expect("the server starts");
    let secrets_key = Sealer::path_for(config.secrets_key_file.as_deref(), &config.data_dir);
    let addr = app.local_addr().expect("bound address");
    let store = app.store();
    let push = app.push();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(app.run(async move {
        let _ = stopped.await;
    }));
    TestApp {
        addr,
        http: reqwest::Client::new(),
        backend,
        store,
        push,
        stop: Some(stop),
        task: Some(task),
        secrets_key,
        _data: data,
        _postgres: postgres,
    }
}

impl TestApp {
    /// A second server instance on the same database (as several instances
    /// behind one address share one PostgreSQL), with a data directory of
    /// its own and the configuration as `configure` changes it.
    pub async fn another_instance(&self, configure: impl FnOnce(&mut Config)) -> TestApp {
        let data = TempDir::new().expect("temp dir");
        let mut config = Config::for_data_dir(data.path());
        // Every instance on one database shares its key for stored secrets.
        config.secrets_key_file = Some(self.secrets_key.clone());
        configure(&mut config);
        config.database_url = Some(match &self._postgres {
            Some(database) => database.url.clone(),
            None => format!("sqlite:{}", self.data_dir().join("stille.db").display()),
        });
        start(config, data, None, self.backend).await
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
    pub async fn create() -> PostgresDatabase {
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

    pub async fn drop(self) {
        use sqlx::Connection;
        if let Ok(mut admin) = sqlx::PgConnection::connect(&self.admin_url).await {
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name))
                .execute(&mut admin)
                .await;
        }
    }
}

/// A number not used before in this test process.
pub fn unique() -> u64 {
    next_id()
}

fn next_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The password every test account uses.
pub const PASSWORD: &str = "a quiet harbour at dawn";

/// A logged-in account.
#[derive(Clone, Debug)]
pub struct Person {
    pub id: String,
    pub token: String,
}

/// The error body's field and code.
pub fn error_of(body: &Value) -> (String, String) {
    (
        body["error"]["code"].as_str().unwrap_or("<no code>").to_owned(),
        body["error"]["field"].as_str().unwrap_or("<no field>").to_owned(),
    )
}
