//! What a real program makes (`Report::Created`), and one side of a TCP
//! connection as reports name it.

use serde::{Deserialize, Serialize};

/// What a real program made (see `Report::Created`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Object {
    Lock,
    #[serde(rename = "rlock")]
    RLock,
    Semaphore,
    BoundedSemaphore,
    Value,
    Event,
    Queue,
    JoinableQueue,
    /// One end of a `Pipe()`: the first (value 0) or the second (value 1).
    PipeEnd,
    /// A `Manager()`'s server (a socket server owning the shared objects).
    Manager,
    /// A `Condition`: in the model a queue of wake-ups (`wait` gets one,
    /// `notify` puts one per sleeper it wakes).
    Condition,
    /// A `Barrier(parties)`: in the model an event the last arrival sets.
    Barrier,
}

/// One process's socket of a TCP connection: its name in the program, the
/// client's port (which names the connection), and which side it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SockRef {
    pub sock: String,
    pub port: u16,
    pub server_side: bool,
}
