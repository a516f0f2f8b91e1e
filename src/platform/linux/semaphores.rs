//! POSIX named semaphores (`sem_open`): what the lesson's locks and
//! semaphores are made of, and how stale ones are found and removed.

use std::ffi::CString;
use std::io;

/// A POSIX named semaphore (`sem_open`), what Python's `multiprocessing.Lock`
/// and `Semaphore` are on Linux.
pub struct NamedSemaphore {
    sem: *mut libc::sem_t,
    name: String,
}

// SAFETY: a sem_t from sem_open may be used from any thread of the process.
unsafe impl Send for NamedSemaphore {}
// SAFETY: sem_wait/sem_post/sem_trywait are thread-safe by POSIX.
unsafe impl Sync for NamedSemaphore {}

fn c_name(name: &str) -> io::Result<CString> {
    CString::new(name).map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "NUL in name"))
}

impl NamedSemaphore {
    /// Create a new semaphore with `value` permits; fails if the name exists.
    pub fn create(name: &str, value: u32) -> io::Result<NamedSemaphore> {
        let c = c_name(name)?;
        // SAFETY: c is a valid NUL-terminated string; mode and value are passed as c_uint as sem_open expects.
        let sem = unsafe {
            libc::sem_open(
                c.as_ptr(),
                libc::O_CREAT | libc::O_EXCL,
                0o600 as libc::c_uint,
                value as libc::c_uint,
            )
        };
        if sem == libc::SEM_FAILED {
            return Err(io::Error::last_os_error());
        }
        Ok(NamedSemaphore {
            sem,
            name: name.to_string(),
        })
    }

    /// Open an existing semaphore by name.
    pub fn open(name: &str) -> io::Result<NamedSemaphore> {
        let c = c_name(name)?;
        // SAFETY: c is a valid NUL-terminated string; no O_CREAT, so no extra arguments.
        let sem = unsafe { libc::sem_open(c.as_ptr(), 0) };
        if sem == libc::SEM_FAILED {
            return Err(io::Error::last_os_error());
        }
        Ok(NamedSemaphore {
            sem,
            name: name.to_string(),
        })
    }

    /// Take a permit if one is free, without blocking.
    pub fn try_acquire(&self) -> io::Result<bool> {
        loop {
            // SAFETY: self.sem came from a successful sem_open and is not closed until drop.
            if unsafe { libc::sem_trywait(self.sem) } == 0 {
                return Ok(true);
            }
            let err = io::Error::last_os_error();
            match err.raw_os_error() {
                Some(libc::EAGAIN) => return Ok(false),
                Some(libc::EINTR) => continue,
                _ => return Err(err),
            }
        }
    }

    /// Block in the kernel until a permit is free.
    pub fn acquire(&self) -> io::Result<()> {
        loop {
            // SAFETY: as in try_acquire.
            if unsafe { libc::sem_wait(self.sem) } == 0 {
                return Ok(());
            }
            let err = io::Error::last_os_error();
            if err.raw_os_error() != Some(libc::EINTR) {
                return Err(err);
            }
        }
    }

    pub fn release(&self) -> io::Result<()> {
        // SAFETY: as in try_acquire.
        if unsafe { libc::sem_post(self.sem) } == 0 {
            Ok(())
        } else {
            Err(io::Error::last_os_error())
        }
    }

    /// Permits free right now.
    pub fn value(&self) -> io::Result<i32> {
        let mut v: libc::c_int = 0;
        // SAFETY: as in try_acquire; v is a valid out pointer.
        if unsafe { libc::sem_getvalue(self.sem, &mut v) } == 0 {
            Ok(v)
        } else {
            Err(io::Error::last_os_error())
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for NamedSemaphore {
    fn drop(&mut self) {
        // SAFETY: closes the handle opened in create/open exactly once.
        unsafe {
            libc::sem_close(self.sem);
        }
    }
}

/// Remove a semaphore's name; processes that have it open keep using it.
pub fn unlink_semaphore(name: &str) -> io::Result<()> {
    let c = c_name(name)?;
    // SAFETY: c is a valid NUL-terminated string.
    if unsafe { libc::sem_unlink(c.as_ptr()) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Every named semaphore on the machine, by name (`/NAME`): glibc keeps
/// them as the files `sem.NAME` in `/dev/shm`, musl as `NAME` (there every
/// file of `/dev/shm` is listed; callers look for their own names).
pub fn named_semaphores() -> Vec<String> {
    let Ok(entries) = std::fs::read_dir("/dev/shm") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if cfg!(target_env = "musl") {
                Some(format!("/{name}"))
            } else {
                name.strip_prefix("sem.").map(|sem| format!("/{sem}"))
            }
        })
        .collect()
}

/// Remove the files of every named semaphore whose name (`/NAME`) starts
/// with `prefix`, in either C library's form (glibc `sem.NAME`, musl
/// `NAME`): for semaphores another program made. How many went.
pub fn remove_semaphore_files(prefix: &str) -> usize {
    let Some(bare) = prefix.strip_prefix('/') else {
        return 0;
    };
    let Ok(entries) = std::fs::read_dir("/dev/shm") else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_prefix("sem.").unwrap_or(&name).starts_with(bare)
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

/// The file in `/dev/shm` that holds semaphore `/NAME` (glibc `sem.NAME`,
/// musl `NAME`), if it exists: a lock on it tells whether its run lives.
pub fn semaphore_file(name: &str) -> Option<std::path::PathBuf> {
    let bare = name.strip_prefix('/')?;
    let shm = std::path::Path::new("/dev/shm");
    [shm.join(format!("sem.{bare}")), shm.join(bare)]
        .into_iter()
        .find(|p| p.exists())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_semaphore_counts_permits() {
        let name = format!("/lockstep-test-{}-sem", std::process::id());
        let a = NamedSemaphore::create(&name, 2).unwrap();
        let b = NamedSemaphore::open(&name).unwrap();
        unlink_semaphore(&name).unwrap();
        assert!(a.try_acquire().unwrap());
        assert!(b.try_acquire().unwrap());
        assert!(!a.try_acquire().unwrap());
        b.release().unwrap();
        assert_eq!(a.value().unwrap(), 1);
        a.acquire().unwrap();
        assert_eq!(b.value().unwrap(), 0);
        assert!(NamedSemaphore::open(&name).is_err(), "name was unlinked");
    }
}
