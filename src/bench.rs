//! `lockstep bench`: step round trip, the pool lesson's phases, worker memory.

use std::path::Path;

pub fn run(_steps: usize, _rounds: usize, _exe: &Path) -> anyhow::Result<()> {
    anyhow::bail!("failed to run the benchmark: not written yet")
}
