//! The `lockstep` binary: the app, the headless CLI, and worker mode.

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, error::ErrorKind};

use lockstep::cli::{Cli, Cmd, ExploreArgs, LockArgs, RunArgs, ScheduleKind};
use lockstep::drive::{Mode, Options};
use lockstep::lesson::{Lang, Lesson};
use lockstep::schedule::Policy;
use lockstep::schedule_file::{self, ScheduleFile};
use lockstep::{cleanup, headless, posix, worker};

fn main() -> ExitCode {
    // Worker mode skips argument parsing: it is started only by lockstep
    // itself, and a lean start keeps each lesson process small and quick.
    let args: Vec<std::ffi::OsString> = std::env::args_os().take(4).collect();
    if args.len() == 4 && args[1] == "__worker" {
        let number = args[3].to_str().and_then(|s| s.parse().ok()).unwrap_or(0);
        let code = worker::main(std::path::Path::new(&args[2]), number);
        return ExitCode::from(code.clamp(0, 255) as u8);
    }
    let cli = Cli::try_parse().unwrap_or_else(|e| parse_failed(e));
    // Ctrl-C, SIGTERM and SIGHUP are taken by one thread that cleans up
    // (workers, semaphores, run directories) before the process exits.
    posix::block_stop_signals();
    std::thread::spawn(|| {
        let sig = posix::wait_stop_signal();
        cleanup::cleanup_all();
        std::process::exit(128 + sig);
    });
    cleanup::sweep_stale();
    match run(cli) {
        Ok(code) => code,
        // A reader that went away (`lockstep run … | head`) is not an error.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("lockstep: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// A bad argument that clap found: its message, always with the usage line
/// of the subcommand (clap leaves it out for a bad value), and exit 2.
fn parse_failed(e: clap::Error) -> ! {
    let text = e.render().to_string();
    if !e.use_stderr() || text.contains("Usage:") {
        e.exit();
    }
    let mut cmd = Cli::command();
    cmd.build();
    let sub = std::env::args().nth(1);
    let usage = match sub.as_deref().and_then(|s| cmd.find_subcommand_mut(s)) {
        Some(sub) => sub.render_usage(),
        None => cmd.render_usage(),
    };
    let (head, tail) = match text.find("\n\nFor more information") {
        Some(i) => text.split_at(i),
        None => (text.trim_end(), "\n"),
    };
    eprint!("{head}\n\n{usage}{tail}");
    if !tail.ends_with('\n') {
        eprintln!();
    }
    std::process::exit(2);
}

/// Print `msg` with the usage of `lockstep SUB` (or the top level) and exit 2.
fn usage_error(sub: Option<&str>, msg: String) -> ! {
    let mut cmd = Cli::command();
    // Building sets each subcommand's full name (`lockstep run`) for its usage line.
    cmd.build();
    match sub.and_then(|s| cmd.find_subcommand_mut(s)) {
        Some(sub) => sub.error(ErrorKind::InvalidValue, msg).exit(),
        None => cmd.error(ErrorKind::InvalidValue, msg).exit(),
    }
}

fn load(name: &str) -> anyhow::Result<Lesson> {
    Ok(Lesson::find(name)?)
}

/// The locks to switch off, checked against the lesson.
fn off_list(lesson: &Lesson, locks: &LockArgs, sub: Option<&str>) -> Vec<String> {
    let names: Vec<String> = lesson.resources().into_iter().map(|r| r.name).collect();
    if locks.unlocked {
        return names;
    }
    for o in &locks.off {
        if !names.contains(o) {
            let known = if names.is_empty() {
                "it has none".to_string()
            } else {
                format!("it has: {}", names.join(", "))
            };
            usage_error(
                sub,
                format!(
                    "--off {o}: lesson `{}` has no lock or semaphore named `{o}` ({known})",
                    lesson.id
                ),
            );
        }
    }
    locks.off.clone()
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let exe = std::env::current_exe()?;
    match cli.command {
        Some(Cmd::List { lang }) => {
            let mut out = std::io::stdout().lock();
            headless::list(lang.unwrap_or_else(Lang::from_env), &mut out)?;
            out.flush()?;
        }
        Some(Cmd::Run(args)) => return run_headless(args, &exe),
        Some(Cmd::Explore(args)) => explore(args, &exe)?,
        Some(Cmd::Bench { steps, rounds }) => lockstep::bench::run(steps, rounds, &exe)?,
        Some(Cmd::Worker { socket, number }) => {
            return Ok(ExitCode::from(
                worker::main(&socket, number).clamp(0, 255) as u8
            ));
        }
        None => {
            let lang = cli.lang.unwrap_or_else(Lang::from_env);
            let lessons = lockstep::lesson::builtins();
            let mut app = lockstep::tui::app::App::new(lessons, lang, exe);
            app.speed = cli.speed;
            app.progress = lockstep::progress::Store::open(lockstep::progress::default_path());
            app.error = app.progress.problem.clone();
            let mut open = None;
            // A saved schedule: given with --replay, or as the lesson itself.
            let replay = match (&cli.replay, &cli.lesson) {
                (Some(file), _) => Some(schedule_file::ScheduleFile::open(file)?),
                (None, Some(name)) => schedule_file::sniff(std::path::Path::new(name))?,
                (None, None) => None,
            };
            if let Some(r) = &replay {
                if cli.locks.unlocked || !cli.locks.off.is_empty() {
                    usage_error(
                        None,
                        "a replayed schedule brings its own locks: drop --unlocked and --off"
                            .into(),
                    );
                }
                if let (Some(name), Some(_)) = (&cli.lesson, &cli.replay)
                    && *name != r.file.lesson
                    && *name != r.lesson.id
                {
                    usage_error(
                        None,
                        format!(
                            "--replay: the schedule is of lesson `{}`, not `{name}`",
                            r.file.lesson
                        ),
                    );
                }
            } else if let Some(name) = &cli.lesson {
                let lesson = load(name)?;
                app.start_off = off_list(&lesson, &cli.locks, None);
                app.start_off_all = cli.locks.unlocked;
                let builtin = app.lessons.iter().position(|l| l.id == *name);
                open = Some(builtin.unwrap_or_else(|| app.add_lesson(lesson, name.clone())));
            }
            if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
                eprintln!(
                    "lockstep: no terminal: the interactive app needs one; use `lockstep run LESSON` (see `lockstep list`)"
                );
                return Ok(ExitCode::from(2));
            }
            let result = lockstep::tui::run(app, open, replay);
            // A pool measurement still running in the background ends here too.
            cleanup::cleanup_all();
            result?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The lesson with `--procs N` applied (a bad N is a usage error).
fn shrink(lesson: Lesson, procs: Option<usize>, sub: &str) -> Lesson {
    match procs {
        Some(n) => lesson
            .with_processes(n)
            .unwrap_or_else(|m| usage_error(Some(sub), format!("--procs {n}: {m}"))),
        None => lesson,
    }
}

fn explore(args: ExploreArgs, exe: &std::path::Path) -> anyhow::Result<()> {
    if lockstep::lesson::builtin(&args.lesson).is_none()
        && schedule_file::is_schedule_file(std::path::Path::new(&args.lesson))
    {
        usage_error(
            Some("explore"),
            format!(
                "{} is a schedule file: explore takes a lesson; replay the schedule with `lockstep run {}`",
                args.lesson, args.lesson
            ),
        );
    }
    let lesson = load(&args.lesson)?;
    if lesson.pool.is_some() {
        usage_error(
            Some("explore"),
            format!(
                "lesson `{}` is a timing lesson: it has no schedules to explore",
                lesson.id
            ),
        );
    }
    if args.random == Some(0) {
        usage_error(Some("explore"), "--random needs at least 1 schedule".into());
    }
    let lesson = shrink(lesson, args.procs, "explore");
    let off = off_list(&lesson, &args.locks, Some("explore"));
    let mut out = std::io::stdout().lock();
    let req = lockstep::explore::command::Request {
        lesson: &lesson,
        name: &args.lesson,
        procs: args.procs,
        off,
        off_chosen: args.locks.unlocked || !args.locks.off.is_empty(),
        random: args.random,
        seed: args
            .seed
            .unwrap_or_else(|| rand::random::<u64>() % 1_000_000),
        reduce: !args.no_reduce,
        threads: args
            .threads
            .map_or_else(lockstep::explore::default_threads, usize::from),
        save: args.save,
        json: args.json,
        lang: args.lang.unwrap_or_else(Lang::from_env),
        exe,
    };
    match lockstep::explore::command::run(req, &mut out) {
        Err(e) if lockstep::explore::command::is_too_large(&e) => {
            usage_error(Some("explore"), e.to_string())
        }
        other => other?,
    }
    out.flush()?;
    Ok(())
}

fn run_headless(args: RunArgs, exe: &std::path::Path) -> anyhow::Result<ExitCode> {
    // A schedule file (told by its content) replays a saved run.
    if lockstep::lesson::builtin(&args.lesson).is_none()
        && let Some(replay) = schedule_file::sniff(std::path::Path::new(&args.lesson))?
    {
        return replay_headless(args, replay, exe);
    }
    let lesson = shrink(load(&args.lesson)?, args.procs, "run");
    if lesson.pool.is_some() && (args.schedule.is_some() || args.steps.is_some()) {
        usage_error(
            Some("run"),
            format!(
                "lesson `{}` is a timing lesson: its processes run by themselves and are measured, so it takes no --schedule or --steps",
                lesson.id
            ),
        );
    }
    let off = off_list(&lesson, &args.locks, Some("run"));
    // Small enough to type again; printed whenever it decided something.
    let seed = args
        .seed
        .unwrap_or_else(|| rand::random::<u64>() % 1_000_000);
    let show_seed = args.seed.is_some()
        || args.schedule == Some(ScheduleKind::Random)
        || lesson.has_random_sleeps();
    if args.save.is_some() && args.schedule.is_none() && args.steps.is_none() {
        usage_error(
            Some("run"),
            "--save needs a schedule: add --schedule round-robin, --schedule random or --steps"
                .into(),
        );
    }
    let mode = match (args.schedule, args.steps) {
        (Some(ScheduleKind::Random), Some(_)) => usage_error(
            Some("run"),
            "--steps and --schedule random cannot be combined".into(),
        ),
        (_, Some(steps)) => {
            let count = lesson.slots().len();
            if let Some(bad) = steps.iter().find(|&&p| p == 0 || p > count) {
                usage_error(
                    Some("run"),
                    format!(
                        "--steps: P{bad} does not exist; lesson `{}` has P1 to P{count}",
                        lesson.id
                    ),
                );
            }
            Mode::Scheduled(Policy::Steps(steps))
        }
        (Some(ScheduleKind::RoundRobin), None) => Mode::Scheduled(Policy::RoundRobin),
        (Some(ScheduleKind::Random), None) => Mode::Scheduled(Policy::Random { seed }),
        (None, None) => Mode::Free,
    };
    let opts = Options {
        off,
        speed: args.speed.unwrap_or(lesson.speed),
        mode,
        seed,
    };
    let save = args.save.map(|path| {
        let name = args.lesson.clone();
        (path, name, args.procs)
    });
    finish_run(&lesson, opts, show_seed, args.json, args.lang, save, exe)
}

/// Run `lesson` headless, print it, and save its schedule if asked.
fn finish_run(
    lesson: &Lesson,
    opts: Options,
    show_seed: bool,
    json: bool,
    lang: Option<Lang>,
    save: Option<(std::path::PathBuf, String, Option<usize>)>,
    exe: &std::path::Path,
) -> anyhow::Result<ExitCode> {
    let (off, seed) = (opts.off.clone(), opts.seed);
    let lang = lang.unwrap_or_else(Lang::from_env);
    let mut out = std::io::stdout().lock();
    let ran = headless::run(
        headless::Request {
            lesson,
            opts,
            json,
            lang,
            exe,
            show_seed,
        },
        &mut out,
    )?;
    if let Some((path, name, procs)) = save {
        ScheduleFile::new(&name, &off, procs, Some(seed), ran.schedule).save(&path)?;
        if !json {
            writeln!(out, "{}", headless::saved_line(lang, &path))?;
        }
        if ran.contended {
            eprintln!("{}", headless::contended_note(lang));
        }
    }
    out.flush()?;
    // A lesson process that stopped with an error: the run did not go through.
    Ok(if ran.failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// `lockstep run FILE.schedule.json`: the saved steps exactly, then round-robin.
fn replay_headless(
    args: RunArgs,
    replay: schedule_file::Replay,
    exe: &std::path::Path,
) -> anyhow::Result<ExitCode> {
    if args.locks.unlocked
        || !args.locks.off.is_empty()
        || args.steps.is_some()
        || args.schedule.is_some()
        || args.procs.is_some()
    {
        usage_error(
            Some("run"),
            format!(
                "{} is a schedule file: it sets the lesson, the locks that are off, the processes and the steps (only --json, --lang, --speed, --seed and --save go with it)",
                args.lesson
            ),
        );
    }
    let file = replay.file;
    let opts = Options {
        off: file.off.clone(),
        speed: args.speed.unwrap_or(replay.lesson.speed),
        mode: Mode::Scheduled(Policy::Steps(file.steps.clone())),
        seed: file
            .seed
            .or(args.seed)
            .unwrap_or_else(|| rand::random::<u64>() % 1_000_000),
    };
    let lang = args.lang.unwrap_or_else(Lang::from_env);
    if !args.json {
        let line = headless::replaying_line(lang, &args.lesson, file.steps.len(), &file.lesson);
        println!("{line}");
    }
    let show_seed = args.seed.is_some() || replay.lesson.has_random_sleeps();
    let save = args
        .save
        .map(|path| (path, file.lesson.clone(), file.procs));
    finish_run(
        &replay.lesson,
        opts,
        show_seed,
        args.json,
        Some(lang),
        save,
        exe,
    )
}
