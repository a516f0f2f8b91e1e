//! The words room: every sentence lockstep shows, in English and Chinese.
//! Facts come in (a deadlock, a verdict, a refused step…), text goes out.
//! These files are the only ones in `src/` that hold Chinese; adding a
//! language means adding its sentences here.

pub mod notes;
pub mod python;
pub mod python_lessons;
pub mod report;
pub mod run;
pub mod screen;
pub mod seed_more;
