//! The rules of docs/architecture.md, checked on the source: no import
//! circle between top-level rooms, the model imports only the lesson format
//! and the wire, Chinese sentences only in the words room, a P-number spelt
//! only by `ProcId`, no source file over 400 lines (nor any file under
//! `tests/` but the screen snapshots), and no function over 80 lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every source file under `src/`, as (path relative to `src/`, text).
fn files() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    sources(&root, &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// A unit-test file: `tests.rs`, `*_tests.rs`, or one in a `tests/` folder.
fn is_test_file(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name == "tests.rs" || name.ends_with("_tests.rs") || rel.split('/').any(|d| d == "tests")
}

/// The file's text without a trailing `#[cfg(test)] mod tests { … }`.
fn without_tests(text: &str) -> &str {
    match text.find("#[cfg(test)]\nmod tests {") {
        Some(i) => &text[..i],
        None => text,
    }
}

/// The top-level room of a file: `model/ipc.rs` → `model`.
fn room(rel: &str) -> String {
    rel.split('/')
        .next()
        .unwrap()
        .trim_end_matches(".rs")
        .to_string()
}

/// Which rooms each room's code (tests aside) names as `crate::ROOM`.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, text) in files() {
        let from = room(&rel);
        if from == "lib" || from == "main" || is_test_file(&rel) {
            continue;
        }
        let code = without_tests(&text);
        for part in code.split("crate::").skip(1) {
            let to: String = part
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            // `drive` is the engine's, re-exported at the top.
            let to = if to == "drive" { "engine".into() } else { to };
            if !to.is_empty() && to != from {
                graph.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    graph
}

/// A path of imports from `from` back to itself, if there is one.
fn circle(graph: &BTreeMap<String, BTreeSet<String>>, from: &str) -> Option<Vec<String>> {
    let mut stack = vec![(from.to_string(), vec![from.to_string()])];
    let mut seen = BTreeSet::new();
    while let Some((at, path)) = stack.pop() {
        for next in graph.get(&at).into_iter().flatten() {
            if next == from {
                let mut c = path.clone();
                c.push(next.clone());
                return Some(c);
            }
            if seen.insert(next.clone()) {
                let mut p = path.clone();
                p.push(next.clone());
                stack.push((next.clone(), p));
            }
        }
    }
    None
}

#[test]
fn no_room_imports_itself_in_a_circle() {
    let graph = imports();
    let circles: Vec<String> = graph
        .keys()
        .filter_map(|r| circle(&graph, r))
        .map(|c| c.join(" → "))
        .collect();
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_model_imports_only_the_lesson_format_and_the_wire() {
    let graph = imports();
    let allowed: BTreeSet<String> = ["lesson", "wire", "expr"].map(String::from).into();
    let used = graph.get("model").cloned().unwrap_or_default();
    let extra: Vec<&String> = used.difference(&allowed).collect();
    assert!(extra.is_empty(), "the model imports {extra:?}");
    for (rel, text) in files() {
        if room(&rel) == "model" && !is_test_file(&rel) {
            let code = without_tests(&text);
            assert!(!code.contains("serde_json"), "{rel} uses serde_json");
            assert!(!code.contains("Lang"), "{rel} speaks a language");
        }
    }
}

#[test]
fn the_explorer_and_the_pool_drive_runs_only_through_the_controller() {
    let graph = imports();
    for room in ["explore", "pool"] {
        let used = graph.get(room).cloned().unwrap_or_default();
        assert!(
            !used.contains("supervisor"),
            "{room} imports the supervisor: its runs go through engine::Controller"
        );
    }
}

#[test]
fn chinese_is_only_in_the_words_room() {
    let han = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c);
    let outside: Vec<String> = files()
        .into_iter()
        .filter(|(rel, _)| room(rel) != "words" && !is_test_file(rel))
        .filter(|(_, text)| without_tests(text).chars().any(han))
        .map(|(rel, _)| rel)
        .collect();
    assert!(outside.is_empty(), "Chinese outside src/words: {outside:?}");
}

#[test]
fn only_proc_id_spells_a_p_number() {
    let spelt: Vec<String> = files()
        .into_iter()
        .filter(|(rel, _)| rel != "wire/proc_id.rs" && !is_test_file(rel))
        .flat_map(|(rel, text)| {
            without_tests(&text)
                .lines()
                .enumerate()
                .filter(|(_, l)| l.contains("P{") || l.contains("\"P0"))
                .map(|(i, l)| format!("{rel}:{}: {}", i + 1, l.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        spelt.is_empty(),
        "P-numbers spelt by hand:\n{}",
        spelt.join("\n")
    );
}

#[test]
fn no_source_file_is_over_400_lines() {
    let long: Vec<String> = files()
        .into_iter()
        .filter(|(rel, _)| !is_test_file(rel))
        .map(|(rel, text)| (rel, text.lines().count()))
        .filter(|(_, n)| *n > 400)
        .map(|(rel, n)| format!("{rel}: {n} lines"))
        .collect();
    assert!(long.is_empty(), "files over 400 lines: {long:?}");
}

/// Every file under `dir` but those in `skip`, however deep.
fn all_files(dir: &Path, skip: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path == skip {
            continue;
        }
        if path.is_dir() {
            all_files(&path, skip, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn no_test_file_is_over_400_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tests = root.join("tests");
    let mut paths = Vec::new();
    // The screen snapshots are whole screens, written by the tests.
    all_files(&tests, &tests.join("snapshots"), &mut paths);
    paths.sort();
    let long: Vec<String> = paths
        .iter()
        .map(|p| p.strip_prefix(root).unwrap().to_string_lossy().into_owned())
        .map(|rel| {
            let text = std::fs::read_to_string(root.join(&rel)).unwrap();
            (rel, text.lines().count())
        })
        .filter(|(_, n)| *n > 400)
        .map(|(rel, n)| format!("{rel}: {n} lines"))
        .collect();
    assert!(!paths.is_empty(), "no files under {}", tests.display());
    assert!(long.is_empty(), "test files over 400 lines: {long:?}");
}

/// A function's length: from its `fn` line to the `}` at the same indent.
fn long_functions(rel: &str, text: &str) -> Vec<String> {
    let lines: Vec<&str> = without_tests(text).lines().collect();
    let mut long = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let code = line.trim_start();
        let indent = &line[..line.len() - code.len()];
        let head = code
            .trim_start_matches("pub(crate) ")
            .trim_start_matches("pub(super) ")
            .trim_start_matches("pub ")
            .trim_start_matches("const ")
            .trim_start_matches("unsafe ");
        if !head.starts_with("fn ") || line.trim_end().ends_with(';') {
            continue;
        }
        let close = format!("{indent}}}");
        if let Some(end) = lines[i + 1..].iter().position(|l| *l == close) {
            let n = end + 2;
            if n > 80 {
                long.push(format!("{rel}:{}: {n} lines", i + 1));
            }
        }
    }
    long
}

#[test]
fn no_function_is_over_80_lines() {
    let long: Vec<String> = files()
        .into_iter()
        .filter(|(rel, _)| !is_test_file(rel))
        .flat_map(|(rel, text)| long_functions(&rel, &text))
        .collect();
    assert!(long.is_empty(), "functions over 80 lines: {long:?}");
}
