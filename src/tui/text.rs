//! The screens' words, as the drawing code reaches them: the tables live
//! in the words room (`words::screen::strings`).

pub use crate::words::screen::strings::{Strings, strings};
