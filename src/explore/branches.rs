//! Stateless depth-first search by re-execution: the path of choices taken
//! at each branch point of the current run, and how to move on to the next
//! path once a run has ended. Pure: it only ever sees the options offered.

/// One branch point of a run: the processes that could move, and which one
/// (by position in `options`) the current path takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Point {
    pub options: Vec<usize>,
    pub pos: usize,
}

/// The re-execution met other options than the run it repeats: the lesson
/// did not behave the same way twice under the same schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Diverged {
    /// 0-based branch point where it happened.
    pub depth: usize,
}

/// The search: the current path, and how far the current run has followed it.
#[derive(Debug, Default, Clone)]
pub struct Branches {
    path: Vec<Point>,
    depth: usize,
    /// Points above this depth are fixed: these branches are one share of a
    /// search split between threads.
    floor: usize,
}

impl Branches {
    pub fn new() -> Branches {
        Branches::default()
    }

    /// At the next branch point of the current run, offered `options`
    /// (process indices, at least two): which process moves. A point the
    /// path already holds repeats its choice; a new one takes the first option.
    pub fn choose(&mut self, options: &[usize]) -> Result<usize, Diverged> {
        let depth = self.depth;
        self.depth += 1;
        match self.path.get(depth) {
            Some(point) if point.options == options => Ok(point.options[point.pos]),
            Some(_) => Err(Diverged { depth }),
            None => {
                self.path.push(Point {
                    options: options.to_vec(),
                    pos: 0,
                });
                Ok(options[0])
            }
        }
    }

    /// The current run ended: move the path to the next one not yet run
    /// (the deepest point with an untried option takes it, everything below
    /// it is forgotten). `Ok(false)` once every path has been run.
    pub fn next_path(&mut self) -> Result<bool, Diverged> {
        let followed = std::mem::take(&mut self.depth);
        if followed < self.path.len() {
            // The run ended before reaching points an earlier run had.
            return Err(Diverged { depth: followed });
        }
        while self.path.len() > self.floor {
            let Some(last) = self.path.last_mut() else {
                break;
            };
            if last.pos + 1 < last.options.len() {
                last.pos += 1;
                return Ok(true);
            }
            self.path.pop();
        }
        Ok(false)
    }

    /// Split the search after its first run, before [`Branches::next_path`]:
    /// one share per option of the first branch point, each to be
    /// searched on its own. The first share holds the run just made (call
    /// `next_path` before running it again); the others start fresh.
    /// Empty when the run met no branch point: that one run was all.
    pub fn split(&self) -> Vec<Branches> {
        let Some(first) = self.path.first() else {
            return Vec::new();
        };
        (0..first.options.len())
            .map(|pos| {
                if pos == 0 {
                    let mut t = self.clone();
                    t.floor = 1;
                    t
                } else {
                    Branches {
                        path: vec![Point {
                            options: first.options.clone(),
                            pos,
                        }],
                        depth: 0,
                        floor: 1,
                    }
                }
            })
            .collect()
    }

    /// The branch points of the current path.
    pub fn path(&self) -> &[Point] {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fake system of processes, each a list of steps; every unfinished
    /// process may move. Runs every path and returns each one's schedule.
    fn explore(lens: &[usize]) -> Vec<Vec<usize>> {
        run_share(&mut Branches::new(), lens, false)
    }

    #[test]
    fn two_processes_of_two_steps_have_six_orders() {
        let runs = explore(&[2, 2]);
        let expect: Vec<Vec<usize>> = vec![
            vec![1, 1, 2, 2],
            vec![1, 2, 1, 2],
            vec![1, 2, 2, 1],
            vec![2, 1, 1, 2],
            vec![2, 1, 2, 1],
            vec![2, 2, 1, 1],
        ];
        assert_eq!(runs, expect);
    }

    #[test]
    fn every_interleaving_once() {
        // C(12, 6) = 924 orders of two six-step processes; 3!·… for three.
        let runs = explore(&[6, 6]);
        assert_eq!(runs.len(), 924);
        let mut unique = runs.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 924);
        // 6! / (2! 2! 2!) = 90
        assert_eq!(explore(&[2, 2, 2]).len(), 90);
        assert_eq!(explore(&[3]).len(), 1);
    }

    #[test]
    fn a_lock_prunes_the_orders() {
        // Two processes: acquire, read, write, release, with a real lock
        // (a process cannot acquire while the other holds it).
        let mut branches = Branches::new();
        let mut runs = 0;
        loop {
            let mut pc = [0usize; 2];
            let mut holder: Option<usize> = None;
            loop {
                let options: Vec<usize> = (0..2)
                    .filter(|&p| pc[p] < 4 && !(pc[p] == 0 && holder.is_some()))
                    .collect();
                let p = match options.len() {
                    0 => break,
                    1 => options[0],
                    _ => branches.choose(&options).unwrap(),
                };
                match pc[p] {
                    0 => holder = Some(p),
                    3 => holder = None,
                    _ => {}
                }
                pc[p] += 1;
            }
            runs += 1;
            if !branches.next_path().unwrap() {
                break;
            }
        }
        assert_eq!(runs, 2);
    }

    /// Runs every path of a share; the fake system is `lens` as in `explore`.
    fn run_share(branches: &mut Branches, lens: &[usize], ran: bool) -> Vec<Vec<usize>> {
        let mut runs = Vec::new();
        if ran && !branches.next_path().unwrap() {
            return runs;
        }
        loop {
            let mut left = lens.to_vec();
            let mut schedule = Vec::new();
            loop {
                let options: Vec<usize> = (0..left.len()).filter(|&p| left[p] > 0).collect();
                let p = match options.len() {
                    0 => break,
                    1 => options[0],
                    _ => branches.choose(&options).unwrap(),
                };
                left[p] -= 1;
                schedule.push(p + 1);
            }
            runs.push(schedule);
            if !branches.next_path().unwrap() {
                return runs;
            }
        }
    }

    #[test]
    fn split_shares_cover_every_path_once_in_order() {
        let lens = [2, 2, 1];
        let mut whole = explore(&lens);
        let mut branches = Branches::new();
        let first = {
            let mut one = run_share(&mut Branches::new(), &lens, false);
            one.truncate(1);
            one
        };
        // The first run, by hand, on the branches to split.
        let mut left = lens.to_vec();
        while left.iter().any(|&l| l > 0) {
            let options: Vec<usize> = (0..3).filter(|&p| left[p] > 0).collect();
            let p = if options.len() == 1 {
                options[0]
            } else {
                branches.choose(&options).unwrap()
            };
            left[p] -= 1;
        }
        let mut all = first;
        for (i, mut sub) in branches.split().into_iter().enumerate() {
            all.extend(run_share(&mut sub, &lens, i == 0));
        }
        assert_eq!(all.len(), 30);
        assert_eq!(all, whole);
        whole.dedup();
        assert_eq!(whole.len(), 30);
        assert!(Branches::new().split().is_empty());
    }

    #[test]
    fn a_run_that_goes_differently_is_caught() {
        let mut branches = Branches::new();
        assert_eq!(branches.choose(&[0, 1]), Ok(0));
        assert_eq!(branches.choose(&[0, 1]), Ok(0));
        assert_eq!(branches.next_path(), Ok(true));
        assert_eq!(branches.path()[1].pos, 1);
        // The repeat offers other options at the first point.
        assert_eq!(branches.choose(&[0, 2]), Err(Diverged { depth: 0 }));
        let mut branches = Branches::new();
        branches.choose(&[0, 1]).unwrap();
        branches.choose(&[0, 1]).unwrap();
        branches.next_path().unwrap();
        // The repeat ends before the second point.
        branches.choose(&[0, 1]).unwrap();
        assert_eq!(branches.next_path(), Err(Diverged { depth: 1 }));
    }
}
