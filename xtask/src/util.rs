//! Small helpers: paths, quiet command runs with logs, stage banners.

use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// A failed step, with what a person needs to fix it.
#[derive(Debug)]
pub struct Fail(String);

impl Fail {
    pub fn new(msg: impl Into<String>) -> Self {
        Fail(msg.into())
    }
}

impl fmt::Display for Fail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits inside the workspace")
        .to_path_buf()
}

/// Where stage logs go.
pub fn log_dir() -> PathBuf {
    root().join("target").join("xtask-logs")
}

/// `cargo` (the one running us), at the workspace root.
pub fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root());
    c
}

pub fn stage_banner(name: &str, what: &str) {
    println!("==> {name}: {what}");
}

/// Runs a command with its output in `target/xtask-logs/<name>.log`; on failure prints the
/// log's tail. Returns the log's text.
pub fn run_quiet(name: &str, cmd: &mut Command) -> Result<String, Fail> {
    let dir = log_dir();
    std::fs::create_dir_all(&dir).map_err(|e| Fail::new(format!("{}: {e}", dir.display())))?;
    let log_path = dir.join(format!("{name}.log"));
    let log =
        File::create(&log_path).map_err(|e| Fail::new(format!("{}: {e}", log_path.display())))?;
    let err = log.try_clone().map_err(|e| Fail::new(e.to_string()))?;
    let started = Instant::now();
    let status = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::from(log))
        .stderr(Stdio::from(err))
        .status()
        .map_err(|e| Fail::new(format!("{name}: cannot run {:?}: {e}", cmd.get_program())))?;
    let text = std::fs::read_to_string(&log_path).unwrap_or_default();
    let secs = started.elapsed().as_secs_f64();
    if status.success() {
        println!("    {name}: ok ({secs:.1} s)");
        Ok(text)
    } else {
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines[lines.len().saturating_sub(120)..].join("\n");
        println!("{tail}");
        println!(
            "    {name}: FAILED ({secs:.1} s; full log: {})",
            log_path.display()
        );
        Err(Fail::new(format!("{name} failed")))
    }
}

/// Whether `program --version` runs and prints something containing `expected`.
pub fn version_matches(program: &str, expected: &str) -> bool {
    tool(program)
        .arg("--version")
        .stderr(Stdio::null())
        .output()
        .map(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).contains(expected))
        .unwrap_or(false)
}

/// Where `cargo install` puts binaries.
pub fn cargo_bin() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from("/root/.cargo"))
        .join("bin")
}

/// PATH with our tool links first (wasm-opt from npm binaryen), then cargo's binaries.
pub fn tool_path() -> String {
    let tools = root().join("target").join("tools").join("bin");
    let rest = std::env::var("PATH").unwrap_or_default();
    format!("{}:{}:{rest}", tools.display(), cargo_bin().display())
}

/// A command that finds our tools first on PATH.
pub fn tool(program: &str) -> Command {
    let mut c = Command::new(program);
    c.env("PATH", tool_path()).current_dir(root());
    c
}
