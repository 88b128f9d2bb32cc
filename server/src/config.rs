//! Configuration: command-line flags, each also settable by an environment
//! variable (flags win).

use std::net::SocketAddr;
use std::path::PathBuf;

/// How `stille-server` is configured. `stille-server --help` lists it all.
#[derive(Clone, Debug, clap::Parser)]
#[command(name = "stille-server", version, about = "Stille: guided practice and course sync server")]
pub struct Config {
    /// Address and port to listen on. Use port 0 to let the system pick one.
    #[arg(long, env = "STILLE_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// Directory for the embedded SQLite database (created if missing).
    #[arg(long, env = "STILLE_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Database URL: `postgres://user@host/db` for PostgreSQL, or
    /// `sqlite:path/to/file.db`. Default: `stille.db` in the data directory.
    #[arg(long, env = "STILLE_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// The built app to serve (index.html and assets/). Default: `site/` next to
    /// the executable, as `cargo xtask dist` lays it out. Without one, only the
    /// API is served.
    #[arg(long, env = "STILLE_SITE_DIR")]
    pub site_dir: Option<PathBuf>,

    /// Log format: `text` for people, `json` for log collectors. Levels are set
    /// with RUST_LOG (default `info`).
    #[arg(long, env = "STILLE_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Behind a reverse proxy: the header it puts the client's address in
    /// (e.g. `X-Forwarded-For`; its last address is used), so attempt limits
    /// count per client instead of per proxy. Leave unset when clients connect
    /// directly, or anyone could claim any address.
    #[arg(long, env = "STILLE_CLIENT_IP_HEADER")]
    pub client_ip_header: Option<String>,

    /// Sign-ups allowed from one address per hour (default 20). Raise it for
    /// a venue where a whole group signs up over one Wi-Fi.
    #[arg(long, env = "STILLE_SIGNUPS_PER_IP_PER_HOUR")]
    pub signups_per_ip_per_hour: Option<u32>,

    /// Log-in attempts allowed from one address per 15 minutes (default 30).
    #[arg(long, env = "STILLE_LOGINS_PER_IP_PER_15MIN")]
    pub logins_per_ip_per_15min: Option<u32>,

    /// Open connections allowed from one client address (default 256; 0: no
    /// cap). Not applied with --client-ip-header, where every connection
    /// comes from the proxy.
    #[arg(long, env = "STILLE_CONNECTIONS_PER_ADDRESS")]
    pub connections_per_address: Option<usize>,

    /// An SMTP server to send mail through (sign-up links, password resets):
    /// `smtp://host:25` for a relay on this machine,
    /// `smtp://user:password@host:587?tls=required` (STARTTLS) or
    /// `smtps://user:password@host`. Without it nothing is mailed: sign-ups
    /// make the account at once, and instructors or the admin make reset links.
    #[arg(long, env = "STILLE_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// The sender of mail, as `Stille <stille@example.dk>` (with --smtp-url).
    #[arg(long, env = "STILLE_MAIL_FROM")]
    pub mail_from: Option<String>,

    /// The address people open Stille at, `https://stille.example.dk`; the
    /// links in mail point there (with --smtp-url), and passkeys are made
    /// for its host name.
    #[arg(long, env = "STILLE_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Whether instructors must sign in with two steps (a code from an
    /// authenticator app) before they can teach: `required` (default) or
    /// `optional`.
    #[arg(long, env = "STILLE_INSTRUCTOR_TWO_STEP", value_enum,
        default_value_t = crate::accounts::two_step::Policy::Required)]
    pub instructor_two_step: crate::accounts::two_step::Policy,

    /// The file with the key that seals stored secrets (two-step sign-in
    /// secrets) so a copy of the database alone does not give them away.
    /// Made at the first start when missing. Every instance on one database
    /// needs the same key, and a restore the key it was backed up with.
    /// Default: `secrets.key` in the data directory.
    #[arg(long, env = "STILLE_SECRETS_KEY_FILE")]
    pub secrets_key_file: Option<PathBuf>,

    /// Where recordings' audio is kept: `s3://bucket[/prefix]` for any
    /// S3-compatible store, as several instances need; its settings from
    /// AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
    /// AWS_REGION, or after the address (`?endpoint=http://…&region=…&allow_http=true`).
    /// Default: `recordings/` in the data directory.
    #[arg(long, env = "STILLE_AUDIO_STORE", hide_env_values = true)]
    pub audio_store: Option<String>,

    /// The directory with `ffmpeg` and `ffprobe`, which check and convert
    /// uploaded recordings. Default: the PATH. Without them no uploads are taken.
    #[arg(long, env = "STILLE_FFMPEG_DIR")]
    pub ffmpeg_dir: Option<PathBuf>,

    /// The largest recording file taken, in MB (default 300).
    #[arg(long, env = "STILLE_RECORDING_MAX_MB", default_value_t = 300)]
    pub recording_max_mb: u64,

    /// The longest recording taken, in minutes (default 90).
    #[arg(long, env = "STILLE_RECORDING_MAX_MINUTES", default_value_t = 90)]
    pub recording_max_minutes: u32,

    /// What one instructor's recordings may take in all, in MB, as kept
    /// (MP3 at 48 kbit/s: 2,000 MB hold about 90 hours).
    #[arg(long, env = "STILLE_RECORDING_QUOTA_MB", default_value_t = 2_000)]
    pub recording_quota_mb: u64,

    /// The most synced records (practices, check-ins, notes) one person
    /// keeps; a push that would add more is refused (413).
    #[arg(long, env = "STILLE_MAX_RECORDS_PER_PERSON", default_value_t = 100_000,
          value_parser = clap::value_parser!(i64).range(1..))]
    pub max_records_per_person: i64,

    /// The most megabytes of synced records one person keeps; a push that
    /// would add more is refused (413).
    #[arg(long, env = "STILLE_MAX_RECORD_MB_PER_PERSON", default_value_t = 50,
          value_parser = clap::value_parser!(i64).range(1..=1_000_000))]
    pub max_record_mb_per_person: i64,

    /// Days a superseded version of a synced record is kept (so a device
    /// retrying it is told "duplicate"); after that it is deleted.
    #[arg(long, env = "STILLE_KEEP_VERSIONS_DAYS", default_value_t = crate::maintenance::KEEP_VERSIONS_DAYS,
          value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub keep_versions_days: u32,

    /// Serve `/metrics` (Prometheus' text format) to requests carrying this
    /// token as `Authorization: Bearer …`; without it there is no `/metrics`.
    #[arg(long, env = "STILLE_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,

    /// The push services reminders may be sent to, comma-separated origins
    /// (`https://*.example` for any host under it). A browser's subscription
    /// elsewhere is refused, so nobody can make the server post to an
    /// address of their choosing.
    #[arg(long, env = "STILLE_PUSH_SERVICES", default_value = crate::push::DEFAULT_SERVICES)]
    pub push_services: String,

    /// How often due reminders are looked for; None: never (tests send by hand).
    #[arg(skip = Some(crate::push::EVERY))]
    pub push_every: Option<std::time::Duration>,

    /// Time a connection has to send a request's head (default 20 s); tests
    /// shorten it.
    #[arg(skip)]
    pub header_timeout: Option<std::time::Duration>,

    /// Attempt limits (log-in, invite codes, sign-ups); the two options above
    /// change theirs, tests raise them all.
    #[arg(skip)]
    pub rates: crate::limits::Rates,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do instead of serving.
#[derive(Clone, Debug, clap::Subcommand)]
pub enum Command {
    /// Server administration.
    #[command(subcommand)]
    Admin(Admin),
}

#[derive(Clone, Debug, clap::Subcommand)]
pub enum Admin {
    /// Makes an instructor: promotes the account with this email, or creates
    /// one, reading its password from the first line of standard input
    /// (`printf '%s\n' "$PASSWORD" | stille-server admin create-instructor …`).
    CreateInstructor {
        #[arg(long)]
        email: String,
        /// The name participants see.
        #[arg(long)]
        name: String,
        /// Promote an existing account even though nobody has proved its
        /// email is the owner's (check with the person first: anyone can
        /// sign up with another's address).
        #[arg(long)]
        promote_unverified: bool,
    },
    /// Turns two-step sign-in off for the account with this email and signs
    /// it out everywhere (a lost phone: check who is asking first). They set
    /// it up again afterwards.
    ResetTwoStep {
        #[arg(long)]
        email: String,
    },
    /// When the key that sealed the two-step secrets is lost (the server
    /// refuses to start without it): turns two-step sign-in off for every
    /// account that had it, signs those accounts out, and forgets the old
    /// key, so the server starts with the key it is given. Each of them sets
    /// two-step sign-in up again at their next sign-in. Stop every instance
    /// first; refused while --secrets-key-file is still the database's key.
    ForgetSecretsKey,
    /// Lets everyone hear a recording (a voice set the project ships), or
    /// with --unpublish only its owner's courses again.
    PublishRecording {
        #[arg(long)]
        id: String,
        #[arg(long)]
        unpublish: bool,
    },
    /// Prints a one-time link (valid for an hour) with which the owner of
    /// the account with this email chooses a new password. You start the
    /// reset; they choose the password.
    ResetLink {
        #[arg(long)]
        email: String,
        /// The server's address as people open it (https://stille.example.dk),
        /// to print the whole link; without it, the path only.
        #[arg(long)]
        url: Option<String>,
    },
    #[command(flatten)]
    Backups(Backup),
}

#[derive(Clone, Debug, clap::Subcommand)]
pub enum Backup {
    /// Copies the database (SQLite) and the recordings' audio kept in the
    /// data directory into a new directory, consistently while the server
    /// runs, and checks the copy. With PostgreSQL use pg_dump instead.
    Backup {
        /// A directory that does not exist yet, or is empty.
        #[arg(long)]
        to: PathBuf,
    },
    /// Restores a backup into the data directory, which must not hold a
    /// database yet (nothing kept is overwritten). Start the server after.
    Restore {
        /// The backup's directory.
        #[arg(long)]
        from: PathBuf,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

impl Config {
    /// A configuration for tests and embedding: port 0 on loopback, the given
    /// data directory, no site.
    pub fn for_data_dir(data_dir: impl Into<PathBuf>) -> Config {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: data_dir.into(),
            database_url: None,
            site_dir: None,
            log_format: LogFormat::Text,
            client_ip_header: None,
            signups_per_ip_per_hour: None,
            logins_per_ip_per_15min: None,
            connections_per_address: None,
            smtp_url: None,
            mail_from: None,
            public_url: None,
            instructor_two_step: crate::accounts::two_step::Policy::Required,
            secrets_key_file: None,
            audio_store: None,
            ffmpeg_dir: None,
            recording_max_mb: 300,
            recording_max_minutes: 90,
            recording_quota_mb: 2_000,
            push_services: crate::push::DEFAULT_SERVICES.to_owned(),
            metrics_token: None,
            keep_versions_days: crate::maintenance::KEEP_VERSIONS_DAYS,
            max_records_per_person: crate::sync::writer::Quota::default().records,
            max_record_mb_per_person: crate::sync::writer::Quota::default().bytes / 1_000_000,
            push_every: Some(crate::push::EVERY),
            header_timeout: None,
            rates: crate::limits::Rates::default(),
            command: None,
        }
    }

    /// The attempt limits with the command-line overrides applied.
    pub fn effective_rates(&self) -> crate::limits::Rates {
        let mut rates = self.rates;
        if let Some(n) = self.signups_per_ip_per_hour {
            rates.signup_per_ip = crate::limits::Rate::new(n, 3600);
        }
        if let Some(n) = self.logins_per_ip_per_15min {
            rates.login_per_ip = crate::limits::Rate::new(n, 15 * 60);
        }
        rates
    }

    /// The mail settings.
    pub fn mail(&self) -> crate::mail::MailConfig {
        crate::mail::MailConfig {
            smtp_url: self.smtp_url.clone(),
            from: self.mail_from.clone(),
            public_url: self.public_url.clone(),
        }
    }

    /// The recordings' store, tools and limits; the work directory for
    /// uploads is made (and emptied of any an earlier run left) under the
    /// data directory.
    pub fn recordings(&self) -> Result<crate::recordings::Settings, crate::StartError> {
        let blobs = crate::recordings::blobs::Blobs::open(self.audio_store.as_deref(), &self.data_dir)?;
        let work_dir = self.data_dir.join("uploads");
        let made = std::fs::remove_dir_all(&work_dir)
            .or_else(|e| if e.kind() == std::io::ErrorKind::NotFound { Ok(()) } else { Err(e) })
            .and_then(|()| std::fs::create_dir_all(&work_dir));
        made.map_err(|source| crate::StartError::DataDir { path: work_dir.clone(), source })?;
        let mb = |n: u64| n.saturating_mul(1_000_000);
        Ok(crate::recordings::Settings {
            blobs,
            tools: crate::recordings::audio::Tools::find(self.ffmpeg_dir.as_deref()),
            work_dir,
            max_upload_bytes: mb(self.recording_max_mb),
            max_duration_ms: i64::from(self.recording_max_minutes) * 60_000,
            quota_bytes: i64::try_from(mb(self.recording_quota_mb)).unwrap_or(i64::MAX),
        })
    }

    /// `site/` beside the running executable, when it holds a built app.
    pub fn site_beside_executable() -> Option<PathBuf> {
        let exe = std::env::current_exe().ok()?;
        let site = exe.parent()?.join("site");
        site.join("index.html").is_file().then_some(site)
    }
}
