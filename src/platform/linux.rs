//! The Linux implementation of the platform interface, one file per concern.
//! Every `unsafe` block of lockstep lives in these files.

pub mod clock;
pub mod files;
pub mod processes;
pub mod semaphores;
pub mod signals;
pub mod sockets;
