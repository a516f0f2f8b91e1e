//! The old path of the platform calls, kept so code not yet moved compiles:
//! use [`crate::platform`] instead.

pub use crate::platform::*;
