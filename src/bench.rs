//! Empty: `lockstep bench` moved to `cli::bench`; `lib.rs` still declares
//! this module until its owner drops the line.
