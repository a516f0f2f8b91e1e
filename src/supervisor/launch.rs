//! A run whose first process is a real program (a Python interpreter on the
//! learner's script) instead of this binary in worker mode: the files it
//! needs in the run directory, and the command that starts it.

use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Environment variable with the run's socket, for a real program's shim.
pub const SOCKET_ENV: &str = "LOCKSTEP_SOCKET";
/// Environment variable with the run's private directory.
pub const DIR_ENV: &str = crate::cleanup::RUN_DIR_ENV;
/// Environment variable with the P-number a real program's process says
/// hello with (the shim takes it out of its environment at once).
pub const NUMBER_ENV: &str = "LOCKSTEP_NUMBER";

/// How to start a real program as the run's first process.
#[derive(Debug, Clone)]
pub struct Launch {
    pub program: PathBuf,
    pub args: Vec<OsString>,
    /// Files to write into the run directory first: path inside it, text.
    pub files: Vec<(PathBuf, String)>,
    /// Variables set to a folder of the run directory put in front of
    /// their present value (`PYTHONPATH`), as (variable, folder inside it).
    pub path_env: Vec<(String, PathBuf)>,
    /// Other variables to set.
    pub env: Vec<(String, String)>,
    /// Start it in the run directory (a lesson's listing written there, and
    /// the files it makes, stay in it); else in lockstep's own directory.
    pub in_dir: bool,
}

impl Launch {
    /// Write the launch's files into the run directory `dir`.
    pub(super) fn write_files(&self, dir: &Path) -> io::Result<()> {
        for (rel, text) in &self.files {
            let path = dir.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(path, text)?;
        }
        Ok(())
    }

    /// The command that starts process `proc` (0-based) of the run in `dir`.
    pub(super) fn command(&self, dir: &Path, socket: &Path, proc: usize) -> Command {
        let mut cmd = Command::new(&self.program);
        cmd.args(&self.args)
            .env(SOCKET_ENV, socket)
            .env(DIR_ENV, dir)
            .env(NUMBER_ENV, (proc + 1).to_string())
            .envs(self.env.iter().map(|(k, v)| (k, v)));
        if self.in_dir {
            cmd.current_dir(dir);
        }
        crate::platform::unblock_stop_signals_on_exec(&mut cmd);
        for (var, rel) in &self.path_env {
            let mut value = dir.join(rel).into_os_string();
            if let Some(old) = std::env::var_os(var).filter(|v| !v.is_empty()) {
                value.push(":");
                value.push(old);
            }
            cmd.env(var, value);
        }
        cmd
    }
}
