//! Numbers never wrap around: an exit code a process cannot have is refused
//! when the lesson loads (file:line:column and field), and the reports
//! compute with room to spare (`{diff}` of extremes, `expect_per_process`
//! taken far by `--procs`).

mod common;

use common::Sandbox;

/// Two processes; `v` starts at INITIAL; the program is OPS; expect EXPECT.
const LESSON: &str = r#"{
  "id": "nums",
  "title": { "en": "Numbers" },
  "summary": { "en": "Numbers at their limits" },
  "story": { "en": "A lesson for tests." },
  "values": [{ "name": "v", "initial": INITIAL }],
  "processes": [{ "role": "w", "count": 2 }],
  "programs": {
    "w": [
      OPS
    ]
  },
  "check": {
    "measure": { "final_value": "v" },
    "expect": EXPECT,PER
    "rule": "equal",
    "quantity": { "en": "final v" },
    "ok": { "en": "v is {actual}" },
    "broken": { "en": "v is {actual}, expected {expected}: {diff} apart" }
  }
}
"#;

fn lesson(initial: &str, ops: &str, expect: &str, per: &str) -> String {
    LESSON
        .replace("INITIAL", initial)
        .replace("OPS", ops)
        .replace("EXPECT", expect)
        .replace("PER", per)
}

fn write(sb: &Sandbox, text: &str) -> String {
    let file = sb.path().join("nums.json");
    std::fs::write(&file, text).unwrap();
    file.to_str().unwrap().to_string()
}

#[test]
fn an_exit_code_out_of_range_is_refused_at_load() {
    for code in ["300", "-9", "256"] {
        let sb = Sandbox::new();
        let ops = format!(r#"{{ "op": "exit", "code": {code} }}"#);
        let file = write(&sb, &lesson("0", &ops, "0", ""));
        let done = sb.run(&["run", &file]);
        done.assert_no_panic();
        assert!(!done.status.success(), "exit {code} ran: {}", done.stdout);
        assert!(done.stdout.is_empty(), "nothing runs: {}", done.stdout);
        let want = format!("{file}:10:");
        assert!(
            done.stderr.contains(&want)
                && done.stderr.contains("field `programs.w[0].code`")
                && done.stderr.contains("between 0 and 255"),
            "exit {code}: {}",
            done.stderr
        );
    }
    // The edges are fine.
    let sb = Sandbox::new();
    let file = write(
        &sb,
        &lesson("0", r#"{ "op": "exit", "code": 255 }"#, "0", ""),
    );
    let (_, s) = sb.run_json(&["run", &file, "--json"]);
    assert_eq!(s["processes"][0]["exit_code"], 255, "{s}");
}

#[test]
fn diff_of_extremes_does_not_wrap() {
    let sb = Sandbox::new();
    let ops = r#"{ "op": "sleep", "ms": 0 }"#;
    let file = write(&sb, &lesson("-9223372036854775808", ops, "3", ""));
    let (_, s) = sb.run_json(&["run", &file, "--json"]);
    let verdict = s["verdict"].as_str().unwrap();
    assert_eq!(
        verdict,
        "v is -9223372036854775808, expected 3: 9223372036854775811 apart"
    );
}

#[test]
fn expect_per_process_taken_out_of_range_is_an_error_not_a_wrap() {
    let sb = Sandbox::new();
    let ops = r#"{ "op": "sleep", "ms": 0 }"#;
    let text = lesson(
        "0",
        ops,
        "9223372036854000000",
        r#" "expect_per_process": 1000000,"#,
    );
    let file = write(&sb, &text);
    let done = sb.run(&["run", &file, "--procs", "20", "--json"]);
    done.assert_no_panic();
    assert!(!done.status.success(), "{}", done.stdout);
    assert!(
        !done.stdout.contains("-92233"),
        "the expected value wrapped: {}",
        done.stdout
    );
    assert!(
        done.stderr.contains("out of range"),
        "the error says why: {}",
        done.stderr
    );
}
