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
    #[error("failed to read lesson file {file}: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
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
}

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
        let path = Path::new(name);
        if path.is_file() {
            let text = std::fs::read_to_string(path).map_err(|source| LessonError::Io {
                file: name.to_string(),
                source,
            })?;
            return Lesson::parse(&text, name);
        }
        if path.is_dir() {
            return Err(LessonError::Directory(name.to_string()));
        }
        Err(LessonError::Unknown(name.to_string()))
    }
}

/// serde_json appends " at line L column C"; we print the position ourselves.
pub(crate) fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}
