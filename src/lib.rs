//! lockstep: lessons in multi-process programming, run as real OS processes.

pub mod challenge;
pub mod cleanup;
pub mod cli;
pub mod engine;
pub use engine::drive;
pub mod explore;
pub mod expr;
pub mod lesson;
pub mod model;
pub mod platform;
pub mod pool;
pub mod progress;
pub mod python;
pub mod schedule;
pub mod schedule_file;
pub mod supervisor;
pub mod tui;
pub mod wire;
pub mod words;
pub mod worker;
