//! `--procs N`: the same lesson with N processes instead of the declared
//! number, so that every schedule of it can be explored. The expected value
//! follows when the check says how (`expect_per_process`).

use super::{Lesson, MAX_PROCESSES};

impl Lesson {
    /// How many processes the lesson declares.
    pub fn process_count(&self) -> usize {
        self.processes.iter().map(|p| p.count as usize).sum()
    }

    /// This lesson with `n` processes. One role gets all `n`; several roles
    /// share them in proportion to their declared counts, each keeping at
    /// least one. The check's `expect` moves by `expect_per_process` for each
    /// process added (or removed).
    /// `--procs` can change its number of processes.
    pub fn shrinkable(&self) -> bool {
        self.pool.is_none()
            && !self.processes.is_empty()
            && self.processes.iter().all(|p| p.started_by.is_none())
    }

    pub fn with_processes(&self, n: usize) -> Result<Lesson, String> {
        if self.pool.is_some() || self.processes.is_empty() {
            return Err(format!(
                "lesson `{}` is a pool lesson: it has no processes to shrink",
                self.id
            ));
        }
        if self.processes.iter().any(|p| p.started_by.is_some()) {
            // Its main program starts a fixed set of children: fewer slots
            // would make it fail, not make it smaller.
            return Err(format!(
                "lesson `{}` starts its children from its main program: it cannot be shrunk",
                self.id
            ));
        }
        let roles = self.processes.len();
        if n < roles || n > MAX_PROCESSES {
            return Err(format!(
                "lesson `{}` has {roles} role{}: --procs must be between {roles} and {MAX_PROCESSES}",
                self.id,
                if roles == 1 { "" } else { "s" }
            ));
        }
        let counts = share(
            &self
                .processes
                .iter()
                .map(|p| p.count as usize)
                .collect::<Vec<_>>(),
            n,
        );
        let declared = self.process_count() as i64;
        let mut out = self.clone();
        for (decl, c) in out.processes.iter_mut().zip(counts) {
            decl.count = c as u32;
        }
        // The listing's names of processes that are no longer there go.
        let slots = out.slots();
        for decl in &mut out.processes {
            let here = slots.iter().filter(|s| s.role == decl.role).count();
            decl.names.truncate(here);
        }
        if let Some(k) = self.check.expect_per_process {
            let moved = (n as i64 - declared)
                .checked_mul(k)
                .and_then(|d| out.check.expect.checked_add(d));
            out.check.expect = moved.ok_or_else(|| {
                format!(
                    "lesson `{}`: with {n} processes the expected value ({} {:+} per process) is out of range",
                    self.id, self.check.expect, k
                )
            })?;
        }
        Ok(out)
    }
}

/// Deal `n` among roles in proportion to `declared`, each at least 1
/// (largest remainder). `n` is at least `declared.len()`.
fn share(declared: &[usize], n: usize) -> Vec<usize> {
    let total: usize = declared.iter().sum();
    let mut out: Vec<usize> = declared.iter().map(|c| (n * c / total).max(1)).collect();
    let wanted = |i: usize| (n * declared[i]) as f64 / total as f64;
    while out.iter().sum::<usize>() > n {
        // Take from the role most above its share that can spare one.
        let i = (0..out.len())
            .filter(|&i| out[i] > 1)
            .max_by(|&a, &b| (out[a] as f64 - wanted(a)).total_cmp(&(out[b] as f64 - wanted(b))))
            .unwrap_or(0);
        out[i] -= 1;
    }
    while out.iter().sum::<usize>() < n {
        let i = (0..out.len())
            .max_by(|&a, &b| (wanted(a) - out[a] as f64).total_cmp(&(wanted(b) - out[b] as f64)))
            .unwrap_or(0);
        out[i] += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_follow_the_declared_proportions() {
        assert_eq!(share(&[20], 2), vec![2]);
        assert_eq!(share(&[1, 3], 2), vec![1, 1]);
        assert_eq!(share(&[1, 3], 4), vec![1, 3]);
        assert_eq!(share(&[2, 6], 5), vec![1, 4]);
        assert_eq!(share(&[1, 1, 1], 7).iter().sum::<usize>(), 7);
    }

    #[test]
    fn counter_expectation_follows_the_process_count() {
        let counter = crate::lesson::builtin("counter").unwrap();
        let two = counter.with_processes(2).unwrap();
        assert_eq!(two.process_count(), 2);
        assert_eq!(two.processes[0].names, ["workers[0]", "workers[1]"]);
        assert_eq!(two.check.expect, 98);
        assert_eq!(counter.with_processes(3).unwrap().check.expect, 97);
        // Lessons whose expectation does not depend on the count keep it.
        let ticket = crate::lesson::builtin("ticket").unwrap();
        assert_eq!(ticket.with_processes(2).unwrap().check.expect, 1);
        assert!(counter.with_processes(0).is_err());
        assert!(counter.with_processes(MAX_PROCESSES + 1).is_err());
        let pool = crate::lesson::builtin("pool").unwrap();
        assert!(pool.with_processes(2).is_err());
    }

    #[test]
    fn expect_per_process_is_checked() {
        let counter = include_str!("../../scenarios/counter.json");
        let with = |v: &str| {
            let text = counter.replace(
                "\"expect_per_process\": -1",
                &format!("\"expect_per_process\": {v}"),
            );
            Lesson::parse(&text, "c.json")
                .map(|_| ())
                .map_err(|e| e.to_string())
        };
        assert_eq!(with("-1"), Ok(()));
        let e = with("\"x\"").unwrap_err();
        assert!(e.contains("field `check.expect_per_process`"), "{e}");
        let e = with("2000000").unwrap_err();
        assert!(
            e.contains("c.json:33:27: field `check.expect_per_process`: must be between"),
            "{e}"
        );
        let pool = include_str!("../../scenarios/pool.json");
        let text = pool.replacen("\"rule\"", "\"expect_per_process\": 1, \"rule\"", 1);
        let e = Lesson::parse(&text, "p.json").unwrap_err().to_string();
        assert!(e.contains("a pool lesson has no processes"), "{e}");
    }
}
