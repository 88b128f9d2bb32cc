//! What the load generators (`src/bin/sync-load.rs`, `src/bin/scale-load.rs`)
//! share: the clock, CPU time from /proc, a release server started and
//! listening, and a throw-away PostgreSQL database.

use anyhow::{Context, Result};
use sqlx::Connection;
use tokio::io::{AsyncBufReadExt, BufReader};

/// Now, in ms since 1970.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// CPU seconds (user + system) process `pid` (or `self`) has used, from
/// /proc; with `children`, also those of its children that ended.
pub fn cpu_s(pid: &str, children: bool) -> f64 {
    let ticks_per_s = 100.0; // USER_HZ on Linux
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            // Fields after the command name (which may hold spaces) close with ')'.
            let rest = stat.rsplit_once(')')?.1;
            let fields: Vec<&str> = rest.split_whitespace().collect();
            let field = |n: usize| fields.get(n).and_then(|f| f.parse::<f64>().ok());
            let own = field(11)? + field(12)?;
            let ended = if children { field(13)? + field(14)? } else { 0.0 };
            Some((own + ended) / ticks_per_s)
        })
        .unwrap_or(0.0)
}

/// Starts `command` (a `stille-server` with `--addr 127.0.0.1:0` and
/// `RUST_LOG` at info) and waits for the address it listens on; its later
/// output is read and dropped.
pub async fn listening(command: &mut tokio::process::Command) -> Result<(tokio::process::Child, String)> {
    let mut child = command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .context("starting the server")?;
    let stdout = child.stdout.take().context("server stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let addr = loop {
        let line = lines.next_line().await?.context("the server stopped before listening")?;
        if let Some(rest) = line.split("listening on http://").nth(1) {
            break rest.trim().to_owned();
        }
    };
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Ok((child, addr))
}

/// A database of its own on the PostgreSQL server `STILLE_BENCH_POSTGRES`
/// (or `STILLE_TEST_POSTGRES`) names, for [`drop_database`] at the end.
pub async fn new_database(prefix: &str) -> Result<(String, String, String)> {
    let admin = std::env::var("STILLE_BENCH_POSTGRES")
        .or_else(|_| std::env::var("STILLE_TEST_POSTGRES"))
        .context("STILLE_BENCH_POSTGRES names a PostgreSQL server")?;
    let name = format!("{prefix}_{}", std::process::id());
    let mut db = sqlx::PgConnection::connect(&admin).await?;
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut db).await?;
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(base, _)| base);
    let url = format!("{base}/{name}");
    Ok((admin, name, url))
}

/// Drops what [`new_database`] made.
pub async fn drop_database(admin: &str, name: &str) -> Result<()> {
    let mut db = sqlx::PgConnection::connect(admin).await?;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut db).await?;
    Ok(())
}
