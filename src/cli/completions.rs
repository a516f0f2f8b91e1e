//! `lockstep completions SHELL` and `lockstep man`: a shell completion script
//! and a roff man page, both generated from the clap definitions in `args`,
//! so they always name the commands and options the binary really has.

use std::io::Write;

use clap::{Command, CommandFactory};
use clap_complete::Shell;

use super::args::Cli;

/// The binary's name as the shell sees it (the completion is registered
/// under it).
const BIN: &str = "lockstep";

/// Write the completion script for `shell` to `out`.
pub fn completions(shell: Shell, out: &mut dyn Write) -> std::io::Result<()> {
    let mut cmd = without_hidden(Cli::command());
    // clap_complete panics on a failed write; a closed pipe
    // (`lockstep completions bash | head`) is an io error here instead.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, BIN, &mut script);
    out.write_all(&script)?;
    out.flush()
}

/// `cmd` less its hidden subcommands (`__worker`, `bench`): clap_complete
/// would offer them, and clap has no way to remove a subcommand, so the
/// top level is built anew from the visible ones.
fn without_hidden(cmd: Command) -> Command {
    let visible: Vec<Command> = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .cloned()
        .collect();
    let mut top = Command::new(BIN)
        .version(env!("CARGO_PKG_VERSION"))
        .args(cmd.get_arguments().cloned())
        .subcommands(visible)
        .args_conflicts_with_subcommands(true);
    if let Some(about) = cmd.get_about() {
        top = top.about(about.clone());
    }
    top
}

/// Write the man page `lockstep(1)` (roff) to `out`: name, synopsis,
/// description, options and the subcommands.
pub fn man(out: &mut dyn Write) -> std::io::Result<()> {
    let cmd = Cli::command();
    clap_mangen::Man::new(cmd).render(out)?;
    out.flush()
}
