//! Lessons are data: the JSON format, loading it, and the built-in catalogue.
//!
//! `docs/lesson-format.md` documents every field for lesson authors.

mod catalog;
pub mod ipc;
pub(crate) mod locate;
mod shrink;
pub mod sockets;
mod tree_roles;
mod validate;

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::expr::{Cond, Expr};

pub use catalog::{builtin, builtin_ids, builtins};

/// The most processes one lesson may start (pool tasks are counted apart).
pub const MAX_PROCESSES: usize = 256;

/// Display language of lesson texts and the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// The language `LANG`/`LC_ALL` asks for: Chinese for `zh*`, else English.
    pub fn from_env() -> Lang {
        let pick = |v: &str| v.to_ascii_lowercase().starts_with("zh");
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var)
                && !v.is_empty()
            {
                return if pick(&v) { Lang::Zh } else { Lang::En };
            }
        }
        Lang::En
    }
}

/// A text in English and (optionally) Chinese; English stands in when Chinese is missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub en: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zh: Option<String>,
}

impl From<&str> for Text {
    /// A text that reads the same in both languages.
    fn from(en: &str) -> Text {
        Text {
            en: en.to_string(),
            zh: None,
        }
    }
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match (lang, &self.zh) {
            (Lang::Zh, Some(zh)) => zh,
            _ => &self.en,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueDecl {
    pub name: String,
    pub initial: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockDecl {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SemaphoreDecl {
    pub name: String,
    pub permits: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoomDecl {
    pub name: String,
    /// How many may be inside at once for the lesson to be right (shown against).
    #[serde(default)]
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessDecl {
    pub role: String,
    /// With `started_by`: how many each process of that role may start.
    #[serde(default = "one_u32")]
    pub count: u32,
    /// Not started with the run: a process of this role starts it (`start`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_by: Option<String>,
}

/// A per-process global: every process starts with it; a child gets a copy
/// of its parent's value at `start` (fork semantics).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlobalDecl {
    pub name: String,
    pub initial: i64,
}

/// A local of the (first) process of a role, as the check's measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalRef {
    pub role: String,
    pub name: String,
}

fn one_u32() -> u32 {
    1
}

fn one_f64() -> f64 {
    1.0
}

/// One operation of a program: one step when stepping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    #[serde(flatten)]
    pub op: Op,
    /// The line of the Python listing this operation stands for (1-based).
    #[serde(default)]
    pub line: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Op {
    /// Sleep `ms` milliseconds, or a random time in `ms..=max_ms`.
    Sleep {
        ms: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_ms: Option<u64>,
    },
    /// Read a shared value into a local.
    Read {
        value: String,
        into: String,
    },
    /// Write an expression of locals into a shared value.
    Write {
        value: String,
        expr: Expr,
    },
    /// Set a local to an expression.
    Set {
        local: String,
        expr: Expr,
    },
    Jump {
        to: String,
    },
    JumpIf {
        cond: Cond,
        to: String,
    },
    /// Print a line; `{name}` is replaced by a local or `n`, `pid`, `index`.
    Print {
        text: Text,
        /// Also count this outcome, in the same step as the line: a process
        /// killed there has done both or neither.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        count: Option<String>,
    },
    /// Acquire a lock or a semaphore by name.
    Acquire {
        lock: String,
    },
    Release {
        lock: String,
    },
    Enter {
        room: String,
    },
    Leave {
        room: String,
    },
    /// Count one named outcome, such as `bought`.
    Count {
        outcome: String,
    },
    /// End a pool task with its result (ends a plain program like `exit`).
    Return {
        expr: Expr,
    },
    Exit {
        #[serde(default)]
        code: i32,
    },
    /// Sleep as many milliseconds as an expression says.
    SleepFor {
        expr: Expr,
    },
    /// Start a child process of `role`; the local `as` gets its P-number.
    Start {
        role: String,
        #[serde(rename = "as")]
        handle: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        arg: Option<Expr>,
        #[serde(default)]
        daemon: bool,
    },
    /// Wait for a child (by P-number) to end, and reap it.
    Join {
        proc: Expr,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        timeout_ms: Option<u64>,
    },
    /// SIGTERM to a child.
    Terminate {
        proc: Expr,
    },
    /// 1 if the child still runs, else 0 (reaps it if it ended).
    IsAlive {
        proc: Expr,
        into: String,
    },
    /// The child's exit code (−N for signal N) into a local.
    Exitcode {
        proc: Expr,
        into: String,
    },
    /// Milliseconds of lesson time into a local (real time × speed in a free run).
    Clock {
        into: String,
    },
    /// `event.set()`: wake every waiter; later waits pass at once.
    EventSet {
        event: String,
    },
    /// `event.clear()`.
    EventClear {
        event: String,
    },
    /// `event.wait([timeout])`: block until the event is set; `into` gets 1 if it is set.
    EventWait {
        event: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        timeout_ms: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        into: Option<String>,
    },
    /// `event.is_set()` into a local (1 or 0).
    EventIsSet {
        event: String,
        into: String,
    },
    /// `conn.send(x)`: a number (`expr`) or a text.
    PipeSend {
        end: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expr: Option<Expr>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<Text>,
    },
    /// `x = conn.recv()`; when every copy of the other end is closed: jump to `eof` (EOFError).
    PipeRecv {
        end: String,
        into: String,
        eof: String,
    },
    /// `conn.close()`.
    PipeClose {
        end: String,
    },
    /// `q.put(x)`: a number (`expr`) or a text.
    QueuePut {
        queue: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expr: Option<Expr>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<Text>,
    },
    /// `x = q.get([timeout])`; on a timeout: jump to `empty` (queue.Empty).
    QueueGet {
        queue: String,
        into: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        timeout_ms: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        empty: Option<String>,
    },
    /// `q.task_done()` (JoinableQueue).
    TaskDone {
        queue: String,
    },
    /// `q.join()` (JoinableQueue): block until every item put is done.
    QueueJoin {
        queue: String,
    },
    /// `conn, addr = server.accept()`: block until a client connects; the
    /// connection becomes this process's socket `as`.
    Accept {
        server: String,
        #[serde(rename = "as")]
        sock: String,
    },
    /// `c = socket(); c.connect(address)`: a new connection to the server.
    Connect {
        server: String,
        #[serde(rename = "as")]
        sock: String,
    },
    /// `sock.send(text)` (upper-cased first with `upper`: `msg.upper()`).
    SockSend {
        sock: String,
        text: String,
        #[serde(default)]
        upper: bool,
    },
    /// `msg = sock.recv(1024)`; an empty read (the other side closed): jump to `eof`.
    SockRecv {
        sock: String,
        into: String,
        eof: String,
    },
    /// `sock.close()`.
    SockClose {
        sock: String,
    },
}

impl Op {
    pub fn name(&self) -> &'static str {
        match self {
            Op::Sleep { .. } => "sleep",
            Op::Read { .. } => "read",
            Op::Write { .. } => "write",
            Op::Set { .. } => "set",
            Op::Jump { .. } => "jump",
            Op::JumpIf { .. } => "jump_if",
            Op::Print { .. } => "print",
            Op::Acquire { .. } => "acquire",
            Op::Release { .. } => "release",
            Op::Enter { .. } => "enter",
            Op::Leave { .. } => "leave",
            Op::Count { .. } => "count",
            Op::Return { .. } => "return",
            Op::Exit { .. } => "exit",
            Op::SleepFor { .. } => "sleep_for",
            Op::Start { .. } => "start",
            Op::Join { .. } => "join",
            Op::Terminate { .. } => "terminate",
            Op::IsAlive { .. } => "is_alive",
            Op::Exitcode { .. } => "exitcode",
            Op::Clock { .. } => "clock",
            other => match sockets::op_name(other) {
                "?" => ipc::op_name(other),
                name => name,
            },
        }
    }

    /// A short description for lanes and logs, e.g. `read count → c`.
    pub fn describe(&self) -> String {
        match self {
            Op::Sleep { ms, max_ms: None } => format!("sleep {ms} ms"),
            Op::Sleep {
                ms,
                max_ms: Some(max),
            } => format!("sleep {ms}–{max} ms"),
            Op::Read { value, into } => format!("read {value} → {into}"),
            Op::Write { value, expr } => format!("write {value} ← {expr}"),
            Op::Set { local, expr } => format!("{local} = {expr}"),
            Op::Jump { to } => format!("jump {to}"),
            Op::JumpIf { cond, to } => format!("if {cond}: jump {to}"),
            Op::Print { .. } => "print".to_string(),
            Op::Acquire { lock } => format!("acquire {lock}"),
            Op::Release { lock } => format!("release {lock}"),
            Op::Enter { room } => format!("enter {room}"),
            Op::Leave { room } => format!("leave {room}"),
            Op::Count { outcome } => format!("count {outcome}"),
            Op::Return { expr } => format!("return {expr}"),
            Op::Exit { code } => format!("exit {code}"),
            Op::SleepFor { expr } => format!("sleep {expr} ms"),
            Op::Start {
                role,
                handle,
                daemon,
                ..
            } => {
                let d = if *daemon { " daemon" } else { "" };
                format!("{handle} = start{d} {role}")
            }
            Op::Join { proc, timeout_ms } => match timeout_ms {
                Some(t) => format!("join {proc} ({t} ms)"),
                None => format!("join {proc}"),
            },
            Op::Terminate { proc } => format!("terminate {proc}"),
            Op::IsAlive { proc, into } => format!("{into} = is_alive {proc}"),
            Op::Exitcode { proc, into } => format!("{into} = exitcode {proc}"),
            Op::Clock { into } => format!("{into} = clock"),
            other => sockets::describe(other).unwrap_or_else(|| ipc::describe(other)),
        }
    }
}

/// What decides the verdict: one key quantity against an expected number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    pub measure: Measure,
    pub expect: i64,
    /// How `expect` changes per process added or removed by `--procs`
    /// (e.g. -1: each process takes one from the count).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_per_process: Option<i64>,
    pub rule: Rule,
    /// What the key quantity is called, e.g. "tickets sold".
    pub quantity: Text,
    /// One sentence when the check holds at the end; `{actual}`, `{expected}`,
    /// `{diff}` and `{s}` are filled in (see `state::wording`).
    pub ok: Text,
    /// One sentence when it breaks.
    pub broken: Text,
    /// While the run is under way and the check holds so far (else a generic
    /// "QUANTITY: N so far").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub so_far: Option<Text>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Measure {
    /// How many times an outcome was counted.
    Outcome(String),
    /// How many times an outcome was counted after another was first counted
    /// (the daemon's lines after the main code ended).
    OutcomeAfter(OutcomeAfter),
    /// A shared value at the end of the run.
    FinalValue(String),
    /// The most processes inside a room at the same time.
    MaxInside(String),
    /// How many times faster the pool phase was than one process per task.
    Speedup,
    /// A local of a role's first process at the end (e.g. what the parent sees).
    FinalLocal(LocalRef),
    /// How many processes were zombies: ended while their parent had not joined them.
    Zombies,
    /// How many items of a JoinableQueue were marked done when its `join` returned.
    DoneAtJoin(String),
    /// How many replies clients of a server received that were the text they
    /// had just sent, upper-cased.
    UpperReplies(String),
}

/// `{ "outcome": "daemon_woke", "after": "main_ended" }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeAfter {
    pub outcome: String,
    pub after: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    Equal,
    AtMost,
    AtLeast,
}

impl Rule {
    pub fn holds(self, actual: i64, expected: i64) -> bool {
        match self {
            Rule::Equal => actual == expected,
            Rule::AtMost => actual <= expected,
            Rule::AtLeast => actual >= expected,
        }
    }
}

/// The pool lesson: the same tasks on a pool of workers, then one process each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolDecl {
    pub workers: u32,
    pub tasks: u32,
    /// The program each task runs; its argument is the local `arg`.
    pub program: String,
    /// What to time, in order: the pool's ways of running tasks, and one process per task.
    #[serde(default = "default_pool_phases")]
    pub phases: Vec<PoolPhase>,
}

/// One timed way of running a pool lesson's tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoolPhase {
    /// `pool.apply(f, (n,))` for each task: one at a time, waiting for each result.
    Apply,
    /// `pool.apply_async(f, (n,), callback=cb)` for all, then `get()` each.
    ApplyAsync,
    /// `pool.map(f, range(tasks))`: results in task order.
    Map,
    /// One new `Process` per task, started and joined.
    Processes,
}

impl PoolPhase {
    pub fn name(self) -> &'static str {
        match self {
            PoolPhase::Apply => "apply",
            PoolPhase::ApplyAsync => "apply_async",
            PoolPhase::Map => "map",
            PoolPhase::Processes => "processes",
        }
    }

    /// Runs on the pool's workers (all but `processes`).
    pub fn on_pool(self) -> bool {
        self != PoolPhase::Processes
    }
}

fn default_pool_phases() -> Vec<PoolPhase> {
    vec![PoolPhase::Map, PoolPhase::Processes]
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    pub id: String,
    pub title: Text,
    /// One line for the lesson list.
    pub summary: Text,
    pub story: Text,
    /// What to try: a hint for the learner.
    #[serde(default, rename = "try", skip_serializing_if = "Option::is_none")]
    pub try_this: Option<Text>,
    /// The Python listing, one string per line. Built-in lessons take theirs from `assets/lessons/`.
    #[serde(default)]
    pub listing: Vec<String>,
    /// Default speed factor of a free run: sleeps last `ms / speed`.
    #[serde(default = "one_f64")]
    pub speed: f64,
    #[serde(default)]
    pub values: Vec<ValueDecl>,
    #[serde(default)]
    pub locks: Vec<LockDecl>,
    #[serde(default)]
    pub semaphores: Vec<SemaphoreDecl>,
    #[serde(default)]
    pub rooms: Vec<RoomDecl>,
    #[serde(default)]
    pub globals: Vec<GlobalDecl>,
    #[serde(default)]
    pub processes: Vec<ProcessDecl>,
    pub programs: BTreeMap<String, Vec<Step>>,
    pub check: Check,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<PoolDecl>,
    /// `multiprocessing.Event`s.
    #[serde(default)]
    pub events: Vec<ipc::EventDecl>,
    /// `multiprocessing.Pipe()`s: two connected ends each.
    #[serde(default)]
    pub pipes: Vec<ipc::PipeDecl>,
    /// `multiprocessing.Queue`s and `JoinableQueue`s.
    #[serde(default)]
    pub queues: Vec<ipc::QueueDecl>,
    /// TCP servers listening on 127.0.0.1 (a port the kernel picks).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub servers: Vec<sockets::ServerDecl>,
    /// Challenges: goals with a win condition and hints.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<crate::challenge::Goal>,
}

/// Where a lesson came from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Builtin(String),
    File(String),
}

#[derive(Debug, thiserror::Error)]
pub enum LessonError {
    #[error("failed to read lesson file {file}: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
    #[error("failed to load lesson: {file}:{line}:{column}: {message}")]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("failed to load lesson: {file}:{line}:{column}: field `{field}`: {message}")]
    Invalid {
        file: String,
        line: usize,
        column: usize,
        field: String,
        message: String,
    },
    #[error(
        "failed to find lesson `{0}`: no built-in lesson has that id and no such file exists (see `lockstep list`)"
    )]
    Unknown(String),
    #[error(
        "failed to read lesson `{0}`: it is a directory, not a lesson file (see `lockstep list`)"
    )]
    Directory(String),
}

/// A lock or a semaphore: both are counting semaphores underneath.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub name: String,
    pub permits: u32,
    pub is_lock: bool,
}

/// One process of a run, numbered from 1 as the app shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessSlot {
    pub number: usize,
    pub role: String,
    /// 0-based index among the processes of the same role (Python's `range` index).
    pub index: usize,
    /// The P-number of the process that starts it; `None`: started with the run.
    pub parent: Option<usize>,
}

impl Lesson {
    /// Parse and validate a lesson from JSON text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Lesson, LessonError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let mut lesson: Lesson = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let inner = e.inner();
            let field = e.path().to_string();
            let message = strip_position(&inner.to_string());
            if field.is_empty() || field == "." || inner.is_syntax() || inner.is_eof() {
                LessonError::Syntax {
                    file: file.to_string(),
                    line: inner.line(),
                    column: inner.column(),
                    message,
                }
            } else {
                LessonError::Invalid {
                    file: file.to_string(),
                    line: inner.line(),
                    column: inner.column(),
                    field,
                    message,
                }
            }
        })?;
        if let Err((path, message)) = validate::check(&lesson) {
            let (line, column) = locate::position(text, &path).unwrap_or((1, 1));
            return Err(LessonError::Invalid {
                file: file.to_string(),
                line,
                column,
                field: locate::display(&path),
                message,
            });
        }
        lesson.speed = lesson.speed.clamp(0.01, 1000.0);
        Ok(lesson)
    }

    /// A built-in lesson by id, or a lesson file by path.
    pub fn find(name: &str) -> Result<Lesson, LessonError> {
        if let Some(lesson) = builtin(name) {
            return Ok(lesson);
        }
        let path = Path::new(name);
        if path.is_file() {
            let text = std::fs::read_to_string(path).map_err(|source| LessonError::Io {
                file: name.to_string(),
                source,
            })?;
            return Lesson::parse(&text, name);
        }
        if path.is_dir() {
            return Err(LessonError::Directory(name.to_string()));
        }
        Err(LessonError::Unknown(name.to_string()))
    }

    /// Some `sleep` has a random length (`max_ms`): the seed decides it.
    pub fn has_random_sleeps(&self) -> bool {
        self.programs.values().flatten().any(|s| {
            matches!(
                s.op,
                Op::Sleep {
                    max_ms: Some(_),
                    ..
                }
            )
        })
    }

    /// Every lock and semaphore, locks first, in declaration order.
    pub fn resources(&self) -> Vec<Resource> {
        let locks = self.locks.iter().map(|l| Resource {
            name: l.name.clone(),
            permits: 1,
            is_lock: true,
        });
        let sems = self.semaphores.iter().map(|s| Resource {
            name: s.name.clone(),
            permits: s.permits,
            is_lock: false,
        });
        locks.chain(sems).collect()
    }

    /// The processes of a run in the order they are numbered (P1, P2, …).
    /// A role with `started_by` gets `count` slots per process of that role.
    pub fn slots(&self) -> Vec<ProcessSlot> {
        let mut out: Vec<ProcessSlot> = Vec::new();
        for decl in &self.processes {
            let parents: Vec<Option<usize>> = match &decl.started_by {
                None => vec![None],
                Some(by) => out
                    .iter()
                    .filter(|s| s.role == *by)
                    .map(|s| Some(s.number))
                    .collect(),
            };
            let mut index = out.iter().filter(|s| s.role == decl.role).count();
            for parent in parents {
                for _ in 0..decl.count {
                    out.push(ProcessSlot {
                        number: out.len() + 1,
                        role: decl.role.clone(),
                        index,
                        parent,
                    });
                    index += 1;
                }
            }
        }
        out
    }

    pub fn program(&self, role: &str) -> &[Step] {
        self.programs.get(role).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// serde_json appends " at line L column C"; we print the position ourselves.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Fill `{name}` placeholders of a template; `lookup` gives each name's text.
pub fn fill(template: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 8);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match lookup(name) {
                    Some(v) => out.push_str(&v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholder names a template uses, or an error for an unclosed `{`.
pub fn placeholders(template: &str) -> Result<Vec<&str>, String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("`{{` without a closing `}}` in \"{template}\""))?;
        out.push(&after[..close]);
        rest = &after[close + 1..];
    }
    Ok(out)
}
