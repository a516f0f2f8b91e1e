//! The lanes as a process tree, like htop's tree view: each child indented
//! under its parent with `├─` / `└─`, and the words for the tree's states.

use crate::model::ProcId;
use crate::model::{Phase, Proc, RunState};

/// The label of each lane's P column: `P1`, `├─P2`, `└─P3`, `  └─P5`,
/// each with the listing's name when the lesson gives one (`├─P2 p1`).
pub fn labels(procs: &[Proc]) -> Vec<String> {
    labels_within(procs, usize::MAX)
}

/// The labels in at most `max` columns: a name that does not fit is cut
/// (`senders…`), or left out when not even two of its letters would fit.
pub fn labels_within(procs: &[Proc], max: usize) -> Vec<String> {
    let depth = |mut i: usize| {
        let mut d = 0;
        while let Some(p) = procs[i].parent {
            d += 1;
            i = p;
            if d > procs.len() {
                break;
            }
        }
        d
    };
    procs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let branch = match p.parent {
                None => String::new(),
                Some(parent) => {
                    let later_sibling = procs[i + 1..].iter().any(|q| q.parent == Some(parent));
                    let branch = if later_sibling { "├─" } else { "└─" };
                    format!("{}{branch}", "  ".repeat(depth(i).saturating_sub(1)))
                }
            };
            let bare = format!("{branch}{}", ProcId(i));
            let Some(name) = &p.name else { return bare };
            let room = max.saturating_sub(bare.chars().count() + 1);
            match cut_name(name, room) {
                Some(name) => format!("{bare} {name}"),
                None => bare,
            }
        })
        .collect()
}

/// `name` in at most `room` columns: whole, or cut in the middle so that
/// an index at its end stays (`sen…[9]`, `gue… 4`); `None` when not even
/// three columns are left.
fn cut_name(name: &str, room: usize) -> Option<String> {
    let len = name.chars().count();
    if len <= room {
        return Some(name.to_string());
    }
    if room < 3 {
        return None;
    }
    // The index at the end: `[9]`, ` 4`, `(5)`.
    let tail_start = name
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_ascii_digit() || matches!(c, ']' | ')')))
        .map_or(0, |(i, c)| {
            if matches!(c, '[' | '(' | ' ') {
                i
            } else {
                name.len()
            }
        });
    let tail = &name[tail_start..];
    let tail_len = tail.chars().count();
    let head_room = room.saturating_sub(tail_len + 1);
    let head: String = if head_room >= 1 {
        name.chars().take(head_room).collect()
    } else {
        name.chars().take(room - 1).collect()
    };
    let tail = if head_room >= 1 { tail } else { "" };
    Some(format!("{head}…{tail}"))
}

/// Width of the P column: the longest label.
pub fn label_width(labels: &[String]) -> u16 {
    labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(3)
        .max(3) as u16
}

/// The state words of a tree process, when they apply: not started, joining,
/// zombie, orphan. `None`: the usual words apply. The joined child's name
/// is left out when the words would not fit in `width` columns.
pub fn state_words(
    state: &RunState,
    i: usize,
    t: &super::text::Strings,
    width: usize,
) -> Option<String> {
    let p = &state.procs[i];
    match p.phase {
        Phase::NotStarted => Some(t.not_started.to_string()),
        Phase::Joining { child } => {
            let words = if at_exit(p) {
                t.joining_at_exit
            } else {
                t.joining
            };
            let named = format!("{words} {}", state.named(child));
            Some(if cols(&named) <= width {
                named
            } else {
                format!("{words} {}", ProcId(child))
            })
        }
        _ if state.is_zombie(i) && cols(t.zombie) > width => Some(t.zombie_short.to_string()),
        _ if state.is_zombie(i) => Some(t.zombie.to_string()),
        _ if p.orphaned && p.ending.is_none() => {
            // Once it has said whose child it is now (init's, a subreaper's).
            let parent_pid = p.parent.and_then(|q| state.procs[q].pid);
            Some(match p.ppid {
                Some(ppid) if parent_pid.is_some_and(|pp| pp != ppid) => {
                    format!("{} {ppid}", t.orphan_of)
                }
                _ => t.orphan.to_string(),
            })
        }
        _ => None,
    }
}

/// Columns `text` takes on screen (a CJK character takes two).
fn cols(text: &str) -> usize {
    ratatui::text::Line::from(text).width()
}

/// Its program has ended and it joins its children as Python does at
/// exit: it waits in a join its own program does not have (a real
/// program's is the join CPython makes at line 0).
pub fn at_exit(p: &Proc) -> bool {
    if !matches!(p.phase, Phase::Joining { .. }) {
        return false;
    }
    match (p.step(), &p.site) {
        (Some(step), _) => !matches!(step.op, crate::lesson::Op::Join { .. }),
        (None, Some(site)) => site.line == 0,
        (None, None) => true,
    }
}

/// The listing line a process is at: its operation's, or for a process
/// joining at exit, the line after its program's last one when that line
/// holds no code (the listing's `# at exit: …`); `None`: no line.
pub fn marker_line(p: &Proc, listing: &[String]) -> Option<u32> {
    if !at_exit(p) {
        return p.line();
    }
    let last = p.program.iter().map(|s| s.line).max()?;
    let after = listing.get(last as usize)?;
    crate::lesson::statement(after)
        .is_empty()
        .then_some(last + 1)
}

/// Parent `i`'s children in words, those that stand alike together, in
/// order: "P2 alive,", "P3 P4 zombie,", "P5–P14 not started".
fn children_words(state: &RunState, i: usize, t: &super::text::Strings) -> Vec<String> {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (c, kid) in state.procs.iter().enumerate() {
        if kid.parent != Some(i) {
            continue;
        }
        let how = match (kid.phase, kid.ending) {
            (_, Some(e)) => format!("{} {}", t.exit, e.exitcode()),
            (Phase::NotStarted, _) => t.not_started.into(),
            _ if state.is_zombie(c) => t.zombie_short.into(),
            _ if kid.daemon => t.daemon.into(),
            _ => t.alive.into(),
        };
        match groups.iter_mut().find(|(h, _)| *h == how) {
            Some((_, who)) => who.push(c),
            None => groups.push((how, vec![c])),
        }
    }
    // Each group but the last ends in a comma: the words have spaces.
    let last = groups.len().saturating_sub(1);
    groups
        .into_iter()
        .enumerate()
        .map(|(g, (how, who))| {
            let comma = if g < last { t.comma } else { "" };
            format!("{} {how}{comma}", runs(&who))
        })
        .collect()
}

/// "P5–P14" for three or more in a row, else each: "P3 P4".
fn runs(ps: &[usize]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < ps.len() {
        let mut j = i;
        while j + 1 < ps.len() && ps[j + 1] == ps[j] + 1 {
            j += 1;
        }
        if j >= i + 2 {
            out.push(format!("{}–{}", ProcId(ps[i]), ProcId(ps[j])));
        } else {
            j = i;
            out.push(ProcId(ps[i]).to_string());
        }
        i = j + 1;
    }
    out.join(" ")
}

/// The tree in words for the side panel: each parent's children with how
/// they stand (not started, alive, daemon, zombie, their exit code once
/// reaped), and each per-process global as every process sees it.
/// Lines are broken to fit `width` columns.
pub fn summary(state: &RunState, t: &super::text::Strings, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for (i, p) in state.procs.iter().enumerate() {
        let kids = children_words(state, i, t);
        if !kids.is_empty() {
            fill_lines(
                &mut out,
                format!("{} {}:", ProcId::from_number(p.number), t.children),
                &kids,
                (width, " "),
            );
        }
    }
    for g in &state.globals {
        let seen: Vec<String> = state
            .procs
            .iter()
            .filter(|p| p.phase != Phase::NotStarted)
            .filter_map(|p| {
                p.locals
                    .get(g)
                    .map(|v| format!("{}={v}", ProcId::from_number(p.number)))
            })
            .collect();
        fill_lines(&mut out, format!("{g}:"), &seen, (width, "  "));
    }
    if !state.zombies.is_empty() {
        let z: Vec<String> = state
            .zombies
            .iter()
            .map(|z| ProcId(*z).to_string())
            .collect();
        fill_lines(&mut out, format!("{}:", t.zombies_seen), &z, (width, "  "));
    }
    out
}

/// `head` then the items two spaces apart, going on to an indented line when full.
fn fill_lines(out: &mut Vec<String>, head: String, items: &[String], (width, gap): (usize, &str)) {
    // CJK characters take two columns.
    let cols = |t: &str| -> usize { t.chars().map(|c| if c >= '\u{2E80}' { 2 } else { 1 }).sum() };
    let mut line = head;
    for (i, item) in items.iter().enumerate() {
        let used = cols(&line);
        let gap = if i == 0 { " " } else { gap };
        if used + gap.len() + cols(item) > width && used > 2 {
            out.push(std::mem::take(&mut line));
            line = format!(" {item}");
        } else {
            line.push_str(gap);
            line.push_str(item);
        }
    }
    out.push(line);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::builtin;

    #[test]
    fn children_are_drawn_under_their_parent() {
        let lesson = builtin("join").unwrap();
        let state = RunState::new(&lesson, &[]);
        let l = labels(&state.procs);
        assert_eq!(l[0], "P1 main");
        assert_eq!(l[1], "├─P2 a");
        assert_eq!(
            l.last().unwrap(),
            &format!("└─{} senders[9]", ProcId::from_number(l.len()))
        );
    }

    #[test]
    fn a_program_joining_at_its_own_line_is_not_at_exit() {
        let lesson = builtin("join").unwrap();
        let mut p = RunState::new(&lesson, &[]).procs[0].clone();
        p.program = std::sync::Arc::new(Vec::new());
        p.pc = None;
        p.phase = Phase::Joining { child: 1 };
        let site = |line| crate::model::python::Site {
            op: "join".into(),
            name: "first".into(),
            file: "prog.py".into(),
            line,
        };
        p.site = Some(site(19));
        assert!(!at_exit(&p), "first.join() at line 19 is the program's own");
        p.site = Some(site(0));
        assert!(at_exit(&p), "CPython's join at exit reports line 0");
    }

    #[test]
    fn a_name_cut_to_fit_keeps_its_index() {
        assert_eq!(cut_name("main", 6).as_deref(), Some("main"));
        assert_eq!(cut_name("senders[9]", 6).as_deref(), Some("se…[9]"));
        assert_eq!(cut_name("workers[19]", 6).as_deref(), Some("w…[19]"));
        assert_eq!(cut_name("guest 4", 6).as_deref(), Some("gue… 4"));
        assert_eq!(cut_name("client(5)", 6).as_deref(), Some("cl…(5)"));
        assert_eq!(cut_name("talking", 6).as_deref(), Some("talki…"));
        assert_eq!(cut_name("workers[19]", 4).as_deref(), Some("wor…"));
        assert_eq!(cut_name("main", 2), None);
    }
}
