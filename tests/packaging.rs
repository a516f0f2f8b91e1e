//! What a packager or a user installing lockstep gets besides the app: shell
//! completions and a man page generated from the command line's definitions,
//! and a crate package that holds what builds and tests it and nothing of CI.

mod common;

use std::process::Command;

use common::Sandbox;

/// The subcommands a user can type; `__worker` and `bench` are hidden.
const VISIBLE: [&str; 5] = ["list", "run", "explore", "completions", "man"];

#[test]
fn completions_for_bash_zsh_and_fish_offer_every_visible_subcommand() {
    let sandbox = Sandbox::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = sandbox.run(&["completions", shell]);
        out.assert_success();
        assert!(out.stdout.contains("lockstep"), "{shell}:\n{}", out.stdout);
        for sub in VISIBLE {
            assert!(
                out.stdout.contains(sub),
                "{shell}: no {sub}:\n{}",
                out.stdout
            );
        }
        for hidden in ["__worker", "bench"] {
            assert!(!out.stdout.contains(hidden), "{shell} offers {hidden}");
        }
    }
}

/// The bash script really completes: `lockstep ex<TAB>` gives `explore`,
/// `lockstep completions <TAB>` the shells.
#[test]
fn the_bash_script_completes_a_subcommand_and_a_shell() {
    let script = Sandbox::new().run(&["completions", "bash"]).stdout;
    let probe = r#"source /dev/stdin
complete -p lockstep
COMP_WORDS=(lockstep ex); COMP_CWORD=1; _lockstep lockstep ex lockstep
echo "first: ${COMPREPLY[*]}"
COMP_WORDS=(lockstep completions ""); COMP_CWORD=2; _lockstep lockstep "" completions
echo "shells: ${COMPREPLY[*]}""#;
    let mut child = match Command::new("bash")
        .args(["--norc", "--noprofile", "-c", probe])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => {
            eprintln!("bash completion not tried: no bash here ({e})");
            return;
        }
    };
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(script.as_bytes())
        .expect("feed the script to bash");
    let out = child.wait_with_output().expect("bash ends");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("-F _lockstep lockstep"), "{text}");
    assert!(text.contains("first: explore\n"), "{text}");
    for shell in ["bash", "zsh", "fish"] {
        assert!(
            text.lines()
                .any(|l| l.starts_with("shells:") && l.split(' ').any(|w| w == shell)),
            "{text}"
        );
    }
}

#[test]
fn completions_for_an_unknown_shell_is_a_usage_error() {
    let out = Sandbox::new().run(&["completions", "tcsh"]);
    assert_eq!(out.code(), Some(2), "{out:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
    assert!(out.stderr.contains("tcsh"), "{}", out.stderr);
    assert!(
        out.stderr.contains("Usage: lockstep completions <SHELL>"),
        "{}",
        out.stderr
    );
    let out = Sandbox::new().run(&["completions"]);
    assert_eq!(out.code(), Some(2), "{out:?}");
    assert!(
        out.stderr.contains("Usage: lockstep completions"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_man_page_is_roff_with_name_synopsis_options_and_subcommands() {
    let out = Sandbox::new().run(&["man"]);
    out.assert_success();
    let page = &out.stdout;
    assert!(page.contains(".TH lockstep 1"), "{page}");
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH OPTIONS",
        ".SH SUBCOMMANDS",
        ".SH VERSION",
    ] {
        assert!(page.contains(section), "no {section}:\n{page}");
    }
    let name = page
        .split(".SH NAME\n")
        .nth(1)
        .and_then(|rest| rest.lines().next())
        .unwrap_or_default();
    assert!(name.starts_with("lockstep \\- "), "NAME line: {name:?}");
    // Subcommands are listed by their page names (`lockstep-explore(1)`).
    for sub in ["list", "run", "explore", "completions", "man"] {
        assert!(
            page.contains(&format!("lockstep\\-{sub}")),
            "no {sub}:\n{page}"
        );
    }
    assert!(!page.contains("__worker"), "{page}");
}

/// `cargo package --list`: the sources, lessons, the Python the bench
/// compiles in, docs, tests and LICENSE; no CI script, cargo config or
/// editor/VCS files.
#[test]
fn the_crate_package_holds_what_builds_and_tests_and_no_ci() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo package --list");
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{list}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files: Vec<&str> = list.lines().collect();
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "LICENSE",
        "README.md",
        "src/main.rs",
        "src/cli/completions.rs",
        "scenarios/counter.json",
        "assets/lessons/counter.py",
        "assets/bench/pool_bench.py",
        "tests/common/mod.rs",
        "tests/packaging.rs",
    ] {
        assert!(files.contains(&needed), "{needed} missing:\n{list}");
    }
    for f in &files {
        assert!(
            !(f.starts_with(".ci/")
                || f.starts_with(".cargo/")
                || f.starts_with(".git")
                || f.starts_with("target/")
                || f.ends_with(".sh")
                || f.ends_with(".pending-snap")
                || f.ends_with(".snap.new")),
            "{f} should not be in the package:\n{list}"
        );
    }
}
