//! Saving progress without losing anything: under an exclusive lock on
//! `progress.lock` beside the file, the file is read again, this app's wins
//! are added to it (fields lockstep does not know are kept), and the result
//! replaces the file at once (a new file, then a rename). A symbolic link
//! stays a link: the file it points to is the one replaced, with its mode.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::WonChallenges;
use crate::platform;

/// How many links are followed before giving up (the kernel's own limit).
const MAX_LINKS: usize = 40;

/// Merge `mine` into the file at `path` and write it; what the file holds now.
pub fn merge_and_write(path: &Path, mine: &WonChallenges) -> io::Result<WonChallenges> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let _lock = lock_beside(path)?;
    let target = follow_links(path)?;
    let (mut doc, mode) = match fs::read_to_string(&target) {
        Ok(text) => (
            parse(&target, &text)?,
            Some(fs::metadata(&target)?.permissions().mode()),
        ),
        Err(e) if e.kind() == io::ErrorKind::NotFound => (Map::new(), None),
        Err(e) => return Err(e),
    };
    add_wins(&mut doc, mine).map_err(|why| unreadable(&target, why))?;
    let doc = Value::Object(doc);
    let now: WonChallenges =
        serde_json::from_value(doc.clone()).map_err(|e| unreadable(&target, e.to_string()))?;
    let text = serde_json::to_string_pretty(&doc).map_err(io::Error::other)?;
    replace(&target, &(text + "\n"), mode)?;
    Ok(now)
}

/// Hold an exclusive lock on `progress.lock` in the file's directory until
/// the returned file is dropped: one save at a time, across processes.
fn lock_beside(path: &Path) -> io::Result<File> {
    let lock = path.with_file_name("progress.lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .open(&lock)?;
    platform::lock_file(&file, true, true)?;
    Ok(file)
}

/// The file a chain of symbolic links ends at (which may not exist yet).
fn follow_links(path: &Path) -> io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(io::Error::other(format!(
        "{}: too many levels of symbolic links",
        path.display()
    )))
}

fn unreadable(path: &Path, why: String) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "failed to read progress {}: {why}; it is left as it is",
            path.display()
        ),
    )
}

/// The file as a JSON object; anything else is left alone.
fn parse(path: &Path, text: &str) -> io::Result<Map<String, Value>> {
    match serde_json::from_str(text) {
        Ok(Value::Object(doc)) => Ok(doc),
        Ok(_) => Err(unreadable(path, "not a JSON object".into())),
        Err(e) => Err(unreadable(
            path,
            format!("{}:{}: {e}", e.line(), e.column()),
        )),
    }
}

/// Add every win of `mine` to `doc["won"]`, keeping what is there.
fn add_wins(doc: &mut Map<String, Value>, mine: &WonChallenges) -> Result<(), String> {
    let won = doc
        .entry("won")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(won) = won else {
        return Err("field `won` is not an object".into());
    };
    for (lesson, goals) in &mine.won {
        let list = won
            .entry(lesson.clone())
            .or_insert_with(|| Value::Array(Vec::new()));
        let Value::Array(list) = list else {
            return Err(format!("field `won.{lesson}` is not a list"));
        };
        for goal in goals {
            let goal = Value::String(goal.clone());
            if !list.contains(&goal) {
                list.push(goal);
            }
        }
    }
    Ok(())
}

/// Replace `target` with `text` at once: a new file beside it (never one
/// that exists), given the old file's mode, then renamed over it.
fn replace(target: &Path, text: &str, mode: Option<u32>) -> io::Result<()> {
    let name = target
        .file_name()
        .map_or_else(|| "progress".into(), |n| n.to_string_lossy().into_owned());
    let (tmp, mut file) = new_file_beside(target, &name)?;
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .and_then(|()| match mode {
            Some(m) => fs::set_permissions(&tmp, fs::Permissions::from_mode(m & 0o7777)),
            None => Ok(()),
        })
        .and_then(|()| fs::rename(&tmp, target));
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}

/// A file that did not exist, named `.NAME.PID.N.tmp` beside `target`.
fn new_file_beside(target: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    let pid = std::process::id();
    let mut last = None;
    for n in 0..100 {
        let tmp = target.with_file_name(format!(".{name}.{pid}.{n}.tmp"));
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o666)
            .open(&tmp)
        {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free temporary name")))
}
