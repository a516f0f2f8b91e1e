//! The shim: a small Python package shipped inside the binary, written into
//! the run's private directory (`py/`) and put first on `PYTHONPATH`, so
//! every Python process of the run imports it at start-up (`sitecustomize`)
//! and reports to the run's socket. Its files live under `assets/python/`.

use std::path::PathBuf;

use super::Program;
use crate::supervisor::Launch;

/// The folder of the run directory that holds the shim.
pub const FOLDER: &str = "py";

/// The shim's files: name, text.
pub const FILES: [(&str, &str); 2] = [
    (
        "sitecustomize.py",
        include_str!("../../assets/python/sitecustomize.py"),
    ),
    (
        "_lockstep.py",
        include_str!("../../assets/python/_lockstep.py"),
    ),
];

/// How to start `program` with the shim.
pub fn launch(program: &Program) -> Launch {
    Launch {
        program: program.interpreter.path.clone(),
        // Unbuffered (what a process wrote before it died is not lost), and
        // no bytecode files written beside the program.
        args: vec![
            "-u".into(),
            "-B".into(),
            program.path.clone().into_os_string(),
        ],
        files: FILES
            .iter()
            .map(|(name, text)| (PathBuf::from(FOLDER).join(name), text.to_string()))
            .collect(),
        path_env: vec![("PYTHONPATH".into(), PathBuf::from(FOLDER))],
    }
}
