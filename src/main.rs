//! The `lockstep` binary: the app, the headless commands and worker mode,
//! all started by the cli room.

fn main() -> std::process::ExitCode {
    lockstep::cli::main()
}
