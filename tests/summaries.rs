//! What `lockstep run` tells at the end, checked on the real binary: the
//! README's first race, the summary in Chinese, seeds that can be repeated,
//! lesson processes that fail or never end, grouped deadlocks, and the
//! usage line on every bad argument.

mod common;

use common::{Sandbox, int};

/// Write a lesson file whose processes run `programs` (a JSON object of
/// role → operations) with `processes` (a JSON array), measuring outcome `x`.
fn lesson_file(sb: &Sandbox, name: &str, processes: &str, programs: &str) -> String {
    let text = format!(
        r#"{{
  "id": "{name}",
  "title": {{ "en": "T" }},
  "summary": {{ "en": "S" }},
  "story": {{ "en": "A lesson for tests." }},
  "locks": [{{ "name": "m" }}],
  "processes": {processes},
  "programs": {programs},
  "check": {{
    "measure": {{ "outcome": "x" }},
    "expect": 0,
    "rule": "at_least",
    "quantity": {{ "en": "x counted" }},
    "ok": {{ "en": "x counted {{actual}} time{{s}}" }},
    "broken": {{ "en": "x never counted" }}
  }}
}}"#
    );
    let path = sb.path().join(format!("{name}.json"));
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn the_readme_first_race_ends_at_98_with_18_updates_lost() {
    // README, "Your first race": `l`, then 1 1 2 2 1 1 2 2, then `n` to the end.
    let sb = Sandbox::new();
    let (_, s) = sb.run_json(&[
        "run",
        "counter",
        "--unlocked",
        "--steps",
        "1,1,2,2,1,1,2,2",
        "--json",
    ]);
    assert_eq!(s["actual"], 98, "{s}");
    assert_eq!(s["lost_updates"], 18, "{s}");
    assert_eq!(s["broken_at_step"], 8, "{s}");
    assert_eq!(s["verdict"], "count is 98, expected 80: 18 updates lost");
    let readme = include_str!("../README.md")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        readme.contains("*count is 98, expected 80: 18 updates lost*"),
        "the README tells another ending"
    );
}

#[test]
fn the_summary_is_english_or_chinese_throughout() {
    let sb = Sandbox::new();
    let args = ["run", "counter", "--unlocked", "--schedule", "round-robin"];
    let en = sb.run(&args);
    en.assert_success();
    for line in [
        "mode round-robin · off: lock · 120 steps · ",
        "final count: 99 (expected exactly 80)",
        "verdict: BROKEN: count is 99, expected 80: 19 updates lost (first broken at step ",
        "processes: all 20 exited with code 0",
        "schedule: 1,2,3,",
    ] {
        assert!(en.stdout.contains(line), "{line:?} missing:\n{}", en.stdout);
    }

    let mut zh_args = args.to_vec();
    zh_args.extend(["--lang", "zh"]);
    let zh = sb.run(&zh_args);
    zh.assert_success();
    // The same in Chinese when it comes from LANG.
    let from_env = sb
        .command(&args)
        .env("LANG", "zh_CN.UTF-8")
        .output()
        .unwrap();
    let from_env = String::from_utf8_lossy(&from_env.stdout).into_owned();
    for out in [&zh.stdout, &from_env] {
        let summary = out.split("── counter").nth(1).expect("a summary");
        for line in [
            "模式 轮转（round-robin） · 关闭：lock · 120 步 · ",
            "最终计数：99（预期等于 80）",
            "结论：出错（BROKEN）：计数为 99，应为 80：丢失了 19 次更新（第 ",
            "进程：全部 20 个以退出码 0 退出",
            "调度：1,2,3,",
        ] {
            assert!(summary.contains(line), "{line:?} missing:\n{summary}");
        }
        for english in [
            "mode ",
            "expected",
            "verdict",
            "processes:",
            "schedule:",
            "steps",
        ] {
            assert!(!summary.contains(english), "{english:?} in:\n{summary}");
        }
    }
}

#[test]
fn a_refused_step_is_told_in_the_chosen_language() {
    let sb = Sandbox::new();
    let en = sb.run(&["run", "counter", "--steps", "1,2,2"]);
    assert_eq!(en.code(), Some(1), "{}", en.stderr);
    assert!(
        en.stderr.contains(
            "failed to follow the schedule: step 3: P2 cannot move (P2 waits for lock, held by P1)"
        ),
        "{}",
        en.stderr
    );
    let zh = sb.run(&["run", "counter", "--steps", "1,2,2", "--lang", "zh"]);
    assert_eq!(zh.code(), Some(1), "{}", zh.stderr);
    assert!(
        zh.stderr
            .contains("无法按调度运行：第 3 步：P2 不能移动（P2 在等 lock，持有者：P1）"),
        "{}",
        zh.stderr
    );
}

#[test]
fn the_pool_summary_in_chinese() {
    let sb = Sandbox::new();
    let done = sb.run(&["run", "pool", "--lang", "zh"]);
    done.assert_success();
    let summary = done.stdout.split("── pool").nth(1).expect("a summary");
    for part in [
        "4 个工作进程",
        "Pool(4) 用 ",
        "100 个独立进程用了 ",
        "\n结论：",
    ] {
        assert!(summary.contains(part), "{part:?} missing:\n{summary}");
    }
    for english in [
        "pool of", " ran ", "separate", "verdict", "tasks", "BROKEN:", "OK:",
    ] {
        assert!(!summary.contains(english), "{english:?} in:\n{summary}");
    }
    assert!(!done.stdout.contains("pool worker pid"), "{}", done.stdout);
}

#[test]
fn a_random_schedule_reports_its_seed_and_the_seed_repeats_it() {
    let sb = Sandbox::new();
    let first = sb.run(&["run", "counter", "--unlocked", "--schedule", "random"]);
    first.assert_success();
    let seed: String = first
        .stdout
        .split(" · seed ")
        .nth(1)
        .expect("the seed in the summary")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let schedule = |out: &str| {
        out.lines()
            .find(|l| l.starts_with("schedule: "))
            .unwrap()
            .to_string()
    };
    let again = sb.run(&[
        "run",
        "counter",
        "--unlocked",
        "--schedule",
        "random",
        "--seed",
        &seed,
    ]);
    again.assert_success();
    assert_eq!(schedule(&first.stdout), schedule(&again.stdout));
    let (_, s) = sb.run_json(&[
        "run",
        "counter",
        "--unlocked",
        "--schedule",
        "random",
        "--seed",
        &seed,
        "--json",
    ]);
    assert_eq!(s["seed"].to_string(), seed);
    // A lesson without random sleeps under round-robin: the seed decides nothing.
    let rr = sb.run(&["run", "counter", "--schedule", "round-robin"]);
    assert!(!rr.stdout.contains("seed"), "{}", rr.stdout);
}

#[test]
fn releasing_a_free_lock_is_pythons_value_error() {
    let sb = Sandbox::new();
    let file = lesson_file(
        &sb,
        "release_first",
        r#"[{ "role": "w", "count": 2 }]"#,
        r#"{ "w": [
            { "op": "release", "lock": "m" },
            { "op": "acquire", "lock": "m" },
            { "op": "count", "outcome": "x" },
            { "op": "release", "lock": "m" } ] }"#,
    );
    let done = sb.run(&["run", &file, "--schedule", "round-robin"]);
    done.assert_no_panic();
    assert_eq!(done.code(), Some(1), "{}", done.stdout);
    assert!(
        done.stdout
            .contains("P1 error: release m: ValueError: semaphore or lock released too many times"),
        "{}",
        done.stdout
    );
    assert!(
        done.stdout
            .contains("verdict: BROKEN: P1, P2 stopped with errors, first P1: "),
        "{}",
        done.stdout
    );
    let done = sb.run(&["run", &file, "--schedule", "round-robin", "--json"]);
    let s = done.summary();
    assert_eq!(s["ok"], false, "{s}");
    assert_eq!(s["errors"].as_array().unwrap().len(), 2, "{s}");
    // Nobody got in: the semaphore never went above 1.
    assert_eq!(s["outcomes"]["x"], serde_json::Value::Null, "{s}");
    for p in s["processes"].as_array().unwrap() {
        assert_eq!(p["exit_code"], 1, "{p}");
    }
}

#[test]
fn a_process_error_is_in_the_verdict_and_the_exit_status() {
    let sb = Sandbox::new();
    let file = lesson_file(
        &sb,
        "divide",
        r#"[{ "role": "w", "count": 2 }]"#,
        r#"{ "w": [
            { "op": "set", "local": "z", "expr": "index" },
            { "op": "set", "local": "y", "expr": "1 / z" },
            { "op": "count", "outcome": "x" } ] }"#,
    );
    for args in [
        &["run", file.as_str()][..],
        &["run", file.as_str(), "--schedule", "round-robin"],
    ] {
        let done = sb.run(args);
        done.assert_no_panic();
        assert_eq!(done.code(), Some(1), "{args:?}: {}", done.stdout);
        assert!(
            done.stdout.contains(
                "verdict: BROKEN: P1 stopped with an error: 1 / z: division by zero (the check: x counted 1 time)"
            ),
            "{}",
            done.stdout
        );
    }
    let done = sb.run(&["run", &file, "--json", "--lang", "zh"]);
    assert_eq!(done.code(), Some(1));
    let s = done.summary();
    assert_eq!(s["ok"], false);
    assert_eq!(s["errors"][0], "P1: 1 / z: division by zero");
    assert!(
        s["verdict"].as_str().unwrap().starts_with("P1 出错停止"),
        "{s}"
    );
}

#[test]
fn an_endless_loop_under_a_schedule_ends_with_a_clear_error() {
    let sb = Sandbox::new();
    let file = lesson_file(
        &sb,
        "spin",
        r#"[{ "role": "w", "count": 1 }]"#,
        r#"{ "w": [
            { "op": "jump", "to": "top", "label": "top" },
            { "op": "count", "outcome": "x" } ] }"#,
    );
    let done = sb.run(&["run", &file, "--schedule", "round-robin"]);
    done.assert_no_panic();
    assert_eq!(done.code(), Some(1), "{}", done.stderr);
    assert!(
        done.stdout
            .contains("P1 stopped with an error: stopped by lockstep after 20000 steps: is there an endless loop?"),
        "{}",
        common::tail(&done.stdout, 5)
    );
    assert!(
        done.stdout
            .contains("(20000 steps in all; --save FILE or --json has every one)"),
        "{}",
        common::tail(&done.stdout, 2)
    );
}

#[test]
fn waiters_of_one_lock_are_grouped_in_the_deadlock() {
    let sb = Sandbox::new();
    let file = lesson_file(
        &sb,
        "keeper",
        r#"[{ "role": "keeper", "count": 1 }, { "role": "w", "count": 4 }]"#,
        r#"{ "keeper": [ { "op": "acquire", "lock": "m" }, { "op": "count", "outcome": "x" } ],
             "w": [ { "op": "acquire", "lock": "m" }, { "op": "count", "outcome": "x" } ] }"#,
    );
    let (done, s) = sb.run_json(&["run", &file, "--schedule", "round-robin", "--json"]);
    done.assert_no_panic();
    assert_eq!(s["deadlock"], "P2–P5 wait for m, held by P1", "{s}");
    assert_eq!(int(&s["actual"]), 1);
    let done = sb.run(&["run", &file, "--schedule", "round-robin", "--lang", "zh"]);
    assert!(
        done.stdout.contains("P2–P5 在等 m，持有者：P1"),
        "{}",
        done.stdout
    );
}

#[test]
fn every_bad_argument_prints_the_usage_and_exits_2() {
    let sb = Sandbox::new();
    for args in [
        &["run", "counter", "--schedule", "foo"][..],
        &["run", "counter", "--steps", "a,b"],
        &["run", "counter", "--speed", "0"],
        &["run", "counter", "--bogus"],
        &["run", "counter", "--steps", "9,99"],
        &["explore", "counter", "--threads", "0"],
    ] {
        let done = sb.run(args);
        done.assert_no_panic();
        assert_eq!(done.code(), Some(2), "{args:?}: {}", done.stderr);
        assert!(
            done.stderr
                .contains(&format!("Usage: lockstep {} ", args[0])),
            "{args:?}: no usage line:\n{}",
            done.stderr
        );
        assert!(done.stdout.is_empty(), "{args:?} ran anyway");
    }
}

#[test]
fn a_directory_is_named_as_such() {
    let sb = Sandbox::new();
    let dir = sb.path().join("lessons");
    std::fs::create_dir(&dir).unwrap();
    let done = sb.run(&["run", dir.to_str().unwrap()]);
    done.assert_no_panic();
    assert!(!done.status.success());
    assert!(
        done.stderr.contains("it is a directory, not a lesson file"),
        "{}",
        done.stderr
    );
}

#[test]
fn processes_lockstep_ends_in_a_stuck_run_are_told_apart_from_the_lessons_kills() {
    // terminate: the lesson SIGTERMs P2; the deadlock it causes leaves P1
    // joining forever, and lockstep ends it.
    let sb = Sandbox::new();
    let done = sb.run(&["run", "terminate"]);
    done.assert_success();
    let line = done
        .stdout
        .lines()
        .find(|l| l.starts_with("processes:"))
        .unwrap_or_else(|| panic!("no processes line:\n{}", done.stdout));
    assert!(
        line.contains("P1 ended by lockstep with signal 9")
            && line.contains("P2 killed by signal 15 (exit code -15)"),
        "{line}"
    );
}
