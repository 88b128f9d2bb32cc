//! What the browser tests need running beside them, started for one test run
//! and stopped when it ends (whatever the outcome): an X display (Xvfb) for
//! WebKitGTK, which has no headless mode, and a sound server (PulseAudio with
//! a null sink) without which Firefox's AudioContext never starts.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::paths;

/// A process that is killed when this is dropped.
#[derive(Debug)]
pub struct Running {
    child: Child,
    /// What to tell the tests: the display (`:95`) or the server's socket.
    pub address: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Xvfb on the first free display from :90.
pub fn xvfb(program: &Path) -> Result<Running> {
    for n in 90..130 {
        if Path::new(&format!("/tmp/.X{n}-lock")).exists() {
            continue;
        }
        let mut child = Command::new(program)
            .args([format!(":{n}").as_str(), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("cannot start {}", program.display()))?;
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        if wait_for(&socket, &mut child)? {
            return Ok(Running { child, address: format!(":{n}") });
        }
    }
    bail!("no free X display between :90 and :129 for Xvfb")
}

/// PulseAudio with a null sink, its socket in the target directory.
pub fn pulseaudio(program: &Path) -> Result<Running> {
    let dir = paths::target_dir().join("pulse");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    std::fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o700))?;
    let socket = dir.join("pulse.sock");
    let mut child = Command::new(program)
        .args([
            "-n",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--disallow-exit",
            "--load=module-null-sink sink_name=null",
        ])
        .arg(format!("--load=module-native-protocol-unix auth-anonymous=1 socket={}", socket.display()))
        .env("XDG_RUNTIME_DIR", &dir)
        .env("HOME", &dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("cannot start {}", program.display()))?;
    if !wait_for(&socket, &mut child)? {
        bail!("PulseAudio did not start (its socket {} never appeared)", socket.display());
    }
    Ok(Running { child, address: format!("unix:{}", socket.display()) })
}

/// Waits up to 10 s for `path` to appear while `child` runs; false if the
/// child ended first.
fn wait_for(path: &Path, child: &mut Child) -> Result<bool> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(10) {
        if path.exists() {
            return Ok(true);
        }
        if child.try_wait()?.is_some() {
            return Ok(false);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    Ok(false)
}
