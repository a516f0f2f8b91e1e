//! Sentences of the app's screens: panel titles, key hints, help, notes.

pub mod ipc;
pub mod keys;
pub mod notes;
pub mod run;
pub mod sentences;
pub mod strings;
