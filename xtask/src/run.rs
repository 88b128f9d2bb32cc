//! Running commands, with the command line shown and a clear error on failure.

use std::ffi::OsStr;
use std::process::Command;

use anyhow::{Context, Result, bail};

/// Prints a step heading.
pub fn step(what: &str) {
    eprintln!("\n==> {what}");
}

pub fn cargo(args: &[&str]) -> Result<()> {
    cargo_with_env(args, &[])
}

pub fn cargo_with_env(args: &[&str], env: &[(&str, &OsStr)]) -> Result<()> {
    let mut command = Command::new(cargo_bin());
    command.args(args).current_dir(crate::paths::root());
    for (key, value) in env {
        command.env(key, value);
    }
    status(command)
}

/// Runs cargo with standard error shown and returns its standard output.
pub fn cargo_output_with_env(args: &[&str], env: &[(&str, &OsStr)]) -> Result<String> {
    let mut command = Command::new(cargo_bin());
    command.args(args).current_dir(crate::paths::root()).stderr(std::process::Stdio::inherit());
    for (key, value) in env {
        command.env(key, value);
    }
    let shown = show(&command);
    eprintln!("$ {shown}");
    let output = command.output().with_context(|| format!("cannot start `{shown}`"))?;
    if !output.status.success() {
        bail!("`{shown}` failed ({})", output.status);
    }
    String::from_utf8(output.stdout).with_context(|| format!("`{shown}` printed something that is not UTF-8"))
}

/// The cargo that runs us (so `cargo +toolchain xtask` stays on that toolchain).
pub fn cargo_bin() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// Runs a command to completion; fails with its command line when it fails.
pub fn status(mut command: Command) -> Result<()> {
    let shown = show(&command);
    eprintln!("$ {shown}");
    let status = command.status().with_context(|| format!("cannot start `{shown}`"))?;
    if !status.success() {
        bail!("`{shown}` failed ({status})");
    }
    Ok(())
}

/// Runs a command and returns its standard output, or None if it cannot run or
/// fails (for probing whether a tool exists).
pub fn probe(program: impl AsRef<OsStr>, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Replaces this process with a long-lived command (the server), so Ctrl-C and
/// SIGTERM reach it directly and the prompt returns only when it has stopped.
pub fn exec(mut command: Command) -> Result<()> {
    let shown = show(&command);
    eprintln!("$ {shown}");
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let error = command.exec();
        Err(anyhow::Error::from(error).context(format!("cannot start `{shown}`")))
    }
    #[cfg(not(unix))]
    status(command)
}

fn show(command: &Command) -> String {
    let mut shown = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        shown.push(' ');
        shown.push_str(&arg.to_string_lossy());
    }
    shown
}
