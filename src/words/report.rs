//! Sentences of the headless reports: `run`'s summary, `explore`'s counts
//! and bars, the pool lesson's measurements.
