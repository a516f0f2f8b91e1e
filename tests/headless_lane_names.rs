//! A headless report names each process in a deadlock as the app's lanes
//! do ("P3 (p2)"), in English and Chinese; its JSON keeps `deadlock` by
//! P-number (scripts read it) and says the named sentence in
//! `deadlock_named`.

mod common;

use common::Sandbox;

/// terminate under round-robin: p1 is terminated holding the lock, p2 and
/// p3 wait for it for ever, main waits to join p2.
const ARGS: [&str; 4] = ["run", "terminate", "--schedule", "round-robin"];

#[test]
fn the_text_report_names_each_lane_in_the_deadlock() {
    let sb = Sandbox::new();
    let done = sb.run(&ARGS);
    done.assert_no_panic();
    let verdict = done
        .stdout
        .lines()
        .find(|l| l.starts_with("verdict:"))
        .unwrap_or_else(|| panic!("no verdict line:\n{}", done.stdout));
    assert_eq!(
        verdict,
        "verdict: BROKEN: DEADLOCK: P1 (main) waits for P3 (p2) to end (join); P3 (p2), P4 (p3) wait for lock, held by P2 (p1, killed by SIGTERM, exit code -15)"
    );
    let mut zh = ARGS.to_vec();
    zh.extend(["--lang", "zh"]);
    let done = sb.run(&zh);
    assert!(
        done.stdout.contains(
            "死锁（DEADLOCK）：P1 (main) 在等 P3 (p2) 结束（join）；P3 (p2), P4 (p3) 在等 lock，持有者：P2（p1，已被 SIGTERM 终止，退出码 -15）"
        ),
        "{}",
        done.stdout
    );
}

#[test]
fn the_json_keeps_p_numbers_and_adds_the_named_sentence() {
    let sb = Sandbox::new();
    let mut args = ARGS.to_vec();
    args.push("--json");
    let (_, s) = sb.run_json(&args);
    assert_eq!(
        s["deadlock"],
        "P1 waits for P3 to end (join); P3, P4 wait for lock, held by P2 (killed by SIGTERM, exit code -15)",
        "{s}"
    );
    assert_eq!(
        s["deadlock_named"],
        "P1 (main) waits for P3 (p2) to end (join); P3 (p2), P4 (p3) wait for lock, held by P2 (p1, killed by SIGTERM, exit code -15)",
        "{s}"
    );
    assert!(
        s["verdict"]
            .as_str()
            .is_some_and(|v| v.contains("P3 (p2), P4 (p3) wait for lock")),
        "{s}"
    );
    // No deadlock, no sentence.
    let (_, s) = sb.run_json(&["run", "counter", "--schedule", "round-robin", "--json"]);
    assert!(
        s["deadlock"].is_null() && s["deadlock_named"].is_null(),
        "{s}"
    );
}
