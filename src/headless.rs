//! Empty: `lockstep run`'s printing moved to `cli::headless`; `lib.rs` still
//! declares this module until its owner drops the line.
