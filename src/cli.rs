//! The cli room: the `lockstep` binary's start (worker mode, signals, which
//! command), the arguments, the headless commands and their reports.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use crate::lesson::Lang;
use crate::{cleanup, platform, worker};

mod app;
pub mod args;
pub mod bench;
pub mod clean;
mod completions;
mod explore;
pub mod headless;
pub mod list;
mod python;
mod python_explore;
mod python_lesson;
mod python_saved;
mod python_summary;
mod run;
pub mod summary;
mod usage;

pub use args::{Cli, Cmd, ExploreArgs, LockArgs, RunArgs, ScheduleKind};
pub use python::is_program;

/// The whole binary: `src/main.rs` calls only this.
pub fn main() -> ExitCode {
    // Worker mode skips argument parsing: it is started only by lockstep
    // itself, and a lean start keeps each lesson process small and quick.
    let args: Vec<std::ffi::OsString> = std::env::args_os().take(4).collect();
    if args.len() == 4 && args[1] == "__worker" {
        let number = args[3].to_str().and_then(|s| s.parse().ok()).unwrap_or(0);
        let code = worker::main(std::path::Path::new(&args[2]), number);
        return ExitCode::from(code.clamp(0, 255) as u8);
    }
    let cli = Cli::try_parse().unwrap_or_else(|e| usage::parse_failed(e));
    // Ctrl-C, SIGTERM and SIGHUP are taken by one thread that cleans up
    // (workers, semaphores, run directories) before the process exits.
    platform::block_stop_signals();
    std::thread::spawn(|| {
        let sig = platform::wait_stop_signal();
        cleanup::cleanup_all();
        std::process::exit(128 + sig);
    });
    cleanup::sweep_stale();
    match command(cli) {
        Ok(code) => code,
        // A reader that went away (`lockstep run … | head`) is not an error.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lockstep: {}", clean::escape_controls(&format!("{e:#}")));
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Do what the command line asks.
fn command(cli: Cli) -> anyhow::Result<ExitCode> {
    // The program that runs, not the path it was started by: a restart
    // (`r`) after a rebuild replaced the file still starts this program.
    let exe = platform::this_program()?;
    match cli.command {
        Some(Cmd::List { lang }) => {
            let mut out = std::io::stdout().lock();
            list::list(lang.unwrap_or_else(Lang::from_env), &mut out)?;
            out.flush()?;
        }
        Some(Cmd::Run(args)) => return run::run_command(args, &exe),
        Some(Cmd::Explore(args)) => explore::explore(args, &exe)?,
        Some(Cmd::Bench { steps, rounds }) => bench::measure_all(steps, rounds, &exe)?,
        Some(Cmd::Completions { shell }) => {
            completions::completions(shell, &mut std::io::stdout())?
        }
        Some(Cmd::Man) => completions::man(&mut std::io::stdout())?,
        Some(Cmd::Worker { socket, number }) => {
            return Ok(ExitCode::from(
                worker::main(&socket, number).clamp(0, 255) as u8
            ));
        }
        None => return app::open(cli, exe),
    }
    Ok(ExitCode::SUCCESS)
}
