//! The command line's arguments, as clap reads them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::lesson::Lang;

#[derive(Debug, Parser)]
#[command(
    name = "lockstep",
    version,
    about = "Learn multi-process programming: lessons run as real OS processes, drawn live",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Cmd>,
    /// Lesson id (see `lockstep list`) or path to a lesson file to open
    pub lesson: Option<String>,
    #[command(flatten)]
    pub locks: LockArgs,
    /// Speed factor of a free run: sleeps last ms / SPEED (default: the lesson's)
    #[arg(long, value_parser = parse_speed, allow_hyphen_values = true)]
    pub speed: Option<f64>,
    /// Language of lesson texts and the interface (default: from LANG)
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Open a saved schedule (FILE.schedule.json): take all its steps, then step on
    #[arg(long, value_name = "FILE")]
    pub replay: Option<PathBuf>,
    /// Timing model when stepping (default: the lesson's; `w` switches it)
    #[arg(long, value_enum)]
    pub timing: Option<TimingArg>,
    /// Run the lesson's listing as a real Python program (python3 on the PATH)
    #[arg(long)]
    pub python: bool,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// List the lessons
    List {
        #[arg(long, value_enum)]
        lang: Option<Lang>,
    },
    /// Run a lesson without the interface and print what happened
    Run(RunArgs),
    /// Run a lesson under every schedule (or many random ones): how many go wrong?
    Explore(ExploreArgs),
    /// Print a completion script: `source <(lockstep completions bash)`
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `lockstep man > lockstep.1`
    Man,
    /// Internal: run one lesson process (started by lockstep itself)
    #[command(name = "__worker", hide = true)]
    Worker { socket: PathBuf, number: usize },
    /// Measure step latency, the pool lesson and worker memory
    #[command(hide = true)]
    Bench {
        /// Step round trips to time
        #[arg(long, default_value_t = 2000)]
        steps: usize,
        /// Repetitions of the pool lesson
        #[arg(long, default_value_t = 5)]
        rounds: usize,
    },
}

#[derive(Debug, Args, Clone, Default)]
pub struct LockArgs {
    /// Switch every lock and semaphore off for the run
    #[arg(long)]
    pub unlocked: bool,
    /// Switch off one lock or semaphore (repeatable)
    #[arg(long = "off", value_name = "NAME")]
    pub off: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScheduleKind {
    /// P1..Pn each take one operation in turn, skipping blocked and finished ones
    RoundRobin,
    /// A uniformly random runnable process moves at each step (see --seed)
    Random,
}

/// `--timing`: how a schedule treats the lesson's sleeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TimingArg {
    /// A virtual clock: a sleeping process cannot move before its sleep ends
    AsWritten,
    /// Sleeps take no time: any order the OS could produce
    Any,
}

impl From<TimingArg> for crate::lesson::Timing {
    fn from(t: TimingArg) -> Self {
        match t {
            TimingArg::AsWritten => crate::lesson::Timing::AsWritten,
            TimingArg::Any => crate::lesson::Timing::Any,
        }
    }
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Lesson id (see `lockstep list`) or path to a lesson file
    pub lesson: String,
    #[command(flatten)]
    pub locks: LockArgs,
    /// Speed factor of a free run: sleeps last ms / SPEED (default: the lesson's)
    #[arg(long, value_parser = parse_speed, allow_hyphen_values = true)]
    pub speed: Option<f64>,
    /// Step one operation at a time in this order instead of a free run
    #[arg(long, value_enum)]
    pub schedule: Option<ScheduleKind>,
    /// Seed of the random schedule and of random sleep lengths
    #[arg(long)]
    pub seed: Option<u64>,
    /// Explicit schedule: process numbers, e.g. 1,2,2,1 (then round-robin)
    #[arg(long, value_delimiter = ',', value_name = "P,P,…")]
    pub steps: Option<Vec<usize>>,
    /// Timing model of a schedule (default: the lesson's)
    #[arg(long, value_enum)]
    pub timing: Option<TimingArg>,
    /// One JSON object per event, then a summary object
    #[arg(long)]
    pub json: bool,
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Shrink the lesson to N processes
    #[arg(long, value_name = "N")]
    pub procs: Option<usize>,
    /// Write the run's schedule to FILE (replay it with `lockstep run FILE`)
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
    /// PROGRAM.py: the Python interpreter to run it with (default: python3 on the PATH)
    #[arg(long, value_name = "PATH")]
    pub interpreter: Option<PathBuf>,
    /// PROGRAM.py: what should hold at the end, e.g. 'counter.value == 80' (repeatable)
    #[arg(long, value_name = "EXPR")]
    pub expect: Vec<String>,
    /// Run the lesson's listing as a real Python program instead of the built-in
    /// engine; --steps and --schedule are the lesson's, its locks and shared
    /// values taken in the same order by the program's processes
    #[arg(long)]
    pub python: bool,
}

#[derive(Debug, Args)]
pub struct ExploreArgs {
    /// Lesson id (see `lockstep list`) or path to a lesson file
    pub lesson: String,
    #[command(flatten)]
    pub locks: LockArgs,
    /// Shrink the lesson to N processes so that every schedule can be run
    #[arg(long, value_name = "N")]
    pub procs: Option<usize>,
    /// Run N random schedules instead of every one (with and without the lock)
    #[arg(long, value_name = "N")]
    pub random: Option<usize>,
    /// Seed of the random schedules and of random sleep lengths (default:
    /// a new one with --random, else 0, so every search sees the same sleeps)
    #[arg(long)]
    pub seed: Option<u64>,
    /// Run every schedule, not one per class: interleave every step, also
    /// those that touch nothing shared (the reference for the reduction)
    #[arg(long)]
    pub no_reduce: bool,
    /// Reduce only by taking steps that touch nothing shared at once (the
    /// search before partial-order reduction, for comparison)
    #[arg(long, conflicts_with = "no_reduce")]
    pub no_dpor: bool,
    /// A bounded search: only schedules that switch away from a process
    /// that could go on at most N times (preemptions)
    #[arg(long, value_name = "N", conflicts_with_all = ["no_reduce", "no_dpor", "random"])]
    pub preemptions: Option<usize>,
    /// Explore under one timing model only (default: both, told apart where they differ)
    #[arg(long, value_enum)]
    pub timing: Option<TimingArg>,
    /// Write the shortest bad schedule to FILE
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
    /// Schedules to run at the same time (default: one per core)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub threads: Option<u16>,
    /// One JSON summary object
    #[arg(long)]
    pub json: bool,
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// PROGRAM.py: the Python interpreter to run it with (default: python3 on the PATH)
    #[arg(long, value_name = "PATH")]
    pub interpreter: Option<PathBuf>,
    /// PROGRAM.py: what should hold at the end, e.g. 'counter.value == 80' (repeatable)
    #[arg(long, value_name = "EXPR")]
    pub expect: Vec<String>,
    /// Run the lesson's listing as a real Python program instead of the built-in engine
    #[arg(long)]
    pub python: bool,
}

fn parse_speed(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if v.is_finite() && v > 0.0 && v <= 1000.0 {
        Ok(v)
    } else {
        Err("speed must be above 0 and at most 1000".into())
    }
}
