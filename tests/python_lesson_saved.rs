//! A lesson's run under CPython (`--python`) saved as a schedule file and
//! replayed: `lockstep run LESSON --python … --save FILE` and the app's `s`
//! write the program's steps with `python` naming the listing's language;
//! `lockstep run FILE` and the app replay it under CPython with the same
//! output and values. A file of the built-in engine loads as before; a bad
//! one is told with its field, and exits 2.

mod common;

use std::time::{Duration, Instant};

use common::tmux::{Opts, Tui};
use common::{Finished, Sandbox};
use serde_json::{Value, json};

/// The schedule file at `path`, as JSON.
fn read_file(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path).expect("the saved file");
    serde_json::from_str(&text).expect("a JSON schedule file")
}

/// What a replay must give again: the values, the verdicts, the schedule,
/// each process's name and ending, and the printed lines (each process's
/// pid, which differs from run to run, written `PID`).
fn outcome(done: &Finished) -> Value {
    let s = done.summary();
    let pid_of = |p: u64| s["processes"][p as usize - 1]["pid"].to_string();
    let output: Vec<Value> = s["output"]
        .as_array()
        .expect("an output list")
        .iter()
        .map(|line| {
            let p = line["p"].as_u64().expect("a P-number");
            let text = line["text"].as_str().expect("a text");
            json!([p, text.replace(&pid_of(p), "PID")])
        })
        .collect();
    let processes: Vec<Value> = s["processes"]
        .as_array()
        .expect("a process list")
        .iter()
        .map(|p| json!([p["name"], p["exit_code"], p["signal"], p["at"]]))
        .collect();
    json!({
        "values": s["values"],
        "expect": s["expect"],
        "ok": s["ok"],
        "off": s["off"],
        "timing": s["timing"],
        "schedule": s["schedule"],
        "deadlock": s["deadlock"],
        "output": output,
        "processes": processes,
    })
}

/// `lockstep ARGS`: no panic, every process ended.
fn run(sb: &Sandbox, args: &[&str]) -> Finished {
    let done = sb.run(args);
    done.assert_no_panic();
    common::all_ended(&done.summary());
    done
}

#[test]
fn a_lesson_run_under_cpython_saved_headless_replays_the_same() {
    let sb = Sandbox::new();
    let file = sb.path().join("lost.schedule.json");
    let f = file.to_str().unwrap();
    // Unlocked, the lesson's steps lose updates: the count ends above 80.
    let args = ["--unlocked", "--steps", "1,2,1,2,1,2", "--save", f];
    let mut first = vec!["run", "counter", "--python", "--json"];
    first.extend_from_slice(&args);
    let saved = run(&sb, &first);
    assert_eq!(saved.code(), Some(1), "the check fails: {}", saved.stderr);
    let want = outcome(&saved);
    assert_ne!(want["values"]["shared['count']"], json!(80), "{want}");

    let written = read_file(&file);
    assert_eq!(written["lesson"], "counter", "{written}");
    assert_eq!(written["python"], json!({"listing": "en"}), "{written}");
    assert_eq!(written["off"], json!(["*"]), "{written}");
    assert_eq!(written["timing"], "any", "{written}");
    assert_eq!(written["steps"], saved.summary()["schedule"], "{written}");

    for _ in 0..2 {
        let replayed = run(&sb, &["run", f, "--json"]);
        assert_eq!(replayed.code(), Some(1), "{}", replayed.stderr);
        assert_eq!(outcome(&replayed), want, "the replay differs");
    }
    let text = sb.run(&["run", f]);
    text.assert_no_panic();
    let first_line = text.stdout.lines().next().unwrap_or_default();
    assert!(
        first_line.contains("steps of lesson counter --python"),
        "{}",
        text.stdout
    );

    // Saved again from the replay, the file says the same.
    let again = sb.path().join("again.schedule.json");
    run(
        &sb,
        &["run", f, "--json", "--save", again.to_str().unwrap()],
    );
    assert_eq!(read_file(&again), written);
}

#[test]
fn a_chinese_listing_saved_replays_in_chinese() {
    let sb = Sandbox::new();
    let file = sb.path().join("zh.schedule.json");
    let f = file.to_str().unwrap();
    let saved = run(
        &sb,
        &[
            "run",
            "ticket",
            "--python",
            "--lang",
            "zh",
            "--schedule",
            "round-robin",
            "--save",
            f,
            "--json",
        ],
    );
    saved.assert_success();
    assert_eq!(read_file(&file)["python"], json!({"listing": "zh"}));
    let want = outcome(&saved);
    // Replayed with English words around it, the program is still the
    // Chinese listing: its lines and its expectation.
    let replayed = run(&sb, &["run", f, "--lang", "en", "--json"]);
    replayed.assert_success();
    let got = outcome(&replayed);
    assert_eq!(got, want);
    assert!(
        got["expect"][0]["expect"]
            .as_str()
            .is_some_and(|e| e.contains("买到了一张票")),
        "{got}"
    );
    assert!(got["output"].to_string().contains("查到还"), "{got}");
}

#[test]
fn a_file_saved_on_the_built_in_engine_loads_as_before() {
    let sb = Sandbox::new();
    let file = sb.path().join("builtin.schedule.json");
    let f = file.to_str().unwrap();
    run(
        &sb,
        &["run", "counter", "--steps", "1,2", "--save", f, "--json"],
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains("python"), "{text}");
    let replayed = run(&sb, &["run", f, "--json"]);
    replayed.assert_success();
    let s = replayed.summary();
    // The built-in engine's summary: a lesson, not a program.
    assert_eq!(s["lesson"], "counter", "{s}");
    assert!(s.get("program").is_none(), "{s}");
    assert_eq!(s["schedule"].as_array().unwrap()[..2], [json!(1), json!(2)]);
}

#[test]
fn a_bad_python_schedule_file_is_told_with_its_field_and_exits_2() {
    let sb = Sandbox::new();
    let file = sb.path().join("bad.json");
    let f = file.to_str().unwrap();
    let head = r#"{"lockstep_schedule": 2, "steps": [1], "python": {"listing": "en"}, "#;
    let cases = [
        (
            r#""lesson": "chat"}"#,
            "field `python`: lesson `chat` cannot run under Python",
        ),
        (
            r#""lesson": "mine.py"}"#,
            "field `python`: `mine.py` is a program",
        ),
        (
            r#""lesson": "counter", "procs": 3}"#,
            "field `procs`: a lesson's real program starts the processes",
        ),
        (
            r#""lesson": "counter", "off": ["mutex"]}"#,
            "field `off[0]`: lesson `counter` has no lock or semaphore named `mutex`",
        ),
    ];
    for (tail, says) in cases {
        std::fs::write(&file, format!("{head}{tail}")).unwrap();
        for args in [vec!["run", f], vec![f]] {
            let done = sb.run(&args);
            done.assert_no_panic();
            assert_eq!(done.code(), Some(2), "{tail}: {}", done.stderr);
            assert!(
                done.stderr.contains(&format!("{f}:1:")) && done.stderr.contains(says),
                "{tail}\nwanted: {says}\ngot: {}",
                done.stderr
            );
            assert!(done.stdout.is_empty(), "{}", done.stdout);
        }
    }
    // SIGTERMs sent from the app to a program's processes replay only there.
    std::fs::write(
        &file,
        format!(r#"{head}"lesson": "counter", "sigterms": [{{"after_step": 1, "proc": 1}}]}}"#),
    )
    .unwrap();
    let done = sb.run(&["run", f]);
    assert_eq!(done.code(), Some(2), "{}", done.stderr);
    assert!(
        done.stderr.contains("only the app replays those"),
        "{}",
        done.stderr
    );
    // The file decides the run: no options that would choose another.
    std::fs::write(&file, format!(r#"{head}"lesson": "counter"}}"#)).unwrap();
    for extra in ["--steps", "--python"] {
        let mut args = vec!["run", f, extra];
        if extra == "--steps" {
            args.push("1");
        }
        let done = sb.run(&args);
        assert_eq!(done.code(), Some(2), "{extra}: {}", done.stderr);
        assert!(
            done.stderr.contains("is a schedule file"),
            "{extra}: {}",
            done.stderr
        );
    }
    let done = sb.run(&[f, "--python"]);
    assert_eq!(done.code(), Some(2), "{}", done.stderr);
    assert!(done.stderr.contains("drop --python"), "{}", done.stderr);
    assert!(sb.run_dirs().is_empty(), "{:?}", sb.run_dirs());
}

/// Press `n` until the header counts `n` steps, in English or Chinese
/// (again only if the step did not come within a while: a key pressed
/// while the run settles moves nothing).
fn step_to(tui: &Tui, n: usize) {
    let (en, zh) = (format!("· {n} step"), format!("· {n} 步"));
    let deadline = Instant::now() + Duration::from_secs(40);
    loop {
        tui.keys(&["n"]);
        let retry = Instant::now() + Duration::from_secs(10);
        while Instant::now() < retry {
            let screen = tui.screen();
            if screen.contains(&en) || screen.contains(&zh) {
                return;
            }
            std::thread::sleep(common::tmux::POLL);
        }
        assert!(Instant::now() < deadline, "no step {n}:\n{}", tui.screen());
    }
}

/// The one schedule file the app saved in its directory.
fn saved_in(dir: &std::path::Path) -> std::path::PathBuf {
    let found: Vec<_> = std::fs::read_dir(dir)
        .expect("the app's directory")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".schedule.json"))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].clone()
}

#[test]
fn the_app_saves_a_lesson_run_under_cpython_and_the_file_replays() {
    let tui = Tui::start_with(Opts {
        args: &["counter", "--python"],
        width: 80,
        height: 24,
        ..Opts::default()
    });
    tui.wait_text("CPython");
    for n in 1..=6 {
        step_to(&tui, n);
    }
    tui.keys(&["s"]);
    let screen = tui.wait_text("schedule saved to");
    assert!(!screen.contains("cannot be saved"), "{screen}");
    let app = tui.app_pid();
    tui.quit();
    tui.assert_nothing_left(app);

    let file = saved_in(tui.dir());
    let written = read_file(&file);
    assert_eq!(written["lesson"], "counter", "{written}");
    assert_eq!(written["python"], json!({"listing": "en"}), "{written}");
    let steps = written["steps"].as_array().expect("steps").clone();
    assert_eq!(steps.len(), 6, "{written}");

    // Headless, the replay takes those steps, then goes on to the end.
    let sb = Sandbox::new();
    let f = file.to_str().unwrap();
    let replayed = run(&sb, &["run", f, "--json"]);
    replayed.assert_success();
    let s = replayed.summary();
    assert_eq!(s["schedule"].as_array().unwrap()[..6], steps[..], "{s}");
    assert_eq!(s["values"]["shared['count']"], json!(80), "{s}");

    // And the app opens it on the program, every step taken again.
    let again = Tui::start_with(Opts {
        args: &[f],
        width: 120,
        height: 40,
        ..Opts::default()
    });
    let screen = again.wait_text("replayed all 6 steps");
    assert!(screen.contains("CPython"), "{screen}");
    assert!(screen.contains("6 steps"), "{screen}");
    let app = again.app_pid();
    again.quit();
    again.assert_nothing_left(app);
}

#[test]
fn the_app_saves_the_listing_its_program_was_made_from() {
    let tui = Tui::start_with(Opts {
        args: &["ticket", "--python"],
        env: &[("LANG", "zh_CN.UTF-8")],
        width: 120,
        height: 40,
        ..Opts::default()
    });
    tui.wait_text("CPython");
    for n in 1..=3 {
        step_to(&tui, n);
    }
    // The words switch to English; the program shown stays the Chinese one.
    tui.keys(&["L"]);
    tui.wait_text("any timing");
    tui.keys(&["s"]);
    tui.wait_text("schedule saved to");
    let app = tui.app_pid();
    tui.quit();
    tui.assert_nothing_left(app);

    let file = saved_in(tui.dir());
    assert_eq!(read_file(&file)["python"], json!({"listing": "zh"}));
    let sb = Sandbox::new();
    let replayed = run(&sb, &["run", file.to_str().unwrap(), "--json"]);
    replayed.assert_success();
    let got = outcome(&replayed);
    assert!(got["output"].to_string().contains("查到还"), "{got}");
}
