//! Starting a run: its private directory, value files and semaphores, the
//! hub, and every process the supervisor starts itself.

use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::net::UnixListener;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use crossbeam_channel::unbounded;

use super::hub::Hub;
use super::{Event, EventKind, Live, Plan, Run};
use crate::cleanup::{self, Making, RunDir, in_tmpdir, value_path};
use crate::platform::{self, NamedSemaphore, WakePipe};

impl Run {
    /// Make the run's objects, start the hub, then start every process that
    /// no other process of the run starts.
    pub fn start(mut plan: Plan) -> io::Result<Run> {
        let dir = RunDir::create()?;
        if let Some(launch) = &plan.launch {
            launch.write_files(dir.path())?;
        }
        for (name, v) in &plan.values {
            let path = value_path(dir.path(), name);
            std::fs::write(&path, v.to_string()).map_err(|e| in_tmpdir(Making::File, &path, e))?;
        }
        let (semaphores, names) = create_semaphores(&dir, &mut plan)?;
        let n = plan.setups.len();
        let live = Arc::new(Mutex::new(Live {
            free: false,
            speed: plan.setups.first().map_or(1.0, |s| s.speed),
        }));
        let pids = Arc::new(Mutex::new(vec![None; n]));

        let socket = dir.socket();
        let listener =
            UnixListener::bind(&socket).map_err(|e| in_tmpdir(Making::Socket, &socket, e))?;
        let (tx, rx) = unbounded();
        let start_ns = platform::now_ns();
        let mut run = Run {
            dir,
            conns: Arc::new(Mutex::new((0..n).map(|_| None).collect::<Vec<_>>())),
            kids: (0..n).map(|_| None).collect(),
            sem_names: Arc::new(Mutex::new(names)),
            _semaphores: semaphores,
            tx: Some(tx.clone()),
            rx,
            start_ns,
            stop: Arc::new(AtomicBool::new(false)),
            wake: Arc::new(WakePipe::new()?),
            exits: Arc::new(Mutex::new(Vec::new())),
            hub: None,
            live,
            pids,
        };
        let open = plan.launch.is_some();
        run.hub = Some(Hub::start(&run, listener, plan.setups.clone(), open, tx));
        run.spawn_all(&plan, &socket)?;
        run.tx = None;
        Ok(run)
    }

    /// Start every process the supervisor starts itself, each with a copy
    /// of every channel end and of the servers it holds.
    fn spawn_all(&mut self, plan: &Plan, socket: &Path) -> io::Result<()> {
        // Python's main process makes every Pipe and Queue before starting
        // anyone; the processes started now get copies, and ours close below.
        let mut pairs = Vec::new();
        let mut fds = Vec::new();
        for (a, b) in &plan.channels {
            let (x, y) = platform::socket_pair()?;
            fds.push((a.clone(), x.as_raw_fd()));
            fds.push((b.clone(), y.as_raw_fd()));
            pairs.push((x, y));
        }
        // Like the module-level `server = socket(...)` of the lesson's
        // listing: listening before any process starts, on loopback only.
        let mut listeners = Vec::new();
        let mut ports = Vec::new();
        for (name, _) in &plan.servers {
            let (fd, port) = platform::tcp_listen()?;
            ports.push((name.clone(), port));
            listeners.push(fd);
        }
        let ports = serde_json::to_string(&ports).map_err(io::Error::other)?;
        // The run's secret for its connections (children inherit it).
        let token = format!("{:032x}", rand::random::<u128>());
        // Started children are forked by their parent worker, not by us.
        for i in 0..plan.setups.len() {
            if plan.setups[i].parent.is_none() {
                let mut mine = fds.clone();
                for (k, (name, holders)) in plan.servers.iter().enumerate() {
                    if holders.contains(&i) {
                        mine.push((format!("server.{name}"), listeners[k].as_raw_fd()));
                    }
                }
                self.spawn(plan, socket, i, &mine, (&ports, &token))?;
            }
        }
        drop(pairs);
        drop(listeners);
        Ok(())
    }

    fn spawn(
        &mut self,
        plan: &Plan,
        socket: &Path,
        proc: usize,
        fds: &[(String, RawFd)],
        (ports, token): (&str, &str),
    ) -> io::Result<()> {
        let err_path = self.dir.path().join(format!("err-{}", proc + 1));
        let err_file =
            std::fs::File::create(&err_path).map_err(|e| in_tmpdir(Making::File, &err_path, e))?;
        let mut cmd = match &plan.launch {
            Some(launch) => launch.command(self.dir.path(), socket, proc),
            None => {
                let mut cmd = platform::command_for(plan.exe);
                cmd.arg("__worker").arg(socket).arg((proc + 1).to_string());
                cmd
            }
        };
        if !fds.is_empty() {
            let json = serde_json::to_string(fds).map_err(io::Error::other)?;
            cmd.env(crate::wire::FDS_ENV, json);
            platform::keep_on_exec(&mut cmd, fds.iter().map(|(_, fd)| *fd).collect());
        } else {
            cmd.env_remove(crate::wire::FDS_ENV);
        }
        let child: Child = cmd
            .env(crate::wire::PORTS_ENV, ports)
            .env(crate::wire::SOCK_TOKEN_ENV, token)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(err_file)
            // Its own process group: the terminal's Ctrl-C reaches only us,
            // and killing the group reaches anything it started.
            .process_group(0)
            .spawn()?;
        let pid = child.id();
        cleanup::register_group(pid);
        if let Some(tx) = &self.tx {
            let _ = tx.send(Event {
                proc,
                at: self.elapsed(),
                kind: EventKind::Spawned { pid },
            });
        }
        self.watch(child, proc, err_path);
        Ok(())
    }
}

/// Create the run's locks and semaphores as named semaphores, and give every
/// setup their kernel names. Returns them (to keep open) and the names (to
/// unlink once every process has them open).
fn create_semaphores(
    dir: &RunDir,
    plan: &mut Plan,
) -> io::Result<(Vec<NamedSemaphore>, Vec<String>)> {
    let mut semaphores = Vec::new();
    let mut names = Vec::new();
    let mut kernel_names = Vec::new();
    for (i, (lock, permits)) in plan.semaphores.iter().enumerate() {
        let kernel = dir.semaphore_name(i);
        semaphores.push(cleanup::create_semaphore(&kernel, *permits)?);
        names.push(kernel.clone());
        kernel_names.push((lock.clone(), kernel));
    }
    for s in &mut plan.setups {
        s.semaphores = kernel_names.clone();
    }
    Ok((semaphores, names))
}
