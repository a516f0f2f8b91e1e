//! The engine room: runs a lesson's real processes through the one
//! [`controller::Controller`], to the end for the headless commands and
//! the explorer ([`drive`]), or step by step for the app.

pub mod controller;
pub mod drive;

pub use controller::{Controller, StepRefused};
