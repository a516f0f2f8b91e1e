//! Sentences of the headless reports: `run`'s summary, `explore`'s counts
//! and bars, the pool lesson's measurements, and the usage errors.

pub mod explore;
pub mod pool;
pub mod summary;
pub mod tmpdir;
pub mod usage;

/// "── counter · Counting together ──": the first line of a report.
pub fn heading(id: &str, title: &str) -> String {
    format!("── {id} · {title} ──")
}
