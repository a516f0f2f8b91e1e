//! Loading a lesson: parse the JSON, validate it, and report where it is
//! wrong (file, line, column, field); find one by built-in id or path.

use std::path::Path;

use super::{Lesson, builtin, locate, validate};

/// Where a lesson came from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Builtin(String),
    File(String),
}

#[derive(Debug, thiserror::Error)]
pub enum LessonError {
    // Not a `source`: the message holds it already, and would say it twice.
    #[error("failed to read lesson file {file}: {cause}")]
    Io { file: String, cause: std::io::Error },
    #[error("failed to load lesson: {file}:{line}:{column}: {message}")]
    Syntax {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("failed to load lesson: {file}:{line}:{column}: field `{field}`: {message}")]
    Invalid {
        file: String,
        line: usize,
        column: usize,
        field: String,
        message: String,
    },
    #[error(
        "failed to find lesson `{0}`: no built-in lesson has that id and no such file exists (see `lockstep list`)"
    )]
    Unknown(String),
    #[error(
        "failed to read lesson `{0}`: it is a directory, not a lesson file (see `lockstep list`)"
    )]
    Directory(String),
    #[error("failed to read lesson `{name}`: it is {kind}, not a lesson file")]
    NotAFile { name: String, kind: &'static str },
    #[error(
        "failed to read lesson `{name}`: it is a symbolic link to {target}, which does not exist"
    )]
    BrokenLink { name: String, target: String },
    #[error(
        "failed to read lesson `{name}`: it is {bytes} bytes, and a lesson file may have at most {MAX_LESSON_BYTES}"
    )]
    TooLarge { name: String, bytes: u64 },
}

/// The largest lesson file read (the largest built-in one is under 20 KiB).
pub const MAX_LESSON_BYTES: u64 = 1 << 20;

impl Lesson {
    /// Parse and validate a lesson from JSON text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Lesson, LessonError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let mut lesson: Lesson = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let inner = e.inner();
            let field = e.path().to_string();
            let message = strip_position(&inner.to_string());
            if field.is_empty() || field == "." || inner.is_syntax() || inner.is_eof() {
                LessonError::Syntax {
                    file: file.to_string(),
                    line: inner.line(),
                    column: inner.column(),
                    message,
                }
            } else {
                LessonError::Invalid {
                    file: file.to_string(),
                    line: inner.line(),
                    column: inner.column(),
                    field,
                    message,
                }
            }
        })?;
        if let Err((path, message)) = validate::check(&lesson) {
            let (line, column) = locate::position(text, &path).unwrap_or((1, 1));
            return Err(LessonError::Invalid {
                file: file.to_string(),
                line,
                column,
                field: locate::display(&path),
                message,
            });
        }
        lesson.speed = lesson.speed.clamp(0.01, 1000.0);
        Ok(lesson)
    }

    /// A built-in lesson by id, or a lesson file by path.
    pub fn find(name: &str) -> Result<Lesson, LessonError> {
        if let Some(lesson) = builtin(name) {
            return Ok(lesson);
        }
        let text = read_lesson_file(name)?;
        Lesson::parse(&text, name)
    }
}

/// The text of lesson file `name`: a regular file (through links) of at
/// most [`MAX_LESSON_BYTES`]; anything else is named for what it is.
fn read_lesson_file(name: &str) -> Result<String, LessonError> {
    use std::os::unix::fs::FileTypeExt;
    let path = Path::new(name);
    let io = |cause| LessonError::Io {
        file: name.to_string(),
        cause,
    };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(match std::fs::read_link(path) {
                Ok(target) => LessonError::BrokenLink {
                    name: name.to_string(),
                    target: target.display().to_string(),
                },
                Err(_) => LessonError::Unknown(name.to_string()),
            });
        }
        // A loop of links, a directory on the way that cannot be entered…
        Err(e) => return Err(io(e)),
    };
    let t = meta.file_type();
    let kind = if t.is_dir() {
        return Err(LessonError::Directory(name.to_string()));
    } else if t.is_file() {
        None
    } else if t.is_fifo() {
        Some("a named pipe (FIFO)")
    } else if t.is_char_device() {
        Some("a character device")
    } else if t.is_block_device() {
        Some("a block device")
    } else {
        Some("a socket")
    };
    if let Some(kind) = kind {
        return Err(LessonError::NotAFile {
            name: name.to_string(),
            kind,
        });
    }
    if meta.len() > MAX_LESSON_BYTES {
        return Err(LessonError::TooLarge {
            name: name.to_string(),
            bytes: meta.len(),
        });
    }
    std::fs::read_to_string(path).map_err(io)
}

/// serde_json appends " at line L column C"; we print the position ourselves.
pub(crate) fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}
