//! `stille-server`: parses configuration, starts logging, runs the
//! [`stille_server::Application`] until SIGTERM or Ctrl-C.

use std::process::ExitCode;

use clap::Parser;
use stille_server::{Admin, Application, Backup, Command, Config, LogFormat, Store};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let mut config = Config::parse();
    init_logging(config.log_format);
    config.site_dir = config.site_dir.or_else(Config::site_beside_executable);
    if let Some(Command::Admin(admin)) = config.command.clone() {
        return run_admin(&config, admin).await;
    }

    let app = match Application::build(&config).await {
        Ok(app) => app,
        Err(error) => {
            tracing::error!("{error}");
            return ExitCode::FAILURE;
        }
    };
    match app.local_addr() {
        Ok(addr) => tracing::info!("Stille is listening on http://{addr}"),
        Err(error) => tracing::warn!("listening, but the address is unknown: {error}"),
    }
    match app.run(shutdown_signal()).await {
        Ok(()) => {
            tracing::info!("stopped");
            ExitCode::SUCCESS
        }
        Err(error) => {
            tracing::error!("the server stopped with an error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `stille-server admin …`: works on the configured store, then exits.
async fn run_admin(config: &Config, admin: Admin) -> ExitCode {
    // A restore makes the database, so it runs before one is opened.
    let secrets_key =
        stille_server::secrets::Sealer::path_for(config.secrets_key_file.as_deref(), &config.data_dir);
    if let Admin::Backups(Backup::Restore { from }) = &admin {
        let restored = match Store::sqlite_file(config) {
            Ok(Some(file)) => stille_server::backup::restore(from, &config.data_dir, &file, &secrets_key)
                .await
                .map(|summary| format!("restored {summary} into {}", file.display())),
            Ok(None) => Err(stille_server::AppError::invalid(
                "database_url",
                "with PostgreSQL, restore with pg_restore (or from its WAL archive): see README, \"Backups\"",
            )),
            Err(error) => Err(stille_server::AppError::invalid("database_url", error.to_string())),
        };
        return report(restored);
    }
    let store = match Store::open(config).await {
        Ok(store) => store,
        Err(error) => {
            tracing::error!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = match admin {
        Admin::CreateInstructor { email, name, promote_unverified } => {
            let read_password = || {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line).map_err(|e| {
                    stille_server::AppError::invalid(
                        "password",
                        format!("cannot read the password from standard input: {e}"),
                    )
                })?;
                Ok(line.trim_end_matches(['\r', '\n']).to_owned())
            };
            let unverified = if promote_unverified {
                stille_server::accounts::Unverified::Promote
            } else {
                stille_server::accounts::Unverified::Refuse
            };
            stille_server::accounts::create_instructor(&store, &email, &name, unverified, read_password)
                .await
                .map(|made| match made {
                    stille_server::accounts::Made::Created => "created an instructor account".to_owned(),
                    stille_server::accounts::Made::Promoted => "the existing account is now an instructor".to_owned(),
                    stille_server::accounts::Made::Already => "this account already is an instructor".to_owned(),
                })
        }
        Admin::ResetTwoStep { email } => stille_server::accounts::two_step::admin_reset(&store, &email)
            .await
            .map(|()| "two-step sign-in is off for this account, and it is signed out everywhere".to_owned()),
        Admin::ForgetSecretsKey => stille_server::secrets::forget_key(&store, &secrets_key).await.map(|accounts| {
            format!(
                "the old key is forgotten; two-step sign-in is off for {accounts} accounts, which are signed out \
                 and set it up again at their next sign-in"
            )
        }),
        Admin::PublishRecording { id, unpublish } => {
            stille_server::recordings::admin_publish(&store, &id, !unpublish).await
        }
        Admin::ResetLink { email, url } => stille_server::accounts::manage::admin_reset_link(&store, &email)
            .await
            .map(|link| {
                let base = url.as_deref().unwrap_or("").trim_end_matches('/');
                format!(
                    "{base}{}\nGive it to the account's owner only; it works once, until {} (ms since 1970, UTC).",
                    link.path, link.expires_at_ms
                )
            }),
        Admin::Backups(Backup::Backup { to }) => {
            let local_audio = config.audio_store.is_none();
            stille_server::backup::backup(&store, &config.data_dir, local_audio, &secrets_key, &to)
                .await
                .map(|summary| format!("backed up {summary} into {}", to.display()))
        }
        Admin::Backups(Backup::Restore { .. }) => unreachable!("a restore returns before a store is opened"),
    };
    store.close().await;
    report(outcome)
}

/// Prints what an admin command did, or why it could not.
fn report(outcome: Result<String, stille_server::AppError>) -> ExitCode {
    match outcome {
        Ok(what) => {
            println!("{what}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info,sqlx=warn"));
    // Colours only for a person at a terminal, not in log files or journald.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout()) && std::env::var_os("NO_COLOR").is_none();
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(ansi);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

/// Completes on Ctrl-C or SIGTERM (what `systemctl stop` and container
/// runtimes send).
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!("cannot listen for Ctrl-C: {error}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!("cannot listen for SIGTERM: {error}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
