//! The platform interface: every call lockstep makes to the operating system
//! (named semaphores, processes and signals, sockets, the clock, `/proc`)
//! goes through the names below, and nothing else in the code calls `libc`
//! for them.
//!
//! Linux is the one implementation (`platform/linux/`, a file per concern).
//! Another platform is another directory beside it that gives the same
//! names, chosen here by `cfg`.

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
use linux as os;

#[cfg(not(target_os = "linux"))]
compile_error!(
    "lockstep runs on Linux: a new platform is a `platform/<os>/` giving the names of `platform.rs`"
);

pub use os::clock::now_ns;
pub use os::files::{create_private_dir, effective_uid, lock_file, state_letter};
pub use os::processes::{
    alive, command_for, exit_now, keep_on_exec, kill_group, processes_with_env, signal_group,
    signal_process, terminate, this_program,
};
pub use os::semaphores::{
    NamedSemaphore, named_semaphores, remove_semaphore_files, semaphore_file, unlink_semaphore,
};
pub use os::signals::{
    block_stop_signals, unblock_stop_signals, unblock_stop_signals_on_exec, wait_stop_signal,
};
pub use os::sockets::{
    WakePipe, adopt_fd, poll_readable, recv_now, recv_packet, send_packet, socket_pair, tcp_listen,
};
