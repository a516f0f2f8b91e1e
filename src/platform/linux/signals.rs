//! The stop signals (SIGINT, SIGTERM, SIGHUP): blocked in every thread and
//! taken by one, so lockstep cleans up before it exits.

const STOP_SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

fn stop_signal_set() -> libc::sigset_t {
    // SAFETY: sigset_t is plain data; sigemptyset/sigaddset initialise it.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for s in STOP_SIGNALS {
            libc::sigaddset(&mut set, s);
        }
        set
    }
}

/// Block SIGINT, SIGTERM and SIGHUP in this thread (and threads started after),
/// so that one thread can take them with [`wait_stop_signal`].
pub fn block_stop_signals() {
    let set = stop_signal_set();
    // SAFETY: set is initialised; the old mask is not needed.
    unsafe {
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
}

/// Undo [`block_stop_signals`] (workers start with a clean mask).
pub fn unblock_stop_signals() {
    let set = stop_signal_set();
    // SAFETY: set is initialised.
    unsafe {
        libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
    }
}

/// Start the child of `cmd` with the stop signals unblocked: a program
/// that is not this binary (a Python interpreter) would otherwise inherit
/// lockstep's mask, and `terminate()` could not reach its processes.
pub fn unblock_stop_signals_on_exec(cmd: &mut std::process::Command) {
    use std::os::unix::process::CommandExt;
    let set = stop_signal_set();
    // SAFETY: the closure runs in the forked child before exec and only
    // calls pthread_sigmask, which is async-signal-safe; it allocates nothing.
    unsafe {
        cmd.pre_exec(move || {
            libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
            Ok(())
        });
    }
}

/// Wait for one of the blocked stop signals and return its number.
pub fn wait_stop_signal() -> i32 {
    let set = stop_signal_set();
    let mut sig: libc::c_int = 0;
    loop {
        // SAFETY: set is initialised and sig is a valid out pointer.
        if unsafe { libc::sigwait(&set, &mut sig) } == 0 {
            return sig;
        }
    }
}
