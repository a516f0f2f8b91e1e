//! What a failed end-to-end test prints: lockstep's stderr, its status file
//! and the pane's processes with each thread's state and kernel wait
//! channel; with `LOCKSTEP_E2E_GDB=1` also every thread's stack (needs gdb),
//! which is how a hang on quit is best told apart from a lost key.

use std::process::Command;

use super::children_of;
use super::tmux::Tui;

impl Tui {
    /// Stderr, the status file and the processes of the pane (with each
    /// thread's state and kernel wait channel), for failure messages.
    pub fn diagnostics(&self) -> String {
        let mut out = format!(
            "lockstep stderr:\n{}\nstatus file: {:?}\nprocesses of the pane:\n",
            self.stderr(),
            std::fs::read_to_string(self.dir().join("status")).ok()
        );
        let Ok(shell) = self.format("#{pane_pid}").parse::<u32>() else {
            return out;
        };
        let mut todo = vec![shell];
        while let Some(pid) = todo.pop() {
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline"))
                .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
                .unwrap_or_default();
            out += &format!(
                "  {pid} ({}): {}\n",
                super::state_letter(pid).unwrap_or('?'),
                cmdline.trim_end()
            );
            let tasks = match std::fs::read_dir(format!("/proc/{pid}/task")) {
                Ok(tasks) => tasks.flatten().collect::<Vec<_>>(),
                Err(e) => {
                    out += &format!("    threads: {e}\n");
                    Vec::new()
                }
            };
            for t in tasks {
                let read = |f: &str| std::fs::read_to_string(t.path().join(f)).unwrap_or_default();
                let stat = read("stat");
                let state = stat
                    .rfind(')')
                    .map(|i| stat[i + 1..].split_whitespace().next().unwrap_or("?"))
                    .unwrap_or("?");
                out += &format!(
                    "    thread {} {:<16} {state} wchan={}\n",
                    t.file_name().to_string_lossy(),
                    read("comm").trim(),
                    read("wchan")
                );
            }
            // LOCKSTEP_E2E_GDB=1: the user-space stacks of every thread too.
            if std::env::var_os("LOCKSTEP_E2E_GDB").is_some() && pid != shell {
                let bt = Command::new("gdb")
                    .args([
                        "-batch",
                        "-p",
                        &pid.to_string(),
                        "-ex",
                        "thread apply all bt",
                    ])
                    .output();
                if let Ok(bt) = bt {
                    out += &String::from_utf8_lossy(&bt.stdout);
                }
            }
            todo.extend(children_of(pid));
        }
        out
    }
}
