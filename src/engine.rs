//! The engine room: runs a lesson's real processes through the one
//! [`controller::Controller`], to the end for the headless commands and
//! the explorer ([`drive`]), step by step for the app, or timed with every
//! gate open for the pool lesson (the controller's measured runs).

pub mod controller;
pub mod drive;
pub mod mapped;

pub use controller::{Controller, StepRefused};
