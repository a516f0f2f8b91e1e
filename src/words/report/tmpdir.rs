//! A failure in TMPDIR, told with what was being made, where, and what
//! TMPDIR is: "failed to start the run: No such file or directory" alone
//! does not say that TMPDIR is the thing to fix.

use crate::cleanup::{Making, TmpDirProblem};
use crate::lesson::Lang;

/// The longest path a Unix socket may have (`sun_path` less its NUL).
const SOCKET_PATH_MAX: usize = 107;

/// The failure in `lang`.
pub fn tmpdir_problem(p: &TmpDirProblem, lang: Lang) -> String {
    let (dir, path, why) = (p.tmpdir.display(), p.path.display(), &p.source);
    let len = p.path.as_os_str().len();
    let too_long = p.making == Making::Socket && len > SOCKET_PATH_MAX;
    match (lang, p.making) {
        (Lang::En, _) if too_long => format!(
            "TMPDIR ({dir}) is too long: the run's socket {path} would be {len} bytes, and a Unix socket path may have at most {SOCKET_PATH_MAX}: set TMPDIR to a shorter directory"
        ),
        (Lang::En, Making::RunDir) => {
            format!("cannot make the run directory {path} in TMPDIR ({dir}): {why}")
        }
        (Lang::En, Making::File) => format!("cannot write {path} in TMPDIR ({dir}): {why}"),
        (Lang::En, Making::Socket) => {
            format!("cannot make the run's socket {path} in TMPDIR ({dir}): {why}")
        }
        (Lang::Zh, _) if too_long => format!(
            "TMPDIR（{dir}）太长：运行的套接字 {path} 有 {len} 字节，而 Unix 套接字路径最多 {SOCKET_PATH_MAX} 字节：请把 TMPDIR 设为更短的目录"
        ),
        (Lang::Zh, Making::RunDir) => format!("无法在 TMPDIR（{dir}）中创建运行目录 {path}：{why}"),
        (Lang::Zh, Making::File) => format!("无法在 TMPDIR（{dir}）中写入 {path}：{why}"),
        (Lang::Zh, Making::Socket) => {
            format!("无法在 TMPDIR（{dir}）中创建运行的套接字 {path}：{why}")
        }
    }
}

impl std::fmt::Display for TmpDirProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&tmpdir_problem(self, Lang::En))
    }
}
