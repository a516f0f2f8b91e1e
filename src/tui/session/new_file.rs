//! Where `s` writes a schedule: always a new file, never one that exists.

use std::path::Path;

/// Write `text` to a file that did not exist: `STEM.schedule.json`, else
/// `STEM-2.schedule.json`, … Never an existing file, never through a
/// symbolic link planted at the name (`O_CREAT | O_EXCL`).
pub fn write_new_file(dir: &Path, stem: &str, text: &str) -> std::io::Result<std::path::PathBuf> {
    use std::io::Write;
    let mut n = 1;
    loop {
        let name = match n {
            1 => format!("{stem}.schedule.json"),
            n => format!("{stem}-{n}.schedule.json"),
        };
        let path = dir.join(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                return match file.write_all(text.as_bytes()) {
                    Ok(()) => Ok(path),
                    Err(e) => {
                        let _ = std::fs::remove_file(&path);
                        Err(std::io::Error::new(
                            e.kind(),
                            format!("{}: {e}", path.display()),
                        ))
                    }
                };
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
            Err(e) => {
                return Err(std::io::Error::new(
                    e.kind(),
                    format!("{}: {e}", path.display()),
                ));
            }
        }
    }
}
