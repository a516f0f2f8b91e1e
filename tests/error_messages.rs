//! Errors name what failed: a TMPDIR that cannot hold a run is named with
//! the path tried; a lesson that is a FIFO, a device, a link loop or a
//! broken link is called what it is; `explore` says a start error once; and
//! a lesson whose runs never end is not "about inf schedules".

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::{BIN, Sandbox, within};

/// `lockstep ARGS` with `TMPDIR` set to `tmpdir`; (exit code, stderr).
fn with_tmpdir(tmpdir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(BIN)
        .args(args)
        .env("TMPDIR", tmpdir)
        .env("LANG", "C")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code(), stderr)
}

#[test]
fn a_tmpdir_that_cannot_hold_a_run_is_named() {
    let sb = Sandbox::new();
    let file = sb.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let long = sb.path().join("x".repeat(110));
    std::fs::create_dir(&long).unwrap();
    let cases = [
        (
            sb.path().join("missing"),
            "cannot make the run directory",
            "No such file or directory",
        ),
        (
            file.clone(),
            "cannot make the run directory",
            "Not a directory",
        ),
        (
            long.clone(),
            "is too long",
            "set TMPDIR to a shorter directory",
        ),
    ];
    for (tmpdir, what, why) in cases {
        let (code, stderr) = with_tmpdir(&tmpdir, &["run", "counter"]);
        assert_eq!(code, Some(1), "{stderr}");
        let named = format!("TMPDIR ({})", tmpdir.display());
        assert!(
            stderr.contains(&named) && stderr.contains(what) && stderr.contains(why),
            "TMPDIR={} gives: {stderr}",
            tmpdir.display()
        );
    }
    let left: Vec<_> = std::fs::read_dir(&long).unwrap().flatten().collect();
    assert!(left.is_empty(), "left in the long TMPDIR: {left:?}");
}

#[test]
fn explore_says_a_start_error_once() {
    let sb = Sandbox::new();
    let file = sb.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let (code, stderr) = with_tmpdir(&file, &["explore", "counter", "--procs", "2"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        stderr.matches("Not a directory").count(),
        1,
        "said more than once: {stderr}"
    );
    assert!(stderr.contains("TMPDIR"), "{stderr}");
}

#[test]
fn a_lesson_that_is_not_a_regular_file_is_called_what_it_is() {
    let sb = Sandbox::new();
    let dir = sb.path();
    let fifo = dir.join("fifo.json");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid path; mkfifo only makes the node.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let (a, b) = (dir.join("loop-a.json"), dir.join("loop-b.json"));
    std::os::unix::fs::symlink(&b, &a).unwrap();
    std::os::unix::fs::symlink(&a, &b).unwrap();
    let dangling = dir.join("gone.json");
    std::os::unix::fs::symlink(dir.join("nowhere.json"), &dangling).unwrap();
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let cases = [
        (s(&fifo), "it is a named pipe (FIFO), not a lesson file"),
        // stdin is /dev/null here.
        (
            "/dev/stdin".to_string(),
            "it is a character device, not a lesson file",
        ),
        // The libc's own words differ (glibc: "Too many levels of symbolic
        // links", musl: "Symbolic link loop"); the errno is the same.
        (s(&a), "(os error 40)"),
        (s(&dangling), "it is a symbolic link to"),
    ];
    for (lesson, says) in cases {
        let done = sb.run(&["run", &lesson]);
        done.assert_no_panic();
        assert!(!done.status.success());
        assert!(
            done.stderr.contains(says) && !done.stderr.contains("no such file exists"),
            "{lesson}: {}",
            done.stderr
        );
    }
}

#[test]
fn exploring_a_lesson_whose_runs_never_end_does_not_say_inf() {
    let sb = Sandbox::new();
    let file = sb.path().join("loop.json");
    std::fs::write(
        &file,
        r#"{
  "id": "loop",
  "title": { "en": "Loop" },
  "summary": { "en": "Two processes that never stop" },
  "story": { "en": "A lesson for tests." },
  "values": [{ "name": "v", "initial": 0 }],
  "processes": [{ "role": "w", "count": 2 }],
  "programs": {
    "w": [
      { "op": "set", "local": "x", "expr": "0", "label": "top" },
      { "op": "write", "value": "v", "expr": "x" },
      { "op": "jump", "to": "top" }
    ]
  },
  "check": {
    "measure": { "final_value": "v" },
    "expect": 0,
    "rule": "equal",
    "quantity": { "en": "v" },
    "ok": { "en": "ok" },
    "broken": { "en": "broken" }
  }
}
"#,
    )
    .unwrap();
    let done = sb
        .spawn(&["explore", file.to_str().unwrap()])
        .finish(within(120.0));
    done.assert_no_panic();
    assert!(!done.status.success());
    assert!(
        !done.stderr.contains("inf ") && !done.stderr.contains("--procs 2"),
        "{}",
        done.stderr
    );
    assert!(done.stderr.contains("loop forever"), "{}", done.stderr);
}

#[test]
fn a_lesson_file_over_the_size_limit_is_refused_unread() {
    let sb = Sandbox::new();
    let file = sb.path().join("huge.json");
    // Sparse: 2 MiB that take no room.
    std::fs::File::create(&file)
        .unwrap()
        .set_len(2 << 20)
        .unwrap();
    let done = sb.run(&["run", file.to_str().unwrap()]);
    done.assert_no_panic();
    assert!(!done.status.success());
    assert!(
        done.stderr
            .contains("it is 2097152 bytes, and a lesson file may have at most 1048576"),
        "{}",
        done.stderr
    );
}
